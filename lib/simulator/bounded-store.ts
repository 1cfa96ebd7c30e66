/**
 * A store of the simulator's state bounded by count and by estimated bytes (lru-cache): past
 * either bound the least recently used entry is dropped, and `onDrop` is told. Entries are also
 * swept by time (SimulatorState.sweep). The size of an entry is its key and value as JSON, with
 * personas (shared, not copied per entry) counted as nothing.
 *
 * @example
 * ```ts
 * const codes = boundedStore<string, CodeRecord>({ entries: 20_000, bytes: 16 << 20 }, () => dropped.codes++)
 * codes.set(code, record)
 * ```
 */
import { LRUCache } from "lru-cache";

export interface StoreBounds {
  entries: number;
  bytes: number;
}

/** The store type: Map-like (get, set, has, delete, clear, size, iteration from most recently used). */
export type BoundedStore<K extends {}, V extends {}> = LRUCache<K, V>;

export function boundedStore<K extends {}, V extends {}>(bounds: StoreBounds, onDrop: () => void): BoundedStore<K, V> {
  return new LRUCache<K, V>({
    max: bounds.entries,
    maxSize: bounds.bytes,
    sizeCalculation: (value, key) => Math.max(1, sizeOf(key) + sizeOf(value)),
    dispose: (_value, _key, reason) => {
      if (reason === "evict") onDrop();
    },
  });
}

function sizeOf(v: unknown): number {
  if (typeof v === "string") return v.length;
  if (typeof v === "number" || typeof v === "boolean") return 8;
  return JSON.stringify(v, (k, x) => (k === "persona" ? 0 : x))?.length ?? 0;
}
