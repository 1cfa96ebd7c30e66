/**
 * Shared helpers for the simulator tests: client keys, RS512 client assertions, driving
 * /authorize without following the redirect, redeeming codes and reading the JWKS.
 *
 * Every request goes to the simulator's own loopback listener; redirect targets (the clients'
 * registered `https://…` URIs) are only parsed, never fetched.
 */
import { generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import { expect } from "vitest";
import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  SignJWT,
  type JWK,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from "jose";
import { startSimulator, type Simulator, type SimulatorOptions } from "../../lib/simulator/start-simulator.ts";
import type { ClientRegistration } from "../../lib/simulator/clients.ts";
import { PERSONAS } from "../../lib/simulator/personas.ts";
import type { Grant } from "../../lib/simulator/state.ts";

/** A sign-in's grant for tests of the state itself: client `rp`, the first persona, P9, `authTime` 1000. */
export const TEST_GRANT: Grant = {
  clientId: "rp",
  redirectUri: "https://rp.example/cb",
  scopes: ["openid"],
  vtr: ["P9.Cp.Cd"],
  vot: "P9.Cp.Cd",
  persona: PERSONAS[0]!,
  authTime: 1000,
  faults: [],
};

export const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** An RSA key pair for a test client. */
export interface ClientKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicPem: string;
}

/** Generate a client key pair (RSA, 2048 bits unless told otherwise). */
export function makeClientKey(bits = 2048): ClientKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: bits });
  return { privateKey, publicKey, publicPem: publicKey.export({ type: "spki", format: "pem" }).toString() };
}

/** A client as the tests drive it: identity, one redirect URI and its key. */
export interface TestClient {
  clientId: string;
  redirectUri: string;
  key: ClientKey;
}

/** Build a test client and its registration (all documented scopes approved unless overridden). */
export function makeClient(
  clientId: string,
  overrides: Partial<Omit<ClientRegistration, "clientId" | "publicKey">> & { key?: ClientKey } = {},
): { client: TestClient; registration: ClientRegistration } {
  const key = overrides.key ?? makeClientKey();
  const redirectUris = overrides.redirectUris ?? [`https://${clientId}.example/callback`];
  const registration: ClientRegistration = {
    clientId,
    redirectUris,
    publicKey: key.publicPem,
    scopes: overrides.scopes ?? [
      "profile",
      "profile_extended",
      "email",
      "phone",
      "landline",
      "gp_registration_details",
      "gp_integration_credentials",
      "client_metadata",
      "basic_demographics",
    ],
    ...(overrides.vtr ? { vtr: overrides.vtr } : {}),
    ...(overrides.name ? { name: overrides.name } : {}),
    ...(overrides.ssoFrom ? { ssoFrom: overrides.ssoFrom } : {}),
  };
  return { client: { clientId, redirectUri: redirectUris[0]!, key }, registration };
}

/** Start a simulator on 127.0.0.1 (port 0) with the given clients registered. */
export async function startTestSimulator(
  registrations: ClientRegistration[],
  options: Omit<SimulatorOptions, "clients" | "port"> = {},
): Promise<Simulator> {
  return startSimulator({ ...options, port: 0, clients: registrations });
}

export interface AssertionOverrides {
  /** Header members to set (or `undefined` to drop) on top of `{alg: "RS512", typ: "JWT"}`. */
  header?: Record<string, unknown>;
  /** Claims to set, replacing the defaults; a value of `undefined` removes the claim. */
  claims?: Record<string, unknown>;
  /** Signing algorithm (default RS512). */
  alg?: string;
  /** Key to sign with (default the client's private key). */
  signWith?: KeyObject | Uint8Array;
  /** Lifetime in seconds from `now` (default 60). */
  lifetime?: number;
  /** Clock to use (default the simulator's, which follows `advanceClock`). */
  now?: number;
}

/**
 * An RS512 client assertion for `clientId`: iss = sub = client_id, aud = the token endpoint,
 * iat now, exp now + 60 s, a fresh jti, header typ JWT. `overrides` bend any of it.
 */
export async function clientAssertion(
  sim: Simulator,
  clientId: string,
  key: ClientKey,
  overrides: AssertionOverrides = {},
): Promise<string> {
  const now = overrides.now ?? sim.context.now();
  const claims: Record<string, unknown> = {
    iss: clientId,
    sub: clientId,
    aud: sim.context.endpoints.token,
    iat: now,
    exp: now + (overrides.lifetime ?? 60),
    jti: randomUUID(),
  };
  for (const [k, v] of Object.entries(overrides.claims ?? {})) {
    if (v === undefined) delete claims[k];
    else claims[k] = v;
  }
  const header: Record<string, unknown> = { alg: overrides.alg ?? "RS512", typ: "JWT" };
  for (const [k, v] of Object.entries(overrides.header ?? {})) {
    if (v === undefined) delete header[k];
    else header[k] = v;
  }
  return new SignJWT(claims as JWTPayload)
    .setProtectedHeader(header as unknown as { alg: string })
    .sign(overrides.signWith ?? key.privateKey);
}

