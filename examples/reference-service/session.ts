/**
 * Server-side sessions and sign-in transactions, kept in memory and referenced by random,
 * HttpOnly cookies. NHS login manages no session for the service (SESSION-01), so the service
 * enforces the rules itself: a full sign-in again after 30 minutes without activity (SESSION-04)
 * and after 12 hours in all (SESSION-05).
 *
 * @example
 * ```ts
 * const sessions = new SessionStore(clock)
 * const id = sessions.create({ sub, vot })
 * sessions.touch(id) // undefined once idle for 30 min or older than 12 h
 * ```
 */
import { randomBytes } from "node:crypto";

export const IDLE_TIMEOUT_SECONDS = 30 * 60;
export const ABSOLUTE_TIMEOUT_SECONDS = 12 * 60 * 60;
/** How long a started sign-in may take before its callback is refused. */
export const TRANSACTION_SECONDS = 10 * 60;
/** Upper bound on stored entries, so that unauthenticated traffic cannot exhaust memory. */
const MAX_ENTRIES = 10_000;

/** The time in seconds. Tests move it forward through the test-clock hook; nothing else does. */
export class Clock {
  private offset = 0;
  now(): number {
    return Math.floor(Date.now() / 1000) + this.offset;
  }
  advance(seconds: number): void {
    this.offset += seconds;
  }
}

/** What the service remembers between /login and /callback, bound to the browser by a cookie. */
export interface Transaction {
  state: string;
  nonce: string;
  vtr: string[];
  /** A step-up: the sub of the signed-in person whose session it raises (STEPUP-05). */
  stepUpOf?: string;
}

export interface Person {
  sub: string;
  vot: string;
  name?: string;
  nhsNumber?: string;
  /** TEST ONLY (the tokens-on-page switch): the raw ID token, shown on the account page. */
  exposedIdToken?: string;
}

interface Session {
  person: Person;
  createdAt: number;
  lastSeenAt: number;
}

/** A bounded map whose oldest entries are dropped first. */
class BoundedMap<V> extends Map<string, V> {
  override set(key: string, value: V): this {
    if (this.size >= MAX_ENTRIES) this.delete(this.keys().next().value!);
    return super.set(key, value);
  }
}

const newId = () => randomBytes(32).toString("base64url");

export class TransactionStore {
  private readonly entries = new BoundedMap<Transaction & { expiresAt: number }>();
  /** `reusable` is TEST ONLY (REFERENCE_SERVICE_UNSAFE=single-use-transaction). */
  constructor(
    private readonly clock: Clock,
    private readonly reusable = false,
  ) {}

  create(txn: Transaction): string {
    const id = newId();
    this.entries.set(id, { ...txn, expiresAt: this.clock.now() + TRANSACTION_SECONDS });
    return id;
  }

  /** Take the transaction: it can be used once only, so a replayed callback finds nothing. */
  take(id: string | undefined): Transaction | undefined {
    if (!id) return undefined;
    const txn = this.entries.get(id);
    if (!this.reusable) this.entries.delete(id);
    return txn && txn.expiresAt > this.clock.now() ? txn : undefined;
  }
}

export class SessionStore {
  private readonly entries = new BoundedMap<Session>();
  /** `unlimited` is TEST ONLY (REFERENCE_SERVICE_UNSAFE=session-limits). */
  constructor(
    private readonly clock: Clock,
    private readonly unlimited = false,
  ) {}

  create(person: Person): string {
    const id = newId();
    const now = this.clock.now();
    this.entries.set(id, { person, createdAt: now, lastSeenAt: now });
    return id;
  }

  /**
   * The person of a live session, recording the activity; `undefined` (and the session is
   * destroyed) once it has been idle for 30 minutes or has lasted 12 hours.
   */
  touch(id: string | undefined): { person?: Person; expired: boolean } {
    const session = id ? this.entries.get(id) : undefined;
    if (!session) return { expired: false };
    const now = this.clock.now();
    if (!this.unlimited && (now - session.lastSeenAt >= IDLE_TIMEOUT_SECONDS || now - session.createdAt >= ABSOLUTE_TIMEOUT_SECONDS)) {
      this.entries.delete(id!);
      return { expired: true };
    }
    session.lastSeenAt = now;
    return { person: session.person, expired: false };
  }

  destroy(id: string | undefined): void {
    if (id) this.entries.delete(id);
  }
}
