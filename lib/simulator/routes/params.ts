/**
 * Read request parameters strictly: each parameter at most once (a repeat is `invalid_request`,
 * EIS T5/T10), values as strings.
 */
import { OAuthError } from "../errors.ts";

/** Parameters from a parsed query or form body. Throws OAuthError(invalid_request) on a repeat. */
export function singleParams(source: unknown, error = "invalid_request"): Record<string, string> {
  const out: Record<string, string> = {};
  if (source === null || source === undefined || typeof source !== "object") return out;
  for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
    if (Array.isArray(value)) throw new OAuthError(error, `parameter ${safeName(key)} is repeated`);
    if (typeof value !== "string") throw new OAuthError(error, `parameter ${safeName(key)} is malformed`);
    out[key] = value;
  }
  return out;
}

/** The media type of a Content-Type header, lower case, without parameters ("" when absent). */
export function mediaTypeOf(header: string | string[] | undefined): string {
  return String(header ?? "")
    .split(";")[0]!
    .trim()
    .toLowerCase();
}

/** True when the body was not form-encoded (the catch-all parser left it unparsed). */
export function isUnparsedBody(body: unknown): boolean {
  return typeof body === "object" && body !== null && "__unparsed" in body;
}

/** A parameter name safe to echo in an ASCII error description. */
export function safeName(name: string): string {
  const clean = name.replace(/[^\x21-\x7e]/g, "?");
  return clean.length > 40 ? `${clean.slice(0, 40)}...` : clean;
}
