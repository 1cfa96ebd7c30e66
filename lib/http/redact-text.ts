/**
 * Redact secrets from arbitrary text (JSON, form bodies, URLs, header values) before it is
 * written to a report:
 *
 * - PEM private key blocks, even cut short, become `[private key removed]`; private members of
 *   JWKs (`d`, `p`, `q`, `dp`, `dq`, `qi`, `k`) are removed too. This happens whatever the options.
 * - `client_secret` and `password` values are always masked.
 * - Unless `includeTokens` is set: every compact JWS loses its signature (see `redactJwt`), and
 *   values of `access_token`, `id_token`, `refresh_token`, `code` and `code_verifier` that are not
 *   JWTs are masked, in JSON members, form bodies and query strings alike.
 *
 * @example
 * ```ts
 * redactText('{"refresh_token":"abc123","scope":"openid"}')
 * // '{"refresh_token":"[redacted]","scope":"openid"}'
 * redactText("code=xyz&state=s1", { includeTokens: true }) // "code=xyz&state=s1"
 * ```
 */
import { isCompactJws, JWS_IN_TEXT } from "./_jwt.ts";
import { redactJwt } from "./redact-jwt.ts";

export interface RedactOptions {
  /** Keep JWTs whole and token values visible. Private keys, passwords and secrets are still removed. */
  includeTokens?: boolean;
}

export const MASK = "[redacted]";
export const PRIVATE_KEY_REMOVED = "[private key removed]";

const SP = "(?: |\\+|%20)"; // a space, also as written in form and URL encoding
const PEM_PRIVATE_KEY = new RegExp(
  `-----BEGIN${SP}(?:[A-Z0-9]+${SP})*PRIVATE${SP}KEY-----[\\s\\S]*?(?:-----END${SP}(?:[A-Z0-9]+${SP})*PRIVATE${SP}KEY-----|$)`,
  "g",
);
const JWK_OBJECT = /\{[^{}]*"kty"[^{}]*\}/g;
const JWK_PRIVATE_MEMBER = /"(d|p|q|dp|dq|qi|k)"(\s*:\s*)"[^"]*"/g;

const SECRET_FIELDS = ["client_secret", "password"];
const TOKEN_FIELDS = ["access_token", "id_token", "refresh_token", "code", "code_verifier"];
const FIELD_NAMES = [...SECRET_FIELDS, ...TOKEN_FIELDS].join("|");
const JSON_FIELD = new RegExp(`"(${FIELD_NAMES})"(\\s*:\\s*)"((?:[^"\\\\]|\\\\.)*)"`, "g");
// The value runs to the next separator; a colon ends it only before whitespace ("<url>: reason").
const ENCODED_FIELD = new RegExp(`(?<![^?&#;\\s])(${FIELD_NAMES})=((?:[^&#\\s"':]|:(?!\\s|$))*)`, "g");

function masks(name: string, value: string, includeTokens: boolean): boolean {
  if (value === "") return false;
  if (SECRET_FIELDS.includes(name)) return true;
  return !includeTokens && !isCompactJws(value);
}

export function redactText(text: string, options: RedactOptions = {}): string {
  const includeTokens = options.includeTokens === true;
  let out = text.replace(PEM_PRIVATE_KEY, PRIVATE_KEY_REMOVED);
  out = out.replace(JWK_OBJECT, (jwk) => jwk.replace(JWK_PRIVATE_MEMBER, `"$1"$2"${PRIVATE_KEY_REMOVED}"`));
  out = out.replace(JSON_FIELD, (all, name: string, colon: string, value: string) =>
    masks(name, value, includeTokens) ? `"${name}"${colon}"${MASK}"` : all,
  );
  out = out.replace(ENCODED_FIELD, (all, name: string, value: string) => (masks(name, value, includeTokens) ? `${name}=${MASK}` : all));
  if (!includeTokens) out = out.replace(JWS_IN_TEXT, redactJwt);
  return out;
}
