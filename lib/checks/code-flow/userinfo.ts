/**
 * Checks of UserInfo answers (EIS §3.6; FED-UI-01..18, SCOPE-02/03/08, FED-UIP-06): the success
 * response, the claims released for the granted scopes and the person's level, and the bearer
 * errors. Pure functions on what came back.
 *
 * @example
 * ```ts
 * userinfoResponseFindings(answer, { idTokenSub })
 * userinfoClaimFindings(answer.body, { scopes: ["openid", "email"], level: "P9" })
 * ```
 */
import { deviationStatus, finding, type Finding } from "../../requirements/index.ts";
import { gradedSchemaFindings } from "../../validate/index.ts";
import { claimsReleased, SCOPE_RULES } from "../../nhs/scopes.ts";
import { isValidNhsNumber } from "../../nhs/nhs-number.ts";
import type { ProofingLevel } from "../../nhs/vot.ts";
import { Findings } from "../findings.ts";
import { isObject } from "../../json/is-object.ts";
import { show } from "../show.ts";
import { withLoopbackAsHttps } from "./loopback.ts";

/** A UserInfo answer as the checks see it. */
export interface UserinfoAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The parsed JSON body, or undefined when it was not JSON. */
  body: unknown;
}

/**
 * FED-UI-02 (200, application/json in UTF-8, a plain JSON object rather than a JWT), FED-UI-05
 * (its `sub` is the ID token's) and FED-UI-07 (the `userinfo` schema: claim types).
 */
