export { loadConfig, type LoadConfigOptions } from "./load-config.ts";
export { describeMissing, type Feature, type MissingVariable } from "./describe-missing.ts";
export { ENVIRONMENTS, PRESETS, type EnvironmentPreset, type NhsLoginEnvironment } from "./presets.ts";
export * from "./types.ts";
