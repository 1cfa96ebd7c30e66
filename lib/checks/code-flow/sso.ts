/**
 * Single sign-on and `prompt` (EIS §3.4.1 T1, T5, §5.1.6.4; SSO-01, SSO-02, SSO-03, VOT-10),
 * told by `auth_time`: a silent SSO keeps the session's authentication time, a new sign-in gets a
 * new one. One browser's session (its cookie) is reused across requests:
 *
 * - no `prompt`, with the session: a code, and the session's auth_time (SSO-01);
 * - `prompt=none`: with the session a code and its auth_time; without it `sso_login_required` (SSO-02);
 * - `prompt=login`, with the session: a new authentication, a later auth_time (SSO-03);
 * - `prompt=none` for vectors the session does not meet (it was made with P9.Cp.Cd, P9.Cm is
 *   asked for): no code, since the person must sign in again (VOT-10).
 *
 * It needs the embedded simulator: against a real environment the sign-ins are a person's, in a
 * browser the harness does not hold.
 *
 * @example
 * ```ts
 * const findings = ssoFindings(await ssoProbe(env))
 * ```
 */
import { decodeJwtSafely } from "../../jose/decode-jwt.ts";
import { isObject } from "../../json/is-object.ts";
import { deviationStatus, finding, type Finding } from "../../requirements/index.ts";
import type { EnvironmentContext } from "../environment/environment-check.ts";
import type { KeyObject } from "node:crypto";
import { harnessOf, tokenRequest, unattendedAuthorize } from "./requests.ts";
import { parseLocation } from "./rules.ts";
import { authorizeParams } from "./sessions.ts";

export const SSO_IDS = ["SSO-01", "SSO-02", "SSO-03", "VOT-10"] as const;

/** What one authorization request got: a code (redeemed: its auth_time and vot) or an error. */
export interface SsoAnswer {
  /** What was asked, e.g. "prompt=none with the session". */
  label: string;
  status: number;
  error?: string;
  code?: string;
  authTime?: number;
  vot?: string;
  /** The ID token's jti. */
  jti?: string;
  /** Why nothing could be read (no redirect, a failed exchange). */
  problem?: string;
}

export interface SsoObservation {
  first: SsoAnswer;
  noPromptWithSession?: SsoAnswer;
  noneWithoutSession?: SsoAnswer;
  noneWithSession?: SsoAnswer;
  noneBeyondSession?: SsoAnswer;
  loginWithSession?: SsoAnswer;
}

/**
 * One unattended authorization request of the harness's client for `openid` at P9.Cp.Cd, plus
 * `extra` parameters, in the browser holding `cookie`; a code is redeemed and its ID token read.
 * `client` asks as another client of the harness (the redirect URI stays the harness's).
 */
export async function askForCode(
  env: EnvironmentContext,
  label: string,
  extra: Record<string, string>,
  options: { cookie?: string; client?: { clientId: string; privateKey: KeyObject } } = {},
): Promise<SsoAnswer & { setCookie?: string }> {
  const query = {
    ...authorizeParams(env, ["openid"], ["P9.Cp.Cd"]),
    ...(options.client ? { client_id: options.client.clientId } : {}),
    ...extra,
  };
  const res = await unattendedAuthorize(env, query, options.cookie);
  const answer: SsoAnswer & { setCookie?: string } = {
    label,
    status: res.status,
    ...(res.setCookie ? { setCookie: res.setCookie } : {}),
  };
  const back = res.location ? parseLocation(res.location, res.url) : undefined;
  if (res.status !== 302 || !back)
    return { ...answer, problem: `the authorization endpoint answered HTTP ${res.status} without a redirect` };
  const error = back.searchParams.get("error");
  if (error) return { ...answer, error };
  const code = back.searchParams.get("code");
  if (!code) return { ...answer, problem: "the redirect carries neither a code nor an error" };
  const exchange = await tokenRequest(
    env,
    { grant_type: "authorization_code", code, redirect_uri: harnessOf(env).redirectUri },
    options.client,
  );
  const body = isObject(exchange.body) ? exchange.body : {};
  const id = decodeJwtSafely(body.id_token);
  if (exchange.status !== 200 || !id.ok)
    return { ...answer, code, problem: `the code exchange answered HTTP ${exchange.status} without an ID token` };
  const authTime = id.payload.auth_time;
  return {
    ...answer,
    code,
    ...(typeof authTime === "number" ? { authTime } : {}),
    ...(typeof id.payload.vot === "string" ? { vot: id.payload.vot } : {}),
    ...(typeof id.payload.jti === "string" ? { jti: id.payload.jti } : {}),
  };
}

