/**
 * A test fixture, run as its own process: a small single-page service shaped like the public
 * NHS login example of that kind (static pages plus a small JSON API), whose sign-in is started by
 * a JavaScript click handler, so a harness that does not run JavaScript cannot start it. Its
 * defaults are the correct service; options put back the example's flaws one at a time. Start it
 * with launch.ts (`planFixtureService({ kind: "single-page" })`), which passes the configuration:
 *
 *   FIXTURE_OPTIONS='{"issuer":"http://127.0.0.1:9000","clientId":"x","port":8080,...}' \
 *   FIXTURE_PRIVATE_KEY="$(cat key.pem)" node --import tsx test/_support/fixture-services/single-page.ts
 *
 * What it does:
 * - `GET /`: a static page with a "Sign in with NHS login" button (`#sign-in`) and no link or form
 *   to /authorize: its click handler fetches `/api/login-url` and goes to the URL it gives.
 * - `GET /api/login-url`: `{url}`, the /authorize URL, with a fresh random state and nonce kept
 *   server-side by state (`stateAndNonce: "random"`), or neither (`"none"`).
 * - `GET /callback`: a static page whose script posts `{code, state}` to `/api/session`, or shows
 *   the `error_description` (as text) when NHS login answered with an error.
 * - `POST /api/session`: refuses an unknown state (400), redeems the code with a private_key_jwt
 *   (RS512, exp {@link SINGLE_PAGE_ASSERTION_LIFETIME_SECONDS} s ahead; 502 unless /token answers
 *   200), validates the ID token (RS512 against the JWKS, iss, aud, exp, the nonce of that state;
 *   401 if invalid) unless `idToken: "unvalidated"` (validation started and never awaited, as in the
 *   example), calls UserInfo, and sets an HttpOnly `sid` cookie. `tokensToPage` also returns the
 *   tokens to the page, which keeps them in localStorage and shows them.
 * - `GET /api/me`: the signed-in person (by `sid`), or 401; `GET /account`: a page showing it,
 *   with a "Sign out" link to `GET /logout`, which ends the session and clears the cookie.
 * - `tokenExchange: "browser"`: the callback page's script first posts the code to NHS login's token
 *   endpoint itself (named by `GET /api/nhs-login`), as a public single-page client relying on no
 *   secret would; NHS login refuses it, and the page then carries on as usual.
 * - `cors: "permissive"`: every /api/* answer reflects the request's Origin, with credentials, and
 *   preflights are allowed whatever the method or headers.
 *
 * The simulator's endpoints come from its discovery document, fetched on first use. It only ever
 * talks to 127.0.0.1, answers every failure with a JSON error rather than crashing, and exits when
 * its parent closes its stdin (so it never outlives the test).
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { pathToFileURL } from "node:url";
import { createLocalJWKSet, importPKCS8, type JSONWebKeySet, jwtVerify } from "jose";
import { codeGrantBody } from "./_code-grant.ts";

/** Lifetime of the client assertion: 60 seconds, well inside NHS login's 5-minute advice. */
export const SINGLE_PAGE_ASSERTION_LIFETIME_SECONDS = 60;
/** The title of the landing page. */
export const SINGLE_PAGE_TITLE = "Single-page fixture";

/** The configuration in FIXTURE_OPTIONS (JSON). */
export interface SinglePageConfig {
  issuer: string;
  clientId: string;
  port: number;
  /** The base URL of the service, e.g. http://127.0.0.1:<port>. */
  baseUrl: string;
  redirectUri: string;
  /** A fresh random state and nonce per sign-in, kept server-side by state (default), or neither. */
  stateAndNonce: "random" | "none";
  /** The ID token is validated before the session is made (default), or its validation never awaited. */
  idToken: "validated" | "unvalidated";
  /** The tokens go back to the page, which keeps them in localStorage and shows them (default false). */
  tokensToPage: boolean;
  /** No Access-Control-* headers (default), or any Origin reflected with credentials on /api/*. */
  cors: "none" | "permissive";
  /** The code is redeemed by the API (default), or by the callback page's own script, as a public client would. */
  tokenExchange: "server" | "browser";
  scopes: string[];
  vtr: string[];
}

