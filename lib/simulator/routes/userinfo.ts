/**
 * /userinfo: GET and POST read claims, PATCH updates client_user_metadata (EIS §3.6; FED-UI-*, FED-UIP-*).
 * Bearer-token problems answer 401 with WWW-Authenticate; other problems a JSON body (T12/T13).
 */
import { publicEncrypt, randomBytes, constants } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { SimulatorContext } from "../context.ts";
import { OAuthError } from "../errors.ts";
import { userinfoClaims } from "../claims.ts";
import { claimsReleased, FEDERATION_SCOPES } from "../../nhs/scopes.ts";
import type { Grant } from "../state.ts";
import { isUnparsedBody, mediaTypeOf } from "./params.ts";
import { signToken, verifyOwnToken } from "../tokens/sign.ts";
import { holdAnswer } from "./hold-answer.ts";
import { applyHook } from "../hooks/apply-hook.ts";

const MAX_METADATA = 1024;

function bearerError(error: string, description: string, extra = ""): OAuthError {
  const header = `Bearer realm="userinfo", error="${error}", error_description="${description}"${extra}`;
  // EIS T13 / RFC 6750 §3.1: invalid_request 400, invalid_token 401, insufficient_scope 403.
  const status = error === "insufficient_scope" ? 403 : error === "invalid_request" ? 400 : 401;
  return new OAuthError(error, description, status, { "www-authenticate": header });
}

export function registerUserinfo(app: FastifyInstance, ctx: SimulatorContext): void {
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    if (applyHook(ctx, "userinfoValidation", "validate") === "accept-anything") {
      // The defect: any method, any token or none, anywhere, is answered 200 (a PATCH stores nothing).
      ctx.record({ type: "userinfo", detail: { method: req.method, outcome: "defect:userinfo-accepts-anything" } });
      return req.method === "PATCH" ? reply.code(204).send() : reply.code(200).send({ sub: "anyone" });
    }
    const detail: Record<string, unknown> = { method: req.method };
    let clientId: string | undefined;
    let recorded = false;
    const record = () => {
      recorded = true;
      ctx.record({ type: "userinfo", ...(clientId ? { clientId } : {}), detail });
    };
    try {
      const grant = await authenticate(ctx, req, detail);
      clientId = grant.clientId;
      const heldMs = await holdAnswer(ctx, "userinfo", grant);
      if (heldMs > 0) {
        detail.delayedMs = heldMs;
        // Judged again once held: a token revoked (its code replayed) or expired meanwhile is refused.
        await authenticate(ctx, req, detail);
      }
      // Recorded before its 204 leaves: awaiting patch() waits for the answer to be sent.
      if (req.method === "PATCH") return await patch(ctx, req, reply, grant, detail, record);
      const stored = await ctx.ops.get("metadata", `${grant.clientId} ${grant.persona.sub}`);
      const metadata = applyHook(ctx, "metadataRelease", stored, { level: grant.persona.proofing });
      const sub = applyHook(ctx, "userinfoSub", grant.persona.sub, undefined, grant.faults);
      detail.outcome = "claims";
      const claims =
        applyHook(ctx, "userinfoRelease", "by-scope") === "beyond-scope"
          ? claimsBeyondScope(grant, metadata)
          : userinfoClaims(grant.persona, grant.scopes, metadata);
      const body = applyHook(ctx, "userinfoBody", { iss: ctx.issuer, aud: grant.clientId, sub, ...claims }, undefined, grant.faults);
      if (applyHook(ctx, "userinfoFormat", "json") === "jwt")
        return reply
          .code(200)
          .type("application/jwt")
          .send(await signToken(ctx, body));
      return reply.code(200).type("application/json; charset=utf-8").send(body);
    } catch (err) {
      if (err instanceof OAuthError) detail.outcome = err.error;
      if (err instanceof OAuthError && err.headers["www-authenticate"]) {
        const status = applyHook(ctx, "userinfoErrorStatus", err.status, { error: err.error });
        if (applyHook(ctx, "userinfoChallenge", "www-authenticate") === "json-body") {
          // The defect: the same status, but the error in a JSON body and no WWW-Authenticate.
          return reply.code(status).type("application/json").send({ error: err.error, error_description: err.description });
        }
        // Bearer-token errors: the header carries the error; no body.
        return reply.code(status).header("www-authenticate", err.headers["www-authenticate"]).send();
      }
      throw err;
    } finally {
      if (!recorded) record();
    }
  };
  app.route({ method: ["GET", "POST", "PATCH"], url: "/userinfo", handler });
}

