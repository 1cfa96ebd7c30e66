/**
 * The Users V2 traffic the environment checks send (UEV2 §3.2, §3.3): the jwt-bearer token
 * request signed with the harness client's key, and searches at /v2/Users. Also where the
 * endpoints, the scopes to request and the test identities come from.
 *
 * - The token endpoint and issuer come from discovery; /v2/Users sits next to the token endpoint
 *   (`https://auth.login.nhs.uk/token` → `https://auth.login.nhs.uk/v2/Users`), since discovery
 *   does not name it.
 * - Scopes: the Users.retrieve scope plus `usersScopes`, or {@link DEFAULT_OPTIONAL_SCOPES} when
 *   none are configured (the environment suite configures every T14 scope for the simulator).
 * - Test identities: `testNhsNumber` / `testEmail` (NHSLOGIN_TEST_NHS_NUMBER / NHSLOGIN_TEST_EMAIL)
 *   and, for the two-user precedence fixture, `testNhsNumber2` / `testEmail2` when the context
 *   carries them.
 *
 * @example
 * ```ts
 * const token = await usersV2Token(env)
 * const res = await searchUsersV2(env, { filter: `nhsnumber eq "${env.testNhsNumber}"`, token: token.accessToken })
 * ```
 */
import { createClientAssertion, type ClientAssertionOptions } from "../../jose/create-client-assertion.ts";
import type { HttpResponse } from "../../http/index.ts";
import type { EnvironmentContext } from "../environment/environment-check.ts";
import { asObject, excerpt, jsonBodyOf } from "./response.ts";
import { JWT_BEARER_GRANT_TYPE } from "../../nhs/constants.ts";

/** Optional scopes requested when NHSLOGIN_USERS_SCOPES is unset. */
export const DEFAULT_OPTIONAL_SCOPES: readonly string[] = Object.freeze(["profile", "email"]);
/** A checksum-valid NHS number in the 999 test range that no test user is expected to have. */
export const PROBE_NHS_NUMBER = "9990099995";
/** Email addresses no account is expected to have (the reserved .invalid top-level domain). */
export const probeEmail = (n: number): string => `conformance-probe-${n}@example.invalid`;

export interface UsersV2Endpoints {
  issuer: string;
  tokenEndpoint: string;
  usersEndpoint: string;
  jwksUri: string | undefined;
}

/** The endpoints, from the cached discovery document. */
export async function usersV2Endpoints(env: EnvironmentContext): Promise<UsersV2Endpoints> {
  const doc = await env.discovery();
  const tokenEndpoint = doc.token_endpoint;
  if (typeof tokenEndpoint !== "string") throw new Error("discovery names no token_endpoint");
  return {
    issuer: typeof doc.issuer === "string" ? doc.issuer : env.issuer,
    tokenEndpoint,
    usersEndpoint: new URL("v2/Users", tokenEndpoint).toString(),
    jwksUri: typeof doc.jwks_uri === "string" ? doc.jwks_uri : undefined,
  };
}

/** The scopes to ask for: Users.retrieve plus the configured (or default) optional scopes. */
export function requestedUsersV2Scopes(env: EnvironmentContext): string[] {
  if (!env.usersScope) throw new Error("no Users.retrieve scope configured");
  const optional = env.usersScopes && env.usersScopes.length > 0 ? env.usersScopes : DEFAULT_OPTIONAL_SCOPES;
  return [...new Set([env.usersScope, ...optional])];
}

export interface TokenRequestOptions {
  /** The scope parameter (default: {@link requestedUsersV2Scopes}). */
  scope?: string;
  grantType?: string;
  /** A ready assertion (e.g. to replay one); otherwise a fresh one is signed. */
  assertion?: string;
  /** Changes to the fresh assertion (audience, lifetime, clock, claims, algorithm). */
  assertionOptions?: Partial<Omit<ClientAssertionOptions, "clientId" | "privateKey">>;
  /** Form parameters to leave out altogether (e.g. `scope`, to probe UEV2-TOKEN-04). */
  omit?: readonly ("assertion" | "scope")[];
  /** Extra request headers (e.g. an `Authorization: Basic` header). */
  headers?: Record<string, string>;
}

/** Sign an assertion for the harness client (RS512, iss = sub = client_id, aud = token endpoint). */
export async function signUsersV2Assertion(
  env: EnvironmentContext,
  options: TokenRequestOptions["assertionOptions"] = {},
): Promise<string> {
  if (!env.harness) throw new Error("no harness client configured");
  const { tokenEndpoint } = await usersV2Endpoints(env);
  return createClientAssertion({ clientId: env.harness.clientId, privateKey: env.harness.privateKey, audience: tokenEndpoint, ...options });
}

/** POST the jwt-bearer token request and return the raw response. */
export async function postUsersV2Token(env: EnvironmentContext, options: TokenRequestOptions = {}): Promise<HttpResponse> {
  const { tokenEndpoint } = await usersV2Endpoints(env);
  return env.http.request({
    method: "POST",
    url: tokenEndpoint,
    form: await usersV2TokenParameters(env, options),
    ...(options.headers ? { headers: options.headers } : {}),
  });
}

