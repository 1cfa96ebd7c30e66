/**
 * Claims per scope and proofing level (docs:scopes-and-claims; EIS T2, T11): one code flow per
 * proofing level (P0, P5, P9) and scope set, and the ID token and UserInfo compared, claim by
 * claim, with what the scope rules release at that level (lib/nhs/scopes.ts, the one table):
 * nothing beyond them, never null or empty, and what P9 people have always there (P5 gaps are
 * allowed, SCOPE-14). The probe needs someone of each level to sign in: the embedded simulator's
 * personas; against a real environment these are manual scenarios (M-L0, M-L5, M-L9).
 *
 * @example
 * ```ts
 * const findings = claimsByLevelFindings(await claimsByLevelProbe(env))
 * ```
 */
import { decodeJwtSafely } from "../../jose/decode-jwt.ts";
import { isObject } from "../../json/is-object.ts";
import { claimsReleased, splitScope } from "../../nhs/scopes.ts";
import { CREDENTIALS, PROOFING_LEVELS, type ProofingLevel } from "../../nhs/vot.ts";
import type { Finding } from "../../requirements/index.ts";
import type { EnvironmentContext } from "../environment/environment-check.ts";
import { Findings } from "../findings.ts";
import { show } from "../show.ts";
import { exchangeCode, userinfoRequest } from "./requests.ts";
import { authorizeParams } from "./sessions.ts";

/** The scope sets each level signs in with: profile and basic_demographics exclude each other. */
export const LEVEL_SCOPE_SETS: readonly (readonly string[])[] = Object.freeze([
  ["openid", "profile", "profile_extended", "email", "phone", "landline", "gp_registration_details"],
  ["openid", "profile", "gp_integration_credentials"],
  ["openid", "basic_demographics", "email"],
]);
export const LEVELS: readonly ProofingLevel[] = ["P0", "P5", "P9"];

/** What one sign-in gave: the tokens' and UserInfo's claims, or why there were none. */
export interface LevelObservation {
  level: ProofingLevel;
  scopes: readonly string[];
  granted?: readonly string[];
  idToken?: Record<string, unknown>;
  userinfo?: Record<string, unknown>;
  /** Why this sign-in gave nothing to compare. */
  problem?: string;
}

export async function claimsByLevelProbe(env: EnvironmentContext): Promise<LevelObservation[]> {
  if (!env.signInAs) throw new Error(env.unavailable.personas ?? "no way to choose who signs in");
  const out: LevelObservation[] = [];
  for (const level of LEVELS) {
    for (const scopes of LEVEL_SCOPE_SETS) {
      const params = authorizeParams(env, scopes, [`${level}.Cp.Cd`]);
      const seen: LevelObservation = { level, scopes };
      try {
        const redirect = await env.signInAs(level, params);
        const code = redirect.searchParams.get("code");
        if (!code) throw new Error(`the sign-in gave no code (error=${redirect.searchParams.get("error") ?? "none"})`);
        const exchange = await exchangeCode(env, code);
        const body = isObject(exchange.body) ? exchange.body : {};
        if (exchange.status !== 200 || typeof body.access_token !== "string")
          throw new Error(`the code exchange answered ${exchange.status}`);
        seen.granted = typeof body.scope === "string" ? splitScope(body.scope) : [...scopes];
        const id = decodeJwtSafely(body.id_token);
        if (id.ok) seen.idToken = id.payload as Record<string, unknown>;
        const info = await userinfoRequest(env, { accessToken: body.access_token });
        if (info.status !== 200 || !isObject(info.body)) throw new Error(`UserInfo answered ${info.status}`);
        seen.userinfo = info.body;
      } catch (err) {
        seen.problem = (err as Error).message;
      }
      out.push(seen);
    }
  }
  return out;
}

