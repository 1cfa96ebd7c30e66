/**
 * Parse a query string or form body (fast-querystring, as Fastify and @fastify/formbody do) into
 * strings that share no memory with the request. V8 makes a parsed value a slice of the whole
 * body, which keeps the body alive as long as the value is: a `state` or `nonce` kept in a code
 * record would otherwise pin a 256 kB body for as long as the record lives, while its store
 * counts a few bytes. Used as the simulator's `querystringParser` and formbody `parser`.
 *
 * @example
 * ```ts
 * parseDetached("state=abc&scope=openid%20profile") // { state: "abc", scope: "openid profile" }
 * ```
 */
import { parse } from "fast-querystring";

/** V8 makes no slice shorter than this. */
const SLICE_MIN = 13;

/** A copy of `s` in memory of its own (UTF-16 code units copied exactly). */
function detach(s: string): string {
  return s.length < SLICE_MIN ? s : Buffer.from(s, "utf16le").toString("utf16le");
}

export function parseDetached(input: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [k, v] of Object.entries(parse(input) as Record<string, string | string[]>)) {
    out[detach(k)] = Array.isArray(v) ? v.map(detach) : detach(v);
  }
  return out;
}
