/**
 * Child process: panva's oidc-provider (npm, pinned) on 127.0.0.1 (port 0), the peer of the
 * simulator in the side-by-side figures, configured to do the same cryptographic work per request:
 *
 * - one client (`BENCH_CLIENT_ID`), registered with its public JWK, authenticating with
 *   `private_key_jwt` and RS512 assertions only. Every assertion is verified (RS512) and its `jti`
 *   recorded against replay (ReplayDetection, in oidc-provider's in-memory adapter).
 * - one provider signing key: RSA 2048-bit, RS512. ID tokens, signed UserInfo responses and JWT
 *   access tokens are all signed RS512 with it.
 * - `client_credentials` with the resource indicator `BENCH_RESOURCE`: a JWT access token
 *   (`accessTokenFormat: "jwt"`, `jwt.sign.alg` RS512). One request = verify one assertion, check
 *   its `jti`, sign one token, as our jwt-bearer grant does.
 * - the code flow: `/auth` → login interaction → code → `/token` (assertion verified, ID token
 *   signed) → `/me` (opaque access token looked up, UserInfo signed as a JWT: an access token with
 *   an audience cannot be used at oidc-provider's UserInfo, so the second signature of the flow is
 *   the UserInfo response rather than the access token).
 * - the login: `GET /interaction/:uid` on the same server finishes the interaction at once with
 *   `provider.interactionFinished` (login as `BENCH_ACCOUNT_ID`, no browser, no form), and
 *   `loadExistingGrant` grants the requested OpenID scopes, so there is no consent step. A client
 *   that keeps its cookies (`_session`) skips the login on its next flows.
 *
 * Production-like: its own keys, cookie-signing keys, TTLs, error rendering and interactions (dev
 * interactions off), so none of oidc-provider's development notices fires; the one it prints at
 * start-up regardless (this Node.js 20 is older than the v22 LTS it asks for) is left out of the
 * output. Its own in-memory adapter is used with a store of 200,000 entries (the default store's
 * 1,000 lose flows in flight at 500 connections), so its notice about the default adapter does not
 * fire either. Everything else it logs goes to stderr, never to
 * stdout, which carries the protocol of _child.ts.
 *
 * Env: BENCH_CLIENT_ID, BENCH_REDIRECT_URI, BENCH_CLIENT_JWK (the client's public JWK, JSON),
 * BENCH_RESOURCE, BENCH_ACCOUNT_ID.
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { OidcContext } from "oidc-provider";
import { serveParent } from "./_child.ts";

const clientId = process.env.BENCH_CLIENT_ID ?? "bench-client";
const redirectUri = process.env.BENCH_REDIRECT_URI ?? "https://bench.example/cb";
const resource = process.env.BENCH_RESOURCE ?? "urn:bench:api";
const accountId = process.env.BENCH_ACCOUNT_ID ?? "bench-account";
const clientJwk = process.env.BENCH_CLIENT_JWK;
if (!clientJwk) throw new Error("BENCH_CLIENT_JWK is required");

// stdout is the protocol channel: whatever the provider or Koa logs goes to stderr. The start-up
// notice that no configuration turns off is dropped (the file's comment says which and why).
const DROPPED = ["oidc-provider WARNING: Unsupported runtime."];
const toStderr = (...args: unknown[]) => {
  const text = args.map(String).join(" ");
  if (!DROPPED.some((d) => text.includes(d))) process.stderr.write(`[oidc-provider] ${text}\n`);
};
console.log = toStderr;
console.info = toStderr;
console.warn = toStderr;

// Imported only now, so that its import-time notice goes through the filter above.
const { default: Provider, errors } = await import("oidc-provider");
const { InvalidTarget } = errors as { InvalidTarget: new (description?: string) => Error };
// Its own in-memory adapter, with a store of STORE_ENTRIES instead of the default 1,000: at 500
// connections a flow in flight holds several entries (interaction, session, grant, code, ...), and
// the default store forgot interactions before they finished ("interaction session not found").
const { default: MemoryAdapter } = await import("oidc-provider/lib/adapters/memory_adapter.js");
const { default: LRU } = await import("oidc-provider/lib/helpers/lru.js");
const STORE_ENTRIES = 200_000;
const store = new LRU({ maxSize: STORE_ENTRIES });

const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
const signingJwk = { ...signingKey.export({ format: "jwk" }), kid: "bench-rs512", alg: "RS512", use: "sig" };

const server = http.createServer();
// Like Fastify's default (the simulator's server), so idle keep-alive connections survive between rounds.
server.keepAliveTimeout = 72_000;
await new Promise<void>((resolve, reject) => {
  server.once("error", reject);
  server.listen(0, "127.0.0.1", () => resolve());
});
const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      redirect_uris: [redirectUri],
      response_types: ["code"],
      grant_types: ["authorization_code", "client_credentials"],
      token_endpoint_auth_method: "private_key_jwt",
      token_endpoint_auth_signing_alg: "RS512",
      id_token_signed_response_alg: "RS512",
      userinfo_signed_response_alg: "RS512",
      jwks: { keys: [{ ...JSON.parse(clientJwk), alg: "RS512", use: "sig" }] },
    },
  ],
  jwks: { keys: [signingJwk] },
  adapter: (model: string) => new MemoryAdapter(model, store),
  cookies: { keys: [randomBytes(32).toString("base64url")] },
  enabledJWA: {
    clientAuthSigningAlgValues: ["RS512"],
    idTokenSigningAlgValues: ["RS512"],
    userinfoSigningAlgValues: ["RS512"],
  },
  scopes: ["openid", "profile", "email"],
  claims: {
    openid: ["sub"],
    profile: ["family_name", "given_name", "birthdate"],
    email: ["email", "email_verified"],
  },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    userinfo: { enabled: true },
    jwtUserinfo: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // The resource only when the client names it (client_credentials): the code flow's access
      // token stays without an audience, as oidc-provider's UserInfo requires.
      defaultResource: async (_ctx: unknown, _client: unknown, oneOf?: string) => oneOf,
      useGrantedResource: async () => false,
      getResourceServerInfo: async (_ctx: unknown, indicator: string) => {
        if (indicator !== resource) throw new InvalidTarget(`unknown resource ${indicator}`);
        return { scope: "api", audience: resource, accessTokenFormat: "jwt", accessTokenTTL: 300, jwt: { sign: { alg: "RS512" } } };
      },
    },
  },
  ttl: {
    AccessToken: 300,
    AuthorizationCode: 60,
    ClientCredentials: 300,
    IdToken: 3600,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
  },
  interactions: { url: async (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
  // The same person for every flow (the simulator signs its persona in the same way).
  findAccount: async (_ctx: unknown, sub: string) => ({
    accountId: sub,
    claims: async () => ({
      sub,
      family_name: "MILLAR",
      given_name: "Mona",
      birthdate: "1968-02-12",
      email: "mona.millar@example.org",
      email_verified: true,
    }),
  }),
  // No consent step: the session's grant when it has one, else a grant of the requested OpenID scopes.
  loadExistingGrant: async (ctx: OidcContext) => {
    const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
    if (existing) return existing;
    const grant = new ctx.oidc.provider.Grant({ accountId: ctx.oidc.session.accountId!, clientId: ctx.oidc.client.clientId });
    grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes].join(" "));
    await grant.save();
    return grant;
  },
  renderError: async (ctx: { type: string; body: unknown }, out: Record<string, string>) => {
    ctx.type = "json";
    ctx.body = out;
  },
});

let serverErrors = 0;
provider.on("server_error", (_ctx: unknown, err: unknown) => {
  if (++serverErrors <= 5) process.stderr.write(`[oidc-provider] server_error: ${(err as Error)?.stack ?? String(err)}\n`);
});

const handle = provider.callback();
server.on("request", (req: IncomingMessage, res: ServerResponse) => {
  if (req.method === "GET" && req.url?.startsWith("/interaction/")) {
    void finishLogin(req, res);
    return;
  }
  handle(req, res);
});

/** The login page of a load generator: the interaction is finished at once, as `accountId`. */
async function finishLogin(req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
  } catch (err) {
    res.statusCode = 400;
    res.setHeader("content-type", "text/plain");
    res.end(`interaction: ${(err as Error).message}`);
  }
}

serveParent(
  { issuer, tokenEndpoint: `${issuer}/token`, authorizationEndpoint: `${issuer}/auth`, userinfoEndpoint: `${issuer}/me`, resource },
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);
