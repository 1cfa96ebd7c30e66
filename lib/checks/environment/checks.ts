/**
 * Every environment check, as one list (the suites split it by area).
 */
import type { EnvironmentCheck } from "./environment-check.ts";
import { DISCOVERY_CHECKS } from "../discovery/checks.ts";
import { TOKEN_ENDPOINT_CHECKS } from "../token-endpoint/checks.ts";
import { USERS_V2_CHECKS } from "../users-v2/checks.ts";
import { CODE_FLOW_CHECKS } from "../code-flow/checks.ts";
import { PROVISION_ACCOUNT_CHECKS } from "../provision-account/checks.ts";

export const ENVIRONMENT_CHECKS: readonly EnvironmentCheck[] = [
  ...DISCOVERY_CHECKS,
  ...TOKEN_ENDPOINT_CHECKS,
  ...CODE_FLOW_CHECKS,
  ...USERS_V2_CHECKS,
  ...PROVISION_ACCOUNT_CHECKS,
];

export { environmentGate, type EnvironmentCheck, type EnvironmentContext, type Capability } from "./environment-check.ts";
export { createEnvironmentContext, type EnvironmentContextOptions } from "./create-environment-context.ts";
