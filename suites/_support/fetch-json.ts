/**
 * Fetch a JSON document through the harness HTTP client, turning every failure into a
 * `FetchedJson` with an `error` reason instead of a throw, so a check reports it.
 */
import { createHttpClient, type HttpClient } from "../../lib/http/index.ts";
import type { FetchedJson } from "../../lib/checks/discovery.ts";
import type { EnvironmentTarget } from "./target.ts";

export function httpClientFor(target: EnvironmentTarget): HttpClient {
  return createHttpClient({
    timeoutMs: target.http.timeoutMs,
    maxResponseBytes: target.http.maxResponseBytes,
    ...(target.http.ca ? { ca: target.http.ca } : {}),
  });
}

export async function fetchJson(client: HttpClient, url: string): Promise<FetchedJson> {
  try {
    const res = await client.request({ method: "GET", url });
    let body: unknown;
    try {
      body = res.json();
    } catch (err) {
      return { status: res.status, contentType: res.headers["content-type"], body: undefined, error: (err as Error).message };
    }
    return { status: res.status, contentType: res.headers["content-type"], body };
  } catch (err) {
    return { status: 0, contentType: undefined, body: undefined, error: (err as Error).message };
  }
}