/** The correct service: what launch.ts and main() fill in for an option not given. */
export const SINGLE_PAGE_DEFAULTS: Readonly<
  Pick<SinglePageConfig, "stateAndNonce" | "idToken" | "tokensToPage" | "cors" | "tokenExchange" | "scopes" | "vtr">
> = {
  stateAndNonce: "random",
  idToken: "validated",
  tokensToPage: false,
  cors: "none",
  tokenExchange: "server",
  scopes: ["openid", "profile"],
  vtr: ["P9.Cp.Cd"],
};

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  jwks_uri: string;
}

interface Session {
  familyName: string;
  nhsNumber: string;
  tokens: { id_token?: string; access_token: string; refresh_token?: string };
}

const CALL_TIMEOUT_MS = 10_000;
/** A sign-in not finished within 10 minutes is forgotten. */
const PENDING_LIFETIME_MS = 10 * 60_000;
/** At most this many pending sign-ins and sessions are kept (the oldest go first). */
const MAX_ENTRIES = 1000;
const MAX_BODY_BYTES = 64 * 1024;

/** A failure answered with `status` and `{error: message}`. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Only 127.0.0.1 is ever contacted: anything else is refused before a request is made. */
function loopback(url: string): string {
  if (new URL(url).hostname !== "127.0.0.1") throw new Error(`refusing to contact ${url}: only 127.0.0.1 is allowed`);
  return url;
}

/** fetch, with the loopback rule, a timeout, and a failure to connect answered as 502. */
async function call(url: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(loopback(url), { ...init, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
  } catch (err) {
    throw new HttpError(502, `could not reach ${new URL(url).pathname}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Keep `value` under `key`, dropping the oldest entry beyond MAX_ENTRIES. */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.set(key, value);
  while (map.size > MAX_ENTRIES) map.delete(map.keys().next().value!);
}

const page = (title: string, body: string, script: string) =>
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>\n` +
  `<body><main>\n${body}\n</main>\n<script>\n${script}\n</script></body></html>\n`;

const HOME_PAGE = page(
  SINGLE_PAGE_TITLE,
  `<h1>${SINGLE_PAGE_TITLE}</h1>\n<p>Use NHS login to see your details.</p>\n` +
    '<button id="sign-in" type="button">Sign in with NHS login</button>\n<p id="status"></p>',
  `document.getElementById("sign-in").addEventListener("click", async () => {
  const status = document.getElementById("status");
  try {
    const res = await fetch("/api/login-url");
    const body = await res.json();
    if (!res.ok) throw new Error(body.error || "status " + res.status);
    location.assign(body.url);
  } catch (err) {
    status.textContent = "Could not start sign-in: " + err.message;
  }
});`,
);

/** The flaw `tokenExchange: "browser"` puts back: the callback page redeems the code itself, as a public client. */
const BROWSER_EXCHANGE = `    const exchange = await fetch("/api/nhs-login").then((r) => (r.ok ? r.json() : undefined));
    if (exchange) {
      // The flaw this option puts back: the page redeems the code itself, as a public client.
      const form = new URLSearchParams({ grant_type: "authorization_code", code: params.get("code") || "" });
      form.set("redirect_uri", exchange.redirect_uri);
      form.set("client_id", exchange.client_id);
      await fetch(exchange.token_endpoint, { method: "POST", body: form }).catch(() => undefined);
    }
`;

const callbackPage = (browserExchange: boolean) =>
  page(
    "Signing in",
    '<h1 id="heading">Signing in...</h1>\n<p id="result"></p>\n<pre id="tokens" hidden></pre>\n<p><a href="/account">Your account</a></p>',
    `(async () => {
  const params = new URLSearchParams(location.search);
  const heading = document.getElementById("heading");
  const result = document.getElementById("result");
  if (params.get("error") === "access_denied") {
    heading.textContent = "You cannot continue without sharing your information";
    result.textContent = "You chose not to share your NHS login information with this service.";
    const help = document.createElement("p");
    for (const [href, text] of [["https://111.nhs.uk/", "NHS 111 online"], ["tel:111", "call 111"], ["tel:999", "call 999"]]) {
      const a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      help.append(a, " ");
    }
    result.after(help);
    return;
  }
  if (params.get("error") !== null) {
    heading.textContent = "Sign-in failed";
    result.textContent = params.get("error_description") || params.get("error");
    const again = document.createElement("a");
    again.href = "/";
    again.textContent = "Try again";
    result.after(again);
    return;
  }
  try {
${browserExchange ? BROWSER_EXCHANGE : ""}    const res = await fetch("/api/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code: params.get("code"), state: params.get("state") }),
    });
    const body = await res.json().catch(() => ({}));
    if (res.status !== 200) {
      heading.textContent = "Sign-in failed";
      result.textContent = "Sign-in failed: " + (body.error || "status " + res.status);
      return;
    }
    heading.textContent = "You are signed in";
    result.textContent = "Signed in as " + body.familyName + " (NHS number " + body.nhsNumber + ")";
    if (body.access_token !== undefined) {
      const tokens = { id_token: body.id_token, access_token: body.access_token, refresh_token: body.refresh_token };
      for (const [name, value] of Object.entries(tokens)) if (value !== undefined) localStorage.setItem(name, value);
      const pre = document.getElementById("tokens");
      pre.textContent = JSON.stringify(tokens, null, 2);
      pre.hidden = false;
    }
  } catch (err) {
    heading.textContent = "Sign-in failed";
    result.textContent = "Sign-in failed: " + err.message;
  }
})();`,
  );

const ACCOUNT_PAGE = page(
  "Your account",
  '<h1>Your account</h1>\n<p id="account">Loading...</p>\n<p><a href="/">Home</a> <a href="/logout">Sign out</a></p>',
  `(async () => {
  const account = document.getElementById("account");
  try {
    const res = await fetch("/api/me");
    const body = await res.json();
    account.textContent =
      res.status === 200 ? "Your account: " + body.familyName + " (NHS number " + body.nhsNumber + ")" : "Please sign in";
  } catch {
    account.textContent = "Please sign in";
  }
})();`,
);

const NOT_FOUND_PAGE = page("Page not found", "<h1>Page not found</h1>", "");

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(html);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify(body));
}

/** The request's body (at most MAX_BODY_BYTES), parsed as JSON. */
async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers["content-type"] ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new HttpError(415, "the body must be application/json");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, "the body is too large");
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "the body is not JSON");
  }
}