export function userinfoResponseFindings(res: UserinfoAnswer, x: { idTokenSub?: unknown }): Finding[] {
  if (res.status !== 200)
    return [finding("FED-UI-02", "failed", `UserInfo answered HTTP ${res.status} to a valid access token, expected 200`)];
  const c = new Findings();
  const type = (res.headers["content-type"] ?? "").toLowerCase();
  if (!type.startsWith("application/json"))
    c.deviation("FED-UI-02", `Content-Type is ${show(res.headers["content-type"])}, expected application/json`);
  const charset = /charset=([^;\s]+)/.exec(type)?.[1];
  if (charset !== undefined && charset.replace(/"/g, "") !== "utf-8") c.deviation("FED-UI-02", `charset is ${charset}, expected UTF-8`);
  if (/^eyJ[\w-]*\.[\w-]*\.[\w-]*$/.test(res.text.trim()))
    c.deviation("FED-UI-02", "the body is a JWT; UserInfo must be plain JSON, neither signed nor encrypted");
  if (!isObject(res.body)) return [...c.list(), finding("FED-UI-02", "failed", "the body is not a JSON object")];
  const sub = res.body.sub;
  if (x.idTokenSub !== undefined && sub !== x.idTokenSub)
    c.deviation("FED-UI-05", `UserInfo sub is ${show(sub)}, but the ID token's is ${show(x.idTokenSub)}`);
  for (const f of gradedSchemaFindings("FED-UI-07", "userinfo", withLoopbackAsHttps(res.body, ["iss"])))
    c.add(f.requirement, f.status, `UserInfo ${f.message}`);
  if (res.body.nhs_number !== undefined && !isValidNhsNumber(res.body.nhs_number))
    c.deviation("FED-UI-07", `nhs_number ${show(res.body.nhs_number)} fails the modulus 11 check`);
  c.pass("FED-UI-02", "HTTP 200 with a plain JSON object");
  c.pass("FED-UI-05", "sub equals the ID token's sub");
  return c.list();
}

/** Where a missing claim is reported, and whether its absence only warns (it depends on data). */
const CLAIM_RULES: Record<string, { id: string; onlyWhenAvailable?: boolean }> = {
  email: { id: "FED-UI-08" },
  email_verified: { id: "FED-UI-08" },
  phone_number: { id: "FED-UI-09" },
  phone_number_verified: { id: "FED-UI-09" },
  phone_number_pds_matched: { id: "FED-UI-09" },
  given_name: { id: "FED-UI-11", onlyWhenAvailable: true },
  nhs_number: { id: "FED-UI-12" },
  gp_integration_credentials: { id: "FED-UI-13", onlyWhenAvailable: true },
  gp_registration_details: { id: "FED-UI-14", onlyWhenAvailable: true },
  identity_proofing_level: { id: "FED-UI-16" },
  family_name: { id: "SCOPE-02" },
  birthdate: { id: "SCOPE-02" },
  landline_number: { id: "SCOPE-08", onlyWhenAvailable: true },
  landline_number_verified: { id: "SCOPE-08", onlyWhenAvailable: true },
  client_user_metadata: { id: "FED-UI-15", onlyWhenAvailable: true },
};

/**
 * The requirements the UserInfo release checks (environment and artefacts) judge with
 * {@link userinfoClaimFindings}; the claims that depend on the person's data (FED-UI-11/13/14/15,
 * SCOPE-03/08) are left to checks of their own.
 */
export const USERINFO_RELEASE_IDS = ["FED-UI-03", "FED-UI-04", "FED-UI-08", "FED-UI-09", "FED-UI-12", "FED-UI-16", "SCOPE-02"] as const;

/** {@link userinfoClaimFindings} reduced to {@link USERINFO_RELEASE_IDS}: what the release checks judge. */
export function userinfoReleaseFindings(body: unknown, x: { scopes: readonly string[]; level: ProofingLevel | undefined }): Finding[] {
  return userinfoClaimFindings(body, x).filter((f) => (USERINFO_RELEASE_IDS as readonly string[]).includes(f.requirement));
}

/** Every claim some scope can release. */
const DOCUMENTED_CLAIMS = new Set(Object.values(SCOPE_RULES).flatMap((r) => r.claims));

/**
 * FED-UI-03 (no null or empty value anywhere), FED-UI-04 (no claim beyond what the scopes and
 * level release) and the presence rules FED-UI-08/09/11..16, SCOPE-02/03/08: each claim the
 * scopes release at `level` is there, except those that depend on the person's data (given_name,
 * GP data, landline, client metadata), whose absence only warns.
 */
export function userinfoClaimFindings(body: unknown, x: { scopes: readonly string[]; level: ProofingLevel | undefined }): Finding[] {
  if (!isObject(body)) return [finding("FED-UI-04", "failed", "the UserInfo body is not a JSON object")];
  const c = new Findings();
  const empties = emptyValuePaths(body);
  if (empties.length > 0)
    c.deviation("FED-UI-03", `null or empty values at ${empties.slice(0, 10).join(", ")}; claims without a value must be left out`);
  if (!x.level) {
    c.deviation(
      "FED-UI-16",
      "the person's proofing level is unknown (no identity_proofing_level or vot in the ID token), so the released claims cannot be judged",
    );
    return c.list();
  }
  const allowed = new Set(claimsReleased(x.scopes, x.level));
  const beyond = Object.keys(body).filter((k) => DOCUMENTED_CLAIMS.has(k) && !allowed.has(k));
  if (beyond.length > 0)
    c.deviation("FED-UI-04", `claims released beyond ${show(x.scopes.join(" "))} for a ${x.level} person: ${beyond.join(", ")}`);
  const undocumented = Object.keys(body).filter((k) => !DOCUMENTED_CLAIMS.has(k));
  if (undocumented.length > 0) c.add("FED-UI-04", "warning", `claims no scope documents: ${undocumented.join(", ")}`);
  const basicOnly = x.scopes.includes("basic_demographics") && !x.scopes.includes("profile");
  for (const claim of allowed) {
    const rule = CLAIM_RULES[claim];
    if (!rule || claim in body) continue;
    const id = rule.id === "SCOPE-02" && basicOnly ? "SCOPE-03" : rule.id;
    if (rule.onlyWhenAvailable) {
      if (claim !== "client_user_metadata")
        c.add(
          id,
          "warning",
          `${claim} is absent although the scopes release it at ${x.level} ` +
            "(acceptable if the person has no such data, e.g. sandpit without PDS)",
        );
    } else c.deviation(id, `${claim} is absent although ${show(x.scopes.join(" "))} releases it for a ${x.level} person`);
  }
  c.pass("FED-UI-03", "no null or empty values");
  c.pass("FED-UI-04", `only claims the scopes release at ${x.level}`);
  const present = Object.keys(body).filter((k) => allowed.has(k));
  for (const id of new Set(present.map((k) => CLAIM_RULES[k]?.id).filter((i): i is string => i !== undefined)))
    c.pass(id, "present as the scopes and level require");
  return c.list();
}

/** JSON-pointer-like paths of every null or "" value, at any depth. */
export function emptyValuePaths(value: unknown, path = ""): string[] {
  if (value === null || value === "") return [path || "/"];
  if (Array.isArray(value)) return value.flatMap((v, i) => emptyValuePaths(v, `${path}/${i}`));
  if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => emptyValuePaths(v, `${path}/${k}`));
  return [];
}

/** The `error` attribute of a WWW-Authenticate challenge, and whether it names the Bearer scheme. */
export function parseBearerChallenge(header: string | undefined): { bearer: boolean; error?: string } | undefined {
  if (header === undefined) return undefined;
  const error = /(?:^|[\s,])error\s*=\s*"?([^",\s]+)"?/i.exec(header)?.[1];
  return { bearer: /^\s*bearer(\s|$)/i.test(header), ...(error !== undefined ? { error } : {}) };
}

/**
 * FED-UI-17 (bearer-token errors are told in WWW-Authenticate, with error="invalid_token" for a
 * bad token; the Bearer scheme is expected but its absence only warns, catalogue A14) and
 * FED-UI-18 (401 for invalid_token; SHOULD, so another 4xx warns).
 */
