/**
 * The operations the benchmark repeats. Each throws on anything but the expected answer, so a
 * broken flow shows up as errors rather than as a fast number.
 */
import { randomUUID, type KeyObject } from "node:crypto";
import { Agent } from "undici";
import { SignJWT } from "jose";

export const CLIENT_ID = "bench-client";
export const REDIRECT_URI = "https://bench.example/cb";
/** P9 persona of the simulator (lib/simulator/personas.ts). */
export const NHS_NUMBER = "9990010005";
const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const FORM = { "content-type": "application/x-www-form-urlencoded" };
const TIMEOUTS = { headersTimeout: 10_000, bodyTimeout: 10_000 };

/** A keep-alive connection pool sized for `connections` concurrent clients. */
export function pool(connections: number): Agent {
  return new Agent({ connections, pipelining: 1, keepAliveTimeout: 30_000, connect: { timeout: 5_000 } });
}

export interface SimulatorTarget {
  agent: Agent;
  /** Base URL, e.g. http://127.0.0.1:12345 (also the issuer). */
  url: string;
  tokenEndpoint: string;
  usersScope: string;
  clientKey: KeyObject;
}

/** A fresh RS512 client assertion (iss = sub = client_id, aud the token endpoint, 60 s, new jti). */
export function clientAssertion(t: { tokenEndpoint: string; clientKey: KeyObject }): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: "RS512", typ: "JWT" })
    .setIssuer(CLIENT_ID)
    .setSubject(CLIENT_ID)
    .setAudience(t.tokenEndpoint)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime("60s")
    .sign(t.clientKey);
}