export async function ssoProbe(env: EnvironmentContext): Promise<SsoObservation> {
  const ask = (label: string, extra: Record<string, string>, cookie?: string) => askForCode(env, label, extra, cookie ? { cookie } : {});
  const first = await ask("a first sign-in (no session)", {});
  const cookie = first.setCookie;
  const out: SsoObservation = { first };
  if (!cookie || first.problem || first.error) return out;
  // auth_time counts whole seconds: from the next one on, a new authentication cannot share the session's.
  if (first.authTime !== undefined) {
    const wait = (first.authTime + 1) * 1000 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait + 20));
  }
  out.noneWithoutSession = await ask("prompt=none without a session", { prompt: "none" });
  out.noPromptWithSession = await ask("no prompt, with the session", {}, cookie);
  out.noneWithSession = await ask("prompt=none, with the session", { prompt: "none" }, cookie);
  out.noneBeyondSession = await ask(
    "prompt=none for P9.Cm, with a P9.Cp.Cd session",
    { prompt: "none", vtr: JSON.stringify(["P9.Cm"]) },
    cookie,
  );
  out.loginWithSession = await ask("prompt=login, with the session", { prompt: "login" }, cookie);
  return out;
}

export function ssoFindings(o: SsoObservation): Finding[] {
  const out: Finding[] = [];
  const first = o.first;
  if (first.problem || first.error || first.authTime === undefined) {
    const why = first.problem ?? (first.error ? `error=${first.error}` : "its ID token has no auth_time");
    return SSO_IDS.map((id) => finding(id, "inconclusive", `no session to reuse: the first sign-in gave nothing to compare (${why})`));
  }
  if (!o.noneWithoutSession) return SSO_IDS.map((id) => finding(id, "inconclusive", "the first sign-in set no session cookie to reuse"));
  const t = first.authTime;
  const unusable = (id: string, a: SsoAnswer | undefined) =>
    a?.problem ? finding(id, "inconclusive", `${a.label}: ${a.problem}`) : undefined;
  // SSO-01: no prompt, a live session: silent SSO.
  const silent = o.noPromptWithSession!;
  out.push(
    unusable("SSO-01", silent) ??
      (silent.error
        ? finding("SSO-01", deviationStatus("SSO-01"), `${silent.label}: error=${silent.error}, expected a code from the session`)
        : silent.authTime === t
          ? finding("SSO-01", "passed", `${silent.label}: a code, with the session's auth_time ${t} (silent SSO)`)
          : finding(
              "SSO-01",
              deviationStatus("SSO-01"),
              `${silent.label}: auth_time ${silent.authTime}, not the session's ${t}: the person signed in again`,
            )),
  );
  // SSO-02: prompt=none.
  const none = o.noneWithSession!;
  const noSession = o.noneWithoutSession;
  out.push(
    unusable("SSO-02", none) ??
      (none.error
        ? finding("SSO-02", deviationStatus("SSO-02"), `${none.label}: error=${none.error}, expected a code from the session`)
        : none.authTime !== t
          ? finding("SSO-02", deviationStatus("SSO-02"), `${none.label}: auth_time ${none.authTime}, not the session's ${t}`)
          : finding("SSO-02", "passed", `${none.label}: a code with the session's auth_time`)),
  );
  out.push(
    unusable("SSO-02", noSession) ??
      (noSession.error === "sso_login_required"
        ? finding("SSO-02", "passed", `${noSession.label}: error=sso_login_required`)
        : noSession.error
          ? finding("SSO-02", "warning", `${noSession.label}: error=${noSession.error}, the EIS names sso_login_required`)
          : finding("SSO-02", deviationStatus("SSO-02"), `${noSession.label}: a code, although no one could be asked to sign in`)),
  );
  // SSO-03: prompt=login asks again.
  const login = o.loginWithSession!;
  out.push(
    unusable("SSO-03", login) ??
      (login.error
        ? finding("SSO-03", deviationStatus("SSO-03"), `${login.label}: error=${login.error}, expected a new sign-in`)
        : login.authTime !== undefined && login.authTime > t
          ? finding("SSO-03", "passed", `${login.label}: a new authentication (auth_time ${login.authTime} after the session's ${t})`)
          : finding(
              "SSO-03",
              deviationStatus("SSO-03"),
              `${login.label}: auth_time ${login.authTime}, the session's: it was reused without asking`,
            )),
  );
  // VOT-10: a session below the requested vectors is not enough.
  const beyond = o.noneBeyondSession!;
  out.push(
    unusable("VOT-10", beyond) ??
      (beyond.error
        ? finding("VOT-10", "passed", `${beyond.label}: error=${beyond.error} (the person must sign in again)`)
        : finding(
            "VOT-10",
            deviationStatus("VOT-10"),
            `${beyond.label}: a code (vot ${beyond.vot ?? "absent"}) without signing in again, ` +
              "although the session does not meet the vectors",
          )),
  );
  return out;
}
