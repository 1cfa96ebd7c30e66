/**
 * A test fixture, run as its own process: a small server-rendered service shaped like the public
 * NHS login example apps, with their flaws kept on purpose. Start it with launch.ts
 * (launchFixtureService), which passes the configuration:
 *
 *   FIXTURE_OPTIONS='{"issuer":"http://127.0.0.1:9000","clientId":"x","port":8080,...}' \
 *   FIXTURE_PRIVATE_KEY="$(cat key.pem)" node --import tsx test/_support/fixture-services/server-rendered.ts
 *
 * What it does (and gets wrong):
 * - `GET /`: a landing page with a link to /authorize built with a hard-coded state and nonce
 *   ({@link FIXTURE_STATE}, {@link FIXTURE_NONCE}); `startPage: "redirect"` answers 302 to it instead.
 * - `GET /callback`: no session, no state check. It redeems the code (an empty one when the
 *   answer is an error) with a private_key_jwt (RS512, exp 30 minutes ahead), ignores the ID
 *   token entirely, calls UserInfo with the access token and renders the person's details.
 * - When anything goes wrong on the callback, `onError` decides: `"die"` crashes the process (an
 *   unhandled rejection; the connection drops), `"hang"` never answers, `"page"` answers 200.
 * - `/account` (`protectedPage`): 200 "Your account" whatever the cookies, a 404, or no route.
 *
 * The simulator's endpoints come from its discovery document, fetched on first use. It only ever
 * talks to 127.0.0.1, and exits when its parent closes its stdin (so it never outlives the test).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { pathToFileURL } from "node:url";
import { importPKCS8 } from "jose";
import { codeGrantBody } from "./_code-grant.ts";

/** The state every sign-in link carries (hard-coded, as in the examples). */
export const FIXTURE_STATE = "fixture-static-state-0001";
/** The nonce every sign-in link carries (hard-coded, and never checked). */
export const FIXTURE_NONCE = "fixture-static-nonce-0001";
/** Lifetime of the client assertion: 30 minutes, longer than NHS login's 5-minute advice. */
export const ASSERTION_LIFETIME_SECONDS = 30 * 60;

/** The configuration in FIXTURE_OPTIONS (JSON). */
export interface FixtureConfig {
  issuer: string;
  clientId: string;
  port: number;
  /** The base URL the service's links use, e.g. http://127.0.0.1:<port>. */
  baseUrl: string;
  redirectUri: string;
  startPage: "link" | "redirect";
  onError: "die" | "hang" | "page";
  protectedPage: "none" | "always-200" | "404";
  /** The link carries the hard-coded state and nonce (default), or neither (a front-end that forgot them). */
  stateAndNonce: "static" | "none";
  scopes: string[];
  vtr: string[];
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
}

const CALL_TIMEOUT_MS = 10_000;

