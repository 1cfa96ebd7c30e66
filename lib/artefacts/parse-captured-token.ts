/**
 * Turn the text of a captured `*.jwt` file into a decoded (not verified) token, or the reason it
 * is not one. Surrounding whitespace is ignored; anything else must be one compact JWS.
 *
 * @example
 * ```ts
 * parseCapturedToken("eyJ...\n", "id_token.jwt") // { state: "ok", file, value: { raw, header, payload } }
 * parseCapturedToken("{}", "id_token.jwt")       // { state: "unreadable", file, reason: "id_token.jwt is not a compact JWT: ..." }
 * ```
 */
import { decodeJwtSafely } from "../jose/decode-jwt.ts";
import type { Artefact, CapturedToken } from "./types.ts";

export function parseCapturedToken(text: string, file: string): Artefact<CapturedToken> {
  const raw = text.trim();
  if (raw.length === 0) return { state: "unreadable", file, reason: `${file} is empty` };
  if (/\s/.test(raw)) return { state: "unreadable", file, reason: `${file} is not a compact JWT: it holds whitespace inside the token` };
  const decoded = decodeJwtSafely(raw);
  if (!decoded.ok) return { state: "unreadable", file, reason: `${file} is not a compact JWT: ${decoded.error}` };
  return { state: "ok", file, value: { raw, header: decoded.header, payload: decoded.payload } };
}