export interface AuthorizeParams {
  clientId: string;
  redirectUri: string;
  /** Default `openid`. */
  scope?: string | null;
  /** Default a fresh random value; `null` leaves the parameter out. */
  state?: string | null;
  /** Default a fresh random value; `null` leaves the parameter out. */
  nonce?: string | null;
  /** Default `code`; `null` leaves it out. */
  responseType?: string | null;
  /** An array is sent as JSON; a string as is; absent means no vtr parameter. */
  vtr?: readonly string[] | string;
  prompt?: string;
  /** A `name=value` session cookie to send. */
  cookie?: string;
  method?: "GET" | "POST";
  /** More parameters; an array value repeats the parameter. */
  extra?: Record<string, string | string[]>;
}

export interface AuthorizeResult {
  status: number;
  headers: Headers;
  body: string;
  /** The parsed Location header, when there is one. */
  location?: URL;
  code?: string;
  /** `null` when the redirect has no state. */
  state?: string | null;
  error?: string | null;
  errorDescription?: string | null;
  /** The session cookie set by the response, as `name=value`. */
  cookie?: string;
  /** What was sent. */
  sent: { state?: string; nonce?: string; vtr?: readonly string[] | string; scope?: string };
}

/** Call /authorize (GET by default) without following the redirect, and parse what comes back. */
export async function authorize(sim: Simulator, params: AuthorizeParams): Promise<AuthorizeResult> {
  const state = params.state === null ? undefined : (params.state ?? `st-${randomUUID()}`);
  const nonce = params.nonce === null ? undefined : (params.nonce ?? `n-${randomUUID()}`);
  const scope = params.scope === null ? undefined : (params.scope ?? "openid");
  const search = new URLSearchParams();
  if (params.responseType !== null) search.append("response_type", params.responseType ?? "code");
  search.append("client_id", params.clientId);
  search.append("redirect_uri", params.redirectUri);
  if (scope !== undefined) search.append("scope", scope);
  if (state !== undefined) search.append("state", state);
  if (nonce !== undefined) search.append("nonce", nonce);
  if (params.vtr !== undefined) search.append("vtr", typeof params.vtr === "string" ? params.vtr : JSON.stringify(params.vtr));
  if (params.prompt !== undefined) search.append("prompt", params.prompt);
  for (const [k, v] of Object.entries(params.extra ?? {})) {
    for (const one of Array.isArray(v) ? v : [v]) search.append(k, one);
  }
  const headers: Record<string, string> = {};
  if (params.cookie) headers.cookie = params.cookie;
  const endpoint = `${sim.url}/authorize`;
  const res =
    params.method === "POST"
      ? await fetch(endpoint, {
          method: "POST",
          redirect: "manual",
          headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
          body: search.toString(),
        })
      : await fetch(`${endpoint}?${search}`, { redirect: "manual", headers });
  const body = await res.text();
  const result: AuthorizeResult = { status: res.status, headers: res.headers, body, sent: {} };
  if (state !== undefined) result.sent.state = state;
  if (nonce !== undefined) result.sent.nonce = nonce;
  if (scope !== undefined) result.sent.scope = scope;
  if (params.vtr !== undefined) result.sent.vtr = params.vtr;
  const location = res.headers.get("location");
  if (location) {
    const url = new URL(location);
    result.location = url;
    const code = url.searchParams.get("code");
    if (code !== null) result.code = code;
    result.state = url.searchParams.get("state");
    result.error = url.searchParams.get("error");
    result.errorDescription = url.searchParams.get("error_description");
  }
  const session = res.headers.getSetCookie().find((c) => c.startsWith("nhsl_sim_session="));
  if (session) result.cookie = session.split(";")[0]!;
  return result;
}

/** Sign in and expect a code at the redirect URI; returns the parsed result with `code` set. */
export async function signInAndGetCode(sim: Simulator, params: AuthorizeParams): Promise<AuthorizeResult & { code: string }> {
  const result = await authorize(sim, params);
  expect(result.status, `authorize answered ${result.status} ${result.location?.search ?? result.body.slice(0, 200)}`).toBe(302);
  expect(result.error ?? undefined, `authorize error ${result.error}: ${result.errorDescription}`).toBeUndefined();
  expect(result.code).toBeTruthy();
  return result as AuthorizeResult & { code: string };
}

