/**
 * A copy of an {@link Exchange} safe to write to a report: URL, headers, bodies and error message
 * go through `redactText`; `Authorization` keeps its scheme and a redacted JWT (or a mask), and
 * cookie values are masked while cookie names and attributes stay.
 *
 * @example
 * ```ts
 * const safe = client.exchanges.map((x) => redactExchange(x, { includeTokens: config.report.includeTokens }))
 * ```
 */
import type { Exchange } from "./exchange.ts";
import { redactText, type RedactOptions } from "./redact-text.ts";
import { redactHeaderValue } from "./_headers.ts";

function redactHeaders(headers: Record<string, string>, options: RedactOptions): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, redactHeaderValue(name, value, options)]));
}

export function redactExchange(exchange: Exchange, options: RedactOptions = {}): Exchange {
  const { request, response, error } = exchange;
  const safe: Exchange = {
    request: {
      method: request.method,
      url: redactText(request.url, options),
      headers: redactHeaders(request.headers, options),
      ...(request.body !== undefined && { body: redactText(request.body, options) }),
    },
    startedAt: exchange.startedAt,
    durationMs: exchange.durationMs,
  };
  if (response) {
    safe.response = {
      status: response.status,
      headers: redactHeaders(response.headers, options),
      ...(response.body !== undefined && { body: redactText(response.body, options) }),
    };
  }
  if (error) safe.error = { code: error.code, message: redactText(error.message, options) };
  return safe;
}
