/**
 * POST /token (EIS §3.5; FED-TOKEN-*, FED-TRESP-*, FED-REFRESH-*; UEV2 §3.2 for the jwt-bearer grant;
 * PA §3.2 for the client_credentials grant of Provision Account).
 *
 * Defects change it at the hook points `tokenRequestTypes`, `clientAuthentication` (lax: no check
 * of `client_assertion_type`, a second authentication method ignored, a registered `client_id`
 * accepted without an assertion; see client-auth.ts), `codeReuse`, `codeGrantError`,
 * `refreshGrant`, `tokenResponseBody`, `tokenResponseHeaders` (also on errors) and `tokenErrorShape`;
 * the jwt-bearer grant's refusals also pass `usersV2TokenErrorCode`.
 */
import { createHash, randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { SimulatorContext } from "../context.ts";
import { TTL } from "../context.ts";
import { OAuthError } from "../errors.ts";
import { decodeForRecord } from "../tokens/decode-for-record.ts";
import { authenticateLaxly, verifyClientAssertion, type AuthenticatedClient } from "../client-auth.ts";
import { mintAccessToken, mintIdToken } from "../tokens/mint-tokens.ts";
import { handleJwtBearerGrant } from "../users-v2/token-grant.ts";
import { handleClientCredentialsGrant } from "../provision-account/token-grant.ts";
import { splitScope } from "../../nhs/scopes.ts";
import { holdAnswer } from "./hold-answer.ts";
import { applyHook, isHooked } from "../hooks/apply-hook.ts";
import { isUnparsedBody, mediaTypeOf, singleParams } from "./params.ts";
import { sendError } from "./error-handling.ts";
import type { Grant } from "../state.ts";
import { CLIENT_ASSERTION_TYPE, JWT_BEARER_GRANT_TYPE } from "../../nhs/constants.ts";

export function registerToken(app: FastifyInstance, ctx: SimulatorContext): void {
  app.post("/token", { errorHandler: (err, req, reply) => sendTokenError(ctx, req, reply, err) }, async (req, reply) => {
    const contentType = mediaTypeOf(req.headers["content-type"]);
    const detail: Record<string, unknown> = { contentType, method: req.method };
    try {
      const accepted = applyHook(ctx, "tokenRequestTypes", ["application/x-www-form-urlencoded"]);
      if (!accepted.includes(contentType) || isUnparsedBody(req.body)) {
        throw new OAuthError("invalid_request", "the token request must be application/x-www-form-urlencoded");
      }
      const params = singleParams(req.body);
      detail.params = describeParams(params);
      detail.hasAuthorizationHeader = req.headers.authorization !== undefined;
      const body = await handle(ctx, params, req.headers.authorization, detail);
      detail.outcome = "issued";
      return sendTokenResponse(ctx, reply, body);
    } catch (caught) {
      let err = caught;
      // A defect may answer the jwt-bearer grant's refusals with another code (the usersV2TokenErrorCode hook).
      if (err instanceof OAuthError && (detail.params as Record<string, string> | undefined)?.grant_type === JWT_BEARER_GRANT_TYPE) {
        const code = applyHook(ctx, "usersV2TokenErrorCode", err.error);
        if (code !== err.error) err = new OAuthError(code, err.description, err.status, err.headers);
      }
      if (err instanceof OAuthError) {
        detail.outcome = err.error;
        detail.reason = err.description;
      }
      throw err;
    } finally {
      ctx.record({ type: "token", clientId: detail.clientId as string | undefined, detail });
    }
  });
}

/** RFC 6749 §5.1: token responses are not to be cached. */
const NO_STORE = Object.freeze({ "cache-control": "no-store", pragma: "no-cache" });

function sendTokenResponse(ctx: SimulatorContext, reply: FastifyReply, body: Record<string, unknown>): FastifyReply {
  reply.headers(applyHook(ctx, "tokenResponseHeaders", { ...NO_STORE }));
  return reply.code(200).type("application/json").send(body);
}

/** Send a token error, shaped by the hooks when a defect changes it (else as every endpoint does). */
function sendTokenError(ctx: SimulatorContext, req: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const status = err instanceof OAuthError ? err.status : (err as { statusCode?: unknown } | undefined)?.statusCode;
  const hooked = isHooked(ctx, "tokenErrorShape") || isHooked(ctx, "tokenResponseHeaders");
  if (!hooked || typeof status !== "number" || status >= 500) return sendError(req, reply, err);
  const shape = applyHook(ctx, "tokenErrorShape", { codes: "as-raised", body: "json" });
  const oauth = err instanceof OAuthError ? err : new OAuthError("invalid_request", "request is malformed");
  const sent = shape.codes === "invalid_request" ? new OAuthError("invalid_request", oauth.description, 400) : oauth;
  reply.headers(applyHook(ctx, "tokenResponseHeaders", { ...NO_STORE }));
  for (const [k, v] of Object.entries(sent.headers)) reply.header(k, v);
  reply.code(sent.status);
  if (shape.body === "text") return reply.type("text/plain; charset=utf-8").send(sent.status === 401 ? "Unauthorized" : "Bad Request");
  return reply.type("application/json; charset=utf-8").send({ error: sent.error, error_description: sent.description });
}

async function handle(
  ctx: SimulatorContext,
  params: Record<string, string>,
  authorization: string | undefined,
  detail: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const grantType = params.grant_type;
  if (!grantType) throw new OAuthError("invalid_request", "grant_type is required");
  const lax = applyHook(ctx, "clientAuthentication", "verify") === "lax";
  if (authorization !== undefined && !(lax && (params.client_assertion !== undefined || params.client_id !== undefined))) {
    if (params.client_assertion !== undefined || params.assertion !== undefined) {
      throw new OAuthError("invalid_request", "use exactly one client authentication method");
    }
    const scheme = authorization.split(" ")[0] || "Basic";
    throw new OAuthError("invalid_client", "only private_key_jwt client authentication is supported", 401, {
      "www-authenticate": `${scheme.replace(/[^A-Za-z]/g, "") || "Basic"} realm="token"`,
    });
  }
  if (grantType === JWT_BEARER_GRANT_TYPE) return handleJwtBearerGrant(ctx, params, detail);
  if (grantType !== "authorization_code" && grantType !== "refresh_token" && grantType !== "client_credentials") {
    throw new OAuthError(
      "unsupported_grant_type",
      "grant_type must be authorization_code, refresh_token, client_credentials or the jwt-bearer grant",
    );
  }
  let auth: AuthenticatedClient;
  if (lax) {
    if (params.client_assertion) detail.assertion = decodeForRecord(params.client_assertion);
    auth = authenticateLaxly(ctx, params.client_assertion, params.client_id);
  } else {
    if (params.client_assertion_type === undefined && params.client_assertion === undefined) {
      // No client authentication at all is invalid_client (RFC 6749 §5.2; FED-REG-07, FED-REFRESH-02).
      throw new OAuthError("invalid_client", "client authentication is required (private_key_jwt)");
    }
    if (params.client_assertion_type === undefined) throw new OAuthError("invalid_request", "client_assertion_type is required");
    if (params.client_assertion_type !== CLIENT_ASSERTION_TYPE)
      throw new OAuthError("invalid_client", `client_assertion_type must be ${CLIENT_ASSERTION_TYPE}`);
    if (!params.client_assertion) throw new OAuthError("invalid_client", "client_assertion is required");
    // Record the assertion decoded (header and claims only) before verifying, so checks see what was sent.
    const recorded = decodeForRecord(params.client_assertion);
    detail.assertion = recorded;
    auth = await verifyClientAssertion(ctx, params.client_assertion, params.client_id, undefined, recorded);
  }
  detail.clientId = auth.client.clientId;
  detail.clientAuthenticated = !lax;
  if (grantType === "client_credentials") return handleClientCredentialsGrant(ctx, auth, detail);
  return grantType === "authorization_code" ? codeGrant(ctx, params, auth, detail) : refreshGrant(ctx, params, auth);
}

async function codeGrant(
  ctx: SimulatorContext,
  params: Record<string, string>,
  auth: AuthenticatedClient,
  detail: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (!params.code) throw new OAuthError("invalid_request", "code is required");
  if (params.redirect_uri === undefined) throw new OAuthError("invalid_request", "redirect_uri is required");
  // A defect may redeem a code as often as it is presented (the codeReuse hook). A replayed code is
  // refused, and what the first redemption produced is revoked, even if it is issued later (RFC 6749 §4.1.2).
  const refuseReplay = applyHook(ctx, "codeReuse", "refuse") === "refuse";
  const record = await ctx.ops.redeemCode(params.code, refuseReplay);
  const now = ctx.now();
  if (!record) throw new OAuthError("invalid_grant", "the authorization code is not valid");
  detail.codeReused = record.replayed;
  if (record.replayed && refuseReplay) throw new OAuthError("invalid_grant", "the authorization code has already been used");
  if (record.expiresAt <= now) throw new OAuthError("invalid_grant", "the authorization code has expired");
  if (record.grant.clientId !== auth.client.clientId && applyHook(ctx, "codeClientBinding", "enforce") === "enforce")
    throw new OAuthError("invalid_grant", "the authorization code was issued to another client");
  if (record.grant.redirectUri !== params.redirect_uri && applyHook(ctx, "codeRedirectBinding", "enforce") === "enforce")
    throw new OAuthError("invalid_grant", "redirect_uri does not match the authorization request");

  const faultCode = applyHook(ctx, "codeGrantError", undefined, undefined, record.grant.faults);
  if (faultCode) throw new OAuthError(faultCode, "simulated token endpoint error (fault scenario)");

  const grant = record.grant;
  const access = await mintAccessToken(ctx, grant);
  const idToken = await mintIdToken(ctx, grant);
  const refreshToken = await issueRefreshToken(ctx, grant, params.code);
  await ctx.ops.noteIssued(params.code, access.jti, refreshToken);
  // Held once the tokens are issued and on the code's record, so that a replay of the code during
  // the hold revokes them as it would any other time.
  const heldMs = await holdAnswer(ctx, "token", grant);
  if (heldMs > 0) detail.delayedMs = heldMs;
  const body = {
    access_token: access.token,
    token_type: "Bearer",
    expires_in: access.expiresIn,
    scope: grant.scopes.join(" "),
    id_token: idToken,
    refresh_token: refreshToken,
  };
  return applyHook(ctx, "tokenResponseBody", body, { grant: "authorization_code" }, grant.faults);
}

async function refreshGrant(
  ctx: SimulatorContext,
  params: Record<string, string>,
  auth: AuthenticatedClient,
): Promise<Record<string, unknown>> {
  if (!params.refresh_token) throw new OAuthError("invalid_request", "refresh_token is required");
  const record = await ctx.ops.get("refreshTokens", params.refresh_token);
  const now = ctx.now();
  if (!record || record.invalid || record.expiresAt <= now) throw new OAuthError("invalid_grant", "the refresh token is not valid");
  if (applyHook(ctx, "refreshGrant", "honour") === "refuse") throw new OAuthError("invalid_grant", "the refresh token is not valid");
  if (record.grant.clientId !== auth.client.clientId)
    throw new OAuthError("invalid_grant", "the refresh token was issued to another client");
  let scopes = record.grant.scopes;
  if (params.scope !== undefined) {
    const asked = splitScope(params.scope);
    const extra = asked.filter((s) => !record.grant.scopes.includes(s));
    if (extra.length > 0) throw new OAuthError("invalid_scope", "the requested scope exceeds the scope originally granted");
    scopes = asked;
  }
  // Rotation: the presented token is superseded by a new one (FED-REFRESH-05), once: of two
  // requests presenting it at the same time, one is refused.
  if (!(await ctx.ops.supersedeRefresh(params.refresh_token))) throw new OAuthError("invalid_grant", "the refresh token is not valid");
  const grant: Grant = { ...record.grant, scopes, faults: [] };
  const access = await mintAccessToken(ctx, grant);
  const refreshToken = await issueRefreshToken(ctx, grant, record.code, record.expiresAt);
  // Tokens derived by refresh descend from the same code: a later replay of it revokes them too.
  if (record.code !== undefined) await ctx.ops.noteIssued(record.code, access.jti, refreshToken);
  const body = {
    access_token: access.token,
    token_type: "Bearer",
    expires_in: access.expiresIn,
    scope: scopes.join(" "),
    refresh_token: refreshToken,
  };
  return applyHook(ctx, "tokenResponseBody", body, { grant: "refresh_token" });
}

async function issueRefreshToken(ctx: SimulatorContext, grant: Grant, code?: string, expiresAt?: number): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  // A rotated token keeps its chain's expiry: 30 days from the code exchange, not from the last refresh.
  const lifetime = () => applyHook(ctx, "grantLifetimes", { code: TTL.code, refreshToken: TTL.refreshToken }).refreshToken;
  const rec: import("../state.ts").RefreshRecord = { grant, expiresAt: expiresAt ?? ctx.now() + lifetime() };
  if (code !== undefined) rec.code = code;
  await ctx.ops.set("refreshTokens", token, rec);
  return token;
}

/** Parameter names and non-secret values for the event log (codes and tokens are not kept). */
function describeParams(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    if (k === "client_assertion" || k === "assertion") out[k] = `<${v.length} chars>`;
    else if (k === "code" || k === "refresh_token") out[k] = fingerprint(v);
    else out[k] = v;
  }
  return out;
}

/** A short, non-reversible fingerprint that identifies a code or token across events. */
export function fingerprint(value: string): string {
  return `sha256:${createHash("sha256").update(value).digest("base64url").slice(0, 16)}`;
}

export { sendError };