async function call(
  agent: Agent,
  origin: string,
  path: string,
  init: { method: "GET" | "POST"; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const res = await agent.request({ origin, path, method: init.method, headers: init.headers ?? {}, body: init.body ?? null, ...TIMEOUTS });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

function fail(step: string, status: number, text: string): never {
  throw new Error(`${step}: HTTP ${status} ${text.slice(0, 160)}`);
}

/** The authorization request both sides get, at their own authorization endpoint's path. */
const AUTHORIZE_QUERY = new URLSearchParams({
  client_id: CLIENT_ID,
  redirect_uri: REDIRECT_URI,
  response_type: "code",
  scope: "openid profile email",
  state: "bench-state",
  nonce: "bench-nonce",
}).toString();
const authorizePath = `/authorize?${AUTHORIZE_QUERY}`;

/** The code grant with a fresh client assertion; the access token (an ID token must come with it). `label` names the step in errors. */
async function redeemCode(t: SimulatorTarget | PeerTarget, code: string, label: string): Promise<string> {
  const body = new URLSearchParams({
    grant_type: "authorization_code",
    code,
    redirect_uri: REDIRECT_URI,
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: await clientAssertion(t),
  }).toString();
  const tok = await call(t.agent, t.url, "/token", { method: "POST", headers: FORM, body });
  if (tok.status !== 200) fail(label, tok.status, tok.text);
  const { access_token: accessToken, id_token: idToken } = JSON.parse(tok.text) as { access_token?: string; id_token?: string };
  if (!accessToken || !idToken) fail(`${label} (no tokens)`, tok.status, tok.text);
  return accessToken;
}

/** authorize (GET, redirect not followed) → token (code grant, fresh client assertion) → userinfo. */
export async function codeFlow(t: SimulatorTarget): Promise<void> {
  const a = await call(t.agent, t.url, authorizePath, { method: "GET" });
  const location = a.headers.location;
  if (a.status !== 302 || typeof location !== "string") fail("authorize", a.status, a.text);
  const code = new URL(location).searchParams.get("code");
  if (!code) fail("authorize (no code)", a.status, location);

  const accessToken = await redeemCode(t, code, "token");

  const ui = await call(t.agent, t.url, "/userinfo", { method: "GET", headers: { authorization: `Bearer ${accessToken}` } });
  if (ui.status !== 200) fail("userinfo", ui.status, ui.text);
  if (typeof (JSON.parse(ui.text) as { sub?: unknown }).sub !== "string") fail("userinfo (no sub)", ui.status, ui.text);
}

/** The body of a Users V2 token request (the jwt-bearer grant) with a fresh client assertion. */
export async function usersV2TokenForm(t: SimulatorTarget): Promise<string> {
  return new URLSearchParams({
    grant_type: JWT_BEARER,
    assertion: await clientAssertion(t),
    scope: `${t.usersScope} profile email`,
  }).toString();
}

/**
 * POST `body` (a form) to `origin` + `path` and return the access token of the 200 answer; anything
 * else throws, naming `step`.
 */
export async function postTokenForm(agent: Agent, origin: string, path: string, body: string, step: string): Promise<string> {
  const tok = await call(agent, origin, path, { method: "POST", headers: FORM, body });
  if (tok.status !== 200) fail(step, tok.status, tok.text);
  const { access_token: accessToken } = JSON.parse(tok.text) as { access_token?: string };
  if (typeof accessToken !== "string" || accessToken === "") fail(`${step} (no access_token)`, tok.status, tok.text);
  return accessToken;
}

/** Users V2 token: the jwt-bearer grant (RS512 assertion verified, replay-checked; RS512 token signed). */
export async function usersV2Token(t: SimulatorTarget): Promise<string> {
  return postTokenForm(t.agent, t.url, "/token", await usersV2TokenForm(t), "token (jwt-bearer)");
}

const searchPath = `/v2/Users?filter=${encodeURIComponent(`nhsnumber eq "${NHS_NUMBER}"`)}`;

/** Users V2: token (jwt-bearer) then GET /v2/Users?filter=nhsnumber eq "<P9 NHS number>". */
export async function usersV2Flow(t: SimulatorTarget): Promise<void> {
  const accessToken = await usersV2Token(t);
  const r = await call(t.agent, t.url, searchPath, { method: "GET", headers: { authorization: `Bearer ${accessToken}` } });
  if (r.status !== 200) fail("/v2/Users", r.status, r.text);
  const list = JSON.parse(r.text) as { totalResults?: unknown };
  if (list.totalResults !== 1) fail("/v2/Users (expected one match)", r.status, r.text);
}

/** The peer of the side-by-side figures: oidc-provider in a child process (bench/_oidc-provider-process.ts). */
export interface PeerTarget {
  agent: Agent;
  /** The issuer, also the base URL, e.g. http://127.0.0.1:12345. */
  url: string;
  tokenEndpoint: string;
  /** The resource indicator whose access tokens are RS512 JWTs. */
  resource: string;
  clientKey: KeyObject;
}

/**
 * oidc-provider: POST /token grant_type=client_credentials for the JWT resource, the client
 * authenticated by a fresh RS512 assertion (private_key_jwt): it verifies the assertion, records its
 * jti and signs one RS512 access token.
 */
export async function peerClientCredentials(t: PeerTarget): Promise<void> {
  const accessToken = await postTokenForm(t.agent, t.url, "/token", await peerClientCredentialsForm(t), "peer token (client_credentials)");
  if (accessToken.split(".").length !== 3) fail("peer token (no JWT access_token)", 200, accessToken);
}

/** The body of oidc-provider's client_credentials request for the JWT resource, with a fresh client assertion. */
export async function peerClientCredentialsForm(t: PeerTarget): Promise<string> {
  return new URLSearchParams({
    grant_type: "client_credentials",
    scope: "api",
    resource: t.resource,
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: await clientAssertion(t),
  }).toString();
}

/**
 * The cookies of one browser for one origin: name, value and path, set from `Set-Cookie` and sent
 * back where the path matches (RFC 6265 §5.1.4). Enough for oidc-provider's session and
 * interaction cookies; domains, `Secure` and `SameSite` do not arise on one http origin.
 */
export class CookieJar {
  private readonly cookies = new Map<string, { name: string; value: string; path: string; expires: number }>();

  store(setCookie: string | string[] | undefined): void {
    for (const line of setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie]) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = "/";
      let expires = Number.POSITIVE_INFINITY;
      for (const attribute of attributes) {
        const [key = "", ...rest] = attribute.split("=");
        const v = rest.join("=").trim();
        const k = key.trim().toLowerCase();
        if (k === "path" && v.startsWith("/")) path = v;
        else if (k === "expires") expires = Math.min(expires, Date.parse(v));
        else if (k === "max-age") expires = Date.now() + Number(v) * 1000;
      }
      const key = `${name} ${path}`;
      if (!(expires > Date.now())) this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path, expires });
    }
  }

  header(path: string): string | undefined {
    const now = Date.now();
    const pathname = path.split("?")[0]!;
    const out: string[] = [];
    for (const [key, c] of this.cookies) {
      if (c.expires <= now) {
        this.cookies.delete(key);
        continue;
      }
      const match =
        pathname === c.path || (pathname.startsWith(c.path) && (c.path.endsWith("/") || pathname.charAt(c.path.length) === "/"));
      if (match) out.push(`${c.name}=${c.value}`);
    }
    return out.length > 0 ? out.join("; ") : undefined;
  }
}

