/**
 * The simulator's shared, per-instance context handed to every route.
 */
import type { DefectId } from "./faults.ts";
import type { SigningKey } from "./keys.ts";
import type { Persona } from "./personas.ts";
import type { RegisteredClient } from "./clients.ts";
import type { SimulatorEvent } from "./state.ts";
import type { StateOps } from "./state-ops.ts";

/** Lifetimes in seconds (EIS Table 18, UEV2 §3.1). */
export const TTL = Object.freeze({
  code: 600,
  idToken: 3600,
  accessToken: 300,
  refreshToken: 30 * 24 * 3600,
  usersV2AccessToken: 300,
  ssoSession: 12 * 3600,
});

export interface Endpoints {
  discovery: string;
  jwks: string;
  authorization: string;
  token: string;
  userinfo: string;
  usersV2: string;
  trustmark: string;
  attackerJwks: string;
  attackerCert: string;
}

export interface ClientAssertionPolicy {
  /** Accepted `alg` values for client assertions (default `["RS512"]`). */
  algorithms: readonly string[];
  /** Longest accepted `exp - now`, in seconds (default 600). */
  maxLifetimeSeconds: number;
  /** Accepted clock skew for `iat`/`exp`, in seconds (default 60). */
  clockToleranceSeconds: number;
}

export interface SimulatorContext {
  issuer: string;
  endpoints: Endpoints;
  /** `next`: a second published key (as during a rotation), used only when a fault signs with it. */
  keys: { signing: SigningKey; attacker: SigningKey; next: SigningKey };
  clients: Map<string, RegisteredClient>;
  personas: readonly Persona[];
  defaultPersona: string;
  defects: Set<DefectId>;
  /** The state, through its operations (state-ops.ts): run here, or by the state's owner for a worker. */
  ops: StateOps;
  /** The Users.retrieve scope string of this simulator. */
  usersScope: string;
  clientAssertion: ClientAssertionPolicy;
  /** Render a persona picker on /authorize instead of signing in automatically. */
  interactive: boolean;
  /** Refuse an authorization request without state or nonce (false in the service suite). */
  requireStateAndNonce: boolean;
  /** Current time in seconds since the epoch (test clocks shift it). */
  now(): number;
  /** Aborted when the simulator stops: an answer held by a slow-answer fault is sent at once. */
  stopping: AbortSignal;
  record(event: Omit<SimulatorEvent, "at">): void;
}

/** The Users.retrieve scope of a simulator with no other named: `<issuer>/Users.retrieve`. */
export function usersScopeFor(issuer: string): string {
  return `${issuer.replace(/\/$/, "")}/Users.retrieve`;
}

/** Derive every endpoint URL from the issuer (no trailing slash handling: the issuer is used as given). */
export function endpointsFor(issuer: string): Endpoints {
  const base = issuer.endsWith("/") ? issuer.slice(0, -1) : issuer;
  const host = new URL(issuer).host;
  return {
    discovery: `${base}/.well-known/openid-configuration`,
    jwks: `${base}/.well-known/jwks.json`,
    authorization: `${base}/authorize`,
    token: `${base}/token`,
    userinfo: `${base}/userinfo`,
    usersV2: `${base}/v2/Users`,
    trustmark: `${base}/trustmark/${host}`,
    attackerJwks: `${base}/__attacker/jwks.json`,
    attackerCert: `${base}/__attacker/cert.pem`,
  };
}
