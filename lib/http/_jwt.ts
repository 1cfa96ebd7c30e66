/** Private: recognising compact JWS/JWT strings. */

export const SIGNATURE_REMOVED = "<signature removed>";

/**
 * Candidate compact JWS inside text: three base64url runs joined by dots, not part of a longer
 * dotted run (so `a.b.c.d` is never cut into a three-part candidate). The signature must be
 * non-empty, which also keeps already redacted output (`h.p.<signature removed>`) stable.
 */
export const JWS_IN_TEXT = /(?<![A-Za-z0-9_.-])[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+(?![A-Za-z0-9_-])(?!\.[A-Za-z0-9_-])/g;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function decodesToObject(segment: string): boolean {
  if (!BASE64URL.test(segment)) return false;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** True for `header.payload.signature` where header and payload decode to JSON objects. */
export function isCompactJws(value: string): boolean {
  const parts = value.split(".");
  if (parts.length !== 3) return false;
  const [header, payload, signature] = parts as [string, string, string];
  return (signature === "" || BASE64URL.test(signature)) && decodesToObject(header) && decodesToObject(payload);
}
