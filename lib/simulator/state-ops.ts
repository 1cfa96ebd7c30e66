/**
 * Every way the simulator's routes read or change its state, as named operations that each run
 * whole: a check and the change it guards (a code redeemed once, a `jti` used once, an armed
 * scenario taken once) are one operation, never a read and a write apart. With one process the
 * routes call them on the state directly; with `--workers` the one process that owns the state
 * runs them for every worker (lib/simulator/workers/), so the rules hold across workers too.
 * What an operation returns is the routes' to read, never to change: a worker gets a copy.
 *
 * @example
 * ```ts
 * const ops = stateOps(new SimulatorState())
 * await ops.claim("assertionJtis", `${clientId} ${jti}`, exp) // true the first time, false on a replay
 * ```
 */
import type { AgeGrantRequest } from "./age-grant.ts";
import { ageGrant } from "./age-grant.ts";
import type {
  AccessTokenRecord,
  ArmedCallFault,
  ArmedScenario,
  CodeRecord,
  Dropped,
  Grant,
  IdTokenRecord,
  RefreshRecord,
  SessionRecord,
  SimulatorEvent,
  SimulatorState,
  StoreName,
  TakenCallFaults,
} from "./state.ts";
import type { SimulatorLimits } from "./limits.ts";
import type { BoundedStore } from "./bounded-store.ts";

/** The value each store keeps. */
export interface StoreValues {
  codes: CodeRecord;
  accessTokens: AccessTokenRecord;
  refreshTokens: RefreshRecord;
  assertionJtis: number;
  metadata: string;
  sessions: SessionRecord;
  pending: { params: Record<string, string>; expiresAt: number };
  opaqueAccessTokens: string;
  provisionRequests: number;
  idTokens: IdTokenRecord;
  loginAssertions: number;
}

/** A code as redeemed: its grant and expiry, and whether it had been redeemed before. */
export interface Redemption {
  grant: Grant;
  expiresAt: number;
  /** It had been redeemed before: a replay. */
  replayed: boolean;
}

/** What the control channel's events request returns. */
export interface EventLog {
  events: SimulatorEvent[];
  dropped: Dropped;
  eventLogBytes: number;
  limits: Readonly<SimulatorLimits>;
}

/** The operations; each answers a promise (a worker's comes from the state's owner), so routes always `await`. */
export interface StateOps {
  get<S extends StoreName>(store: S, key: string): Promise<StoreValues[S] | undefined>;
  set<S extends StoreName>(store: S, key: string, value: StoreValues[S]): Promise<void>;
  delete(store: StoreName, key: string): Promise<void>;
  /** Set `key` only if the store does not hold it: true when this call set it (a first use). */
  claim<S extends StoreName>(store: S, key: string, value: StoreValues[S]): Promise<boolean>;
  /** Remove `key` and return what it held. */
  take<S extends StoreName>(store: S, key: string): Promise<StoreValues[S] | undefined>;
  /**
   * Set `key` to the time `now` (s) unless it holds a time less than `seconds` before it; return
   * what it held. One request in a window is stamped, whichever comes first (Provision Account's
   * 7 days); `seconds` 0 always stamps.
   */
  stampUnlessWithin(store: "provisionRequests", key: string, now: number, seconds: number): Promise<number | undefined>;
  /**
   * Redeem an authorization code: mark it used and say whether it was already. A replay with
   * `revokeOnReplay` revokes every token the code produced, and any it produces later.
   */
  redeemCode(code: string, revokeOnReplay: boolean): Promise<Redemption | undefined>;
  /**
   * Note tokens descended from `code` (its exchange, or a refresh of its chain), the newest 100 of
   * each kind; when the code was replayed meanwhile they are revoked at once.
   */
  noteIssued(code: string, accessJti: string, refreshToken: string): Promise<void>;
  /** Supersede a refresh token (rotation): true when it was still valid and this call ended it. */
  supersedeRefresh(token: string): Promise<boolean>;
  revokeAccessToken(jti: string): Promise<void>;
  /** The scenario armed for the next sign-in of `clientId`, taken (or counted, for a share). */
  takeScenario(clientId: string): Promise<ArmedScenario | undefined>;
  /** The per-call faults armed for this request of `clientId`, each counted one request down. */
  takeCallFaults(clientId: string, on: ArmedCallFault["on"]): Promise<TakenCallFaults>;
  arm(scenario: ArmedScenario | undefined, perCall: ArmedCallFault[]): Promise<void>;
  age(request: AgeGrantRequest): Promise<boolean>;
  reset(): Promise<void>;
  record(event: SimulatorEvent): Promise<SimulatorEvent>;
  events(since: number): Promise<EventLog>;
}

