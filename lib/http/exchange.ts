/**
 * One HTTP request and what came back, as captured by the HTTP client for reports. Bodies are
 * truncated to {@link EXCHANGE_BODY_LIMIT} characters. Captures are raw: pass them through
 * `redactExchange` before writing them anywhere.
 *
 * @example
 * ```ts
 * const client = createHttpClient({ onExchange: (x) => console.log(x.request.method, x.response?.status) })
 * ```
 */

/** Longest body kept in a captured exchange, in characters. */
export const EXCHANGE_BODY_LIMIT = 64 * 1024;

export interface Exchange {
  request: {
    method: string;
    url: string;
    headers: Record<string, string>;
    body?: string;
  };
  /** Present once a status line and headers arrived, even if reading the body then failed. */
  response?: {
    status: number;
    headers: Record<string, string>;
    body?: string;
  };
  /** Present when the exchange failed: the harness error code and message. */
  error?: { code: string; message: string };
  /** ISO 8601 time the request started. */
  startedAt: string;
  durationMs: number;
}
