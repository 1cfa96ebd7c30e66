/**
 * Judge an `asserted_login_identity` presented at /authorize (EIS §3.4.1 T1; docs:single-sign-on;
 * SSO-04..09, SSO-11, TTL-05): a JWT signed by RP1 with its registered key, `iss` RP1, `code` the
 * `jti` of an ID token the simulator issued to RP1 and still valid (a modelling choice: the EIS
 * does not say how old that ID token may be), `jti` and `iat` present, `iat` not in the future,
 * `exp` at most 60 s after `iat` and at most 60 s away and not past, never used before, and single sign-on configured for
 * the pair (the presenting client's `ssoFrom` names RP1). Honoured, it gives the sign-in behind
 * that ID token, which the request then reuses as an NHS login session; refused, the reason, and
 * the request goes on as if there were none (a person signs in, or `prompt=none` fails).
 *
 * @example
 * ```ts
 * const judged = await judgeAssertedIdentity(ctx, token, client.clientId)
 * if (judged.ok) judged.session.authTime // the original authentication's time
 * ```
 */
import { decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import type { SimulatorContext } from "./context.ts";
import { applyHook } from "./hooks/apply-hook.ts";
import type { IdTokenRecord } from "./state.ts";

/** Longest asserted_login_identity looked at, in characters. */
const MAX_LENGTH = 8192;

export type AssertedIdentityJudgement = { ok: true; rp1: string; session: IdTokenRecord } | { ok: false; reason: string };

export async function judgeAssertedIdentity(ctx: SimulatorContext, token: string, presentedBy: string): Promise<AssertedIdentityJudgement> {
  const refuse = (reason: string): AssertedIdentityJudgement => ({ ok: false, reason });
  if (token.length > MAX_LENGTH) return refuse("it is too large");
  let iss: unknown;
  try {
    decodeProtectedHeader(token);
    iss = decodeJwt(token).iss;
  } catch {
    return refuse("it is not a signed JWT");
  }
  if (typeof iss !== "string") return refuse("it has no iss");
  const rp1 = ctx.clients.get(iss);
  if (!rp1) return refuse(`its iss ${JSON.stringify(iss.slice(0, 100))} is not a registered client`);
  const rules = applyHook(ctx, "assertedIdentityRules", { maxLifetime: 60, futureIat: "refuse", singleUse: true, pairs: "enforce" });
  const now = ctx.now();
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, rp1.publicKey, {
      // The EIS leaves the algorithm open and recommends RS512: the client-assertion policy applies.
      algorithms: [...ctx.clientAssertion.algorithms],
      issuer: rp1.clientId,
      requiredClaims: ["exp", "iat", "jti"],
      currentDate: new Date(now * 1000),
      clockTolerance: ctx.clientAssertion.clockToleranceSeconds,
    }));
  } catch (err) {
    return refuse(`it does not verify with ${rp1.clientId}'s key, or its claims are out of date (${(err as Error).message})`);
  }
  const { exp, iat, jti, code } = payload;
  if (typeof exp !== "number" || typeof iat !== "number" || exp - iat > rules.maxLifetime)
    return refuse(`its exp is more than ${rules.maxLifetime} s after its iat`);
  // Valid for at most 60 s from now, whatever iat says: an iat in the future does not extend it.
  const tolerance = ctx.clientAssertion.clockToleranceSeconds;
  if (iat > now + tolerance && rules.futureIat === "refuse") return refuse("its iat is in the future");
  if (exp - now > rules.maxLifetime) return refuse(`its exp is more than ${rules.maxLifetime} s away`);
  if (typeof jti !== "string" || jti.length === 0) return refuse("its jti is not a non-empty string");
  const session = typeof code === "string" ? await ctx.ops.get("idTokens", code) : undefined;
  if (!session || session.clientId !== rp1.clientId || session.expiresAt <= now)
    return refuse(`its code is not the jti of a valid ID token issued to ${rp1.clientId}`);
  const presenter = ctx.clients.get(presentedBy);
  if (rules.pairs === "enforce" && !presenter?.ssoFrom.has(rp1.clientId))
    return refuse(`single sign-on from ${rp1.clientId} to ${presentedBy} is not configured`);
  const key = `${rp1.clientId} ${jti}`;
  if (!(await ctx.ops.claim("loginAssertions", key, exp)) && rules.singleUse) return refuse("it was used already");
  return { ok: true, rp1: rp1.clientId, session };
}
