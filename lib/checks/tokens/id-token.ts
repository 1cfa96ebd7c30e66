/**
 * Checks of ID token claims as NHS login issues them (EIS §4.2 Table 16; FED-IDT-*, TTL-02,
 * VOT-05..07/09, SCOPE-02/03). Pure functions on a decoded payload and what the request asked
 * for, so they serve live sign-ins and captured artefacts alike.
 *
 * @example
 * ```ts
 * const x = { issuer, clientId, nonce, vtr: ["P9.Cp.Cd"], scopes: ["openid", "profile"] }
 * const findings = [...idTokenClaimFindings(payload, x), ...nonceFindings(payload, x.nonce), ...votFindings(payload, x.vtr)]
 * ```
 */
import { finding, type Finding } from "../../requirements/index.ts";
import { gradedSchemaFindings } from "../../validate/index.ts";
import { claimsReleased, ID_TOKEN_PROFILE_CLAIMS } from "../../nhs/scopes.ts";
import { parseVector, PROOFING_LEVELS, proofingRank, votSatisfiesVtr, type ProofingLevel } from "../../nhs/vot.ts";
import { isValidNhsNumber } from "../../nhs/nhs-number.ts";
import { Findings } from "../findings.ts";
import { isObject } from "../../json/is-object.ts";
import { show } from "../show.ts";
import { isLoopbackHttp, withLoopbackAsHttps } from "../code-flow/loopback.ts";

/** What a token is checked against: the request that produced it and the environment. */
export interface TokenExpectations {
  /** The issuer under test, compared byte for byte. */
  issuer: string;
  clientId: string;
  /** The nonce sent in the authentication request. */
  nonce?: string;
  /** The vtr requested (or assumed: the default when none was sent). */
  vtr: readonly string[];
  /** Scopes granted (the token response's `scope`, else those requested). */
  scopes: readonly string[];
  /** The JWKS the token must be signed with. */
  jwks?: unknown;
  /** Current time in epoch seconds (default: now). */
  now?: number;
  /** Accepted clock difference in seconds (default 300). */
  skewSeconds?: number;
}

/** Lifetimes of EIS Table 18, in seconds, and the tolerance FED-IDT-18 allows. */
export const ID_TOKEN_LIFETIME = 3600;
export const ACCESS_TOKEN_LIFETIME = 300;
export const LIFETIME_TOLERANCE = 5;

const VOT_PATTERN = /^P[059](?:\.C[pdkm])+$/;
const SUB_PATTERN = /^[\x20-\x7e]{1,255}$/;

/**
 * FED-IDT-01..05 (iss exact, sub ASCII ≤255, aud contains the client, exp and iat integers and
 * current) and the `id-token-payload` schema; FED-IDT-07 when `auth_time` is present.
 */
