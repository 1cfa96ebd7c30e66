/**
 * List the variables a feature needs and the configuration lacks, each with the reason, so a suite
 * can skip with a useful message instead of failing. Against the embedded simulator the NHS login
 * variables are never missing: the simulator supplies its own client, keys and scopes.
 *
 * @example
 * ```ts
 * const config = loadConfig({ env: { NHSLOGIN_ENVIRONMENT: "sandpit" }, dotenvPath: false })
 * describeMissing(config, ["token"]).map((m) => m.variable)
 * // ["NHSLOGIN_CLIENT_ID", "NHSLOGIN_PRIVATE_KEY_FILE"]
 * ```
 */
import type { HarnessConfig } from "./types.ts";

export type Feature = "token" | "code-flow" | "users-v2" | "provision-account" | "service";

export interface MissingVariable {
  readonly variable: string;
  /** Which of the requested features need it. */
  readonly features: readonly Feature[];
  readonly why: string;
}

interface Requirement {
  variable: string;
  features: readonly Feature[];
  /** True when a real NHS login environment is needed for the requirement to apply. */
  realOnly: boolean;
  present: (c: HarnessConfig) => boolean;
  why: (c: HarnessConfig) => string;
}

const REQUIREMENTS: readonly Requirement[] = [
  {
    variable: "NHSLOGIN_CLIENT_ID",
    features: ["token", "code-flow", "users-v2"],
    realOnly: true,
    present: (c) => c.nhslogin.clientId !== undefined,
    why: (c) => `the client_id registered with NHS login ${c.environment}`,
  },
  {
    variable: "NHSLOGIN_PRIVATE_KEY_FILE",
    features: ["token", "code-flow", "users-v2"],
    realOnly: true,
    present: (c) => c.nhslogin.privateKey !== undefined,
    why: () => "the RSA private key whose public half is registered for the client, to sign private_key_jwt assertions",
  },
  {
    variable: "NHSLOGIN_REDIRECT_URI",
    features: ["code-flow"],
    realOnly: true,
    present: (c) => c.nhslogin.redirectUri !== undefined,
    why: () => "a loopback redirect URI registered for the client, where the harness receives the authorisation code",
  },
  {
    variable: "NHSLOGIN_USERS_SCOPE",
    features: ["users-v2"],
    realOnly: true,
    present: (c) => c.nhslogin.usersScope !== undefined,
    why: (c) =>
      c.environment === "production"
        ? "the Users.retrieve scope is not documented for production; ask NHS login for the value"
        : "the scope that grants access to the Users Endpoint V2",
  },
  {
    variable: "NHSLOGIN_TEST_NHS_NUMBER",
    features: ["users-v2"],
    realOnly: true,
    present: (c) => c.nhslogin.testNhsNumber !== undefined,
    why: () => "the NHS number of a test user to look up through the Users Endpoint V2",
  },
  {
    variable: "NHSLOGIN_PA_URL",
    features: ["provision-account"],
    realOnly: true,
    present: (c) => c.nhslogin.provisionAccount.url !== undefined,
    why: () => "the Provision Account endpoint of the environment (from the onboarding pack; the host is not documented)",
  },
  {
    variable: "NHSLOGIN_PA_ODS_CODE",
    features: ["provision-account"],
    realOnly: true,
    present: (c) => c.nhslogin.provisionAccount.odsCode !== undefined,
    why: () => "the ODS code the Provision Account client is registered for",
  },
  {
    variable: "NHSLOGIN_PA_CLIENT_ID",
    features: ["provision-account"],
    realOnly: true,
    present: (c) => (c.nhslogin.provisionAccount.clientId ?? c.nhslogin.clientId) !== undefined,
    why: () => "the client_id approved for Provision Account (default NHSLOGIN_CLIENT_ID)",
  },
  {
    variable: "NHSLOGIN_PA_PRIVATE_KEY_FILE",
    features: ["provision-account"],
    realOnly: true,
    present: (c) => (c.nhslogin.provisionAccount.privateKey ?? c.nhslogin.privateKey) !== undefined,
    why: () => "the private key of the Provision Account client (default NHSLOGIN_PRIVATE_KEY_FILE)",
  },
  {
    variable: "SERVICE_START_URL",
    features: ["service"],
    realOnly: false,
    present: (c) => c.service.startUrl !== undefined,
    why: () => "the page of the service that starts the NHS login journey",
  },
  {
    variable: "SERVICE_CLIENT_ID",
    features: ["service"],
    realOnly: false,
    present: (c) => c.service.clientId !== undefined,
    why: () => "the client_id the service presents, so the simulator can recognise it",
  },
  {
    variable: "SERVICE_REDIRECT_URIS",
    features: ["service"],
    realOnly: false,
    present: (c) => c.service.redirectUris !== undefined,
    why: () => "the redirect URIs the service registered, to check the ones it sends",
  },
  {
    variable: "SERVICE_PUBLIC_KEY_FILE",
    features: ["service"],
    realOnly: false,
    present: (c) => c.service.publicKey !== undefined,
    why: () => "the service's public key, to verify its private_key_jwt client assertions",
  },
];

export function describeMissing(
  config: HarnessConfig,
  features: readonly Feature[] = ["token", "code-flow", "users-v2"],
): MissingVariable[] {
  const missing: MissingVariable[] = [];
  for (const req of REQUIREMENTS) {
    const needed = req.features.filter((f) => features.includes(f));
    if (needed.length === 0 || req.present(config)) continue;
    if (req.realOnly && config.environment === "simulator") continue;
    missing.push({ variable: req.variable, features: needed, why: req.why(config) });
  }
  return missing;
}
