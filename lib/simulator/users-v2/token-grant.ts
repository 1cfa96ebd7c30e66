/**
 * The Users Endpoint V2 token request at /token (UEV2 §3.2, §4; UEV2-TOKEN-*, UEV2-AT-*): the
 * RFC 7523 jwt-bearer grant, where the signed JWT in `assertion` both authenticates the client
 * and is the grant. Called by routes/token.ts with the single-valued form parameters.
 *
 * - `assertion` missing or empty, or `client_assertion`/`client_assertion_type` sent as well or
 *   instead: `invalid_request` (strict to T1, catalogue A24).
 * - `scope` missing: `invalid_request` (UEV2-TOKEN-04). An empty `scope` is accepted (it grants
 *   nothing; /v2/Users then answers T10 row 9).
 * - The assertion is checked by {@link verifyClientAssertion} (RS512, iss = sub = client_id, aud the
 *   token endpoint, exp, single-use jti): any failure is `invalid_client`.
 * - Granted = requested ∩ the client's approved Users V2 scopes, restricted to the Users.retrieve
 *   scope of this simulator and the optional scopes of T14. A token is issued even when nothing is
 *   granted; /v2/Users then answers the 403 rows of Table 10 (rows 9 to 11) from what was asked.
 * - Defects: `uev2-assertion-rs256-accepted` lets an RS256 assertion through here only (the
 *   `usersV2AssertionAlgorithms` hook; the federation grant stays RS512); `uev2-scope-optional`
 *   reads a missing `scope` as every approved scope (`usersV2MissingScope`);
 *   `uev2-token-lifetime-wrong` makes the token live 3600 s (`expires_in` and `exp - iat`);
 *   `uev2-access-token-claims-wrong` leaves out `token_use` and says `reason_for_request`
 *   "patientaccess".
 *
 * @example
 * ```ts
 * // POST /token  grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<RS512 JWT>&scope=<Users.retrieve URL> profile
 * const body = await handleJwtBearerGrant(ctx, params)
 * // { access_token: "eyJ...", token_type: "Bearer", expires_in: 300, scope: "<Users.retrieve URL> profile" }
 * ```
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { SimulatorContext } from "../context.ts";
import { TTL } from "../context.ts";
import { OAuthError } from "../errors.ts";
import { decodeForRecord } from "../tokens/decode-for-record.ts";
import { verifyClientAssertion } from "../client-auth.ts";
import { applyHook, isHooked } from "../hooks/apply-hook.ts";
import { signToken } from "../tokens/sign.ts";
import { splitScope, USERS_V2_OPTIONAL_SCOPES } from "../../nhs/scopes.ts";

/** Handle `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`; returns the JSON token response. */
export async function handleJwtBearerGrant(
  ctx: SimulatorContext,
  params: Record<string, string>,
  /** The token route's event detail, filled in when given. */
  detail?: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (params.client_assertion !== undefined || params.client_assertion_type !== undefined) {
    throw new OAuthError("invalid_request", "the jwt-bearer grant carries its JWT in assertion; client_assertion is not used");
  }
  if (!params.assertion) throw new OAuthError("invalid_request", "assertion is required");
  // Without the defect that reads it as every approved scope, a missing scope is refused before the assertion is used.
  const lenientScope = isHooked(ctx, "usersV2MissingScope");
  if (params.scope === undefined && !lenientScope) throw new OAuthError("invalid_request", "scope is required");
  const recorded = decodeForRecord(params.assertion);
  if (detail) detail.assertion = recorded;

  const algorithms = applyHook(ctx, "usersV2AssertionAlgorithms", ctx.clientAssertion.algorithms);
  const { client } = await verifyClientAssertion(ctx, params.assertion, params.client_id, algorithms, recorded);
  if (detail) Object.assign(detail, { clientId: client.clientId, clientAuthenticated: true });
  const { faults } = await ctx.ops.takeCallFaults(client.clientId, "token");
  if (detail && faults.length > 0) detail.faults = faults;
  const refusal = applyHook(ctx, "usersV2TokenError", undefined, undefined, faults);
  if (refusal) throw new OAuthError(refusal, "simulated token endpoint error (Users V2 fault)");

  const grantable = new Set<string>([ctx.usersScope, ...USERS_V2_OPTIONAL_SCOPES]);
  const approved = new Set(client.usersV2Scopes.filter((s) => grantable.has(s)));
  const scope = params.scope ?? applyHook(ctx, "usersV2MissingScope", undefined, { approved: [...approved] });
  if (scope === undefined) throw new OAuthError("invalid_request", "scope is required");
  const requested = splitScope(scope);
  const granted = requested.filter((s) => approved.has(s));

  const now = ctx.now();
  const jti = randomUUID();
  const lifetime = applyHook(ctx, "usersV2TokenLifetime", TTL.usersV2AccessToken, undefined, faults);
  const claims = applyHook(ctx, "usersV2AccessTokenClaims", {
    iss: ctx.issuer,
    sub: client.clientId,
    aud: client.clientId,
    iat: now,
    exp: now + lifetime,
    scope: granted.join(" "),
    version: 0,
    client_id: client.clientId,
    reason_for_request: "directcare",
    requesting_system: client.clientId,
    token_use: "access",
    jti,
  });
  let token = await signToken(ctx, claims);
  if (applyHook(ctx, "usersV2OpaqueToken", false, undefined, faults)) {
    // A token the consumer cannot read (UEV2-AT-13: it is to be treated as opaque).
    token = `opaque.${randomBytes(24).toString("base64url")}`;
    await ctx.ops.set("opaqueAccessTokens", token, jti);
  }
  await ctx.ops.set("accessTokens", jti, {
    kind: "users-v2",
    clientId: client.clientId,
    expiresAt: now + lifetime,
    requestedScopes: requested,
    grantedScopes: granted,
  });
  if (detail) Object.assign(detail, { grant: "users-v2", requestedScopes: requested, grantedScopes: granted });
  return applyHook(ctx, "usersV2TokenResponse", {
    access_token: token,
    token_type: "Bearer",
    expires_in: lifetime,
    scope: granted.join(" "),
  });
}