const peerAuthorizePath = `/auth?${AUTHORIZE_QUERY}`;

/**
 * oidc-provider's code flow, as a browser with cookies `jar` and no human: `GET /auth`, then its
 * redirects on the provider's origin (the login interaction, finished at once by the peer's
 * `/interaction/:uid`, and the resume) until the one to the redirect URI with the code; `POST /token`
 * (code grant, fresh RS512 client assertion; RS512 ID token); `GET /me` (an RS512-signed UserInfo).
 * A jar that holds a session skips the login. Returns whether this flow signed in.
 */
export async function peerCodeFlow(t: PeerTarget, jar: CookieJar): Promise<{ login: boolean }> {
  let path = peerAuthorizePath;
  let login = false;
  let code: string | null = null;
  for (let hop = 0; hop < 5 && code === null; hop++) {
    const cookie = jar.header(path);
    const r = await call(t.agent, t.url, path, { method: "GET", ...(cookie ? { headers: { cookie } } : {}) });
    jar.store(r.headers["set-cookie"]);
    const location = r.headers.location;
    if ((r.status !== 302 && r.status !== 303) || typeof location !== "string")
      fail(`peer authorize (${path.slice(0, 40)})`, r.status, r.text);
    const next = new URL(location, t.url);
    if (location.startsWith(REDIRECT_URI)) {
      code = next.searchParams.get("code");
      if (!code) fail("peer authorize (no code)", r.status, location);
    } else if (next.origin === t.url) {
      if (next.pathname.startsWith("/interaction/")) login = true;
      path = `${next.pathname}${next.search}`;
    } else {
      fail("peer authorize (unexpected redirect)", r.status, location);
    }
  }
  if (code === null) fail("peer authorize (too many redirects)", 0, path);

  const accessToken = await redeemCode(t, code, "peer token");

  const ui = await call(t.agent, t.url, "/me", { method: "GET", headers: { authorization: `Bearer ${accessToken}` } });
  if (ui.status !== 200) fail("peer userinfo", ui.status, ui.text);
  const payload = ui.text.split(".")[1];
  const sub = payload === undefined ? undefined : (JSON.parse(Buffer.from(payload, "base64url").toString()) as { sub?: unknown }).sub;
  if (typeof sub !== "string") fail("peer userinfo (not a signed JWT with a sub)", ui.status, ui.text);
  return { login };
}

const b64 = (s: string) => Buffer.from(s).toString("base64url");
/** Requests the simulator must refuse (4xx), each built once: what a hostile or broken client sends. */
const MALFORMED: readonly { path: string; method: "GET" | "POST"; headers?: Record<string, string>; body?: string; status: number }[] = [
  // A 20 kB junk parameter beside a token request.
  { path: "/token", method: "POST", headers: FORM, body: `grant_type=authorization_code&junk=${"j".repeat(20_000)}`, status: 400 },
  // An assertion whose claims nest 5,000 objects deep (over the size limit).
  {
    path: "/token",
    method: "POST",
    headers: FORM,
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: "x",
      redirect_uri: REDIRECT_URI,
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: `${b64('{"alg":"RS512"}')}.${b64(`${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`)}.c2ln`,
    }).toString(),
    status: 400,
  },
  // An unknown client at /authorize (an error page, no redirect).
  { path: "/authorize?client_id=nobody&response_type=code", method: "GET", status: 400 },
  // A search without a token.
  { path: "/v2/Users?filter=nhsnumber%20eq%20%22x%22", method: "GET", status: 401 },
  // UserInfo without a token.
  { path: "/userinfo", method: "POST", status: 401 },
];

/** The number of requests {@link malformedRequests} sends. */
export const MALFORMED_COUNT = MALFORMED.length;

/** Five malformed or hostile requests, each of which must be refused with its 4xx. */
export async function malformedRequests(t: SimulatorTarget): Promise<void> {
  for (const m of MALFORMED) {
    const r = await call(t.agent, t.url, m.path, {
      method: m.method,
      ...(m.headers ? { headers: m.headers } : {}),
      ...(m.body !== undefined ? { body: m.body } : {}),
    });
    if (r.status !== m.status) fail(`malformed ${m.method} ${m.path.slice(0, 40)} (expected ${m.status})`, r.status, r.text);
  }
}