export function userinfoBearerErrorFindings(res: UserinfoAnswer, x: { case: "missing" | "invalid"; what: string }): Finding[] {
  if (res.status >= 200 && res.status < 300)
    return [finding("FED-UI-17", "failed", `${x.what}: answered HTTP ${res.status}, expected 401`)];
  const c = new Findings();
  if (res.status !== 401) c.deviation("FED-UI-18", `${x.what}: answered HTTP ${res.status}, expected 401`);
  const challenge = parseBearerChallenge(res.headers["www-authenticate"]);
  if (!challenge) c.deviation("FED-UI-17", `${x.what}: HTTP ${res.status} without a WWW-Authenticate header`);
  else {
    if (!challenge.bearer)
      c.add(
        "FED-UI-17",
        "warning",
        `${x.what}: WWW-Authenticate ${show(res.headers["www-authenticate"])} lacks the Bearer scheme (catalogue A14)`,
      );
    if (x.case === "invalid" && challenge.error !== "invalid_token")
      c.deviation("FED-UI-17", `${x.what}: WWW-Authenticate says error=${show(challenge.error)}, expected "invalid_token"`);
  }
  c.pass("FED-UI-17", `${x.what}: WWW-Authenticate ${show(res.headers["www-authenticate"])}`);
  c.pass("FED-UI-18", `${x.what}: HTTP 401`);
  return c.list();
}

/** FED-UI-01: an access token sent only as a query parameter is refused. */
export function userinfoQueryTokenFindings(res: UserinfoAnswer): Finding[] {
  if (res.status >= 200 && res.status < 300)
    return [
      finding(
        "FED-UI-01",
        "failed",
        `the access token sent only in the query was accepted (HTTP ${res.status}); it belongs in the Authorization header`,
      ),
    ];
  if (res.status >= 400 && res.status < 500)
    return [finding("FED-UI-01", "passed", `the access token sent only in the query was refused (HTTP ${res.status})`)];
  return [finding("FED-UI-01", "failed", `the access token sent only in the query got HTTP ${res.status}, expected 400 or 401`)];
}

/** FED-UIP-06: a successful PATCH answers 204 with an empty body. */
export function metadataUpdateFindings(res: UserinfoAnswer, what: string): Finding[] {
  if (res.status !== 204)
    return [
      finding(
        "FED-UIP-06",
        "failed",
        `${what}: PATCH /userinfo answered HTTP ${res.status}${res.text ? ` ${show(res.text)}` : ""}, expected 204`,
      ),
    ];
  if (res.text.length > 0) return [finding("FED-UIP-06", "failed", `${what}: 204 with a body of ${res.text.length} bytes, expected none`)];
  return [finding("FED-UIP-06", "passed", `${what}: 204 with an empty body`)];
}

/**
 * FED-UIP-02 (MAY, so deviations warn): `client_user_metadata` holds at most 1024 characters, and
 * NHS login checks that length: a value of exactly 1024 is stored (204), one of 1025 is refused
 * with 400 (invalid_request).
 */
export function metadataLengthFindings(atLimit: UserinfoAnswer, overLimit: UserinfoAnswer): Finding[] {
  const id = "FED-UIP-02";
  const out: Finding[] = [];
  if (atLimit.status !== 204)
    out.push(finding(id, deviationStatus(id), `a value of 1024 characters was answered HTTP ${atLimit.status}, expected 204 (stored)`));
  const code = isObject(overLimit.body) ? overLimit.body.error : undefined;
  if (overLimit.status >= 200 && overLimit.status < 300)
    out.push(
      finding(id, deviationStatus(id), `a value of 1025 characters was stored (HTTP ${overLimit.status}), expected 400 invalid_request`),
    );
  else if (overLimit.status !== 400 || code !== "invalid_request")
    out.push(
      finding(
        id,
        "warning",
        `a value of 1025 characters was refused with HTTP ${overLimit.status} ${show(code)}, the EIS names 400 invalid_request`,
      ),
    );
  if (out.length > 0) return out;
  return [finding(id, "passed", "a value of 1024 characters was stored and one of 1025 refused with 400 invalid_request")];
}

/**
 * FED-UIP-07 (DERIVED, so deviations warn): a PATCH needs an access token from a sign-in that
 * granted `client_metadata`; one without it is refused with 403 insufficient_scope.
 */
export function metadataScopeFindings(res: UserinfoAnswer): Finding[] {
  const id = "FED-UIP-07";
  const challenge = res.headers["www-authenticate"] ?? "";
  const code = isObject(res.body) && typeof res.body.error === "string" ? res.body.error : /error="([^"]*)"/.exec(challenge)?.[1];
  if (res.status >= 200 && res.status < 300)
    return [
      finding(id, deviationStatus(id), `a PATCH with a token granted no client_metadata was accepted (HTTP ${res.status}), expected 403`),
    ];
  if (res.status === 403 && code === "insufficient_scope")
    return [finding(id, "passed", "a PATCH with a token granted no client_metadata was refused: HTTP 403 insufficient_scope")];
  return [
    finding(
      id,
      "warning",
      `a PATCH with a token granted no client_metadata was refused with HTTP ${res.status} ${show(code)}, expected 403 insufficient_scope`,
    ),
  ];
}
