/**
 * Request and response shapes of the harness HTTP client.
 *
 * @example
 * ```ts
 * const res: HttpResponse = await client.request({ method: "POST", url: tokenUrl, form: { grant_type: "authorization_code", code } })
 * const tokens = res.json<{ id_token: string }>()
 * ```
 */
import type { Exchange } from "./exchange.ts";

export type FormValues = Record<string, string | readonly string[]>;

export interface HttpRequest {
  method: string;
  url: string | URL;
  headers?: Record<string, string>;
  /** Added to the URL's query string, after any parameters it already has. */
  query?: FormValues;
  /** Sent as `application/x-www-form-urlencoded`. Use at most one of `form`, `json` and `body`. */
  form?: FormValues;
  /** Serialised with `JSON.stringify` and sent as `application/json`. */
  json?: unknown;
  /** Sent as is; set `content-type` yourself. */
  body?: string;
}

export interface HttpResponse {
  status: number;
  /**
   * Header names in lower case. Repeated headers are joined with `", "`, except `set-cookie`,
   * whose values are joined with `"\n"` (a character no header value can contain).
   */
  headers: Record<string, string>;
  /** The body decoded as UTF-8. */
  text: string;
  /** The body parsed as JSON; throws `HttpInvalidJsonError` when it is not. */
  json<T = unknown>(): T;
  /** The URL requested, query included. Redirects are never followed. */
  url: string;
  durationMs: number;
}

export interface HttpClient {
  request(request: HttpRequest): Promise<HttpResponse>;
  /** Every exchange made so far, oldest first. */
  readonly exchanges: readonly Exchange[];
  /**
   * Keep an exchange another agent of the harness made (browser mode's chromium) with the
   * client's own, so reports show it in order and redact it the same way.
   */
  recordExchange(exchange: Exchange): void;
  /** Close pooled connections. Requests still in flight finish first (each has a deadline). */
  close(): Promise<void>;
}
