/**
 * The NHS login environments the harness knows, and the values each one implies unless a variable
 * overrides them.
 *
 * @example
 * ```ts
 * PRESETS.sandpit.issuer // "https://auth.sandpit.signin.nhs.uk"
 * PRESETS.simulator.issuer // undefined: the embedded simulator supplies its own
 * ```
 */

export const ENVIRONMENTS = ["simulator", "sandpit", "integration", "production"] as const;
export type NhsLoginEnvironment = (typeof ENVIRONMENTS)[number];

export interface EnvironmentPreset {
  /** The OpenID Provider issuer; `undefined` for the embedded simulator. */
  readonly issuer?: string;
  /**
   * The scope that grants access to the Users Endpoint V2. `undefined` for production (not
   * documented, so it must be configured) and for the simulator (which derives it from its issuer).
   */
  readonly usersScope?: string;
}

export const PRESETS: Readonly<Record<NhsLoginEnvironment, EnvironmentPreset>> = Object.freeze({
  simulator: Object.freeze({}),
  sandpit: Object.freeze({
    issuer: "https://auth.sandpit.signin.nhs.uk",
    usersScope: "https://auth.sandpit.signin.nhs.uk/Users.retrieve",
  }),
  integration: Object.freeze({
    issuer: "https://auth.aos.signin.nhs.uk",
    usersScope: "https://auth.aos.signin.nhs.uk/Users.retrieve",
  }),
  production: Object.freeze({
    issuer: "https://auth.login.nhs.uk",
  }),
});
