/**
 * Build simulator options from the harness configuration: the harness's own client and, when
 * the `SERVICE_*` variables describe one, the service under test.
 *
 * @example
 * ```ts
 * const config = loadConfig()
 * const { options, harness } = await simulatorOptionsFromConfig(config)
 * const sim = await startSimulator(options)
 * ```
 */
import type { KeyObject } from "node:crypto";
import { generateRsaKeyPair } from "../jose/generate-rsa-key.ts";
import type { HarnessConfig } from "../config/index.ts";
import { ConfigError } from "../errors/index.ts";
import { DEFAULT_VTR, EIS_PROFILES } from "../nhs/vot.ts";
import { FEDERATION_SCOPES } from "../nhs/scopes.ts";
import { USERS_RETRIEVE_PLACEHOLDER, type ClientRegistration } from "./clients.ts";
import type { SimulatorOptions } from "./start-simulator.ts";
import type { SimulatorLimits } from "./limits.ts";

/** Client id of the harness's own client when `NHSLOGIN_CLIENT_ID` is unset. */
export const DEFAULT_HARNESS_CLIENT_ID = "nhslogin-conformance-harness";
/** Redirect URI of the harness's own client; the harness reads the redirect, nothing listens there. */
export const HARNESS_REDIRECT_URI = "https://harness.nhslogin-conformance.invalid/callback";

export interface HarnessClient {
  clientId: string;
  privateKey: KeyObject;
  redirectUri: string;
  /** True when the key was generated for this run (no NHSLOGIN_PRIVATE_KEY_FILE). */
  ephemeralKey: boolean;
}

/** The ODS code of the harness's Provision Account client on the simulator when NHSLOGIN_PA_ODS_CODE is unset. */
export const DEFAULT_PA_ODS_CODE = "A12345";

/** The harness's Provision Account client on the simulator: a client of its own, as NHS login approves one apart. */
export interface PaHarnessClient {
  clientId: string;
  privateKey: KeyObject;
  odsCode: string;
}

export interface SimulatorSetup {
  options: SimulatorOptions;
  harness: HarnessClient;
  provisionAccount: PaHarnessClient;
  /** The service registration, when SERVICE_* describe one. */
  service?: ClientRegistration;
}

export async function simulatorOptionsFromConfig(
  config: HarnessConfig,
  overrides: Partial<SimulatorOptions> = {},
): Promise<SimulatorSetup> {
  const key = config.nhslogin.privateKey?.key;
  const privateKey = key ?? (await generateRsaKeyPair()).privateKey;
  const harness: HarnessClient = {
    clientId: config.nhslogin.clientId ?? DEFAULT_HARNESS_CLIENT_ID,
    privateKey,
    redirectUri: HARNESS_REDIRECT_URI,
    ephemeralKey: key === undefined,
  };
  const redirectUris = [HARNESS_REDIRECT_URI, ...(config.nhslogin.redirectUri ? [config.nhslogin.redirectUri] : [])];
  const clients: ClientRegistration[] = [
    {
      clientId: harness.clientId,
      name: "nhslogin-conformance harness",
      redirectUris,
      publicKey: privateKey,
      scopes: FEDERATION_SCOPES,
      vtr: EIS_PROFILES,
      usersV2Scopes: "all",
      // Its own uplift journey has single sign-on configured (the asserted_login_identity checks).
      ssoFrom: [harness.clientId],
    },
  ];
  const pa = config.nhslogin.provisionAccount;
  const provisionAccount: PaHarnessClient = {
    // Apart from the federation client, whose client_credentials requests the token-endpoint checks expect refused.
    clientId: pa.clientId ?? `${harness.clientId}-provision-account`,
    privateKey: pa.privateKey?.key ?? privateKey,
    odsCode: pa.odsCode ?? DEFAULT_PA_ODS_CODE,
  };
  clients.push({
    clientId: provisionAccount.clientId,
    name: "nhslogin-conformance harness (Provision Account)",
    redirectUris: [HARNESS_REDIRECT_URI],
    publicKey: provisionAccount.privateKey,
    provisionAccount: { odsCodes: [provisionAccount.odsCode] },
  });
  const service = serviceRegistration(config);
  if (service) clients.push(service);
  const options: SimulatorOptions = {
    port: config.simulator.port,
    defaultPersona: config.simulator.persona,
    clients,
    ...(config.simulator.issuer ? { issuer: config.simulator.issuer } : {}),
    limits: limitsFrom(config.simulator.limits),
    ...overrides,
  };
  return { options, harness, provisionAccount, ...(service ? { service } : {}) };
}

/** SIMULATOR_STORE_* and SIMULATOR_EVENT_LOG_* as simulator limits (megabytes to bytes); unset ones keep their defaults. */
function limitsFrom(l: HarnessConfig["simulator"]["limits"]): Partial<SimulatorLimits> {
  const MB = 1024 * 1024;
  return {
    ...(l.storeEntries !== undefined ? { storeEntries: l.storeEntries } : {}),
    ...(l.storeMb !== undefined ? { storeBytes: l.storeMb * MB } : {}),
    ...(l.eventLogEntries !== undefined ? { eventLogEntries: l.eventLogEntries } : {}),
    ...(l.eventLogMb !== undefined ? { eventLogBytes: l.eventLogMb * MB } : {}),
  };
}

/** The redirect URI registered for a consumer-only service (one is required; nobody is sent there). */
export const CONSUMER_ONLY_REDIRECT_URI = "https://users-v2-consumer.invalid/no-sign-in";

/** The service under test as a client registration, or undefined when none is configured. */
function serviceRegistration(config: HarnessConfig): ClientRegistration | undefined {
  const s = config.service;
  const given = { SERVICE_CLIENT_ID: s.clientId, SERVICE_REDIRECT_URIS: s.redirectUris, SERVICE_PUBLIC_KEY_FILE: s.publicKey };
  // A service checked as a consumer only (Users V2, Provision Account) signs nobody in: it needs no redirect URI.
  const consumerOnly = (s.usersLookupUrl !== undefined || s.provisionUrl !== undefined) && s.startUrl === undefined;
  const missing = Object.entries(given)
    .filter(([k, v]) => v === undefined && !(consumerOnly && k === "SERVICE_REDIRECT_URIS"))
    .map(([k]) => k);
  if (missing.length === (consumerOnly ? 2 : 3)) return undefined;
  if (missing.length > 0) {
    throw new ConfigError(
      missing[0]!,
      "a value, because the other SERVICE_* registration variables are set",
      `missing: ${missing.join(", ")}`,
    );
  }
  return {
    clientId: s.clientId!,
    name: "service under test",
    redirectUris: s.redirectUris ?? [CONSUMER_ONLY_REDIRECT_URI],
    publicKey: s.publicKey!.key,
    scopes: (s.scopes ?? ["openid"]).filter((x) => x !== "openid"),
    vtr: s.vtr ?? DEFAULT_VTR,
    usersV2Scopes: [USERS_RETRIEVE_PLACEHOLDER, ...s.usersScopes],
    ...(s.odsCode ? { provisionAccount: { odsCodes: [s.odsCode] } } : {}),
  };
}