/** The requirement IDs each claim's release rule belongs to. */
const CLAIM_IDS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  given_name: ["SCOPE-05", "FED-UI-11"],
  email: ["SCOPE-06"],
  email_verified: ["SCOPE-06"],
  phone_number: ["SCOPE-07"],
  phone_number_verified: ["SCOPE-07"],
  phone_number_pds_matched: ["SCOPE-07"],
  landline_number: ["SCOPE-08"],
  landline_number_verified: ["SCOPE-08"],
  gp_registration_details: ["SCOPE-09", "FED-UI-14"],
  gp_integration_credentials: ["SCOPE-10", "FED-UI-13"],
});
/** Claims every account has (an email address and a mobile number), so never missing when released. */
const ALWAYS_HELD = new Set(["email", "email_verified", "phone_number", "phone_number_verified", "phone_number_pds_matched"]);
/** Personal data NHS login never gives as claims (SCOPE-12). */
const NEVER = ["gender", "sex", "address", "postcode", "postal_code"];

export const CLAIMS_BY_LEVEL_IDS = [
  "SCOPE-01",
  "SCOPE-05",
  "SCOPE-06",
  "SCOPE-07",
  "SCOPE-08",
  "SCOPE-09",
  "SCOPE-10",
  "SCOPE-12",
  "FED-UI-11",
  "FED-UI-13",
  "FED-UI-14",
  "STEPUP-03",
  "VOT-01",
  "VOT-02",
] as const;

