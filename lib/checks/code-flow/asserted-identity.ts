/**
 * What NHS login does with an `asserted_login_identity` (EIS §3.4.1 T1; docs:single-sign-on;
 * SSO-06, SSO-09, SSO-11, TTL-05), told by `auth_time` as the single sign-on checks are: a
 * honoured assertion signs the person in silently, with the authentication time of the sign-in
 * behind the ID token it names. Every request carries `prompt=none` and no NHS login cookie, so
 * the only way to a code is the assertion; a refused one ends in an error.
 *
 * - the harness's client signs in and asserts that sign-in for its own uplift journey, a pair with
 *   single sign-on configured: honoured, silently (SSO-11's configured half);
 * - the same assertion again: refused, it is single-use (SSO-09, TTL-05);
 * - a fresh one whose `exp` is 120 s after its `iat`, and one whose `iat` is 10 minutes ahead:
 *   refused (SSO-06, TTL-05: valid for at most 60 s);
 * - a fresh valid one presented by the harness's second client, a pair nobody configured: refused
 *   (SSO-11). Without a second client that half is skipped, with the reason.
 *
 * It needs the embedded simulator, which holds the pairs' configuration and the sessions; against
 * a real environment NHS login configures single sign-on per pair, on request.
 *
 * @example
 * ```ts
 * const findings = assertedIdentityFindings(await assertedIdentityProbe(env))
 * ```
 */
import { createAssertedLoginIdentity } from "../../jose/create-asserted-login-identity.ts";
import { deviationStatus, finding, type Finding } from "../../requirements/index.ts";
import type { EnvironmentContext } from "../environment/environment-check.ts";
import { harnessOf } from "./requests.ts";
import { askForCode, type SsoAnswer } from "./sso.ts";

export const ASSERTED_IDENTITY_IDS = ["SSO-06", "SSO-09", "SSO-11", "TTL-05"] as const;

export interface AssertedIdentityObservation {
  /** The sign-in whose ID token the assertions name. */
  first: SsoAnswer;
  /** A valid assertion, presented by the same client (configured). */
  honoured?: SsoAnswer;
  /** The same assertion again. */
  reused?: SsoAnswer;
  /** A fresh assertion with exp 120 s after iat. */
  longLived?: SsoAnswer;
  /** A fresh assertion whose iat is 10 minutes ahead (exp 60 s after it). */
  future?: SsoAnswer;
  /** A fresh valid assertion presented by another client (not configured), or why there was none. */
  unconfigured?: SsoAnswer | { skipped: string };
}

export async function assertedIdentityProbe(env: EnvironmentContext): Promise<AssertedIdentityObservation> {
  const harness = harnessOf(env);
  const first = await askForCode(env, "a sign-in of the harness's client (no session)", {});
  const out: AssertedIdentityObservation = { first };
  if (first.problem || first.error || first.jti === undefined) return out;
  const assert = (lifetimeSeconds?: number) =>
    createAssertedLoginIdentity({
      clientId: harness.clientId,
      privateKey: harness.privateKey,
      idTokenJti: first.jti!,
      ...(lifetimeSeconds !== undefined ? { lifetimeSeconds } : {}),
    });
  const valid = await assert();
  const present = (label: string, token: string, client?: { clientId: string; privateKey: import("node:crypto").KeyObject }) =>
    askForCode(env, label, { prompt: "none", asserted_login_identity: token }, client ? { client } : {});
  out.honoured = await present("a valid asserted_login_identity presented by the same client (its uplift journey, configured)", valid);
  out.reused = await present("the same asserted_login_identity presented a second time", valid);
  out.longLived = await present("a fresh asserted_login_identity whose exp is 120 s after its iat", await assert(120));
  out.future = await present(
    "a fresh asserted_login_identity whose iat is 10 minutes ahead (exp 60 s after it)",
    await createAssertedLoginIdentity({
      clientId: harness.clientId,
      privateKey: harness.privateKey,
      idTokenJti: first.jti,
      now: Math.floor(Date.now() / 1000) + 600,
    }),
  );
  const second = env.provisionAccount;
  out.unconfigured =
    second && second.clientId !== harness.clientId
      ? await present(
          `a fresh valid asserted_login_identity presented by another client (${second.clientId}), a pair not configured`,
          await assert(),
          second,
        )
      : { skipped: "the unconfigured pair needs a second client of the harness (NHSLOGIN_PA_CLIENT_ID, a client of its own)" };
  return out;
}

