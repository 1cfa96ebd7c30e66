/**
 * A JWT a client sent, decoded for the event log: its header and claims, never the signature. A
 * value longer than the longest assertion the simulator accepts is not decoded at all (its
 * length is recorded instead), so an oversized or deeply nested assertion costs nothing and
 * cannot reach the log whole.
 *
 * @example
 * ```ts
 * decodeForRecord(params.client_assertion)
 * // { header: { alg: "RS512", typ: "JWT" }, payload: { iss: "my-service", ... } }
 * ```
 */
import { decodeJwt, decodeProtectedHeader } from "jose";
import { MAX_ASSERTION_LENGTH } from "../client-auth.ts";

export interface RecordedJwt {
  header?: unknown;
  payload?: unknown;
  error?: string;
}

export function decodeForRecord(jwt: string): RecordedJwt {
  if (jwt.length > MAX_ASSERTION_LENGTH) {
    return { error: `not decoded: ${jwt.length} chars, over the ${MAX_ASSERTION_LENGTH}-char limit for an assertion` };
  }
  try {
    return { header: decodeProtectedHeader(jwt), payload: decodeJwt(jwt) };
  } catch {
    return { error: "not a decodable JWT" };
  }
}
