/**
 * Bound a value before the simulator keeps it in its event log: whatever a client sent (a
 * parameter of 200 kB, a JWT whose claims nest thousands of levels deep, a thousand parameters),
 * what is kept is plain JSON of bounded depth, width and size, so the log stays small and
 * `GET /__control/events` can always serialise it. Cut values say what was cut and how large it
 * was; `truncated` tells whether anything was.
 *
 * @example
 * ```ts
 * boundForRecord({ junk: "x".repeat(200_000) }).value
 * // { junk: "xxxx…(cut: 200000 chars)" }  (the first 2,048 characters kept)
 * ```
 */
import { EVENT_BOUNDS } from "./limits.ts";

export type RecordBounds = typeof EVENT_BOUNDS;

export interface Bounded<T> {
  value: T;
  truncated: boolean;
}

export function boundForRecord<T>(value: T, bounds: RecordBounds = EVENT_BOUNDS): Bounded<T> {
  const walk = { chars: bounds.maxChars, truncated: false };
  const cut = (note: string) => {
    walk.truncated = true;
    return `…(${note})`;
  };
  const str = (s: string, max: number): string => {
    if (walk.chars <= 0) return cut(`left out: ${s.length} chars over the event's size limit`);
    const keep = Math.min(max, walk.chars);
    walk.chars -= Math.min(s.length, keep);
    return s.length <= keep ? s : `${s.slice(0, keep)}${cut(`cut: ${s.length} chars`)}`;
  };
  const visit = (v: unknown, depth: number): unknown => {
    if (typeof v === "string") return str(v, bounds.maxString);
    if (v === null || typeof v === "number" || typeof v === "boolean" || v === undefined) return v;
    if (typeof v !== "object") return str(String(v), bounds.maxString);
    if (depth >= bounds.maxDepth) return cut(`nested deeper than ${bounds.maxDepth} levels`);
    if (walk.chars <= 0) return cut("left out: over the event's size limit");
    if (Array.isArray(v)) {
      const out = v.slice(0, bounds.maxEntries).map((x) => visit(x, depth + 1));
      if (v.length > bounds.maxEntries) out.push(cut(`${v.length - bounds.maxEntries} more items`));
      return out;
    }
    const entries = Object.entries(v as Record<string, unknown>);
    // No prototype: a member named __proto__ stays a member (and assignment is far cheaper than
    // defineProperty); the event log keeps a JSON copy, a plain object, of what this returns.
    const out = Object.create(null) as Record<string, unknown>;
    const n = Math.min(entries.length, bounds.maxEntries);
    for (let i = 0; i < n; i++) {
      const [k, x] = entries[i]!;
      out[str(k, bounds.maxKey)] = visit(x, depth + 1);
    }
    if (entries.length > bounds.maxEntries) out["…"] = cut(`${entries.length - bounds.maxEntries} more members`);
    return out;
  };
  const bounded = visit(value, 0) as T;
  return { value: bounded, truncated: walk.truncated };
}
