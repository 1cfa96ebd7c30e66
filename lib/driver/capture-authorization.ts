/**
 * The authorization request a browser carried to NHS login, read from the hop that carried it: the
 * query of a GET, the form of a POST.
 *
 * @example
 * ```ts
 * const i = navigation.hops.findIndex((h) => isEndpoint(h.url, authorizationEndpoint))
 * captureAuthorization(navigation.hops[i]).params.vtr // '["P9.Cp.Cd","P9.Cp.Ck","P9.Cm"]'
 * ```
 */
import type { Hop } from "./browser.ts";

/** The authorization request as the browser carried it to NHS login. */
export interface CapturedAuthorization {
  method: "GET" | "POST";
  url: string;
  /** Parameters (query for GET, form for POST); a repeated name keeps its first value. */
  params: Record<string, string>;
  /** Names that appeared more than once. */
  repeated: string[];
  /** How the browser got to NHS login when the start URL did not send it (the link followed, the control clicked). */
  entry?: string;
}

export function captureAuthorization(hop: Hop): CapturedAuthorization {
  const entries = hop.method === "POST" && hop.form ? Object.entries(hop.form) : [...new URL(hop.url).searchParams.entries()];
  const params: Record<string, string> = {};
  const repeated = new Set<string>();
  for (const [k, v] of entries) {
    if (Object.hasOwn(params, k)) repeated.add(k);
    else params[k] = v;
  }
  return { method: hop.method, url: hop.url, params, repeated: [...repeated] };
}
