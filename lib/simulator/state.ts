/**
 * Everything the simulator remembers between requests, in memory: every store bounded by time
 * (expiry, swept), count and bytes, and the event log by count and bytes (lib/simulator/limits.ts).
 */
import type { FaultId } from "./faults.ts";
import type { Persona } from "./personas.ts";
import { DEFAULT_LIMITS, type SimulatorLimits } from "./limits.ts";
import { boundedStore, type BoundedStore } from "./bounded-store.ts";
import { boundForRecord } from "./bound-for-record.ts";
import { PA_PENDING_SECONDS } from "../nhs/provision-account/codes.ts";

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
  /** How long a `slow-*` fault of this sign-in holds an answer (ms), when one is armed. */
  delayMs?: number;
}

export interface CodeRecord {
  grant: Grant;
  expiresAt: number;
  used: boolean;
  /** Redeemed again after its first redemption, and refused: what it produced, then or later, is revoked. */
  replayed?: boolean;
  /** Access-token jtis and refresh tokens issued from this code (revoked on code reuse). */
  issued: { accessJtis: string[]; refreshTokens: string[] };
}

export interface AccessTokenRecord {
  kind: "federation" | "users-v2" | "provision-account";
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
  type: "authorize" | "token" | "userinfo" | "users-v2" | "provision-account" | "attacker-fetch" | "trustmark";
  at: number;
  clientId?: string;
  /** What was received and decided; tokens and assertions are kept decoded, never raw signatures. */
  detail: Record<string, unknown>;
}

/** An armed fault waiting for the next sign-in (optionally for one client). */
export interface ArmedScenario {
  faults: FaultId[];
  persona?: string;
  /** The person completes NHS login's uplift to this level during the sign-in (same sub), as after a step-up. */
  uplift?: "P5" | "P9";
  clientId?: string;
  /** Sign-ins it applies to; `Infinity` keeps it armed until reset. */
  remaining: number;
  /** How long its `slow-*` faults hold an answer (ms). */
  delayMs?: number;
  /** A share: it applies to every `every`-th of the client's sign-ins (1 = each), counted in {@link seen}. */
  every?: number;
  /** The client's sign-ins it has seen, for {@link every}. */
  seen?: number;
}

/**
 * A consumer fault armed per call: it waits for the client's next Users V2 search or token request,
 * or its next Provision Account request or token request.
 */
export interface ArmedCallFault {
  fault: FaultId;
  /** Which request takes it. */
  on: "search" | "token" | "provision" | "pa-token";
  clientId?: string;
  /** Requests it applies to; `Infinity` keeps it armed until reset. */
  remaining: number;
  /** A share: it applies to every `every`-th of those requests (1 = each), counted in {@link seen}. */
  every?: number;
  seen?: number;
  /** How long its slow answer holds (ms), when the arm request named a `delayMs`. */
  delayMs?: number;
}

/** The per-call faults a request takes, and the `delayMs` armed with them (the last one named). */
export interface TakenCallFaults {
  faults: FaultId[];
  delayMs?: number;
}

/** Whether an armed fault with a share ({@link ArmedScenario.every}) applies to this request, counting it. */
function takesThisOne(a: { every?: number; seen?: number }): boolean {
  if (a.every === undefined || a.every <= 1) return true;
  a.seen = (a.seen ?? 0) + 1;
  return a.seen % a.every === 0;
}

/** The stores bounded by {@link SimulatorLimits}, by the name their drops are counted under. */
export const STORE_NAMES = [
  "codes",
  "accessTokens",
  "refreshTokens",
  "assertionJtis",
  "metadata",
  "sessions",
  "pending",
  "opaqueAccessTokens",
  "provisionRequests",
  "idTokens",
  "loginAssertions",
] as const;
export type StoreName = (typeof STORE_NAMES)[number];

/** What the bounds made the simulator forget since it started (or was reset). */
export type Dropped = Record<StoreName | "events" | "truncatedEvents", number>;

