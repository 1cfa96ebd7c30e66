/**
 * Everything the simulator remembers between requests, in memory, with expiry.
 */
import type { FaultId } from "./faults.ts";
import type { Persona } from "./personas.ts";

/** What a sign-in produced, bound to its authorization code and the tokens issued from it. */
export interface Grant {
  clientId: string;
  redirectUri: string;
  /** Granted federation scopes (requested, known and approved). */
  scopes: string[];
  nonce?: string;
  state?: string;
  vtr: string[];
  vot: string;
  persona: Persona;
  authTime: number;
  /** Faults armed for this sign-in. */
  faults: FaultId[];
}

export interface CodeRecord {
  grant: Grant;
  expiresAt: number;
  used: boolean;
  /** Access-token jtis and refresh tokens issued from this code (revoked on code reuse). */
  issued: { accessJtis: string[]; refreshTokens: string[] };
}

export interface AccessTokenRecord {
  kind: "federation" | "users-v2";
  clientId: string;
  expiresAt: number;
  grant?: Grant;
  /** Users V2: scopes the client asked for and those granted. */
  requestedScopes?: string[];
  grantedScopes?: string[];
  revoked?: boolean;
}

export interface RefreshRecord {
  grant: Grant;
  expiresAt: number;
  /** Set when this token was superseded by rotation or revoked. */
  invalid?: boolean;
  code?: string;
}

/** One thing the simulator saw or did, for checks of the service under test. */
export interface SimulatorEvent {
  type: "authorize" | "token" | "userinfo" | "users-v2" | "attacker-fetch" | "trustmark";
  at: number;
  clientId?: string;
  /** What was received and decided; tokens and assertions are kept decoded, never raw signatures. */
  detail: Record<string, unknown>;
}

/** An armed fault waiting for the next sign-in (optionally for one client). */
export interface ArmedScenario {
  faults: FaultId[];
  persona?: string;
  clientId?: string;
  /** Sign-ins it applies to; `Infinity` keeps it armed until reset. */
  remaining: number;
}

/** A Users V2 consumer fault waiting for the client's next search or token request. */
export interface ArmedUsersV2Fault {
  fault: FaultId;
  /** Which request takes it. */
  on: "search" | "token";
  clientId?: string;
  /** Requests it applies to; `Infinity` keeps it armed until reset. */
  remaining: number;
}

const MAX_EVENTS = 2000;

export class SimulatorState {
  readonly codes = new Map<string, CodeRecord>();
  readonly accessTokens = new Map<string, AccessTokenRecord>();
  readonly refreshTokens = new Map<string, RefreshRecord>();
  /** Client-assertion jti → expiry (s), for replay protection. */
  readonly assertionJtis = new Map<string, number>();
  /** client_user_metadata by `${clientId} ${sub}`. */
  readonly metadata = new Map<string, string>();
  /** SSO sessions by cookie value. */
  readonly sessions = new Map<string, { persona: Persona; vot: string; authTime: number; expiresAt: number }>();
  /** Pending interactive sign-ins by transaction id. */
  readonly pending = new Map<string, { params: Record<string, string>; expiresAt: number }>();
  readonly armed: ArmedScenario[] = [];
  readonly armedUsersV2: ArmedUsersV2Fault[] = [];
  /** Opaque Users V2 access tokens a fault issued, by token: the jti of their record. */
  readonly opaqueAccessTokens = new Map<string, string>();
  readonly events: SimulatorEvent[] = [];

  record(event: SimulatorEvent): void {
    this.events.push(event);
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
  }

  /** Take the scenario armed for the next sign-in of `clientId`, if any. */
  takeScenario(clientId: string): ArmedScenario | undefined {
    const i = this.armed.findIndex((s) => !s.clientId || s.clientId === clientId);
    if (i < 0) return undefined;
    const s = this.armed[i]!;
    s.remaining -= 1;
    if (s.remaining <= 0) this.armed.splice(i, 1);
    return s;
  }

  /** Take the Users V2 faults armed for this request of `clientId` (each counts one request down). */
  takeUsersV2Faults(clientId: string, on: ArmedUsersV2Fault["on"]): FaultId[] {
    const taken: FaultId[] = [];
    for (const a of [...this.armedUsersV2]) {
      if (a.on !== on || (a.clientId && a.clientId !== clientId)) continue;
      taken.push(a.fault);
      a.remaining -= 1;
      if (a.remaining <= 0) this.armedUsersV2.splice(this.armedUsersV2.indexOf(a), 1);
    }
    return taken;
  }

  /** Drop expired entries; called on a timer and cheap enough to call per request. */
  sweep(now: number): void {
    for (const [k, v] of this.codes) if (v.expiresAt + 3600 < now) this.codes.delete(k);
    for (const [k, v] of this.accessTokens) if (v.expiresAt + 3600 < now) this.accessTokens.delete(k);
    for (const [k, v] of this.refreshTokens) if (v.expiresAt < now) this.refreshTokens.delete(k);
    for (const [k, exp] of this.assertionJtis) if (exp + 600 < now) this.assertionJtis.delete(k);
    for (const [k, v] of this.sessions) if (v.expiresAt < now) this.sessions.delete(k);
    for (const [k, v] of this.pending) if (v.expiresAt < now) this.pending.delete(k);
  }

  reset(): void {
    this.codes.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.assertionJtis.clear();
    this.metadata.clear();
    this.sessions.clear();
    this.pending.clear();
    this.armed.length = 0;
    this.armedUsersV2.length = 0;
    this.opaqueAccessTokens.clear();
    this.events.length = 0;
  }
}
