/**
 * How much the simulator keeps in memory. Every store (codes, tokens, client-assertion `jti`s,
 * sessions, ...) is bounded by time (its entries expire), by a count and by an estimate of its
 * bytes; past either bound the least recently used entry goes first, and the simulator counts
 * what it dropped (`dropped` in `GET /__control/events`). The event log is bounded by a count and
 * by bytes, oldest first, and each event by {@link EVENT_BOUNDS} before it is kept.
 *
 * Bytes are estimates: JSON characters of keys and values, not heap. lru-cache reserves room for
 * every entry up front (about 24 bytes an entry a store: some 190 MB for the eight stores at a
 * million entries each). The defaults hold a full default conformance run many times over, and
 * kept a standalone simulator at 173 MiB after 100,000 mixed requests (bench figure 7); raise them
 * for a long run that must remember more (SIMULATOR_STORE_ENTRIES, SIMULATOR_STORE_MB,
 * SIMULATOR_EVENT_LOG_ENTRIES, SIMULATOR_EVENT_LOG_MB).
 *
 * @example
 * ```ts
 * const sim = await startSimulator({ limits: { storeEntries: 200_000, eventLogEntries: 20_000 } })
 * ```
 */
export interface SimulatorLimits {
  /** Entries each store keeps at most (default 20,000). */
  storeEntries: number;
  /** Estimated bytes each store keeps at most (default 16 MiB): keys and values as JSON. */
  storeBytes: number;
  /** Events the log keeps at most (default 2,000). */
  eventLogEntries: number;
  /** Bytes of JSON the event log keeps at most (default 8 MiB). */
  eventLogBytes: number;
}

export const DEFAULT_LIMITS: Readonly<SimulatorLimits> = Object.freeze({
  storeEntries: 20_000,
  storeBytes: 16 * 1024 * 1024,
  eventLogEntries: 2_000,
  eventLogBytes: 8 * 1024 * 1024,
});

/** What one event may hold once bounded (see bound-for-record.ts). */
export const EVENT_BOUNDS = Object.freeze({
  /** Objects and arrays nested deeper than this are replaced by a note. */
  maxDepth: 10,
  /** Longer strings are cut, with their length noted. */
  maxString: 2048,
  /** Longer keys are cut. */
  maxKey: 128,
  /** Members of one object or items of one array kept; the rest are counted. */
  maxEntries: 64,
  /** Characters of strings and keys one event keeps in all; past it, values are left out. */
  maxChars: 16 * 1024,
});
