/** Private: turn whatever undici or Node threw into a harness error with a human reason. */
import { HarnessErrorBase, HttpConnectionError, HttpTimeoutError, type HarnessError } from "../errors/index.ts";

const TIMEOUT_CODES = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

const UNTRUSTED_CERT_CODES = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_DECRYPT_CERT_SIGNATURE",
  "CERT_SIGNATURE_FAILURE",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_REVOKED",
  "INVALID_CA",
  "INVALID_PURPOSE",
  "PATH_LENGTH_EXCEEDED",
  "CERT_CHAIN_TOO_LONG",
]);

const FIXED_REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EPIPE: "connection reset (broken pipe)",
  UND_ERR_SOCKET: "connection reset (other side closed)",
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: "connection reset (body shorter than content-length)",
  ETIMEDOUT: "connection timed out (ETIMEDOUT)",
  EHOSTUNREACH: "host unreachable (EHOSTUNREACH)",
  ENETUNREACH: "network unreachable (ENETUNREACH)",
  ERR_TLS_CERT_ALTNAME_INVALID: "TLS certificate does not match the host name (ERR_TLS_CERT_ALTNAME_INVALID)",
  CERT_HAS_EXPIRED: "TLS certificate has expired (CERT_HAS_EXPIRED)",
  CERT_NOT_YET_VALID: "TLS certificate is not yet valid (CERT_NOT_YET_VALID)",
  UND_ERR_CLOSED: "HTTP client already closed",
  UND_ERR_DESTROYED: "HTTP client already closed",
};

function reasonFor(code: string, host: string): string | undefined {
  if (FIXED_REASONS[code]) return FIXED_REASONS[code];
  if (UNTRUSTED_CERT_CODES.has(code)) return `TLS certificate not trusted (${code})`;
  if (code === "ENOTFOUND" || code.startsWith("EAI_")) return `DNS lookup failed for ${host} (${code})`;
  if (code === "EPROTO" || code.startsWith("ERR_SSL_") || code.startsWith("ERR_TLS_")) return `TLS handshake failed (${code})`;
  if (code.startsWith("HPE_")) return `invalid HTTP response (${code})`;
  return undefined;
}

/** The error and its causes, outermost first. */
function chainOf(err: unknown): { code?: unknown; name?: unknown; message?: unknown }[] {
  const chain = [];
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    chain.push(e as { code?: unknown; name?: unknown; message?: unknown });
  }
  return chain;
}

export function toHarnessError(err: unknown, url: URL, timeoutMs: number, deadlinePassed: boolean): HarnessError {
  if (err instanceof HarnessErrorBase) return err as HarnessError;
  const chain = chainOf(err);
  const codes = chain.map((e) => e.code).filter((c): c is string => typeof c === "string");
  if (deadlinePassed || codes.some((c) => TIMEOUT_CODES.has(c))) return new HttpTimeoutError(url.href, timeoutMs);
  for (const code of codes) {
    const reason = reasonFor(code, url.hostname);
    if (reason) return new HttpConnectionError(url.href, reason, { cause: err });
  }
  const parserError = chain.find((e) => e.name === "HTTPParserError");
  if (parserError) return new HttpConnectionError(url.href, `invalid HTTP response (${String(parserError.message)})`, { cause: err });
  // Duck-typed, not instanceof: errors may come from another realm (vitest vmThreads workers).
  const message = (err as { message?: unknown } | null)?.message;
  const detail = codes[0] ?? (typeof message === "string" ? message : String(err));
  return new HttpConnectionError(url.href, `request failed (${detail})`, { cause: err });
}
