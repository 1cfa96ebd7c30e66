/**
 * The contract of an environment check: a small named probe, citing the requirement IDs it
 * verifies, that talks to an NHS login environment (or the simulator) and returns findings.
 * Suites list these as data; tests run the same list against a correct simulator (everything
 * passes) and against one with the matching defect or fault (the check fails).
 *
 * @example
 * ```ts
 * export const DISCOVERY_CHECKS: EnvironmentCheck[] = [
 *   { key: "discovery-document", ids: ["FED-DISC-01"], title: "discovery document", area: "Discovery",
 *     run: async (env) => discoveryDocumentFindings(await env.fetchJson(env.discoveryUrl), { expectedIssuer: env.issuer }) },
 * ]
 * ```
 */
import type { AgeGrantRequest } from "../../simulator/age-grant.ts";
import type { KeyObject } from "node:crypto";
import type { HttpClient } from "../../http/index.ts";
import type { Check, GateFunction } from "../check.ts";
import type { FetchedJson } from "../discovery/rules.ts";

/** Capabilities a check may need; without them it is skipped with the reason. */
export type Capability =
  | "harness-client"
  | "redirect-uri"
  | "code-flow"
  | "users-v2"
  | "personas"
  | "sessions"
  | "provision-account"
  | "pa-test-patient"
  | "pa-accounts"
  | "clock";

/** The Provision Account API of the environment and the client the harness calls it as. */
export interface ProvisionAccountAccess {
  /** The provision-account endpoint. */
  url: string;
  clientId: string;
  privateKey: KeyObject;
  /** The ODS code the client provisions for. */
  odsCode: string;
  /** A test patient to provision (T7's fields but the ODS code): configured, or made up on the simulator. */
  testPatient?: { nhs_number: string; email_address: string; date_of_birth: string; phone_number: string };
}

export interface EnvironmentContext {
  /** The issuer under test, exactly as configured. */
  issuer: string;
  discoveryUrl: string;
  http: HttpClient;
  /** GET a URL and parse JSON, never throwing (failures come back in `error`). */
  fetchJson(url: string): Promise<FetchedJson>;
  /** The discovery document, fetched once; throws with the reason when unavailable. */
  discovery(): Promise<Record<string, unknown>>;
  /** The harness's own client registered with the environment. */
  harness?: { clientId: string; privateKey: KeyObject; redirectUri: string };
  /** The Users.retrieve scope string and the optional Users V2 scopes to request. */
  usersScope?: string;
  usersScopes?: readonly string[];
  /** A test account (NHS number and email) known to the environment. */
  testNhsNumber?: string;
  testEmail?: string;
  /** A second, different test account. */
  testNhsNumber2?: string;
  testEmail2?: string;
  /** Provision Account, when the environment offers it to the harness. */
  provisionAccount?: ProvisionAccountAccess;
  /** Scopes and vtr for the harness's own code flow. */
  scopes: readonly string[];
  vtr: readonly string[];
  /**
   * Complete the front-channel part of a code flow for these authorize parameters and return the
   * redirect URL the browser was sent to (with `code` and `state`, or `error`). Unattended against
   * the simulator; assisted (a person signs in) against a real environment.
   */
  signIn?: (params: Record<string, string>) => Promise<URL>;
  /**
   * The same, with a person of this proofing level signing in (the simulator's P0, P5 or P9
   * persona). Absent against a real environment: who signs in is the person at the keyboard.
   */
  signInAs?: (level: "P0" | "P5" | "P9", params: Record<string, string>) => Promise<URL>;
  /**
   * The embedded simulator's clock hook for one grant: make a code or refresh token it issued
   * `seconds` older. Absent against a real environment, where a lifetime can only be waited out.
   */
  ageGrant?: (request: AgeGrantRequest) => Promise<void>;
  /** Why a capability is unavailable, per capability (absent = available). */
  unavailable: Partial<Record<Capability, string>>;
  /** True when the target is the embedded simulator. */
  simulator: boolean;
}

/** An environment check: the one check contract over an {@link EnvironmentContext}. */
export type EnvironmentCheck = Check<EnvironmentContext, Capability>;

/**
 * The environment gate: a check is skipped with the reason when a capability it needs is
 * unavailable, and with its manual instructions when it has some.
 */
export const environmentGate: GateFunction<EnvironmentContext, Capability> = (check, env) => {
  const missing = (check.needs ?? []).map((c) => env.unavailable[c]).filter((r): r is string => r !== undefined);
  if (missing.length === 0) return undefined;
  // What a person does instead, where the check has manual instructions (as the service gate does).
  return { status: "skipped", reasons: check.manual ? [`manual check: ${missing.join("; ")}. ${check.manual}`] : missing };
};