/** The value of cookie `name` in the request, if any. */
function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function createSinglePageServer(config: SinglePageConfig, privateKeyPem: string) {
  const issuer = config.issuer.replace(/\/$/, "");
  let discovery: Promise<Discovery> | undefined;
  const endpoints = () => {
    discovery ??= call(`${issuer}/.well-known/openid-configuration`)
      .then(async (r) => {
        if (!r.ok) throw new HttpError(502, `discovery answered ${r.status}`);
        return (await r.json()) as Discovery;
      })
      .catch((err: unknown) => {
        discovery = undefined;
        throw err;
      });
    return discovery;
  };
  const key = importPKCS8(privateKeyPem, "RS512");
  // Keep a bad key from becoming an unhandled rejection before the first sign-in.
  key.catch(() => undefined);
  /** Pending sign-ins: state to the nonce sent with it. */
  const pending = new Map<string, { nonce: string; at: number }>();
  const sessions = new Map<string, Session>();

  async function loginUrl(): Promise<string> {
    const url = new URL(loopback((await endpoints()).authorization_endpoint));
    const params = new URLSearchParams({
      response_type: "code",
      client_id: config.clientId,
      redirect_uri: config.redirectUri,
      scope: config.scopes.join(" "),
      vtr: JSON.stringify(config.vtr),
    });
    if (config.stateAndNonce !== "none") {
      const state = randomBytes(24).toString("base64url");
      const nonce = randomBytes(24).toString("base64url");
      remember(pending, state, { nonce, at: Date.now() });
      params.set("state", state);
      params.set("nonce", nonce);
    }
    url.search = params.toString();
    return url.toString();
  }

  async function redeem(code: string): Promise<Record<string, unknown>> {
    const tokenEndpoint = loopback((await endpoints()).token_endpoint);
    const res = await call(tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: await codeGrantBody({
        clientId: config.clientId,
        key: await key,
        tokenEndpoint,
        code,
        redirectUri: config.redirectUri,
        lifetimeSeconds: SINGLE_PAGE_ASSERTION_LIFETIME_SECONDS,
      }),
    });
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.status !== 200) throw new HttpError(502, `the token endpoint answered ${res.status} ${String(body.error ?? "")}`.trim());
    if (typeof body.access_token !== "string") throw new HttpError(502, "the token endpoint gave no access token");
    return body;
  }

  /** The ID token's claims once its signature (RS512, the simulator's JWKS), iss, aud, exp and nonce check out. */
  async function validateIdToken(idToken: unknown, nonce: string | undefined): Promise<Record<string, unknown>> {
    if (typeof idToken !== "string") throw new HttpError(401, "no ID token");
    const { jwks_uri } = await endpoints();
    const jwksRes = await call(jwks_uri);
    if (!jwksRes.ok) throw new HttpError(502, `the JWKS answered ${jwksRes.status}`);
    const jwks = createLocalJWKSet((await jwksRes.json()) as JSONWebKeySet);
    try {
      const { payload } = await jwtVerify(idToken, jwks, {
        algorithms: ["RS512"],
        issuer,
        audience: config.clientId,
        requiredClaims: ["exp", "sub"],
      });
      if (nonce !== undefined && payload.nonce !== nonce) throw new Error("the nonce is not the one sent");
      // As a careful relying party: one audience (or ours as azp), issued in the past, a vot it asked for, a vtm.
      if (Array.isArray(payload.aud) && (payload.aud.length !== 1 || payload.azp !== config.clientId))
        throw new Error("the ID token names other audiences");
      if (typeof payload.iat !== "number" || payload.iat > Date.now() / 1000 + 60) throw new Error("iat is missing or in the future");
      if (typeof payload.vot !== "string" || !config.vtr.includes(payload.vot)) throw new Error("vot is not a requested vector of trust");
      if (typeof payload.vtm !== "string" || payload.vtm === "") throw new Error("vtm is missing");
      return payload;
    } catch (err) {
      throw new HttpError(401, `invalid ID token: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async function userinfo(accessToken: string): Promise<Record<string, unknown>> {
    const res = await call((await endpoints()).userinfo_endpoint, {
      headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
    });
    if (!res.ok) throw new HttpError(502, `UserInfo answered ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  }

  async function createSession(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): Promise<void> {
    const body = await readJson(req);
    const { code, state } = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
    let nonce: string | undefined;
    if (config.stateAndNonce === "random") {
      const entry = typeof state === "string" ? pending.get(state) : undefined;
      if (entry === undefined || Date.now() - entry.at > PENDING_LIFETIME_MS) throw new HttpError(400, "unknown or missing state");
      pending.delete(state as string); // single use
      nonce = entry.nonce;
    }
    if (typeof code !== "string" || code === "") throw new HttpError(400, "missing code");
    const tokens = await redeem(code);
    let claims: Record<string, unknown> | undefined;
    if (config.idToken === "validated") claims = await validateIdToken(tokens.id_token, nonce);
    // As in the public example: validation is started and its result never looked at.
    else void validateIdToken(tokens.id_token, nonce).catch(() => undefined);
    const user = await userinfo(tokens.access_token as string);
    if (claims !== undefined && user.sub !== claims.sub) throw new HttpError(401, "UserInfo is about someone else than the ID token");
    const str = (v: unknown) => (typeof v === "string" ? v : undefined);
    const session: Session = {
      familyName: str(user.family_name) ?? "",
      nhsNumber: str(user.nhs_number) ?? "",
      tokens: { id_token: str(tokens.id_token), access_token: tokens.access_token as string, refresh_token: str(tokens.refresh_token) },
    };
    const sid = randomBytes(32).toString("base64url");
    remember(sessions, sid, session);
    sendJson(
      res,
      200,
      { familyName: session.familyName, nhsNumber: session.nhsNumber, ...(config.tokensToPage ? session.tokens : {}) },
      { ...cors, "set-cookie": `sid=${sid}; HttpOnly; SameSite=Lax; Path=/` },
    );
  }

  /** The CORS headers of an /api/* answer. */
  function corsHeaders(req: IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    if (config.cors !== "permissive" || origin === undefined) return {};
    return { "access-control-allow-origin": origin, "access-control-allow-credentials": "true", vary: "Origin" };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", config.baseUrl);
    const route = `${req.method} ${url.pathname}`;
    if (!url.pathname.startsWith("/api/")) {
      if (route === "GET /") return sendHtml(res, 200, HOME_PAGE);
      if (route === "GET /callback") return sendHtml(res, 200, callbackPage(config.tokenExchange === "browser"));
      if (route === "GET /account") return sendHtml(res, 200, ACCOUNT_PAGE);
      if (route === "GET /logout") {
        // Sign-out ends the session here, at the service, and clears the cookie.
        const sid = cookie(req, "sid");
        if (sid !== undefined) sessions.delete(sid);
        res.writeHead(303, { location: "/", "cache-control": "no-store", "set-cookie": "sid=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0" });
        return void res.end();
      }
      return sendHtml(res, 404, NOT_FOUND_PAGE);
    }
    const cors = corsHeaders(req);
    try {
      if (req.method === "OPTIONS" && config.cors === "permissive") {
        res.writeHead(204, {
          ...cors,
          "access-control-allow-methods": req.headers["access-control-request-method"] ?? "GET, POST, PUT, PATCH, DELETE, OPTIONS",
          "access-control-allow-headers": req.headers["access-control-request-headers"] ?? "*",
          "access-control-max-age": "600",
        });
        return void res.end();
      }
      if (route === "GET /api/login-url") return sendJson(res, 200, { url: await loginUrl() }, cors);
      if (route === "GET /api/nhs-login") {
        if (config.tokenExchange !== "browser") return sendJson(res, 404, { error: "not found" }, cors);
        const { token_endpoint } = await endpoints();
        return sendJson(res, 200, { token_endpoint, client_id: config.clientId, redirect_uri: config.redirectUri }, cors);
      }
      if (route === "POST /api/session") return await createSession(req, res, cors);
      if (route === "GET /api/me") {
        const sid = cookie(req, "sid");
        const session = sid === undefined ? undefined : sessions.get(sid);
        if (session === undefined) return sendJson(res, 401, { error: "not signed in" }, cors);
        return sendJson(res, 200, { familyName: session.familyName, nhsNumber: session.nhsNumber }, cors);
      }
      return sendJson(res, 404, { error: "not found" }, cors);
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 500;
      const message = err instanceof HttpError ? err.message : `internal error: ${err instanceof Error ? err.message : String(err)}`;
      if (!res.headersSent) sendJson(res, status, { error: message }, cors);
      else res.end();
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A last resort: nothing a request does may take the process down.
      process.stderr.write(`unexpected failure: ${String(err)}\n`);
      if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
      else res.end();
    });
  });
  server.on("clientError", (_err, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });
  return server;
}

function main(): void {
  const raw = process.env.FIXTURE_OPTIONS;
  const privateKeyPem = process.env.FIXTURE_PRIVATE_KEY;
  if (!raw || !privateKeyPem) {
    process.stderr.write("FIXTURE_OPTIONS (JSON) and FIXTURE_PRIVATE_KEY (PKCS#8 PEM) are required\n");
    process.exit(2);
  }
  const config = { ...SINGLE_PAGE_DEFAULTS, ...JSON.parse(raw) } as SinglePageConfig;
  loopback(config.issuer);
  const server = createSinglePageServer(config, privateKeyPem);
  server.listen(config.port, "127.0.0.1", () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    process.stdout.write(`single-page fixture service listening on http://127.0.0.1:${port}\n`);
  });
  // The parent holds our stdin: when it goes (even killed), so do we.
  process.stdin.on("end", () => process.exit(0));
  process.stdin.on("error", () => process.exit(0));
  process.stdin.resume();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
