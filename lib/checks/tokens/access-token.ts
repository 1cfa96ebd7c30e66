/**
 * Checks of federation access-token claims (EIS §4.3 Table 17; FED-AT-02..05, VOT-05, TTL-03,
 * FED-TRESP-06). Pure functions on a decoded payload; the header and signature rules (FED-AT-01)
 * are those of `jwt-header.ts`.
 *
 * @example
 * ```ts
 * const findings = accessTokenClaimFindings(payload, { issuer, clientId, vtr, scopes: granted, requestedScopes, idToken })
 * ```
 */
import { finding, type Finding } from "../../requirements/index.ts";
import { gradedSchemaFindings } from "../../validate/index.ts";
import { isValidNhsNumber } from "../../nhs/nhs-number.ts";
import { splitScope } from "../../nhs/scopes.ts";
import { Findings } from "../findings.ts";
import { isObject } from "../../json/is-object.ts";
import { show } from "../show.ts";
import { withLoopbackAsHttps } from "../code-flow/loopback.ts";
import { ACCESS_TOKEN_LIFETIME, audienceFindings, LIFETIME_TOLERANCE, type TokenExpectations } from "./id-token.ts";

export interface AccessTokenExpectations extends TokenExpectations {
  /** Scopes sent in the authentication request (the access token's scope must be a subset). */
  requestedScopes: readonly string[];
  /** The ID token payload from the same exchange, for the sub/vot/vtm comparisons. */
  idToken?: unknown;
}

const SUB_PATTERN = /^[\x20-\x7e]{1,255}$/;

/**
 * FED-AT-02 (iss, sub, aud, exp, iat, jti), FED-AT-03 (scope ⊆ requested, with openid),
 * FED-AT-04 (vot and vtm present, equal to the ID token's), FED-AT-05 (nhs_number only with
 * profile), VOT-05 (vot a single string in both tokens) and the `access-token-payload` schema.
 */