export function idTokenClaimFindings(payload: unknown, x: TokenExpectations): Finding[] {
  if (!isObject(payload)) return [finding("FED-IDT-01", "failed", "the ID token payload is not a JSON object")];
  const c = new Findings();
  const now = x.now ?? Math.floor(Date.now() / 1000);
  const skew = x.skewSeconds ?? 300;
  const { iss, sub, aud, exp, iat } = payload;
  if (iss !== x.issuer) c.deviation("FED-IDT-01", `iss is ${show(iss)}, expected exactly ${show(x.issuer)}`);
  else if (/[?#]/.test(String(iss))) c.deviation("FED-IDT-01", `iss ${show(iss)} has a query or fragment`);
  if (typeof sub !== "string") c.deviation("FED-IDT-02", `sub is ${show(sub)}, expected a string`);
  else if (!SUB_PATTERN.test(sub))
    c.deviation(
      "FED-IDT-02",
      `sub must be 1 to 255 printable ASCII characters; it has ${sub.length} character(s)` +
        `${/[^\x20-\x7e]/.test(sub) ? " including non-ASCII" : ""}`,
    );
  audienceFindings(c, "FED-IDT-03", aud, x.clientId, "ID token");
  if (!Number.isInteger(exp)) c.deviation("FED-IDT-04", `exp is ${show(exp)}, expected an integer number of seconds`);
  else if ((exp as number) <= now - skew)
    c.deviation(
      "FED-IDT-04",
      `exp ${exp} is ${now - (exp as number)} s in the past: the token was already expired when issued to the harness`,
    );
  if (!Number.isInteger(iat)) c.deviation("FED-IDT-05", `iat is ${show(iat)}, expected an integer number of seconds`);
  else if ((iat as number) > now + skew) c.deviation("FED-IDT-05", `iat ${iat} is ${(iat as number) - now} s in the future`);
  if (Number.isInteger(exp) && Number.isInteger(iat) && (exp as number) <= (iat as number))
    c.deviation("FED-IDT-04", `exp ${exp} is not after iat ${iat}`);
  if (payload.nbf !== undefined && (!Number.isInteger(payload.nbf) || (payload.nbf as number) > now + skew)) {
    c.deviation("FED-IDT-04", `nbf is ${show(payload.nbf)}: the token is not yet valid`);
  }
  if (
    payload.auth_time !== undefined &&
    (!Number.isInteger(payload.auth_time) || (Number.isInteger(iat) && (payload.auth_time as number) > (iat as number)))
  ) {
    c.deviation("FED-IDT-07", `auth_time is ${show(payload.auth_time)}, expected an integer no later than iat`);
  }
  for (const f of gradedSchemaFindings("FED-IDT-01", "id-token-payload", withLoopbackAsHttps(payload, ["iss", "vtm"]))) {
    c.add(f.requirement, f.status, `ID token ${f.message}`);
  }
  c.pass("FED-IDT-01", `iss is exactly ${show(x.issuer)}`);
  c.pass("FED-IDT-02", "sub is 1 to 255 printable ASCII characters");
  c.pass("FED-IDT-03", `aud contains ${show(x.clientId)}`);
  c.pass("FED-IDT-04", "exp is an integer in the future");
  c.pass("FED-IDT-05", "iat is an integer, not in the future");
  if (payload.auth_time === undefined)
    c.skip("FED-IDT-07", "not applicable: the ID token has no auth_time (optional, as max_age is unsupported)");
  else c.pass("FED-IDT-07", `auth_time ${show(payload.auth_time)} is an integer no later than iat`);
  return c.list();
}

/** `aud` contains `clientId`: a string equal to it, or an array holding it (extra audiences warn). */
export function audienceFindings(c: Findings, id: string, aud: unknown, clientId: string, token: string): void {
  if (typeof aud === "string") {
    if (aud !== clientId) c.deviation(id, `${token} aud is ${show(aud)}, expected ${show(clientId)}`);
  } else if (Array.isArray(aud)) {
    if (!aud.includes(clientId)) c.deviation(id, `${token} aud ${show(aud)} does not contain ${show(clientId)}`);
    else if (aud.length > 1)
      c.add(
        id,
        "warning",
        `${token} aud ${show(aud)} names audiences besides the client; relying parties may refuse untrusted extra audiences`,
      );
  } else c.deviation(id, `${token} aud is ${show(aud)}, expected a string or an array of strings`);
}

/**
 * TTL-02 and FED-IDT-18: the ID token lives 60 minutes, so `exp − iat` is 3600 (±5 s).
 */
export function idTokenLifetimeFindings(payload: unknown): Finding[] {
  const p = isObject(payload) ? payload : {};
  if (!Number.isInteger(p.exp) || !Number.isInteger(p.iat)) {
    return [finding("TTL-02", "failed", `exp ${show(p.exp)} and iat ${show(p.iat)} must both be integers to tell the lifetime`)];
  }
  const life = (p.exp as number) - (p.iat as number);
  const c = new Findings();
  if (Math.abs(life - ID_TOKEN_LIFETIME) > LIFETIME_TOLERANCE) {
    c.deviation("TTL-02", `the ID token lives ${life} s (exp − iat), expected ${ID_TOKEN_LIFETIME} s`);
    c.deviation("FED-IDT-18", `exp − iat is ${life}, expected ${ID_TOKEN_LIFETIME}`);
  }
  c.pass("TTL-02", `the ID token lives ${life} s`);
  c.pass("FED-IDT-18", `exp − iat is ${life}`);
  return c.list();
}

/** FED-IDT-06: every ID token has a `jti`, and no two share one. */
export function jtiFindings(payloads: readonly unknown[]): Finding[] {
  const c = new Findings();
  const seen = new Map<string, number>();
  payloads.forEach((p, i) => {
    const jti = isObject(p) ? p.jti : undefined;
    if (typeof jti !== "string" || jti.length === 0)
      c.deviation("FED-IDT-06", `ID token ${i + 1} of ${payloads.length} has jti ${show(jti)}, expected a non-empty string`);
    else seen.set(jti, (seen.get(jti) ?? 0) + 1);
  });
  const repeated = [...seen].filter(([, n]) => n > 1).map(([j]) => j);
  if (repeated.length > 0) c.deviation("FED-IDT-06", `jti repeated across sign-ins: ${repeated.map((j) => show(j)).join(", ")}`);
  c.pass("FED-IDT-06", `${payloads.length} ID tokens from separate sign-ins each have a distinct jti`);
  return c.list();
}

/** FED-IDT-08: the `nonce` claim is byte-identical to the nonce sent. */
export function nonceFindings(payload: unknown, nonce: string | undefined): Finding[] {
  const got = isObject(payload) ? payload.nonce : undefined;
  if (nonce === undefined) {
    return [
      finding(
        "FED-IDT-08",
        got === undefined ? "passed" : "warning",
        got === undefined ? "no nonce was sent and none came back" : `no nonce was sent but the ID token carries ${show(got)}`,
      ),
    ];
  }
  if (got === undefined) return [finding("FED-IDT-08", "failed", `the ID token has no nonce; ${show(nonce)} was sent`)];
  if (got !== nonce) return [finding("FED-IDT-08", "failed", `nonce is ${show(got)}, expected exactly ${show(nonce)}`)];
  return [finding("FED-IDT-08", "passed", `nonce is byte-identical to the one sent (${nonce.length} characters)`)];
}

export interface VotOptions {
  /** Requirement the vtr match is reported under (default VOT-06; FED-AUTHZ-16 for the default vtr). */
  satisfies?: string;
  /** What the token is, for messages. */
  token?: string;
}

/**
 * FED-IDT-10 (a single vector string, P then C components), VOT-06 (it satisfies the vtr) and
 * VOT-09 (its P level is not above `identity_proofing_level`, when present; DERIVED, warns).
 */
export function votFindings(payload: unknown, vtr: readonly string[], options: VotOptions = {}): Finding[] {
  const token = options.token ?? "ID token";
  const satisfiesId = options.satisfies ?? "VOT-06";
  const vot = isObject(payload) ? payload.vot : undefined;
  if (typeof vot !== "string")
    return [
      finding("FED-IDT-10", "failed", `${token} vot is ${show(vot)}, expected a vector string such as "P9.Cp.Cd"`),
      finding(satisfiesId, "failed", `there is no vot to match against ${show(vtr)}`),
    ];
  const c = new Findings();
  if (!VOT_PATTERN.test(vot))
    c.deviation("FED-IDT-10", `${token} vot ${show(vot)} is not one proofing level followed by credential components (e.g. "P9.Cp.Cd")`);
  if (!votSatisfiesVtr(vot, vtr))
    c.deviation(satisfiesId, `${token} vot ${show(vot)} satisfies none of the requested vectors ${show(vtr)}`);
  const ipl = isObject(payload) ? payload.identity_proofing_level : undefined;
  const level = proofingOf(vot);
  if (level && typeof ipl === "string" && isProofingLevel(ipl) && proofingRank(level) > proofingRank(ipl)) {
    c.deviation("VOT-09", `${token} vot ${show(vot)} claims ${level}, above identity_proofing_level ${ipl}`);
  }
  c.pass("FED-IDT-10", `vot ${show(vot)} is a valid vector`);
  c.pass(satisfiesId, `vot ${show(vot)} satisfies ${show(vtr)}`);
  return c.list();
}

/**
 * FED-IDT-11 and VOT-07: `vtm` is present, an https URL on the issuer's host; plain http on a
 * loopback host (a local simulator) only warns.
 */
export function vtmFindings(payload: unknown, issuer: string, token = "ID token"): Finding[] {
  const vtm = isObject(payload) ? payload.vtm : undefined;
  if (typeof vtm !== "string" || vtm.length === 0)
    return [finding("FED-IDT-11", "failed", `${token} vtm is ${show(vtm)}, expected the https URL of the trust mark`)];
  let url: URL;
  try {
    url = new URL(vtm);
  } catch {
    return [finding("FED-IDT-11", "failed", `${token} vtm ${show(vtm)} is not an absolute URL`)];
  }
  const c = new Findings();
  if (url.protocol !== "https:") {
    if (isLoopbackHttp(vtm))
      c.add(
        "VOT-07",
        "warning",
        `${token} vtm ${show(vtm)} uses plain http on loopback: acceptable only for a local simulator, NHS login requires https`,
      );
    else c.deviation("FED-IDT-11", `${token} vtm ${show(vtm)} is not an https URL`);
  }
  let issuerHost: string | undefined;
  try {
    issuerHost = new URL(issuer).host;
  } catch {
    issuerHost = undefined;
  }
  if (issuerHost !== undefined && url.host !== issuerHost)
    c.deviation("VOT-07", `${token} vtm is on host ${show(url.host)}, expected the issuer host ${show(issuerHost)}`);
  c.pass("FED-IDT-11", `vtm is present: ${show(vtm)}`);
  c.pass("VOT-07", `vtm is on the issuer host ${show(issuerHost)}`);
  return c.list();
}

/**
 * FED-IDT-09: `acr` is not supported (vot replaces it), nor are `amr` and `azp`. Their presence
 * is recorded as a warning (the catalogue's "INFO if present"): a service must not rely on them.
 */
export function unsupportedClaimFindings(payload: unknown, token = "ID token"): Finding[] {
  const present = ["acr", "amr", "azp"].filter((c) => isObject(payload) && payload[c] !== undefined);
  if (present.length === 0) return [finding("FED-IDT-09", "passed", `${token} carries no acr, amr or azp`)];
  return [
    finding(
      "FED-IDT-09",
      "warning",
      `${token} carries ${present.map((c) => `${c} ${show((payload as Record<string, unknown>)[c])}`).join(", ")}, ` +
        "which the EIS says NHS login does not support (vot replaces acr)",
    ),
  ];
}

/** A valid proofing level. */
export function isProofingLevel(value: unknown): value is ProofingLevel {
  return typeof value === "string" && (PROOFING_LEVELS as readonly string[]).includes(value);
}

/** The proofing level of a vector string, if it has one. */
export function proofingOf(vot: unknown): ProofingLevel | undefined {
  if (typeof vot !== "string") return undefined;
  try {
    return parseVector(vot).proofing;
  } catch {
    return undefined;
  }
}

/**
 * The person's proofing level as the ID token tells it: `identity_proofing_level` when valid,
 * else the P component of `vot`.
 */
export function personLevel(payload: unknown): ProofingLevel | undefined {
  if (!isObject(payload)) return undefined;
  return isProofingLevel(payload.identity_proofing_level) ? payload.identity_proofing_level : proofingOf(payload.vot);
}

/** Requirement each ID-token profile claim's presence and shape is reported under. */
const PROFILE_CLAIM_IDS: Record<string, string> = {
  family_name: "FED-IDT-12",
  birthdate: "FED-IDT-13",
  nhs_number: "FED-IDT-14",
  identity_proofing_level: "FED-IDT-15",
};

/**
 * SCOPE-02/03 and FED-IDT-12..15: the ID token carries the profile claims the granted scopes
 * release at the person's level (family_name, birthdate, nhs_number, identity_proofing_level),
 * and no others; birthdate is a real YYYY-MM-DD date and nhs_number passes the modulus 11 check.
 * A P0 person with identity_proofing_level is recorded (catalogue A22), not failed.
 */
export function idTokenProfileFindings(payload: unknown, x: Pick<TokenExpectations, "scopes">): Finding[] {
  if (!isObject(payload)) return [finding("SCOPE-02", "failed", "the ID token payload is not a JSON object")];
  const c = new Findings();
  const level = personLevel(payload);
  const scopeId = x.scopes.includes("basic_demographics") && !x.scopes.includes("profile") ? "SCOPE-03" : "SCOPE-02";
  if (!level) {
    c.deviation(
      "FED-IDT-15",
      `the person's proofing level cannot be told: identity_proofing_level ${show(payload.identity_proofing_level)}, ` +
        `vot ${show(payload.vot)}`,
    );
    return c.list();
  }
  const allowed = new Set(claimsReleased(x.scopes, level).filter((claim) => ID_TOKEN_PROFILE_CLAIMS.includes(claim)));
  for (const claim of ID_TOKEN_PROFILE_CLAIMS) {
    const id = PROFILE_CLAIM_IDS[claim]!;
    const present = claim in payload;
    if (present && !allowed.has(claim)) {
      if (claim === "identity_proofing_level" && level === "P0") {
        c.add(
          id,
          "warning",
          "recorded (catalogue A22): identity_proofing_level is present for a P0 person, whom the scope tables give no profile claims",
        );
      } else {
        const why =
          level === "P0"
            ? "the person is P0"
            : claim === "nhs_number" && x.scopes.includes("basic_demographics")
              ? "basic_demographics releases no NHS number"
              : "neither profile nor basic_demographics was granted";
        c.deviation(
          claim === "nhs_number" && x.scopes.includes("basic_demographics") ? "SCOPE-03" : scopeId,
          `the ID token carries ${claim} although ${why}`,
        );
      }
    } else if (!present && allowed.has(claim)) {
      c.deviation(
        id,
        `the ID token lacks ${claim}, which ` +
          `${x.scopes.filter((s) => s === "profile" || s === "basic_demographics").join(" and ")} releases for a ${level} person`,
      );
    }
  }
  const { family_name: family, birthdate, nhs_number: nhs, identity_proofing_level: ipl } = payload;
  if (family !== undefined && (typeof family !== "string" || family.length === 0))
    c.deviation("FED-IDT-12", `family_name is ${show(family)}, expected a non-empty string`);
  if (birthdate !== undefined && !isCalendarDate(birthdate))
    c.deviation("FED-IDT-13", `birthdate is ${show(birthdate)}, expected a real date YYYY-MM-DD`);
  if (nhs !== undefined && !isValidNhsNumber(nhs))
    c.deviation("FED-IDT-14", `nhs_number is ${show(nhs)}, expected a 10-digit string with a valid modulus 11 check digit`);
  if (ipl !== undefined && !isProofingLevel(ipl))
    c.deviation("FED-IDT-15", `identity_proofing_level is ${show(ipl)}, expected P0, P5 or P9`);
  const granted = [...allowed].join(", ") || "none";
  c.pass(scopeId, `profile claims released for a ${level} person with ${show(x.scopes.join(" "))}: ${granted}`);
  for (const id of Object.values(PROFILE_CLAIM_IDS)) c.pass(id, "present and well formed exactly when the scopes and level release it");
  // The other scope's rule cannot be observed with these scopes: say so rather than stay silent.
  const other = scopeId === "SCOPE-02" ? "SCOPE-03" : "SCOPE-02";
  if (!c.list().some((f) => f.requirement === other)) {
    const scope = other === "SCOPE-03" ? "basic_demographics alone" : "profile";
    c.skip(other, `not applicable: ${scope} was not granted (${show(x.scopes.join(" "))})`);
  }
  return c.list();
}

/** True for a `YYYY-MM-DD` string naming a real calendar date. */
export function isCalendarDate(value: unknown): boolean {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