/** Whether an answer is a silent sign-in with the first sign-in's authentication time. */
function silent(a: SsoAnswer, authTime: number): boolean {
  return a.error === undefined && a.problem === undefined && a.authTime === authTime;
}

/** The errors prompt=none gives when nobody can be signed in silently: what refusing an assertion looks like. */
export const NO_SILENT_SIGN_IN = ["sso_login_required", "login_required", "interaction_required"];

/**
 * A refusal: one of the errors of {@link NO_SILENT_SIGN_IN}, or a code from a new authentication
 * (auth_time not the first one's). Another error says the request was refused for something else,
 * so the rule under test was not exercised: inconclusive.
 */
function refusedFindings(ids: readonly string[], a: SsoAnswer | undefined, authTime: number): Finding[] {
  if (!a) return [];
  if (a.problem) return ids.map((id) => finding(id, "inconclusive", `${a.label}: ${a.problem}`));
  if (a.error !== undefined && !NO_SILENT_SIGN_IN.includes(a.error))
    return ids.map((id) =>
      finding(id, "inconclusive", `${a.label}: error=${a.error}, a refusal of the request itself, so the assertion was not judged`),
    );
  if (silent(a, authTime))
    return ids.map((id) =>
      finding(
        id,
        deviationStatus(id),
        `${a.label}: a code with the first sign-in's auth_time ${authTime} (silent sign-in), expected a refusal`,
      ),
    );
  const how = a.error ? `error=${a.error}` : `a new authentication (auth_time ${a.authTime})`;
  return ids.map((id) => finding(id, "passed", `${a.label}: not honoured (${how})`));
}

export function assertedIdentityFindings(o: AssertedIdentityObservation): Finding[] {
  const first = o.first;
  if (first.problem || first.error || first.authTime === undefined || first.jti === undefined) {
    const why = first.problem ?? (first.error ? `error=${first.error}` : "its ID token has no auth_time or jti");
    return ASSERTED_IDENTITY_IDS.map((id) =>
      finding(id, "inconclusive", `no sign-in to assert: ${first.label} gave nothing to name (${why})`),
    );
  }
  const t = first.authTime;
  const honoured = o.honoured!;
  if (!silent(honoured, t)) {
    const how = honoured.problem ?? (honoured.error ? `error=${honoured.error}` : `auth_time ${honoured.authTime}, not ${t}`);
    return [
      honoured.problem
        ? finding("SSO-11", "inconclusive", `${honoured.label}: ${honoured.problem}`)
        : finding("SSO-11", deviationStatus("SSO-11"), `${honoured.label}: not honoured (${how}), expected a silent sign-in`),
      ...(["SSO-06", "SSO-09", "TTL-05"] as const).map((id) =>
        finding(id, "inconclusive", `no valid asserted_login_identity was honoured (${how}), so a refusal would show nothing`),
      ),
    ];
  }
  const out: Finding[] = [finding("SSO-11", "passed", `${honoured.label}: a silent sign-in with the first sign-in's auth_time ${t}`)];
  out.push(...refusedFindings(["SSO-09", "TTL-05"], o.reused, t));
  out.push(...refusedFindings(["SSO-06", "TTL-05"], o.longLived, t));
  out.push(...refusedFindings(["SSO-06", "TTL-05"], o.future, t));
  const u = o.unconfigured;
  if (u && "skipped" in u) out.push(finding("SSO-11", "skipped", u.skipped));
  else out.push(...refusedFindings(["SSO-11"], u, t));
  return out;
}
