/**
 * The Provision Account token request at /token (PA §3.2, §4; PA-01..04): the client_credentials
 * grant, the client authenticated by its RS512 `private_key_jwt` assertion (verified by
 * routes/token.ts before this is called, as for every grant). Only a client registered with
 * `provisionAccount` ODS codes is served; any other is refused `unauthorized_client`. The access
 * token is a JWT signed RS512 with `iss`, `sub` and `aud` (the client id), `iat` and `exp` 300 s
 * later (PA T14), and a `jti` the simulator keeps to recognise it at /provision-account. A
 * `scope` parameter is not in PA Table 1: it is recorded and ignored.
 *
 * Hooks: `paTokenLifetime` (a defect, and the per-call fault `pa-token-short-lived`) and `paAccessTokenClaims` (a defect).
 *
 * @example
 * ```ts
 * // POST /token  grant_type=client_credentials&client_assertion_type=...jwt-bearer&client_assertion=<RS512 JWT>
 * await handleClientCredentialsGrant(ctx, auth, detail)
 * // { access_token: "eyJ...", token_type: "Bearer", expires_in: 300 }
 * ```
 */
import { randomUUID } from "node:crypto";
import type { SimulatorContext } from "../context.ts";
import type { AuthenticatedClient } from "../client-auth.ts";
import { OAuthError } from "../errors.ts";
import { applyHook } from "../hooks/apply-hook.ts";
import { signToken } from "../tokens/sign.ts";
import { PA_ACCESS_TOKEN_SECONDS } from "../../nhs/provision-account/codes.ts";

export async function handleClientCredentialsGrant(
  ctx: SimulatorContext,
  auth: AuthenticatedClient,
  detail?: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const client = auth.client;
  if (client.paOdsCodes.length === 0)
    throw new OAuthError("unauthorized_client", "this client is not approved for Provision Account (client_credentials)");
  const { faults } = await ctx.ops.takeCallFaults(client.clientId, "pa-token");
  if (detail && faults.length > 0) detail.faults = faults;
  const now = ctx.now();
  const jti = randomUUID();
  const lifetime = applyHook(ctx, "paTokenLifetime", PA_ACCESS_TOKEN_SECONDS, undefined, faults);
  const claims = applyHook(ctx, "paAccessTokenClaims", {
    iss: ctx.issuer,
    sub: client.clientId,
    aud: client.clientId,
    iat: now,
    exp: now + lifetime,
    jti,
  });
  const token = await signToken(ctx, claims);
  await ctx.ops.set("accessTokens", jti, { kind: "provision-account", clientId: client.clientId, expiresAt: now + lifetime });
  if (detail) detail.grant = "provision-account";
  return { access_token: token, token_type: "Bearer", expires_in: lifetime };
}
