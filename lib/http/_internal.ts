/** Private helpers for the HTTP client: request preparation, header flattening, capped reading. */
import type { Readable } from "node:stream";
import { EXCHANGE_BODY_LIMIT } from "./exchange.ts";
import type { FormValues, HttpRequest } from "./types.ts";

export interface PreparedRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

function appendAll(params: URLSearchParams, values: FormValues): void {
  for (const [name, value] of Object.entries(values)) {
    for (const v of typeof value === "string" ? [value] : value) params.append(name, v);
  }
}

/** Resolve the URL, query, headers (lower-cased) and body of a request. Throws TypeError on misuse. */
export function prepareRequest(req: HttpRequest): PreparedRequest {
  const url = new URL(req.url);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new TypeError(`unsupported URL scheme ${url.protocol}`);
  if (req.query) appendAll(url.searchParams, req.query);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers ?? {})) headers[name.toLowerCase()] = value;

  const given = [req.form !== undefined, req.json !== undefined, req.body !== undefined].filter(Boolean).length;
  if (given > 1) throw new TypeError("give at most one of form, json and body");
  let body: string | undefined = req.body;
  let type: string | undefined;
  if (req.form !== undefined) {
    const params = new URLSearchParams();
    appendAll(params, req.form);
    body = params.toString();
    type = "application/x-www-form-urlencoded";
  } else if (req.json !== undefined) {
    body = JSON.stringify(req.json);
    type = "application/json";
  }
  if (type && headers["content-type"] === undefined) headers["content-type"] = type;
  return { method: req.method.toUpperCase(), url, headers, body };
}

/** Undici's header record flattened to strings; `set-cookie` values joined with a newline. */
export function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    flat[key] = Array.isArray(value) ? value.join(key === "set-cookie" ? "\n" : ", ") : value;
  }
  return flat;
}

/** A body shortened for an exchange capture, with a note saying so. */
export function captureBody(text: string | undefined, note?: string): string | undefined {
  if (text === undefined) return undefined;
  if (text.length <= EXCHANGE_BODY_LIMIT && !note) return text;
  return `${text.slice(0, EXCHANGE_BODY_LIMIT)}\n[${note ?? `truncated: ${text.length} characters in total`}]`;
}

/**
 * Read `body` until it ends or passes `maxBytes`. On passing the cap (or a larger declared
 * `content-length`) the stream is destroyed and `complete` is false; `data` holds what was read.
 */
export async function readUpTo(
  body: Readable,
  maxBytes: number,
  declaredLength: string | undefined,
): Promise<{ data: Buffer; complete: boolean }> {
  if (declaredLength !== undefined && Number(declaredLength) > maxBytes) {
    body.destroy();
    return { data: Buffer.alloc(0), complete: false };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (size + chunk.length > maxBytes) {
      chunks.push(chunk.subarray(0, maxBytes - size));
      body.destroy();
      return { data: Buffer.concat(chunks), complete: false };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { data: Buffer.concat(chunks, size), complete: true };
}
