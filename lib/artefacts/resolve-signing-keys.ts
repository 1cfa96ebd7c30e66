/**
 * The JWKS captured tokens are verified with: `jwks.json` when the folder has one, otherwise the
 * keys the issuer named in `expected.json` publishes, found through its discovery document
 * (`<issuer>/.well-known/openid-configuration` → `jwks_uri`) with the harness HTTP client, so
 * timeouts, size caps and extra CAs apply. Fetching the JWKS is part of checking a token: when it
 * cannot be had, the reason comes back and signature checks fail with it. Never throws.
 *
 * @example
 * ```ts
 * const keys = await resolveSigningKeys({ jwks: set.jwks, expected: set.expected }, http)
 * if (keys.ok) await jwsSignatureFindings(token, keys.jwks)
 * ```
 */
import type { HttpClient } from "../http/index.ts";
import type { Artefact, ArtefactExpectations, SigningKeys } from "./types.ts";
import { isObject } from "../json/is-object.ts";

/** GET a URL and parse a JSON object, or say why not. */
async function getJson(
  http: HttpClient,
  url: string,
  what: string,
): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; reason: string }> {
  try {
    const res = await http.request({ method: "GET", url, headers: { accept: "application/json" } });
    if (res.status !== 200) return { ok: false, reason: `${what} ${url} answered HTTP ${res.status}, expected 200` };
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch {
      return { ok: false, reason: `${what} ${url} is not JSON` };
    }
    if (!isObject(body)) return { ok: false, reason: `${what} ${url} is not a JSON object` };
    return { ok: true, body };
  } catch (err) {
    return { ok: false, reason: `${what} ${url} could not be fetched: ${(err as Error).message}` };
  }
}

export async function resolveSigningKeys(
  files: { jwks: Artefact<unknown>; expected: Artefact<ArtefactExpectations> },
  http: HttpClient,
): Promise<SigningKeys> {
  const { jwks, expected } = files;
  if (jwks.state === "ok") return { ok: true, jwks: jwks.value, from: jwks.file };
  if (jwks.state === "unreadable") return { ok: false, reason: jwks.reason };
  if (expected.state !== "ok") {
    return { ok: false, reason: `${jwks.reason}, and the issuer whose JWKS to fetch is unknown: ${expected.reason}` };
  }
  const issuer = expected.value.issuer;
  let discoveryUrl: string;
  try {
    const url = new URL(issuer);
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`${url.protocol} is not http(s)`);
    discoveryUrl = `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
  } catch (err) {
    return {
      ok: false,
      reason:
        `${jwks.reason}, and the issuer ${JSON.stringify(issuer)} in expected.json ` +
        `is not an http(s) URL to fetch the JWKS from (${(err as Error).message})`,
    };
  }
  const discovery = await getJson(http, discoveryUrl, "the discovery document");
  if (!discovery.ok) return { ok: false, reason: `no jwks.json, and the JWKS could not be fetched: ${discovery.reason}` };
  const jwksUri = discovery.body.jwks_uri;
  if (typeof jwksUri !== "string")
    return { ok: false, reason: `no jwks.json, and the discovery document at ${discoveryUrl} names no jwks_uri` };
  const fetched = await getJson(http, jwksUri, "the JWKS");
  if (!fetched.ok) return { ok: false, reason: `no jwks.json, and the JWKS could not be fetched: ${fetched.reason}` };
  if (!Array.isArray(fetched.body.keys)) return { ok: false, reason: `the JWKS at ${jwksUri} has no keys array` };
  return { ok: true, jwks: fetched.body, from: jwksUri };
}