/** An SSO session, by its cookie. */
export interface SessionRecord {
  persona: Persona;
  vot: string;
  authTime: number;
  expiresAt: number;
}

/** An ID token the simulator issued, by its `jti`: what an `asserted_login_identity` naming it signs in again. */
export interface IdTokenRecord extends SessionRecord {
  clientId: string;
}

export class SimulatorState {
  readonly limits: Readonly<SimulatorLimits>;
  /** Entries each bound dropped: least recently used store entries, oldest events, and events cut to size. */
  readonly dropped: Dropped;
  readonly codes: BoundedStore<string, CodeRecord>;
  readonly accessTokens: BoundedStore<string, AccessTokenRecord>;
  readonly refreshTokens: BoundedStore<string, RefreshRecord>;
  /** Client-assertion jti → expiry (s), for replay protection. */
  readonly assertionJtis: BoundedStore<string, number>;
  /** client_user_metadata by `${clientId} ${sub}`. */
  readonly metadata: BoundedStore<string, string>;
  /** SSO sessions by cookie value. */
  readonly sessions: BoundedStore<string, SessionRecord>;
  /** Pending interactive sign-ins by transaction id. */
  readonly pending: BoundedStore<string, { params: Record<string, string>; expiresAt: number }>;
  readonly armed: ArmedScenario[] = [];
  readonly armedPerCall: ArmedCallFault[] = [];
  /** Opaque Users V2 access tokens a fault issued, by token: the jti of their record. */
  readonly opaqueAccessTokens: BoundedStore<string, string>;
  /** Provision Account requests accepted, by NHS number: when (s), for the 7-day pending rule (PA-20). */
  readonly provisionRequests: BoundedStore<string, number>;
  /** ID tokens issued, by jti (asserted_login_identity `code`). */
  readonly idTokens: BoundedStore<string, IdTokenRecord>;
  /** asserted_login_identity JWTs used, by `${iss} ${jti}`: their expiry (s), for single use (SSO-09). */
  readonly loginAssertions: BoundedStore<string, number>;
  readonly events: SimulatorEvent[] = [];
  /** JSON length of each kept event, in step with {@link events}. */
  private readonly eventBytes: number[] = [];
  private eventBytesTotal = 0;

  constructor(limits: Partial<SimulatorLimits> = {}) {
    this.limits = Object.freeze({ ...DEFAULT_LIMITS, ...limits });
    this.dropped = { events: 0, truncatedEvents: 0, ...Object.fromEntries(STORE_NAMES.map((n) => [n, 0])) } as Dropped;
    const store = <V extends {}>(name: StoreName) =>
      boundedStore<string, V>({ entries: this.limits.storeEntries, bytes: this.limits.storeBytes }, () => this.dropped[name]++);
    this.codes = store("codes");
    this.accessTokens = store("accessTokens");
    this.refreshTokens = store("refreshTokens");
    this.assertionJtis = store("assertionJtis");
    this.metadata = store("metadata");
    this.sessions = store("sessions");
    this.pending = store("pending");
    this.opaqueAccessTokens = store("opaqueAccessTokens");
    this.provisionRequests = store("provisionRequests");
    this.idTokens = store("idTokens");
    this.loginAssertions = store("loginAssertions");
  }

