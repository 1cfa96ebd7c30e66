/**
 * How long a code and a refresh token live (EIS §3.4.5.1 T3, §4.4 T18; FED-ARESP-05, TTL-01,
 * FED-REFRESH-04, TTL-04), observed with the embedded simulator's clock hook for one grant
 * (`env.ageGrant`), so nothing is waited out and no other check's tokens are touched:
 *
 * - a fresh code made 9 minutes old is still redeemed (TTL-01: it lives 10 minutes);
 * - a fresh code made 11 minutes old is refused with invalid_grant (FED-ARESP-05, TTL-01);
 * - a refresh token made 29 days old is still honoured, and the chain made 30 days and an hour
 *   old (its newest token, after rotation) is refused with invalid_grant (FED-REFRESH-04, TTL-04).
 *
 * Each uses a sign-in of its own. Against a real environment these are manual (the `clock`
 * capability): a code left unredeemed for 11 minutes, a refresh token kept for 30 days.
 *
 * @example
 * ```ts
 * const findings = await codeLifetimeProbe(env)
 * ```
 */
import { finding, type Finding } from "../../requirements/index.ts";
import type { EnvironmentContext } from "../environment/environment-check.ts";
import { honouredFindings, refusalFindings, tokenReplyOf, type TokenProbe } from "../token-endpoint/rules.ts";
import { isObject } from "../../json/is-object.ts";
import { exchangeCode, refreshRequest } from "./requests.ts";
import { codeFlowSession, signInOnce, type SessionKind } from "./sessions.ts";

const MINUTE = 60;
const DAY = 24 * 3600;

/** The ages the probes give: just inside and just past each lifetime of EIS Table 18. */
export const PROBE_AGES = Object.freeze({
  codeInside: 9 * MINUTE,
  codePast: 11 * MINUTE,
  refreshInside: 29 * DAY,
  refreshPast: 30 * DAY + 3600,
});

const CODE_IDS = ["FED-ARESP-05", "TTL-01"] as const;
const REFRESH_IDS = ["FED-REFRESH-04", "TTL-04"] as const;

function ageGrantOf(env: EnvironmentContext): NonNullable<EnvironmentContext["ageGrant"]> {
  if (!env.ageGrant) throw new Error(env.unavailable.clock ?? "no clock hook");
  return env.ageGrant;
}

/** A fresh code of the harness's client, from a sign-in of its own. */
async function freshCode(env: EnvironmentContext, kind: SessionKind): Promise<string> {
  const outcome = await signInOnce(env, kind);
  const code = outcome.redirect.searchParams.get("code");
  if (!code) throw new Error(`the ${kind} sign-in gave no code (error=${outcome.redirect.searchParams.get("error") ?? "none"})`);
  return code;
}

/** Describe an age in words for messages: "9 minutes", "30 days and 1 hour". */
export function describeAge(seconds: number): string {
  const days = Math.floor(seconds / DAY);
  const hours = Math.floor((seconds % DAY) / 3600);
  const minutes = Math.floor((seconds % 3600) / MINUTE);
  const parts = [
    days > 0 ? `${days} day${days === 1 ? "" : "s"}` : "",
    hours > 0 ? `${hours} hour${hours === 1 ? "" : "s"}` : "",
    minutes > 0 ? `${minutes} minute${minutes === 1 ? "" : "s"}` : "",
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(" and ") : `${seconds} seconds`;
}

/** FED-ARESP-05, TTL-01: a code is redeemed inside its 10 minutes and refused after them. */
export async function codeLifetimeProbe(env: EnvironmentContext): Promise<Finding[]> {
  const age = ageGrantOf(env);
  const inside = await freshCode(env, "code-aged");
  await age({ code: inside, seconds: PROBE_AGES.codeInside });
  const early: TokenProbe = {
    label: `a fresh code made ${describeAge(PROBE_AGES.codeInside)} old`,
    reply: tokenReplyOf(await exchangeCode(env, inside)),
  };
  const past = await freshCode(env, "code-expired");
  await age({ code: past, seconds: PROBE_AGES.codePast });
  const late: TokenProbe = {
    label: `a fresh code made ${describeAge(PROBE_AGES.codePast)} old`,
    reply: tokenReplyOf(await exchangeCode(env, past)),
  };
  return [
    ...honouredFindings(["TTL-01"], early),
    ...CODE_IDS.flatMap((id) => refusalFindings({ id, expected: ["invalid_grant"], pastRuleCode: null }, [late])),
  ];
}

/** FED-REFRESH-04, TTL-04: a refresh token is honoured for 30 days from the code exchange, and refused after. */
export async function refreshLifetimeProbe(env: EnvironmentContext): Promise<Finding[]> {
  const age = ageGrantOf(env);
  const s = await codeFlowSession(env, "refresh-lifetime");
  if (!s.refreshToken)
    return REFRESH_IDS.map((id) =>
      finding(id, "skipped", `the code exchange issued no refresh_token (optional, FED-TRESP-05; HTTP ${s.exchange.status})`),
    );
  await age({ refreshToken: s.refreshToken, seconds: PROBE_AGES.refreshInside });
  const res = await refreshRequest(env, s.refreshToken);
  const early = honouredFindings(REFRESH_IDS, {
    label: `a refresh token made ${describeAge(PROBE_AGES.refreshInside)} old`,
    reply: tokenReplyOf(res),
  });
  if (early.some((f) => f.status !== "passed")) return early;
  // The newest token of the chain (the same one when the environment does not rotate).
  const newest = isObject(res.body) && typeof res.body.refresh_token === "string" ? res.body.refresh_token : s.refreshToken;
  // Aged by the whole 30 days and an hour: refused whether the chain keeps the first expiry or each rotation starts a new one.
  await age({ refreshToken: newest, seconds: PROBE_AGES.refreshPast });
  const late: TokenProbe = {
    label: `the newest refresh token of the chain made ${describeAge(PROBE_AGES.refreshPast)} old`,
    reply: tokenReplyOf(await refreshRequest(env, newest)),
  };
  return [...early, ...REFRESH_IDS.flatMap((id) => refusalFindings({ id, expected: ["invalid_grant"], pastRuleCode: null }, [late]))];
}
