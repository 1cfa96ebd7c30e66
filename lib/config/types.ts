/**
 * The shape of the validated harness configuration returned by `loadConfig`. Every group is
 * present; a field is `undefined` when its variable is unset and has no default.
 *
 * @example
 * ```ts
 * const config: HarnessConfig = loadConfig()
 * config.http.timeoutMs // 10000 unless HTTP_TIMEOUT_MS says otherwise
 * ```
 */
import type { BrowserSteps } from "../driver/browser-steps.ts";
import type { KeyObject } from "node:crypto";
import type { NhsLoginEnvironment } from "./presets.ts";

export const USERS_V2_SCOPES = [
  "profile",
  "profile_extended",
  "email",
  "phone",
  "landline",
  "gp_registration_details",
  "gp_integration_credentials",
] as const;
export type UsersV2Scope = (typeof USERS_V2_SCOPES)[number];

export const PERSONAS = ["p0", "p5", "p9"] as const;
export type Persona = (typeof PERSONAS)[number];

/** An RSA key read from a file. The file's text is not kept. */
export interface RsaKeyFile {
  readonly path: string;
  readonly key: KeyObject;
  /** Modulus length in bits, e.g. 2048. */
  readonly modulusBits: number;
}

export interface NhsLoginSettings {
  /** Preset for the environment unless `NHSLOGIN_ISSUER` is set; kept exactly as written. */
  readonly issuer?: string;
  readonly clientId?: string;
  /** Private key for `private_key_jwt` client authentication (`NHSLOGIN_PRIVATE_KEY_FILE`). */
  readonly privateKey?: RsaKeyFile;
  /** The Users.retrieve scope (`NHSLOGIN_USERS_SCOPE`, or the environment preset). */
  readonly usersScope?: string;
  /** Extra Users V2 scopes (`NHSLOGIN_USERS_SCOPES`); empty when unset. */
  readonly usersScopes: readonly UsersV2Scope[];
  /** Scopes for the harness's own code flow; always contains `openid`. */
  readonly scopes: readonly string[];
  /** Vectors of trust to request, as written, e.g. `["P9.Cp.Cd"]`. */
  readonly vtr: readonly string[];
  readonly testNhsNumber?: string;
  readonly testEmail?: string;
  /** A second test account, for Users V2 searches that need two people (precedence of and/or). */
  readonly testNhsNumber2?: string;
  readonly testEmail2?: string;
  /** Loopback redirect URI for assisted mode. */
  readonly redirectUri?: string;
  /** The Provision Account API of the environment (NHSLOGIN_PA_*). */
  readonly provisionAccount: ProvisionAccountSettings;
}

/** The Provision Account API of an environment, and the client the harness calls it as. */
export interface ProvisionAccountSettings {
  /** NHSLOGIN_PA_URL: the provision-account endpoint (the simulator's own when unset there). */
  readonly url?: string;
  /** NHSLOGIN_PA_CLIENT_ID: the client approved for Provision Account (default NHSLOGIN_CLIENT_ID). */
  readonly clientId?: string;
  /** NHSLOGIN_PA_PRIVATE_KEY_FILE: its key (default NHSLOGIN_PRIVATE_KEY_FILE). */
  readonly privateKey?: RsaKeyFile;
  /** NHSLOGIN_PA_ODS_CODE: the ODS code the client provisions for. */
  readonly odsCode?: string;
  /** NHSLOGIN_PA_TEST_PATIENT: a test patient of the environment, never a real person. */
  readonly testPatient?: PaTestPatient;
}

/** A test patient to provision: T7's fields but the ODS code. */
export interface PaTestPatient {
  readonly nhs_number: string;
  readonly email_address: string;
  readonly date_of_birth: string;
  readonly phone_number: string;
}