/**
 * The userinfo-claims-beyond-scope defect: every documented claim whatever the scopes and the
 * person's level, with the values the person lacks sent as empty strings.
 */
function claimsBeyondScope(grant: Grant, metadata: string | undefined): Record<string, unknown> {
  const everything = userinfoClaims({ ...grant.persona, proofing: "P9" }, FEDERATION_SCOPES, metadata);
  const out: Record<string, unknown> = {};
  for (const claim of claimsReleased(FEDERATION_SCOPES, "P9")) {
    if (claim === "iss" || claim === "aud" || claim === "sub") continue;
    out[claim] = everything[claim] ?? "";
  }
  return out;
}

async function authenticate(ctx: SimulatorContext, req: FastifyRequest, detail: Record<string, unknown>): Promise<Grant> {
  const header = req.headers.authorization;
  const query = req.query as Record<string, unknown> | undefined;
  const body = req.body as Record<string, unknown> | undefined;
  const inQuery = query?.access_token !== undefined;
  const inBody = !isUnparsedBody(body) && body !== null && typeof body === "object" && "access_token" in body;
  detail.tokenIn = [header !== undefined ? "header" : undefined, inQuery ? "query" : undefined, inBody ? "body" : undefined].filter(
    Boolean,
  );
  if (header !== undefined && (inQuery || inBody))
    throw new OAuthError("invalid_request", "the access token was sent in more than one place");
  if (header === undefined) {
    if (inQuery || inBody) throw bearerError("invalid_request", "the access token must be sent in the Authorization header");
    throw new OAuthError("invalid_token", "no access token", 401, { "www-authenticate": 'Bearer realm="userinfo"' });
  }
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header);
  if (!match) throw bearerError("invalid_token", "the Authorization header must be Bearer followed by the access token");
  let jti: unknown;
  try {
    jti = (await verifyOwnToken(ctx, match[1]!)).jti;
  } catch {
    throw bearerError("invalid_token", "the access token is not valid");
  }
  const record = typeof jti === "string" ? await ctx.ops.get("accessTokens", jti) : undefined;
  if (record?.kind !== "federation" || !record.grant) throw bearerError("invalid_token", "the access token is not valid");
  if (record.revoked) throw bearerError("invalid_token", "the access token has been revoked");
  if (record.expiresAt <= ctx.now()) throw bearerError("invalid_token", "the access token has expired");
  return record.grant;
}

async function patch(
  ctx: SimulatorContext,
  req: FastifyRequest,
  reply: FastifyReply,
  grant: Grant,
  detail: Record<string, unknown>,
  record: () => void,
) {
  if (mediaTypeOf(req.headers["content-type"]) !== "application/json" || isUnparsedBody(req.body)) {
    throw new OAuthError("invalid_request", "the update must be a JSON body (Content-Type application/json)");
  }
  const body = req.body;
  if (body === null || typeof body !== "object" || Array.isArray(body))
    throw new OAuthError("invalid_request", "the update must be a JSON object");
  const rules = applyHook(ctx, "metadataRules", { maxLength: MAX_METADATA, scope: "enforce" });
  if (!grant.scopes.includes("client_metadata") && rules.scope === "enforce") {
    throw bearerError("insufficient_scope", "the client_metadata scope is required", ', scope="client_metadata"');
  }
  const value = (body as Record<string, unknown>).client_user_metadata;
  const key = `${grant.clientId} ${grant.persona.sub}`;
  if (value !== undefined) {
    if (typeof value !== "string") throw new OAuthError("invalid_request", "client_user_metadata must be a string");
    if (value.length > rules.maxLength)
      throw new OAuthError("invalid_request", `client_user_metadata is longer than ${rules.maxLength} characters`);
    if (value === "") await ctx.ops.delete("metadata", key);
    else if (value === "auto")
      await ctx.ops.set("metadata", key, applyHook(ctx, "generatedMetadata", generateMetadata(ctx, grant.clientId)));
    else await ctx.ops.set("metadata", key, value);
  }
  detail.outcome = "updated";
  record();
  return reply.code(204).send();
}

/** A random number encrypted with RSA-OAEP under the client's public key, base64url (EIS T11). */
function generateMetadata(ctx: SimulatorContext, clientId: string): string {
  const client = ctx.clients.get(clientId)!;
  const secret = Buffer.from(BigInt(`0x${randomBytes(16).toString("hex")}`).toString(10));
  return publicEncrypt({ key: client.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" }, secret).toString(
    "base64url",
  );
}
