/**
 * The embedded simulator (and a local test environment) serves plain http on loopback, which no
 * real NHS login environment does. Schemas demand https; to keep schema findings about the shape
 * of a payload rather than about the local transport, URL members on loopback are shown to the
 * schema as https (the transport itself is reported separately, as a warning).
 *
 * @example
 * ```ts
 * withLoopbackAsHttps({ iss: "http://127.0.0.1:9000", sub: "x" }, ["iss"]) // { iss: "https://127.0.0.1:9000", sub: "x" }
 * ```
 */
import { isLoopbackHost } from "../../http/is-loopback-host.ts";
import { isObject } from "../../json/is-object.ts";

/** True when `value` is an http:// URL on a loopback host. */
export function isLoopbackHttp(value: unknown): boolean {
  if (typeof value !== "string" || !value.startsWith("http://")) return false;
  try {
    return isLoopbackHost(new URL(value).hostname);
  } catch {
    return false;
  }
}

/** A shallow copy of `payload` where the named members, if loopback http URLs, say https instead. */
export function withLoopbackAsHttps(payload: unknown, members: readonly string[]): unknown {
  if (!isObject(payload)) return payload;
  const copy: Record<string, unknown> = { ...payload };
  for (const m of members) {
    const v = copy[m];
    if (typeof v === "string" && isLoopbackHttp(v)) copy[m] = `https://${v.slice("http://".length)}`;
  }
  return copy;
}