/** The jwt-bearer form parameters {@link postUsersV2Token} sends (a fresh assertion each call). */
export async function usersV2TokenParameters(env: EnvironmentContext, options: TokenRequestOptions = {}): Promise<Record<string, string>> {
  const omit = new Set(options.omit ?? []);
  const params: Record<string, string> = { grant_type: options.grantType ?? JWT_BEARER_GRANT_TYPE };
  if (!omit.has("assertion")) params.assertion = options.assertion ?? (await signUsersV2Assertion(env, options.assertionOptions));
  if (!omit.has("scope")) params.scope = options.scope ?? requestedUsersV2Scopes(env).join(" ");
  return params;
}

export interface UsersV2Token {
  accessToken: string;
  requestedScopes: string[];
  /** The granted scopes: the response `scope`, or the request when it has none. */
  grantedScopes: string[];
  /** The response `scope` as sent, when there was one. */
  grantedScope?: string;
}

const TOKEN_REUSE_SECONDS = 240;
const cache = new WeakMap<EnvironmentContext, Map<string, { at: number; token: Promise<UsersV2Token> }>>();

/**
 * A Users V2 access token for `scopes` (default {@link requestedUsersV2Scopes}), reused within one
 * context for up to 240 s (UEV2-GEN-05). Throws with the reason when none is issued.
 */
export async function usersV2Token(
  env: EnvironmentContext,
  scopes: readonly string[] = requestedUsersV2Scopes(env),
): Promise<UsersV2Token> {
  const key = scopes.join(" ");
  const perEnv = cache.get(env) ?? new Map<string, { at: number; token: Promise<UsersV2Token> }>();
  cache.set(env, perEnv);
  const now = Date.now() / 1000;
  const hit = perEnv.get(key);
  if (hit && now - hit.at < TOKEN_REUSE_SECONDS) return hit.token;
  const token = issue(env, scopes);
  perEnv.set(key, { at: now, token });
  token.catch(() => perEnv.delete(key));
  return token;
}

async function issue(env: EnvironmentContext, scopes: readonly string[]): Promise<UsersV2Token> {
  const res = await postUsersV2Token(env, { scope: scopes.join(" ") });
  const parsed = jsonBodyOf(res);
  const body = parsed.ok ? asObject(parsed.value) : undefined;
  if (res.status !== 200 || typeof body?.access_token !== "string") {
    throw new Error(`no Users V2 access token: the token endpoint answered HTTP ${res.status} (${excerpt(res.text)})`);
  }
  const grantedScope = typeof body.scope === "string" ? body.scope : undefined;
  return {
    accessToken: body.access_token,
    requestedScopes: [...scopes],
    grantedScopes: grantedScope !== undefined ? grantedScope.split(" ").filter((s) => s.length > 0) : [...scopes],
    ...(grantedScope !== undefined ? { grantedScope } : {}),
  };
}

export interface SearchOptions {
  /** The filter expression (URL-encoded here, spaces as %20); `undefined` sends no filter at all. */
  filter?: string;
  /** The bearer token; `null` sends no Authorization header. */
  token: string | null;
  method?: string;
  /** A body for write methods (JSON). */
  json?: unknown;
  /** Another path next to the token endpoint instead of v2/Users (e.g. "v2/Groups"). */
  path?: string;
  /** More query parameters, appended raw after the filter (e.g. "attributes=id"). */
  rawQuery?: string;
}

/** Send a request to /v2/Users (GET with a filter by default) and return the raw response. */
export async function searchUsersV2(env: EnvironmentContext, options: SearchOptions): Promise<HttpResponse> {
  const { usersEndpoint, tokenEndpoint } = await usersV2Endpoints(env);
  const base = options.path ? new URL(options.path, tokenEndpoint).toString() : usersEndpoint;
  const query = [
    ...(options.filter === undefined ? [] : [`filter=${encodeURIComponent(options.filter)}`]),
    ...(options.rawQuery ? [options.rawQuery] : []),
  ].join("&");
  const url = query === "" ? base : `${base}?${query}`;
  return env.http.request({
    method: options.method ?? "GET",
    url,
    headers: {
      accept: "application/scim+json, application/json",
      ...(options.token !== null ? { authorization: `Bearer ${options.token}` } : {}),
    },
    ...(options.json !== undefined ? { json: options.json } : {}),
  });
}

export interface UsersV2Identity {
  nhsNumber?: string;
  email?: string;
}

/**
 * The configured test identities: the first from `testNhsNumber`/`testEmail`, the second from
 * `testNhsNumber2`/`testEmail2` when the context has them (proposed NHSLOGIN_TEST_NHS_NUMBER_2 /
 * NHSLOGIN_TEST_EMAIL_2). Each number and address is assumed to belong to one account.
 */
export function usersV2Identities(env: EnvironmentContext): UsersV2Identity[] {
  const extra = env;
  const pick = (nhsNumber: string | undefined, email: string | undefined): UsersV2Identity[] =>
    nhsNumber || email ? [{ ...(nhsNumber ? { nhsNumber } : {}), ...(email ? { email } : {}) }] : [];
  return [...pick(env.testNhsNumber, env.testEmail), ...pick(extra.testNhsNumber2, extra.testEmail2)];
}