export interface ServiceSettings {
  readonly startUrl?: string;
  /** A page only a signed-in user sees (one signed-in oracle; proven before it is trusted). */
  readonly protectedUrl?: string;
  /** A feature for P9 users only, which a P5 user reaches by a verification step-up (the step-up checks). */
  readonly stepUpUrl?: string;
  /** What is asked before and after each scenario to tell the service still answers (default startUrl). */
  readonly readyUrl?: string;
  /** A shell command that restarts the service when it stopped answering. */
  readonly restartCommand?: string;
  /** Which link or form of the start page starts the sign-in: a CSS selector or its text. */
  readonly signInLink?: string;
  /** SERVICE_DRIVER: `http` (default: no JavaScript) or `browser` (chromium through playwright-core). */
  readonly driver: "http" | "browser";
  /** CHROMIUM_PATH in browser mode (default /usr/bin/chromium, checked to exist). */
  readonly chromiumPath?: string;
  /** SERVICE_BROWSER_STEPS: the file and its validated steps, for a sign-in that needs more than one click. */
  readonly browserSteps?: BrowserSteps & { path: string };
  /** Text (or a /regex/) shown once signed in, on the page sign-in lands on or the protected page. */
  readonly signedInText?: string | RegExp;
  readonly clientId?: string;
  readonly redirectUris?: readonly string[];
  readonly publicKey?: RsaKeyFile;
  readonly scopes?: readonly string[];
  readonly vtr?: readonly string[];
  /** Whether the service calls the UserInfo endpoint; defaults to `true`. */
  readonly usesUserinfo: boolean;
  /** The service's optional, test-only clock hook (POST {"advanceSeconds": n}) for the session limits. */
  readonly testClockUrl?: string;
  /**
   * The service's Users V2 lookup hook (POST {"nhsNumber"?, "email"?}); with it the service is
   * checked as a Users V2 consumer, and without SERVICE_START_URL as a consumer only.
   */
  readonly usersLookupUrl?: string;
  /**
   * The service's Provision Account hook (POST {"nhsNumber", "email", "dateOfBirth", "phoneNumber"});
   * with it the service is checked as a Provision Account consumer, and without SERVICE_START_URL as
   * a consumer only.
   */
  readonly provisionUrl?: string;
  /** The ODS code the service provisions for (SERVICE_ODS_CODE; required with SERVICE_PROVISION_URL). */
  readonly odsCode?: string;
  /** A journal of recorded traffic to judge instead of driving the service (SERVICE_JOURNAL, or --journal). */
  readonly journal?: string;
  /** Users V2 scopes the service is approved for beside Users.retrieve (SERVICE_USERS_SCOPES). */
  readonly usersScopes: readonly UsersV2Scope[];
}

export interface SimulatorSettings {
  /** Port to listen on; `0` picks a free one. */
  readonly port: number;
  /** Issuer to announce; when unset the simulator uses `http://127.0.0.1:<port>`. */
  readonly issuer?: string;
  readonly persona: Persona;
  /** Serve the service suite's simulator over https (SIMULATOR_TLS). */
  readonly tls: boolean;
  /** SIMULATOR_TLS_CERT: the certificate (and chain) to serve, PEM; generated when unset. */
  readonly tlsCert?: readonly string[];
  /** SIMULATOR_TLS_KEY: its private key. */
  readonly tlsKey?: RsaKeyFile;
  /** How much the simulator keeps in memory; unset values keep lib/simulator/limits.ts's defaults. */
  readonly limits: {
    /** SIMULATOR_STORE_ENTRIES: entries per store (codes, tokens, jtis, sessions, ...). */
    readonly storeEntries?: number;
    /** SIMULATOR_STORE_MB: estimated megabytes per store. */
    readonly storeMb?: number;
    /** SIMULATOR_EVENT_LOG_ENTRIES: events kept. */
    readonly eventLogEntries?: number;
    /** SIMULATOR_EVENT_LOG_MB: megabytes of events kept. */
    readonly eventLogMb?: number;
  };
}

export interface HttpSettings {
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  /** Path of `NHSLOGIN_CA_FILE`, when set. */
  readonly caFile?: string;
  /** The PEM certificates read from `caFile`, one string per certificate. */
  readonly ca?: readonly string[];
}

export interface ReportSettings {
  /** Keep whole tokens in reports instead of removing signatures. */
  readonly includeTokens: boolean;
  /** REPORTS_DIR: where a run writes its reports (default `reports`). */
  readonly dir: string;
  /** MANUAL_RESULTS_FILE: the testers' record of the manual scenarios (default `manual-results.json` when present). */
  readonly manualResults?: string;
}

export interface ArtefactSettings {
  /** `ARTEFACTS_DIR`: an existing directory of captured artefacts, as an absolute path; unset skips the artefacts suite. */
  readonly dir?: string;
}

export interface HarnessConfig {
  readonly environment: NhsLoginEnvironment;
  readonly nhslogin: NhsLoginSettings;
  readonly service: ServiceSettings;
  readonly simulator: SimulatorSettings;
  readonly http: HttpSettings;
  readonly report: ReportSettings;
  readonly artefacts: ArtefactSettings;
  /** Problems that do not stop a run, e.g. a variable in the harness's namespaces that nothing reads. */
  readonly warnings: readonly string[];
}
