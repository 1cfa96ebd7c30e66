/**
 * What the service suite checks: a service reachable over HTTP, registered with a simulator that
 * plays NHS login. The runner (or the global setup) decides it once per run (the bundled reference service, or the
 * partner's service from SERVICE_*) and hands it to the workers, which reach the simulator only
 * through its control endpoint.
 *
 * @example
 * ```ts
 * const target: ServiceTarget = inject("serviceTarget")
 * target.simulator.issuer // "http://127.0.0.1:41234"
 * ```
 */
import type { SimulatorEvent } from "../../simulator/state.ts";
import type { BrowserSteps } from "../../driver/browser-steps.ts";

export interface ServiceTarget {
  /** `reference` for the bundled reference service, `external` for SERVICE_START_URL, `journal` for --journal. */
  kind: "reference" | "external" | "journal";
  /** Where a browser starts sign-in (for a consumer-only service, its lookup hook: nothing signs in there). */
  startUrl: string;
  /** False for a service checked as a Users V2 consumer only (no SERVICE_START_URL): every sign-in check is then not applicable. */
  signsIn?: boolean;
  /** What is asked before and after each scenario to tell the service still answers (SERVICE_READY_URL; default startUrl). */
  readyUrl?: string;
  /** A shell command that restarts the service when it stopped answering (SERVICE_RESTART_COMMAND). */
  restartCommand?: string;
  /** A page said to answer 2xx only to a signed-in browser (proven before it is trusted). */
  protectedUrl?: string;
  /**
   * A feature for P9 users only (SERVICE_STEP_UP_URL): a P5 person opening it must be sent to NHS
   * login for a verification step-up, never served. Without it the step-up checks are skipped.
   */
  stepUpUrl?: string;
  /** Which link or form of the start page starts the sign-in (SERVICE_SIGN_IN_LINK). */
  signInLink?: string;
  /** Text or pattern shown once signed in (SERVICE_SIGNED_IN_TEXT). */
  signedInText?: string | RegExp;
  clientId: string;
  /** The registered redirect URIs. */
  redirectUris: string[];
  /** PEM (SPKI) of the key the service signs client assertions with. */
  publicKeyPem: string;
  /** The approved scopes (openid included). */
  scopes: string[];
  /** The vectors of trust the service is registered for. */
  vtr: string[];
  usesUserinfo: boolean;
  /**
   * The service's Users V2 lookup hook (SERVICE_USERS_LOOKUP_URL): the harness POSTs
   * `{"nhsNumber"?, "email"?}` and the service answers what its real lookup concluded. Without it
   * the Users V2 consumer checks are skipped.
   */
  usersLookupUrl?: string;
  /**
   * The service's Provision Account hook (SERVICE_PROVISION_URL): the harness POSTs
   * `{"nhsNumber", "email", "dateOfBirth", "phoneNumber"}` and the service answers what its real
   * provisioning concluded and what staff were shown. Without it the Provision Account consumer
   * checks are skipped.
   */
  provisionUrl?: string;
  /** The ODS code the service provisions for (SERVICE_ODS_CODE). */
  odsCode?: string;
  /**
   * Recorded traffic to judge instead of driving the service (--journal): the simulator that
   * recorded it, and its events that concern the service's client (or name no client).
   */
  journal?: { file: string; issuer: string; tokenEndpoint: string; usersScope: string; events: SimulatorEvent[] };
  /** Users V2 scopes the service's client is approved for: the simulator's Users.retrieve URL first, then the extras. */
  usersScopes?: string[];
  /** The simulator playing NHS login, and the secret of its control endpoint. */
  simulator: { url: string; issuer: string; controlSecret: string };
  /**
   * Optional test-clock hook of the service: `POST {"advanceSeconds": n}` moves the service's
   * session clock forward. Without it the session time limits are manual checks.
   */
  testClockUrl?: string;
  /** Browser mode (SERVICE_DRIVER=browser): scenarios drive this chromium instead of the HTTP driver. */
  browser?: { chromiumPath: string /** SERVICE_BROWSER_STEPS */; steps?: BrowserSteps };
  /** Host names the browser sends to another address (test deployments; http only). */
  resolve?: Record<string, string>;
  http: { timeoutMs: number; maxResponseBytes: number; ca?: string[] };
  /** A directory for the cross-worker scenario lock (one browser at a time). */
  lockDir?: string;
  /** Why the service cannot be checked at all (configuration missing, service not answering). */
  unavailable?: string;
}