export function accessTokenClaimFindings(payload: unknown, x: AccessTokenExpectations): Finding[] {
  if (!isObject(payload)) return [finding("FED-AT-02", "failed", "the access token payload is not a JSON object")];
  const c = new Findings();
  const id = isObject(x.idToken) ? x.idToken : undefined;
  const { iss, sub, aud, exp, iat, jti, scope, vot, vtm } = payload;
  if (iss !== x.issuer) c.deviation("FED-AT-02", `access token iss is ${show(iss)}, expected exactly ${show(x.issuer)}`);
  if (typeof sub !== "string" || !SUB_PATTERN.test(sub))
    c.deviation("FED-AT-02", `access token sub is ${show(sub)}, expected 1 to 255 printable ASCII characters`);
  else if (id && typeof id.sub === "string" && id.sub !== sub)
    c.add("FED-AT-02", "warning", `access token sub ${show(sub)} differs from the ID token's ${show(id.sub)}`);
  audienceFindings(c, "FED-AT-02", aud, x.clientId, "access token");
  if (!Number.isInteger(exp)) c.deviation("FED-AT-02", `access token exp is ${show(exp)}, expected an integer`);
  if (!Number.isInteger(iat)) c.deviation("FED-AT-02", `access token iat is ${show(iat)}, expected an integer`);
  if (typeof jti !== "string" || jti.length === 0)
    c.deviation("FED-AT-02", `access token jti is ${show(jti)}, expected a non-empty string`);

  if (typeof scope !== "string") c.deviation("FED-AT-03", `access token scope is ${show(scope)}, expected a space-separated list`);
  else {
    const granted = splitScope(scope);
    const beyond = granted.filter((s) => !x.requestedScopes.includes(s));
    if (beyond.length > 0)
      c.deviation(
        "FED-AT-03",
        `access token scope has ${beyond.join(", ")}, which the request did not ask for (requested ${show(x.requestedScopes.join(" "))})`,
      );
    if (!granted.includes("openid")) c.deviation("FED-AT-03", `access token scope ${show(scope)} lacks openid`);
  }

  if (typeof vot !== "string") c.deviation("FED-AT-04", `access token vot is ${show(vot)}, expected a vector string`);
  if (typeof vtm !== "string" || vtm.length === 0)
    c.deviation("FED-AT-04", `access token vtm is ${show(vtm)}, expected the trust mark URL`);
  if (vot !== undefined && typeof vot !== "string") c.deviation("VOT-05", `access token vot is ${show(vot)}, expected a single string`);
  if (id) {
    if (id.vot !== undefined && typeof id.vot !== "string")
      c.deviation("VOT-05", `ID token vot is ${show(id.vot)}, expected a single string`);
    if (typeof vot === "string" && typeof id.vot === "string" && vot !== id.vot)
      c.add("VOT-05", "warning", `access token vot ${show(vot)} differs from the ID token's ${show(id.vot)}`);
    if (typeof vtm === "string" && typeof id.vtm === "string" && vtm !== id.vtm)
      c.add("FED-AT-04", "warning", `access token vtm ${show(vtm)} differs from the ID token's ${show(id.vtm)}`);
  }

  const nhs = payload.nhs_number;
  const grantedScopes = typeof scope === "string" ? splitScope(scope) : x.scopes;
  if (nhs !== undefined) {
    if (!grantedScopes.includes("profile")) c.deviation("FED-AT-05", `access token carries nhs_number although profile was not granted`);
    if (!isValidNhsNumber(nhs))
      c.deviation("FED-AT-05", `access token nhs_number is ${show(nhs)}, expected a 10-digit string with a valid check digit`);
    if (id && typeof id.nhs_number === "string" && id.nhs_number !== nhs)
      c.deviation("FED-AT-05", `access token nhs_number differs from the ID token's`);
  } else if (id && typeof id.nhs_number === "string" && grantedScopes.includes("profile")) {
    c.add("FED-AT-05", "warning", "the ID token carries nhs_number but the access token does not, although profile was granted");
  }
  if (payload.auth_time !== undefined && !Number.isInteger(payload.auth_time))
    c.deviation("FED-AT-05", `access token auth_time is ${show(payload.auth_time)}, expected an integer`);

  for (const f of gradedSchemaFindings("FED-AT-02", "access-token-payload", withLoopbackAsHttps(payload, ["iss", "vtm"]))) {
    c.add(f.requirement, f.status, `access token ${f.message}`);
  }
  c.pass("FED-AT-02", "iss, sub, aud, exp, iat and jti are present and agree with the environment");
  c.pass("FED-AT-03", `scope ${show(scope)} is within the requested scopes and has openid`);
  c.pass("FED-AT-04", "vot and vtm are present and equal to the ID token's");
  c.pass("FED-AT-05", nhs === undefined ? "no nhs_number, as expected" : "nhs_number only with profile, and valid");
  c.pass("VOT-05", "vot is a single string in both tokens");
  return c.list();
}

/** The naming-system prefixes of EIS Table 17 for the conditional access-token claims. */
export const ACCREDITED_SYSTEM_PREFIX = "https://fhir.nhs.uk/Id/accredited-system";
export const NHS_NUMBER_SYSTEM_PREFIX = "http://fhir.nhs.net/Id/nhs-number";

/**
 * The optional access-token claims of EIS Table 17, judged when present (each is MAY, so a wrong
 * value warns): FED-AT-06 `reason_for_request` is "patientaccess"; FED-AT-07 `requesting_system`
 * starts with the accredited-system prefix (the delimiter after it is not documented);
 * FED-AT-08 `requesting_patient` is the prefixed NHS number, and only with `profile` granted.
 * An absent claim is not applicable (skipped, with the reason), never a pass.
 */