export function claimsByLevelFindings(observations: readonly LevelObservation[]): Finding[] {
  const c = new Findings();
  const failed = observations.filter((o) => o.problem);
  for (const o of failed)
    for (const id of CLAIMS_BY_LEVEL_IDS)
      c.inconclusive(id, `the ${o.level} sign-in with ${show(o.scopes.join(" "))} gave nothing to compare: ${o.problem}`);
  const judged = observations.filter((o) => !o.problem && o.userinfo);
  for (const o of judged) {
    const info = o.userinfo!;
    const id = o.idToken ?? {};
    const granted = o.granted ?? o.scopes;
    const released = claimsReleased(granted, o.level);
    const where = `${o.level}, scope ${show(granted.join(" "))}`;
    for (const claim of ["iss", "aud", "sub"]) {
      if (id[claim] === undefined || id[claim] === "") c.deviation("SCOPE-01", `the ID token (${where}) has no ${claim}`);
      if (info[claim] === undefined || info[claim] === "") c.deviation("SCOPE-01", `UserInfo (${where}) has no ${claim}`);
    }
    for (const [claim, ids] of Object.entries(CLAIM_IDS)) {
      const value = info[claim];
      const due = released.includes(claim);
      const problem = !due
        ? value !== undefined
          ? `UserInfo (${where}) carries ${claim}, which the scope rules do not release there`
          : undefined
        : value === null || value === ""
          ? `UserInfo (${where}) sends ${claim} empty (${show(value)}); a claim with no value is left out`
          : value === undefined && (ALWAYS_HELD.has(claim) || (o.level === "P9" && !claim.startsWith("landline")))
            ? `UserInfo (${where}) lacks ${claim}, which the scope rules release there`
            : undefined;
      if (problem) for (const i of ids) c.deviation(i, problem);
    }
    const gic = info.gp_integration_credentials;
    if (isObject(gic) && !["gp_linkage_key", "gp_ods_code", "gp_user_id"].every((k) => typeof gic[k] === "string" && gic[k] !== ""))
      c.deviation(
        "FED-UI-13",
        `UserInfo (${where}) gp_integration_credentials is ${show(gic)}, expected gp_linkage_key, gp_ods_code, gp_user_id`,
      );
    const grd = info.gp_registration_details;
    if (grd !== undefined && grd !== null && (!isObject(grd) || typeof grd.gp_ods_code !== "string"))
      c.deviation("FED-UI-14", `UserInfo (${where}) gp_registration_details is ${show(grd)}, expected an object with gp_ods_code`);
    for (const claim of NEVER)
      if (info[claim] !== undefined) c.deviation("SCOPE-12", `UserInfo (${where}) carries ${claim}, which NHS login never gives`);
    // VOT-01, VOT-02: the levels and credentials NHS login asserts are only those of EIS Tables 19 and 20.
    for (const [what, level] of [
      ["UserInfo identity_proofing_level", info.identity_proofing_level],
      ["ID token identity_proofing_level", id.identity_proofing_level],
    ] as const)
      if (level !== undefined && !(PROOFING_LEVELS as readonly unknown[]).includes(level))
        c.deviation("VOT-01", `${what} (${where}) is ${show(level)}, not one of ${PROOFING_LEVELS.join(", ")}`);
    if (typeof id.vot === "string") {
      const [p, ...credentials] = id.vot.split(".");
      if (!(PROOFING_LEVELS as readonly string[]).includes(p ?? ""))
        c.deviation(
          "VOT-01",
          `the ID token vot ${show(id.vot)} (${where}) names the level ${show(p)}, not one of ${PROOFING_LEVELS.join(", ")}`,
        );
      const unknown = credentials.filter((x) => !(CREDENTIALS as readonly string[]).includes(x));
      if (unknown.length > 0)
        c.deviation(
          "VOT-02",
          `the ID token vot ${show(id.vot)} (${where}) has credentials ${unknown.join(", ")}, not among ${CREDENTIALS.join(", ")}`,
        );
    }
    if (o.level !== "P0" && (granted.includes("profile") || granted.includes("basic_demographics"))) {
      if (id.identity_proofing_level !== o.level)
        c.deviation(
          "STEPUP-03",
          `the ID token (${where}) identity_proofing_level is ${show(id.identity_proofing_level)}, expected ${o.level}`,
        );
      if (info.identity_proofing_level !== o.level)
        c.deviation(
          "STEPUP-03",
          `UserInfo (${where}) identity_proofing_level is ${show(info.identity_proofing_level)}, expected ${o.level}`,
        );
    }
  }
  // A rule passes only on a sign-in that could have broken it (its scope granted, at a level it concerns).
  const any = (f: (o: LevelObservation) => boolean) => judged.some(f);
  const granted = (scope: string) => (o: LevelObservation) => (o.granted ?? o.scopes).includes(scope);
  const verified = (o: LevelObservation) => o.level !== "P0";
  const across = (f: (o: LevelObservation) => boolean) => {
    const seen = judged.filter(f);
    return `across ${seen.length} sign-ins (${[...new Set(seen.map((o) => o.level))].join(", ")})`;
  };
  const decide = (id: string, relevant: (o: LevelObservation) => boolean, what: string, passed: string) => {
    if (any(relevant)) c.pass(id, `${passed} ${across(relevant)}`);
    else if (judged.length > 0) c.inconclusive(id, `no sign-in could show it: ${what}`);
  };
  const all = () => true;
  decide("SCOPE-01", all, "none gave UserInfo", "iss, aud and sub in the ID token and UserInfo");
  decide(
    "SCOPE-05",
    granted("profile_extended"),
    "profile_extended was never granted",
    "given_name only at P5 and P9 with profile_extended",
  );
  decide("FED-UI-11", granted("profile_extended"), "profile_extended was never granted", "given_name only for a verified identity");
  decide("SCOPE-06", granted("email"), "email was never granted", "email and email_verified at every level with email");
  decide("SCOPE-07", granted("phone"), "phone was never granted", "the three phone claims at every level with phone");
  decide("SCOPE-08", granted("landline"), "landline was never granted", "landline claims only with landline, never empty");
  decide(
    "SCOPE-09",
    granted("gp_registration_details"),
    "gp_registration_details was never granted",
    "gp_registration_details only at P5 and P9",
  );
  decide(
    "FED-UI-14",
    granted("gp_registration_details"),
    "gp_registration_details was never granted",
    "gp_registration_details with gp_ods_code",
  );
  decide(
    "SCOPE-10",
    granted("gp_integration_credentials"),
    "gp_integration_credentials was never granted",
    "gp_integration_credentials only at P9",
  );
  decide("FED-UI-13", granted("gp_integration_credentials"), "gp_integration_credentials was never granted", "its three members, P9 only");
  decide("SCOPE-12", all, "none gave UserInfo", "no gender, address or postcode");
  decide("VOT-01", (o) => typeof o.idToken?.vot === "string", "no ID token carried a vot", "every asserted level is P0, P5 or P9");
  decide("VOT-02", (o) => typeof o.idToken?.vot === "string", "no ID token carried a vot", "every vot credential is Cp, Cd, Ck or Cm");
  decide(
    "STEPUP-03",
    (o) => verified(o) && (granted("profile")(o) || granted("basic_demographics")(o)),
    "no verified person signed in with profile or basic_demographics",
    "identity_proofing_level is the person's level in the ID token and UserInfo",
  );
  return c.list();
}
