/**
 * Create the harness HTTP client, built on an undici `Agent`. Every request has a hard deadline
 * (connect, headers and body), a response size cap, TLS verification that cannot be turned off,
 * and no redirect following: a 3xx comes back as it is. Failures become typed harness errors, and
 * every exchange is captured for reports.
 *
 * @example
 * ```ts
 * const client = createHttpClient({ timeoutMs: 5000, ca: extraCaPem })
 * const res = await client.request({ method: "GET", url: `${issuer}/.well-known/openid-configuration` })
 * const metadata = res.json<{ token_endpoint: string }>()
 * await client.close()
 * ```
 */
import { rootCertificates } from "node:tls";
import { Agent, request } from "undici";
import { HttpInvalidJsonError, HttpResponseTooLargeError } from "../errors/index.ts";
import type { Exchange } from "./exchange.ts";
import type { HttpClient, HttpRequest, HttpResponse } from "./types.ts";
import { captureBody, flattenHeaders, prepareRequest, readUpTo } from "./_internal.ts";
import { toHarnessError } from "./_map-error.ts";
import { redactText } from "./redact-text.ts";

export interface HttpClientOptions {
  /** Deadline per request in milliseconds, covering connect, headers and body. Default 10000. */
  timeoutMs?: number;
  /** Largest response body accepted, in bytes. Default 5 MiB. */
  maxResponseBytes?: number;
  /** Extra CA certificates (PEM) to trust in addition to Node's built-in roots. */
  ca?: string | readonly string[];
  /** Called with each finished exchange; errors it throws become process warnings. */
  onExchange?: (exchange: Exchange) => void;
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxResponseBytes ?? 5 * 1024 * 1024;
  const extraCa = options.ca === undefined ? [] : typeof options.ca === "string" ? [options.ca] : [...options.ca];
  const agent = new Agent({
    connect: {
      rejectUnauthorized: true,
      timeout: timeoutMs,
      ...(extraCa.length > 0 ? { ca: [...rootCertificates, ...extraCa] } : {}),
    },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const exchanges: Exchange[] = [];

  function record(exchange: Exchange): void {
    exchanges.push(exchange);
    try {
      options.onExchange?.(exchange);
    } catch (err) {
      process.emitWarning(`onExchange hook failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async function send(req: HttpRequest): Promise<HttpResponse> {
    const { method, url, headers, body } = prepareRequest(req);
    const started = performance.now();
    const exchange: Exchange = {
      request: { method, url: url.href, headers, body: captureBody(body) },
      startedAt: new Date().toISOString(),
      durationMs: 0,
    };
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error("deadline passed")), timeoutMs);
    try {
      const res = await request(url, {
        dispatcher: agent,
        method,
        headers,
        body,
        signal: deadline.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      res.body.on("error", () => {}); // errors surface through the read below; never let one go unhandled
      const responseHeaders = flattenHeaders(res.headers);
      exchange.response = { status: res.statusCode, headers: responseHeaders };
      const { data, complete } = await readUpTo(res.body, maxBytes, responseHeaders["content-length"]);
      const text = data.toString("utf8");
      if (!complete) {
        exchange.response.body = captureBody(text, `stopped reading: body larger than ${maxBytes} bytes`);
        throw new HttpResponseTooLargeError(url.href, maxBytes);
      }
      exchange.response.body = captureBody(text);
      const durationMs = Math.round(performance.now() - started);
      return {
        status: res.statusCode,
        headers: responseHeaders,
        text,
        url: url.href,
        durationMs,
        json<T>(): T {
          try {
            return JSON.parse(text) as T;
          } catch (err) {
            // The parser's message may quote the body, so it is redacted like any report text.
            throw new HttpInvalidJsonError(url.href, text === "" ? "empty body" : redactText((err as Error).message));
          }
        },
      };
    } catch (err) {
      const error = toHarnessError(err, url, timeoutMs, deadline.signal.aborted);
      exchange.error = { code: error.code, message: error.message };
      throw error;
    } finally {
      clearTimeout(timer);
      exchange.durationMs = Math.round(performance.now() - started);
      record(exchange);
    }
  }

  return {
    request: send,
    exchanges,
    recordExchange: record,
    close: () => agent.close(),
  };
}