export function accessTokenConditionalClaimFindings(payload: unknown): Finding[] {
  const p = isObject(payload) ? payload : {};
  const c = new Findings();
  const absent = (id: string, claim: string) => c.add(id, "skipped", `not applicable: the access token has no ${claim} (it is optional)`);
  const reason = p.reason_for_request;
  if (reason === undefined) absent("FED-AT-06", "reason_for_request");
  else if (reason !== "patientaccess")
    c.deviation("FED-AT-06", `access token reason_for_request is ${show(reason)}, expected "patientaccess"`);
  else c.pass("FED-AT-06", 'reason_for_request is "patientaccess"');
  const system = p.requesting_system;
  if (system === undefined) absent("FED-AT-07", "requesting_system");
  else if (typeof system !== "string" || !system.startsWith(ACCREDITED_SYSTEM_PREFIX) || system.length <= ACCREDITED_SYSTEM_PREFIX.length)
    c.deviation("FED-AT-07", `access token requesting_system is ${show(system)}, expected an identifier after ${ACCREDITED_SYSTEM_PREFIX}`);
  else c.pass("FED-AT-07", `requesting_system ${show(system)} names an accredited system`);
  const patient = p.requesting_patient;
  const scopes = typeof p.scope === "string" ? splitScope(p.scope) : [];
  if (patient === undefined) absent("FED-AT-08", "requesting_patient");
  else {
    const number = typeof patient === "string" && patient.startsWith(NHS_NUMBER_SYSTEM_PREFIX) ? patient.slice(-10) : undefined;
    if (number === undefined || !/^\d{10}$/.test(number))
      c.deviation(
        "FED-AT-08",
        `access token requesting_patient is ${show(patient)}, expected ${NHS_NUMBER_SYSTEM_PREFIX} and a 10-digit NHS number`,
      );
    else if (typeof p.nhs_number === "string" && p.nhs_number !== number)
      c.deviation("FED-AT-08", `access token requesting_patient names ${number}, but its nhs_number is ${show(p.nhs_number)}`);
    if (!scopes.includes("profile"))
      c.deviation("FED-AT-08", `access token carries requesting_patient although profile was not granted (scope ${show(p.scope)})`);
    c.pass("FED-AT-08", `requesting_patient ${show(patient)} is the prefixed NHS number, with profile granted`);
  }
  return c.list();
}

/**
 * TTL-03 (the access token lives 300 s: `exp − iat`) and FED-TRESP-06 (`expires_in` is 300;
 * SHOULD, so it warns, catalogue A8).
 */
export function accessTokenLifetimeFindings(payload: unknown, expiresIn: unknown): Finding[] {
  const p = isObject(payload) ? payload : {};
  const c = new Findings();
  if (!Number.isInteger(p.exp) || !Number.isInteger(p.iat))
    c.deviation("TTL-03", `access token exp ${show(p.exp)} and iat ${show(p.iat)} must both be integers to tell the lifetime`);
  else {
    const life = (p.exp as number) - (p.iat as number);
    if (Math.abs(life - ACCESS_TOKEN_LIFETIME) > LIFETIME_TOLERANCE)
      c.deviation("TTL-03", `the access token lives ${life} s (exp − iat), expected ${ACCESS_TOKEN_LIFETIME} s`);
    if (Number.isInteger(expiresIn) && Math.abs((expiresIn as number) - life) > LIFETIME_TOLERANCE) {
      c.add("FED-TRESP-06", "warning", `expires_in ${expiresIn} disagrees with the access token's exp − iat ${life}`);
    }
    c.pass("TTL-03", `the access token lives ${life} s`);
  }
  if (expiresIn === undefined) c.add("FED-TRESP-06", "warning", "the token response has no expires_in (recommended, 300)");
  else if (expiresIn !== ACCESS_TOKEN_LIFETIME)
    c.deviation("FED-TRESP-06", `expires_in is ${show(expiresIn)}, expected ${ACCESS_TOKEN_LIFETIME}`);
  c.pass("FED-TRESP-06", `expires_in is ${ACCESS_TOKEN_LIFETIME}`);
  return c.list();
}
