/**
 * The back-channel requests of the code flow as the harness's own client makes them: endpoint
 * look-up from discovery, unattended authorization requests (for requests refused before any
 * sign-in), token requests authenticated with a fresh `private_key_jwt` assertion, and UserInfo
 * calls. Every answer comes back parsed, never thrown, so checks can judge it.
 *
 * @example
 * ```ts
 * const answer = await tokenRequest(env, { grant_type: "authorization_code", code, redirect_uri })
 * const info = await userinfoRequest(env, { accessToken, where: "header" })
 * ```
 */
import type { KeyObject } from "node:crypto";
import { createClientAssertion } from "../../jose/create-client-assertion.ts";
import type { FormValues } from "../../http/index.ts";
import type { EnvironmentContext } from "../environment/environment-check.ts";
import type { AuthorizeAnswer, TokenAnswer } from "./rules.ts";
import type { UserinfoAnswer } from "./userinfo.ts";
import { CLIENT_ASSERTION_TYPE } from "../../nhs/constants.ts";

export type EndpointMember = "authorization_endpoint" | "token_endpoint" | "userinfo_endpoint" | "jwks_uri";

/** An endpoint URL from discovery; throws with the reason when discovery lacks it. */
export async function endpointOf(env: EnvironmentContext, member: EndpointMember): Promise<string> {
  const value = (await env.discovery())[member];
  if (typeof value !== "string" || value.length === 0) throw new Error(`discovery names no ${member}`);
  return value;
}

/** The harness client, or a clear error when it is not configured. */
export function harnessOf(env: EnvironmentContext): NonNullable<EnvironmentContext["harness"]> {
  if (!env.harness) throw new Error("no harness client configured");
  return env.harness;
}

/**
 * GET the authorization endpoint without a person (requests refused before sign-in need none)
 * and report the status, Location and cookies set; redirects are never followed. `cookie` sends
 * a session back (the single sign-on probe).
 */
export async function unattendedAuthorize(env: EnvironmentContext, query: FormValues, cookie?: string): Promise<AuthorizeAnswer> {
  const url = await endpointOf(env, "authorization_endpoint");
  const res = await env.http.request({ method: "GET", url, query, ...(cookie ? { headers: { cookie } } : {}) });
  const set = res.headers["set-cookie"];
  return {
    status: res.status,
    url: res.url,
    ...(res.headers.location !== undefined ? { location: res.headers.location } : {}),
    ...(set
      ? {
          setCookie: set
            .split("\n")
            .map((c) => c.split(";")[0])
            .join("; "),
        }
      : {}),
  };
}

/** POST to the token endpoint with a fresh client assertion added to `form`. */
export async function tokenRequest(
  env: EnvironmentContext,
  form: Record<string, string>,
  /** Another client of the harness to authenticate as (default: the harness's own). */
  as?: { clientId: string; privateKey: KeyObject },
): Promise<TokenAnswer & { text: string }> {
  const client = as ?? harnessOf(env);
  const tokenEndpoint = await endpointOf(env, "token_endpoint");
  const assertion = await createClientAssertion({ clientId: client.clientId, privateKey: client.privateKey, audience: tokenEndpoint });
  const res = await env.http.request({
    method: "POST",
    url: tokenEndpoint,
    form: { ...form, client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion },
  });
  return { status: res.status, headers: res.headers, text: res.text, body: parseJson(res.text) };
}

/** Redeem an authorization code sent to the harness's redirect URI. */
export function exchangeCode(env: EnvironmentContext, code: string): Promise<TokenAnswer & { text: string }> {
  return tokenRequest(env, { grant_type: "authorization_code", code, redirect_uri: harnessOf(env).redirectUri });
}

/** Use a refresh token, optionally asking for `scope`. */
export function refreshRequest(env: EnvironmentContext, refreshToken: string, scope?: string): Promise<TokenAnswer & { text: string }> {
  return tokenRequest(env, { grant_type: "refresh_token", refresh_token: refreshToken, ...(scope !== undefined ? { scope } : {}) });
}

export interface UserinfoRequest {
  /** The token to present (absent: no token at all). */
  accessToken?: string;
  /** Where the token goes: the Authorization header (default) or only the query. */
  where?: "header" | "query";
  method?: "GET" | "POST" | "PATCH";
  /** JSON body (PATCH). */
  json?: unknown;
}

/** Call the UserInfo endpoint. */
export async function userinfoRequest(env: EnvironmentContext, r: UserinfoRequest): Promise<UserinfoAnswer> {
  const url = await endpointOf(env, "userinfo_endpoint");
  const where = r.where ?? "header";
  const res = await env.http.request({
    method: r.method ?? "GET",
    url,
    ...(r.accessToken !== undefined && where === "header" ? { headers: { authorization: `Bearer ${r.accessToken}` } } : {}),
    ...(r.accessToken !== undefined && where === "query" ? { query: { access_token: r.accessToken } } : {}),
    ...(r.json !== undefined ? { json: r.json } : {}),
  });
  return { status: res.status, headers: res.headers, text: res.text, body: parseJson(res.text) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
