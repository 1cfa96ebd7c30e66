/**
 * Remove the signature of a compact JWS/JWT so it cannot be replayed, keeping the header and
 * payload readable. Strings that are not a JWS (header and payload must decode to JSON objects),
 * and JWTs without a signature, are returned unchanged.
 *
 * @example
 * ```ts
 * redactJwt("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmMifQ.c2lnbmF0dXJl")
 * // "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmMifQ.<signature removed>"
 * redactJwt("1.2.3") // "1.2.3"
 * ```
 */
import { isCompactJws, SIGNATURE_REMOVED } from "./_jwt.ts";

export function redactJwt(token: string): string {
  if (!isCompactJws(token)) return token;
  const end = token.lastIndexOf(".");
  if (end === token.length - 1) return token;
  return `${token.slice(0, end)}.${SIGNATURE_REMOVED}`;
}
