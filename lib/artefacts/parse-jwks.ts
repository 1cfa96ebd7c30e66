/**
 * Read a captured `jwks.json`: a JSON object with a `keys` array, or the reason it is not.
 *
 * @example
 * ```ts
 * parseJwks('{"keys":[{"kty":"RSA","kid":"k1","n":"...","e":"AQAB"}]}', "jwks.json").state // "ok"
 * parseJwks("[]", "jwks.json").reason // "jwks.json is not a JWKS: ..."
 * ```
 */
import type { Artefact } from "./types.ts";

export function parseJwks(source: string, file: string): Artefact<unknown> {
  let data: unknown;
  try {
    data = JSON.parse(source);
  } catch (err) {
    return { state: "unreadable", file, reason: `${file} is not JSON (${(err as Error).message})` };
  }
  const keys = data !== null && typeof data === "object" && !Array.isArray(data) ? (data as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(keys)) return { state: "unreadable", file, reason: `${file} is not a JWKS: expected a JSON object with a keys array` };
  return { state: "ok", file, value: data };
}