/** Only 127.0.0.1 is ever contacted: anything else is refused before a request is made. */
function loopback(url: string): string {
  if (new URL(url).hostname !== "127.0.0.1") throw new Error(`refusing to contact ${url}: only 127.0.0.1 is allowed`);
  return url;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const page = (title: string, body: string) =>
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n` +
  `<body><main>\n${body}\n</main></body></html>\n`;

function send(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", ...headers });
  res.end(html);
}

export function createFixtureServer(config: FixtureConfig, privateKeyPem: string) {
  let discovery: Promise<Discovery> | undefined;
  const endpoints = () => {
    discovery ??= fetch(loopback(`${config.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`), {
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    })
      .then(async (r) => {
        if (!r.ok) throw new Error(`discovery answered ${r.status}`);
        return (await r.json()) as Discovery;
      })
      .catch((err: unknown) => {
        discovery = undefined;
        throw err;
      });
    return discovery;
  };
  const key = importPKCS8(privateKeyPem, "RS512");

  async function authorizeUrl(): Promise<string> {
    const url = new URL(loopback((await endpoints()).authorization_endpoint));
    url.search = new URLSearchParams({
      client_id: config.clientId,
      redirect_uri: config.redirectUri,
      response_type: "code",
      scope: config.scopes.join(" "),
      ...(config.stateAndNonce === "none" ? {} : { state: FIXTURE_STATE, nonce: FIXTURE_NONCE }),
      vtr: JSON.stringify(config.vtr),
    }).toString();
    return url.toString();
  }

  /** Redeem `code` (empty included); the answer is returned as parsed, whatever its status. */
  async function redeem(code: string): Promise<Record<string, unknown>> {
    const tokenEndpoint = loopback((await endpoints()).token_endpoint);
    const res = await fetch(tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: await codeGrantBody({
        clientId: config.clientId,
        key: await key,
        tokenEndpoint,
        code,
        redirectUri: config.redirectUri,
        lifetimeSeconds: ASSERTION_LIFETIME_SECONDS,
      }),
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
    return (await res.json().catch(() => ({}))) as Record<string, unknown>;
  }

  async function userinfo(accessToken: string): Promise<Record<string, unknown>> {
    const res = await fetch(loopback((await endpoints()).userinfo_endpoint), {
      headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`UserInfo answered ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  }

  async function callback(url: URL, res: ServerResponse): Promise<void> {
    // As in the examples: whatever came back, the code (empty on an error) is redeemed.
    const tokens = await redeem(url.searchParams.get("code") ?? "");
    const error = url.searchParams.get("error");
    if (error !== null) throw new Error(`sign-in failed: ${error}`);
    if (typeof tokens.access_token !== "string") throw new Error(`token request failed: ${String(tokens.error ?? "no access token")}`);
    // The ID token is never looked at: no signature, iss, aud or nonce check; UserInfo's sub is
    // not compared with anything.
    const user = await userinfo(tokens.access_token);
    const row = (label: string, claim: string) =>
      `<dt>${label}</dt><dd id="${claim}">${escapeHtml(typeof user[claim] === "string" ? (user[claim] as string) : "")}</dd>`;
    send(
      res,
      200,
      page(
        "You are signed in",
        `<h1>You are signed in</h1>\n<dl>\n${row("NHS number", "nhs_number")}\n${row("Family name", "family_name")}\n` +
          `${row("Email", "email")}\n${row("Date of birth", "birthdate")}\n</dl>\n<p><a href="/">Home</a></p>`,
      ),
    );
  }

  /** A failure on the callback, as onError says. */
  function failed(err: unknown, res: ServerResponse): void {
    if (config.onError === "die") throw err;
    if (config.onError === "hang") return; // the response is never ended
    send(res, 200, page("Something went wrong", `<h1>Something went wrong</h1>\n<p>${escapeHtml(String(err))}</p>`));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", config.baseUrl);
    const route = `${req.method} ${url.pathname}`;
    if (route === "GET /") {
      const href = await authorizeUrl();
      if (config.startPage === "redirect") return send(res, 302, "", { location: href });
      return send(
        res,
        200,
        page(
          "Fixture service - home",
          "<h1>Fixture service</h1>\n<p>Use NHS login to see your details.</p>\n" +
            `<p><a href="${escapeHtml(href)}">Continue to NHS login</a></p>`,
        ),
      );
    }
    if (route === "GET /callback") {
      try {
        return await callback(url, res);
      } catch (err) {
        return failed(err, res);
      }
    }
    if (route === "GET /account" && config.protectedPage === "always-200") {
      return send(res, 200, page("Your account", "<h1>Your account</h1>\n<p>Welcome back.</p>"));
    }
    if (url.pathname === "/account" && config.protectedPage === "404") {
      return send(res, 404, page("Page not found", "<h1>Page not found</h1>"));
    }
    send(res, 404, page("Error", `<pre>Cannot ${escapeHtml(req.method ?? "GET")} ${escapeHtml(url.pathname)}</pre>`));
  }

  return createServer((req, res) => {
    // Deliberately not caught: with onError "die", a failed callback is an unhandled rejection
    // and the process crashes, dropping the connection.
    handle(req, res).then(
      () => undefined,
      (err: unknown) => {
        if (config.onError !== "die") {
          if (!res.headersSent) send(res, 500, page("Error", "<h1>Internal Server Error</h1>"));
          return;
        }
        throw err;
      },
    );
  });
}

function main(): void {
  const raw = process.env.FIXTURE_OPTIONS;
  const privateKeyPem = process.env.FIXTURE_PRIVATE_KEY;
  if (!raw || !privateKeyPem) {
    process.stderr.write("FIXTURE_OPTIONS (JSON) and FIXTURE_PRIVATE_KEY (PKCS#8 PEM) are required\n");
    process.exit(2);
  }
  const config = JSON.parse(raw) as FixtureConfig;
  loopback(config.issuer);
  const server = createFixtureServer(config, privateKeyPem);
  server.listen(config.port, "127.0.0.1", () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    process.stdout.write(`fixture service listening on http://127.0.0.1:${port}\n`);
  });
  // The parent holds our stdin: when it goes (even killed), so do we.
  process.stdin.on("end", () => process.exit(0));
  process.stdin.on("error", () => process.exit(0));
  process.stdin.resume();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
