/**
 * Decode a compact JWT without verifying it, never throwing: checks report what they saw.
 *
 * @example
 * ```ts
 * const d = decodeJwtSafely(token)
 * if (d.ok) d.header.alg
 * else d.error // "not three base64url segments"
 * ```
 */
import { decodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from "jose";

export type DecodedJwt =
  | { ok: true; header: ProtectedHeaderParameters; payload: JWTPayload; signature: string }
  | { ok: false; error: string };

export function decodeJwtSafely(token: unknown): DecodedJwt {
  if (typeof token !== "string") return { ok: false, error: "not a string" };
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, error: `expected 3 dot-separated segments, found ${parts.length}` };
  try {
    return { ok: true, header: decodeProtectedHeader(token), payload: decodeJwt(token), signature: parts[2]! };
  } catch (err) {
    return { ok: false, error: `does not decode as a JWT (${(err as Error).message})` };
  }
}