export interface HttpResult<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined when the body is not JSON. */
  json: T | undefined;
  text: string;
}

async function toResult<T>(res: Response): Promise<HttpResult<T>> {
  const text = await res.text();
  let json: T | undefined;
  try {
    json = text ? (JSON.parse(text) as T) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** POST form parameters to the token endpoint. */
export async function tokenRequest(
  sim: Simulator,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  const res = await fetch(`${sim.url}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(params).toString(),
  });
  return toResult(res);
}

/** Redeem `code` for `client` with a fresh assertion. */
export async function exchangeCode(
  sim: Simulator,
  client: TestClient,
  code: string,
  options: { redirectUri?: string; assertion?: string; extra?: Record<string, string> } = {},
): Promise<HttpResult> {
  return tokenRequest(sim, {
    grant_type: "authorization_code",
    code,
    redirect_uri: options.redirectUri ?? client.redirectUri,
    client_assertion_type: CLIENT_ASSERTION_TYPE,
    client_assertion: options.assertion ?? (await clientAssertion(sim, client.clientId, client.key)),
    ...options.extra,
  });
}

/** What a successful code exchange produced, decoded. */
export interface Tokens {
  response: Record<string, unknown>;
  idToken: string;
  accessToken: string;
  refreshToken: string;
  idClaims: JWTPayload & Record<string, unknown>;
  idHeader: ProtectedHeaderParameters;
  accessClaims: JWTPayload & Record<string, unknown>;
  authorize: AuthorizeResult & { code: string };
}

/** Sign in and redeem the code; expects success throughout. */
export async function signInAndExchange(sim: Simulator, client: TestClient, params: Partial<AuthorizeParams> = {}): Promise<Tokens> {
  const auth = await signInAndGetCode(sim, { clientId: client.clientId, redirectUri: client.redirectUri, ...params });
  const res = await exchangeCode(sim, client, auth.code);
  expect(res.status, res.text).toBe(200);
  const body = res.json!;
  const idToken = String(body.id_token);
  const accessToken = String(body.access_token);
  return {
    response: body,
    idToken,
    accessToken,
    refreshToken: String(body.refresh_token),
    idClaims: decodeJwt(idToken) as JWTPayload & Record<string, unknown>,
    idHeader: decodeProtectedHeader(idToken),
    accessClaims: decodeJwt(accessToken) as JWTPayload & Record<string, unknown>,
    authorize: auth,
  };
}

/** GET (or another method on) /userinfo with the given headers and optional query/body. */
export async function userinfoRequest(
  sim: Simulator,
  init: { method?: string; accessToken?: string; headers?: Record<string, string>; query?: Record<string, string>; body?: string } = {},
): Promise<HttpResult> {
  const url = new URL(`${sim.url}/userinfo`);
  for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { ...init.headers };
  if (init.accessToken !== undefined) headers.authorization = `Bearer ${init.accessToken}`;
  const res = await fetch(url, { method: init.method ?? "GET", headers, ...(init.body !== undefined ? { body: init.body } : {}) });
  return toResult(res);
}

/** The simulator's published JWKS, fetched over HTTP. */
export async function fetchJwks(sim: Simulator): Promise<{ keys: JWK[] }> {
  const res = await fetch(`${sim.url}/.well-known/jwks.json`);
  expect(res.status).toBe(200);
  return (await res.json()) as { keys: JWK[] };
}

/** A jose key resolver over the simulator's published JWKS. */
export async function jwksResolver(sim: Simulator): Promise<ReturnType<typeof createLocalJWKSet>> {
  return createLocalJWKSet(await fetchJwks(sim));
}

/** RFC 6749 §5.2 / §4.1.2.1: error_description uses %x20-21 / %x23-5B / %x5D-7E only. */
export const RFC6749_DESCRIPTION = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * Expect a token-endpoint error: the status, JSON `{error, error_description?, error_uri?}` with
 * nothing else, the given code, an ASCII description, and no-store caching.
 */
export function expectTokenError(res: HttpResult, error: string, status = 400): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get("content-type") ?? "").toMatch(/^application\/json/);
  const body = res.json;
  expect(body).toBeTypeOf("object");
  expect(
    Object.keys(body!).every((k) => ["error", "error_description", "error_uri"].includes(k)),
    `unexpected members in ${res.text}`,
  ).toBe(true);
  expect(body!.error).toBe(error);
  if (body!.error_description !== undefined) {
    expect(body!.error_description).toBeTypeOf("string");
    expect(body!.error_description as string).toMatch(RFC6749_DESCRIPTION);
  }
  expect(body).not.toHaveProperty("access_token");
  expect(body).not.toHaveProperty("id_token");
}