/** Names of {@link StateOps}, for the workers' messages. */
export const STATE_OP_NAMES = [
  "get",
  "set",
  "delete",
  "claim",
  "take",
  "stampUnlessWithin",
  "redeemCode",
  "noteIssued",
  "supersedeRefresh",
  "revokeAccessToken",
  "takeScenario",
  "takeCallFaults",
  "arm",
  "age",
  "reset",
  "record",
  "events",
] as const satisfies readonly (keyof StateOps)[];

/**
 * How many tokens of each kind a code's record remembers for revoking them on a replay: the newest
 * 100, so a client refreshing in a loop cannot grow one record without end. Older refresh tokens
 * are superseded by rotation anyway; an access token more than 100 refreshes old (and younger than
 * its 5 minutes) is the one thing a replay then leaves valid.
 */
const MAX_ISSUED = 100;

/** The operations on `state`, run at once. */
export function stateOps(state: SimulatorState): StateOps {
  const store = <S extends StoreName>(name: S) => state[name] as unknown as BoundedStore<string, StoreValues[S]>;
  const revokeAccess = (jti: string) => {
    const at = state.accessTokens.get(jti);
    if (at) at.revoked = true;
  };
  const invalidateRefresh = (token: string) => {
    const r = state.refreshTokens.get(token);
    if (r) r.invalid = true;
  };
  return {
    get: async (name, key) => store(name).get(key),
    set: async (name, key, value) => void store(name).set(key, value),
    delete: async (name, key) => void store(name).delete(key),
    claim: async (name, key, value) => {
      const s = store(name);
      if (s.has(key)) return false;
      s.set(key, value);
      return true;
    },
    take: async (name, key) => {
      const s = store(name);
      const value = s.get(key);
      if (value !== undefined) s.delete(key);
      return value;
    },
    stampUnlessWithin: async (name, key, now, seconds) => {
      const s = store(name);
      const before = s.get(key);
      if (before === undefined || now - before >= seconds) s.set(key, now);
      return before;
    },
    redeemCode: async (code, revokeOnReplay) => {
      const record = state.codes.get(code);
      if (!record) return undefined;
      const replayed = record.used;
      record.used = true;
      if (replayed && revokeOnReplay) {
        record.replayed = true;
        record.issued.accessJtis.forEach(revokeAccess);
        record.issued.refreshTokens.forEach(invalidateRefresh);
      }
      return { grant: record.grant, expiresAt: record.expiresAt, replayed };
    },
    noteIssued: async (code, accessJti, refreshToken) => {
      const record = state.codes.get(code);
      if (!record) return;
      if (record.replayed) {
        revokeAccess(accessJti);
        invalidateRefresh(refreshToken);
      }
      keepNewest(record.issued.accessJtis, accessJti);
      keepNewest(record.issued.refreshTokens, refreshToken);
    },
    supersedeRefresh: async (token) => {
      const r = state.refreshTokens.get(token);
      if (!r || r.invalid) return false;
      r.invalid = true;
      return true;
    },
    revokeAccessToken: async (jti) => revokeAccess(jti),
    takeScenario: async (clientId) => state.takeScenario(clientId),
    takeCallFaults: async (clientId, on) => state.takeCallFaults(clientId, on),
    arm: async (scenario, perCall) => state.arm(scenario, perCall),
    age: async (request) => ageGrant(state, request),
    reset: async () => state.reset(),
    record: async (event) => state.record(event),
    events: async (since) => ({
      events: state.events.filter((e) => e.at >= since),
      dropped: state.dropped,
      eventLogBytes: state.eventLogBytes,
      limits: state.limits,
    }),
  };
}

function keepNewest(list: string[], value: string): void {
  list.push(value);
  if (list.length > MAX_ISSUED) list.splice(0, list.length - MAX_ISSUED);
}