  /**
   * Keep `event`, bounded first (depth, string lengths, members, size: bound-for-record.ts), and
   * drop the oldest events past the log's count or bytes. Returns the event as kept.
   */
  record(event: SimulatorEvent): SimulatorEvent {
    // The whole event is bounded: a client_id of 250 kB is cut like any detail.
    const { value: bounded, truncated } = boundForRecord(event);
    if (truncated) this.dropped.truncatedEvents++;
    // Kept as a copy made from its JSON: exact bytes, and no string still sharing memory with the
    // request it was cut from (V8 keeps a sliced string's whole parent alive).
    const json = JSON.stringify(truncated ? { ...bounded, detail: { ...bounded.detail, truncated: true } } : bounded);
    const kept = JSON.parse(json) as SimulatorEvent;
    const bytes = json.length;
    this.events.push(kept);
    this.eventBytes.push(bytes);
    this.eventBytesTotal += bytes;
    let over = 0;
    let freed = 0;
    while (
      over < this.events.length - 1 &&
      (this.events.length - over > this.limits.eventLogEntries || this.eventBytesTotal - freed > this.limits.eventLogBytes)
    ) {
      freed += this.eventBytes[over]!;
      over++;
    }
    if (over > 0) {
      this.events.splice(0, over);
      this.eventBytes.splice(0, over);
      this.eventBytesTotal -= freed;
      this.dropped.events += over;
    }
    return kept;
  }

  /** Bytes of JSON the event log holds now. */
  get eventLogBytes(): number {
    return this.eventBytesTotal;
  }

  /** Arm a scenario for sign-ins and faults for calls (built and judged by armedRecords). */
  arm(scenario: ArmedScenario | undefined, perCall: readonly ArmedCallFault[]): void {
    this.armedPerCall.push(...perCall);
    if (scenario) this.armed.push(scenario);
  }

  /** Take the scenario armed for the next sign-in of `clientId`, if any. */
  takeScenario(clientId: string): ArmedScenario | undefined {
    const i = this.armed.findIndex((s) => !s.clientId || s.clientId === clientId);
    if (i < 0) return undefined;
    const s = this.armed[i]!;
    if (!takesThisOne(s)) return undefined;
    s.remaining -= 1;
    if (s.remaining <= 0) this.armed.splice(i, 1);
    return s;
  }

  /** Take the per-call faults armed for this request of `clientId` (each counts one request down). */
  takeCallFaults(clientId: string, on: ArmedCallFault["on"]): TakenCallFaults {
    const taken: TakenCallFaults = { faults: [] };
    for (const a of [...this.armedPerCall]) {
      if (a.on !== on || (a.clientId && a.clientId !== clientId)) continue;
      if (!takesThisOne(a)) continue;
      taken.faults.push(a.fault);
      if (a.delayMs !== undefined) taken.delayMs = a.delayMs;
      a.remaining -= 1;
      if (a.remaining <= 0) this.armedPerCall.splice(this.armedPerCall.indexOf(a), 1);
    }
    return taken;
  }

  /** Drop expired entries; called on a timer (the count and byte bounds hold between sweeps). */
  sweep(now: number): void {
    expire(this.codes, (v) => v.expiresAt + 3600 < now);
    expire(this.accessTokens, (v) => v.expiresAt + 3600 < now);
    expire(this.refreshTokens, (v) => v.expiresAt < now);
    expire(this.assertionJtis, (exp) => exp + 600 < now);
    expire(this.sessions, (v) => v.expiresAt < now);
    expire(this.pending, (v) => v.expiresAt < now);
    expire(this.provisionRequests, (at) => at + PA_PENDING_SECONDS < now);
    expire(this.idTokens, (v) => v.expiresAt < now);
    expire(this.loginAssertions, (exp) => exp + 600 < now);
  }

  reset(): void {
    for (const name of STORE_NAMES) this[name].clear();
    this.armed.length = 0;
    this.armedPerCall.length = 0;
    this.events.length = 0;
    this.eventBytes.length = 0;
    this.eventBytesTotal = 0;
    for (const k of Object.keys(this.dropped) as (keyof Dropped)[]) this.dropped[k] = 0;
  }
}

/** Delete the entries `isOver` says have expired (keys gathered first: no deletes while iterating). */
function expire<V extends {}>(store: BoundedStore<string, V>, isOver: (v: V) => boolean): void {
  const gone: string[] = [];
  for (const [k, v] of store) if (isOver(v)) gone.push(k);
  for (const k of gone) store.delete(k);
}
