/**
 * The Users Endpoint V2 environment checks as data: the jwt-bearer token and its access token
 * (UEV2-TOKEN-*, UEV2-AT-*, TTL-06), how the token request is received (form-encoded POST, mandatory
 * scope, RS512 only, Table 4 codes), searches and their answers (UEV2-RESP-*, UEV2-FILTER-*,
 * UEV2-SCOPE-*: one search per optional scope, several users in one answer, SCIM attribute
 * parameters ignored), the error rows of Table 10 (UEV2-ERR-*, UEV2-GEN-02; the 500 row only when a
 * probe happens to provoke one) and https for every Users V2 URL (UEV2-GEN-01).
 *
 * Searches need a known account: `env.testNhsNumber` / `env.testEmail` (NHSLOGIN_TEST_NHS_NUMBER /
 * NHSLOGIN_TEST_EMAIL); without them those checks are skipped with the reason. The error checks
 * need no account.
 *
 * @example
 * ```ts
 * for (const c of USERS_V2_CHECKS) console.log(c.ids, await runEnvironmentCheck(c, env))
 * ```
 */
import { finding, type Finding } from "../../requirements/index.ts";
import { USERS_V2_ERRORS } from "../../nhs/scim-filter/index.ts";
import type { FilterAttribute } from "../../nhs/scim-filter/index.ts";
import type { Capability, EnvironmentCheck, EnvironmentContext } from "../environment/environment-check.ts";
import { Findings } from "../findings.ts";
import { underEachId } from "../token-endpoint/rules.ts";
import { accessTokenClaimsFindings, accessTokenSignatureFindings, USERS_V2_ACCESS_TOKEN_IDS } from "./access-token.ts";
import { USER_RESOURCE_IDS } from "./user-resource.ts";
import { errorResponseFindings, expectedError, expectedScopeRequired, type ExpectedUsersV2Error } from "./error-response.ts";
import { filterExpectation, filterTerms, sameSet } from "./filter-expectation.ts";
import { headerOf, jsonBodyOf } from "./response.ts";
import { listResponseFindings } from "./list-response.ts";
import {
  postUsersV2Token,
  probeEmail,
  usersV2TokenParameters,
  type TokenRequestOptions,
  PROBE_NHS_NUMBER,
  requestedUsersV2Scopes,
  searchUsersV2,
  signUsersV2Assertion,
  usersV2Endpoints,
  usersV2Identities,
  usersV2Token,
  type UsersV2Token,
} from "./requests.ts";
import { refusedTokenRequestFindings } from "./token-error.ts";
import { tokenResponseFindings } from "./token-response.ts";
import { JWT_BEARER_GRANT_TYPE_TYPO } from "../../nhs/constants.ts";
import { createPublicKey } from "node:crypto";
import { USERS_V2_OPTIONAL_SCOPES } from "../../nhs/scopes.ts";
import { attributeParameterFindings, scopeSetFindings, severalUsersFindings, USERS_V2_SCOPE_SETS, type ScopeSet } from "./scope-sets.ts";
import {
  formEncodingFindings,
  issuedAccessToken,
  missingScopeFindings,
  tokenErrorCodeFindings,
  tokenErrorCodeOf,
} from "./token-request.ts";
import { httpsFindings, internalErrorFindings } from "./transport.ts";

const NEEDS: Capability[] = ["users-v2", "harness-client"];
const TOKEN = "Users V2 token";
const SEARCH = "Users V2 search";
const ERRORS = "Users V2 errors";

/** Prefix every message, e.g. with the filter that was sent. */
function prefixed(findings: readonly Finding[], prefix: string): Finding[] {
  return findings.map((f) => ({ ...f, message: `${prefix}${f.message}` }));
}

function skippedAll(ids: readonly string[], reason: string): Finding[] {
  return ids.map((id) => finding(id, "skipped", reason));
}

/** Send each filter with a normal token and compare the answer with a Table 10 row. */
async function errorProbes(
  env: EnvironmentContext,
  probes: readonly { filter: string | undefined; expected: ExpectedUsersV2Error }[],
): Promise<Finding[]> {
  const token = await usersV2Token(env);
  const out: Finding[] = [];
  for (const p of probes) {
    const res = await searchUsersV2(env, { ...(p.filter !== undefined ? { filter: p.filter } : {}), token: token.accessToken });
    out.push(...prefixed(errorResponseFindings(res, p.expected), p.filter === undefined ? "no filter: " : `filter ${p.filter}: `));
  }
  return out;
}

/** The same expectation cited under another requirement (a probe of the same row). */
function citedAs(requirement: string, expected: ExpectedUsersV2Error): ExpectedUsersV2Error {
  return { ...expected, requirement };
}

/** A probe NHS number that is none of the configured identities. */
function probeNhsNumber(env: EnvironmentContext): string {
  const taken = new Set(usersV2Identities(env).map((i) => i.nhsNumber));
  return taken.has(PROBE_NHS_NUMBER) ? "9990899991" : PROBE_NHS_NUMBER;
}

const filterFor = (attribute: FilterAttribute, value: string) => `${attribute} eq "${value}"`;

/** Search for one user by one attribute and check the answer (shared by the two lookup checks). */
async function lookupFindings(env: EnvironmentContext, attribute: FilterAttribute, value: string, token: UsersV2Token): Promise<Finding[]> {
  const filter = filterFor(attribute, value);
  const res = await searchUsersV2(env, { filter, token: token.accessToken });
  const result = listResponseFindings(res, {
    usersScope: env.usersScope!,
    grantedScopes: token.grantedScopes,
    searched: attribute === "nhsnumber" ? { nhsNumber: value } : { email: value },
  });
  const out = prefixed(result.findings, `filter ${filter}: `);
  if (result.totalResults === 0) {
    out.push(
      finding(
        "UEV2-FILTER-08",
        "failed",
        `filter ${filter} found no account: the configured test ${attribute === "nhsnumber" ? "NHS number" : "email"} ` +
          "names no user there, or eq does not match identical values",
      ),
    );
  } else if (result.totalResults !== undefined) {
    out.push(
      finding("UEV2-FILTER-08", "passed", `filter ${filter} found ${result.totalResults} account${result.totalResults === 1 ? "" : "s"}`),
    );
  }
  return out;
}

/** UEV2-RESP-04: a checksum-valid NHS number nobody has gives 200 with totalResults 0. */
async function noMatchFindings(env: EnvironmentContext, token: UsersV2Token): Promise<Finding[]> {
  const filter = filterFor("nhsnumber", probeNhsNumber(env));
  const res = await searchUsersV2(env, { filter, token: token.accessToken });
  if (res.status !== 200)
    return [
      finding(
        "UEV2-RESP-04",
        "failed",
        `filter ${filter}: HTTP ${res.status} for a number with no account, expected 200 with totalResults 0`,
      ),
    ];
  const result = listResponseFindings(res, { usersScope: env.usersScope!, grantedScopes: token.grantedScopes });
  const out = prefixed(result.findings, `filter ${filter}: `);
  if (result.totalResults === 0) out.push(finding("UEV2-RESP-04", "passed", `filter ${filter}: HTTP 200 with totalResults 0`));
  else
    out.push(
      finding(
        "UEV2-RESP-04",
        "failed",
        `filter ${filter}: totalResults is ${JSON.stringify(result.totalResults ?? null)}, ` +
          "expected 0 for a number no test account should have",
      ),
    );
  return out;
}

/**
 * UEV2-FILTER-03/-07/-08: `and`, `or` and their precedence, with expectations worked out from
 * single-term lookups of the same values.
 */
async function combinationFindings(env: EnvironmentContext): Promise<Finding[]> {
  const identities = usersV2Identities(env);
  const first = identities[0]!;
  const probeNumber = probeNhsNumber(env);
  const probes: { filter: string; requirement: string; what: string }[] = [];
  // A value of the first identity: its NHS number if known, else its email.
  const [attr, value] = first.nhsNumber ? (["nhsnumber", first.nhsNumber] as const) : (["email", first.email!] as const);
  const miss = attr === "nhsnumber" ? filterFor("nhsnumber", probeNumber) : filterFor("email", probeEmail(1));
  if (first.nhsNumber && first.email) {
    probes.push({
      filter: `${filterFor("email", first.email)} and ${filterFor("nhsnumber", first.nhsNumber)}`,
      requirement: "UEV2-FILTER-03",
      what: "and of two matching terms",
    });
  }
  probes.push({
    filter: `${filterFor(attr, value)} and ${miss}`,
    requirement: "UEV2-FILTER-03",
    what: "and with a term that matches nobody",
  });
  probes.push({
    filter: `${miss} or ${filterFor(attr, value)}`,
    requirement: "UEV2-FILTER-03",
    what: "or with a term that matches nobody",
  });
  const other = first.email && first.nhsNumber ? filterFor("email", first.email) : filterFor(attr, value);
  probes.push({
    filter: `${miss} and ${other} or ${filterFor(attr, value)}`,
    requirement: "UEV2-FILTER-07",
    what: "precedence with one account",
  });
  const second = identities[1];
  const twoUsers = first.email && second?.email && second.nhsNumber;
  if (twoUsers) {
    probes.push({
      filter:
        `${filterFor("email", first.email!)} and ` +
        `${filterFor("nhsnumber", second.nhsNumber!)} or ` +
        `${filterFor("email", second.email!)}`,
      requirement: "UEV2-FILTER-07",
      what: "precedence with two accounts (catalogue fixture)",
    });
  }

  const token = await usersV2Token(env);
  const out = new Findings();
  if (!twoUsers) {
    out.skip(
      "UEV2-FILTER-07",
      "the two-account fixture (email e1 and nhsnumber n2 or email e2) needs a second identity with email and NHS number " +
        "(testNhsNumber2/testEmail2), and the first with an email",
    );
  }
  // Single-term lookups, each sent once.
  const single = new Map<string, Set<string>>();
  for (const t of probes.flatMap((p) => filterTerms(p.filter))) {
    const key = `${t.attribute} ${t.value}`;
    if (single.has(key)) continue;
    const res = await searchUsersV2(env, { filter: filterFor(t.attribute, t.value), token: token.accessToken });
    const result = listResponseFindings(res, { usersScope: env.usersScope!, grantedScopes: token.grantedScopes });
    if (!result.ids) throw new Error(`the lookup ${filterFor(t.attribute, t.value)} failed: HTTP ${res.status}`);
    single.set(key, new Set(result.ids));
  }
  if (single.get(`${attr} ${value}`)!.size === 0)
    out.fail("UEV2-FILTER-08", `${filterFor(attr, value)} finds no account, so the combinations cannot be judged`);
  else out.pass("UEV2-FILTER-08", `${filterFor(attr, value)} finds ${single.get(`${attr} ${value}`)!.size} account(s)`);

  for (const p of probes) {
    const { expected, orFirst } = filterExpectation(p.filter, (a, v) => single.get(`${a} ${v}`) ?? new Set());
    const res = await searchUsersV2(env, { filter: p.filter, token: token.accessToken });
    const result = listResponseFindings(res, { usersScope: env.usersScope!, grantedScopes: token.grantedScopes });
    const show = (s: ReadonlySet<string>) => (s.size === 0 ? "nobody" : [...s].join(", "));
    if (!result.ids) {
      out.fail(p.requirement, `${p.what}: filter ${p.filter} answered HTTP ${res.status}, expected 200`);
      continue;
    }
    const got = new Set(result.ids);
    if (p.requirement === "UEV2-FILTER-07" && sameSet(expected, orFirst)) {
      out.skip(p.requirement, `${p.what}: the accounts found do not tell the two readings apart (both give ${show(expected)})`);
    } else if (sameSet(got, expected)) {
      out.pass(p.requirement, `${p.what}: filter ${p.filter} returned ${show(got)}, as expected`);
    } else if (sameSet(got, orFirst)) {
      out.fail(
        p.requirement,
        `${p.what}: filter ${p.filter} returned ${show(got)}, the result of reading or before and; expected ${show(expected)}`,
      );
    } else {
      out.fail(p.requirement, `${p.what}: filter ${p.filter} returned ${show(got)}, expected ${show(expected)}`);
    }
  }
  return out.list();
}

/** UEV2-RESP-20, UEV2-SCOPE-10, UEV2-SCOPE-02: attributes follow the granted scopes. */
async function scopeMappingFindings(env: EnvironmentContext): Promise<Finding[]> {
  const first = usersV2Identities(env)[0]!;
  const filter = first.nhsNumber ? filterFor("nhsnumber", first.nhsNumber) : filterFor("email", first.email!);
  const usersScope = env.usersScope!;
  const out = new Findings();

  // Users.retrieve alone: exactly the base attributes.
  const base = await usersV2Token(env, [usersScope]);
  const res = await searchUsersV2(env, { filter, token: base.accessToken });
  const result = listResponseFindings(res, { usersScope, grantedScopes: base.grantedScopes });
  out.addAll(prefixed(result.findings, `${usersScope} only, filter ${filter}: `));
  if (result.totalResults === 0) out.skip("UEV2-RESP-20", `${filter} found nobody, so the attributes could not be compared with the scope`);

  // An optional scope without profile (A29): a 403 naming profile, or 200 with the base attributes only.
  const withoutProfile = await postUsersV2Token(env, { scope: `${usersScope} email` });
  const parsed = jsonBodyOf(withoutProfile);
  const issued = parsed.ok ? (parsed.value as Record<string, unknown> | null) : null;
  const granted = withoutProfile.status === 200 && typeof issued?.scope === "string" ? issued.scope.split(" ") : [];
  if (withoutProfile.status !== 200) {
    out.pass(
      "UEV2-SCOPE-02",
      `a token for ${usersScope} email (no profile) is refused at /token: HTTP ${withoutProfile.status} (recorded, catalogue A29)`,
    );
  } else if (typeof issued?.access_token !== "string" || !granted.includes("email") || !granted.includes(usersScope)) {
    out.skip("UEV2-SCOPE-02", `email without profile could not be probed: the token was granted ${JSON.stringify(granted.join(" "))}`);
  } else {
    const token = issued.access_token;
    const answer = await searchUsersV2(env, { filter, token });
    if (answer.status === 403) {
      const row = errorResponseFindings(answer, citedAs("UEV2-SCOPE-02", expectedScopeRequired("profile")));
      out.addAll(prefixed(row, "email without profile: "));
    } else {
      const r = listResponseFindings(answer, { usersScope, grantedScopes: granted });
      const leaks = r.findings.filter((f) => f.requirement === "UEV2-SCOPE-10" && f.status === "failed");
      if (answer.status !== 200)
        out.fail(
          "UEV2-SCOPE-02",
          `email without profile: HTTP ${answer.status}, expected 403 Scope "profile" required or 200 with the base attributes`,
        );
      else if (leaks.length > 0)
        out.addAll(
          prefixed(
            leaks.map((f) => ({ ...f, requirement: "UEV2-SCOPE-02" })),
            "email without profile: ",
          ),
        );
      else
        out.pass(
          "UEV2-SCOPE-02",
          "email without profile: HTTP 200 with only the Users.retrieve attributes (recorded; T10 would answer 403, catalogue A29)",
        );
    }
  }
  return out.list();
}

/** The IDs a search judged by {@link listResponseFindings} cites (uev2-resp-01's, without the eq rule). */
const LIST_RESPONSE_IDS = [
  "UEV2-RESP-01",
  "UEV2-RESP-02",
  "UEV2-RESP-03",
  "UEV2-RESP-05",
  "UEV2-RESP-07",
  "UEV2-RESP-08",
  "UEV2-RESP-09",
  "UEV2-RESP-10",
  "UEV2-SCOPE-10",
  ...USER_RESOURCE_IDS,
] as const;

/** The first identity as a single-term filter. */
function firstIdentityFilter(env: EnvironmentContext): { filter: string; searched: { nhsNumber?: string; email?: string } } {
  const first = usersV2Identities(env)[0]!;
  return first.nhsNumber
    ? { filter: filterFor("nhsnumber", first.nhsNumber), searched: { nhsNumber: first.nhsNumber } }
    : { filter: filterFor("email", first.email!), searched: { email: first.email! } };
}

/** The Resources array of a search answer, or [] when it has none. */
function resourcesOf(res: { status: number; text: string; headers: Readonly<Record<string, string | undefined>> }): unknown[] {
  const parsed = jsonBodyOf(res);
  const resources = parsed.ok ? (parsed.value as Record<string, unknown> | null)?.Resources : undefined;
  return Array.isArray(resources) ? resources : [];
}

/** UEV2-SCOPE-03..08 with the ListResponse rules: one search with Users.retrieve, profile and `set.scope`. */
async function scopeSetCheckFindings(env: EnvironmentContext, set: ScopeSet): Promise<Finding[]> {
  if (env.usersScopes && env.usersScopes.length > 0 && !env.usersScopes.includes(set.scope))
    return skippedAll(
      [set.requirement],
      `${set.scope} is not among the harness client's approved scopes (NHSLOGIN_USERS_SCOPES: ${env.usersScopes.join(" ")})`,
    );
  const { filter, searched } = firstIdentityFilter(env);
  const usersScope = env.usersScope!;
  const token = await usersV2Token(env, [usersScope, "profile", set.scope]);
  const label = `scope profile ${set.scope}, filter ${filter}`;
  const res = await searchUsersV2(env, { filter, token: token.accessToken });
  const result = listResponseFindings(res, { usersScope, grantedScopes: token.grantedScopes, searched });
  const out = prefixed(result.findings, `${label}: `);
  if (res.status !== 200) return [...out, finding(set.requirement, "skipped", `${label}: the search answered HTTP ${res.status}`)];
  return [...out, ...scopeSetFindings(set, resourcesOf(res), { grantedScopes: token.grantedScopes, label })];
}

/** Scopes the harness client is not approved for: T14 scopes left out of NHSLOGIN_USERS_SCOPES, else a foreign Users.retrieve. */
function unapprovedScopes(env: EnvironmentContext): string[] {
  const configured = env.usersScopes ?? [];
  const rest = configured.length > 0 ? USERS_V2_OPTIONAL_SCOPES.filter((s) => !configured.includes(s)) : [];
  return rest.length > 0 ? [...rest] : ["https://auth.conformance-probe.invalid/Users.retrieve"];
}

/** T10 row 11 with its template filled by anything (the pattern of the catalogue row). */
const NOT_APPROVED: ExpectedUsersV2Error = {
  requirement: USERS_V2_ERRORS.scopesNotApproved.requirement,
  status: USERS_V2_ERRORS.scopesNotApproved.status,
  accepted: [{ description: USERS_V2_ERRORS.scopesNotApproved.pattern, row: USERS_V2_ERRORS.scopesNotApproved.requirement }],
};

/** UEV2-SCOPE-09, UEV2-ERR-11: a token for only unapproved scopes gets row 11 at /v2/Users (or invalid_scope at /token). */
async function notApprovedFindings(env: EnvironmentContext): Promise<Finding[]> {
  const requested = unapprovedScopes(env);
  const what = `a token request for only ${requested.join(" ")} (not approved for the harness client)`;
  const res = await postUsersV2Token(env, { scope: requested.join(" ") });
  const token = issuedAccessToken(res);
  const out = new Findings();
  if (token === undefined) {
    const code = tokenErrorCodeOf(res);
    const unobserved = `${what} was refused at /token, so the /v2/Users answer (T10 row 11) could not be observed`;
    if (res.status === 400 && code === "invalid_scope")
      out.pass("UEV2-SCOPE-09", `${what} was refused at /token with 400 invalid_scope (recorded; T10 places the refusal at /v2/Users)`);
    else if (res.status >= 500 || (res.status >= 200 && res.status < 300))
      out.fail("UEV2-SCOPE-09", `${what}: HTTP ${res.status} without a token, expected a refusal (body: ${res.text.slice(0, 200)})`);
    else out.warn("UEV2-SCOPE-09", `${what} was refused with HTTP ${res.status} ${code ?? ""}, expected 400 invalid_scope or T10 row 11`);
    return out.skip("UEV2-ERR-11", unobserved).skip("UEV2-ERR-13", unobserved).list();
  }
  const body = jsonBodyOf(res);
  const scope = body.ok ? (body.value as Record<string, unknown> | null)?.scope : undefined;
  const leaked = typeof scope === "string" ? scope.split(" ").filter((s) => requested.includes(s)) : [];
  if (leaked.length > 0) out.fail("UEV2-SCOPE-09", `${what}: the token grants ${leaked.join(" ")}, which is not approved`);
  const answer = await searchUsersV2(env, { filter: filterFor("nhsnumber", probeNhsNumber(env)), token });
  const row = prefixed(errorResponseFindings(answer, NOT_APPROVED), "only unapproved scopes: ");
  out.addAll(row);
  const parsed = jsonBodyOf(answer);
  const first = parsed.ok ? ((parsed.value as { Errors?: { description?: unknown }[] } | null)?.Errors?.[0]?.description ?? "") : "";
  const named = typeof first === "string" ? USERS_V2_ERRORS.scopesNotApproved.pattern.exec(first)?.[1] : undefined;
  if (named !== undefined && !requested.every((s) => named.split(/[\s,]+/).includes(s)))
    out.warn(
      "UEV2-ERR-11",
      `only unapproved scopes: the text names ${JSON.stringify(named)}, not the scopes requested (${requested.join(" ")})`,
    );
  out.addAll(
    underEachId(
      ["UEV2-SCOPE-09"],
      row.filter((f) => f.requirement === "UEV2-ERR-11"),
    ),
  );
  return out.list();
}

/** Probes of /v2/Users that a fragile implementation might fail on with a 500 (UEV2-ERR-12). */
const SERVER_ERROR_PROBES: readonly { label: string; filter?: string; rawQuery?: string }[] = [
  { label: 'filter email eq "ünïcode@example.org"', filter: 'email eq "ünïcode@example.org"' },
  { label: "filter email eq with a NUL character", filter: 'email eq "a\u0000@example.org"' },
  { label: "filter email eq with a 4,000-character address", filter: `email eq "${"a".repeat(4000)}@example.org"` },
  { label: "filter nhsnumber eq with 64 digits", filter: `nhsnumber eq "${"9".repeat(64)}"` },
  { label: "filter=%E0%A4%A (broken percent-encoding)", rawQuery: "filter=%E0%A4%A" },
];

/** UEV2-TOKEN-18 probes: requests every environment refuses, with what each carries. */
const UNKNOWN_CLIENT = "conformance-unknown-client";
const TOKEN_ERROR_PROBES: readonly { what: string; options: TokenRequestOptions; authorizationHeader?: boolean }[] = [
  {
    what: "grant_type urn:ietf:params:oauth:grant-type:conformance-unknown",
    options: { grantType: "urn:ietf:params:oauth:grant-type:conformance-unknown" },
  },
  { what: "a jwt-bearer request without assertion", options: { omit: ["assertion"] } },
  { what: "assertion not-a-jwt", options: { assertion: "not-a-jwt" } },
  {
    what: `an assertion from an unregistered client (iss = sub = ${UNKNOWN_CLIENT})`,
    options: { assertionOptions: { claims: { iss: UNKNOWN_CLIENT, sub: UNKNOWN_CLIENT } } },
  },
  {
    what: `an Authorization: Basic header for ${UNKNOWN_CLIENT} instead of an assertion`,
    options: { omit: ["assertion"], headers: { authorization: `Basic ${Buffer.from(`${UNKNOWN_CLIENT}:wrong`).toString("base64")}` } },
    authorizationHeader: true,
  },
];

export const USERS_V2_CHECKS: readonly EnvironmentCheck[] = [
  {
    key: "uev2-token-12",
    ids: ["UEV2-TOKEN-12", "UEV2-TOKEN-13", "UEV2-TOKEN-14", "UEV2-TOKEN-15", "UEV2-TOKEN-16"],
    title: "the jwt-bearer grant answers 200 no-store with a Bearer JWT for 300 s and a subset of the requested scopes",
    area: TOKEN,
    needs: NEEDS,
    run: async (env) => {
      const requestedScopes = requestedUsersV2Scopes(env);
      const res = await postUsersV2Token(env, { scope: requestedScopes.join(" ") });
      return tokenResponseFindings(res, { requestedScopes, usersScope: env.usersScope! });
    },
  },
  {
    key: "uev2-at-01",
    ids: USERS_V2_ACCESS_TOKEN_IDS,
    title: "the access token is RS512-signed by a JWKS key and carries the Table 13 claims for the client, living 300 s",
    area: TOKEN,
    needs: NEEDS,
    run: async (env) => {
      const token = await usersV2Token(env);
      const { issuer, jwksUri } = await usersV2Endpoints(env);
      const claims = accessTokenClaimsFindings(token.accessToken, {
        issuer,
        clientId: env.harness!.clientId,
        usersScope: env.usersScope!,
        requestedScopes: token.requestedScopes,
        ...(token.grantedScope !== undefined ? { grantedScope: token.grantedScope } : {}),
      });
      if (!jwksUri) return [...claims, finding("UEV2-AT-12", "failed", "discovery names no jwks_uri to verify the access token with")];
      const jwks = await env.fetchJson(jwksUri);
      if (jwks.error || jwks.status !== 200)
        return [...claims, finding("UEV2-AT-12", "failed", `the JWKS could not be fetched: ${jwks.error ?? `HTTP ${jwks.status}`}`)];
      return [...claims, ...(await accessTokenSignatureFindings(token.accessToken, jwks.body))];
    },
  },
  {
    key: "uev2-token-10",
    ids: ["UEV2-TOKEN-10", "UEV2-TOKEN-17"],
    title: "a replayed assertion (same jti) is refused",
    area: TOKEN,
    needs: NEEDS,
    run: async (env) => {
      const assertion = await signUsersV2Assertion(env);
      const firstUse = await postUsersV2Token(env, { assertion });
      if (firstUse.status !== 200)
        throw new Error(`the first use of the assertion was refused (HTTP ${firstUse.status}), so a replay cannot be told apart`);
      return refusedTokenRequestFindings(await postUsersV2Token(env, { assertion }), {
        requirement: "UEV2-TOKEN-10",
        what: "the same assertion sent a second time",
      });
    },
  },
  {
    key: "uev2-token-09",
    ids: ["UEV2-TOKEN-09", "UEV2-TOKEN-17"],
    title: "an expired assertion is refused",
    area: TOKEN,
    needs: NEEDS,
    run: async (env) => {
      const now = Math.floor(Date.now() / 1000);
      // Issued five minutes ago, expired two minutes ago: beyond any reasonable clock skew.
      const res = await postUsersV2Token(env, { assertionOptions: { now: now - 300, lifetimeSeconds: 180 } });
      return refusedTokenRequestFindings(res, { requirement: "UEV2-TOKEN-09", what: "an assertion that expired 120 s ago" });
    },
  },
  {
    key: "uev2-token-08",
    ids: ["UEV2-TOKEN-08", "UEV2-TOKEN-17"],
    title: "an assertion for another audience is refused",
    area: TOKEN,
    needs: NEEDS,
    run: async (env) => {
      const res = await postUsersV2Token(env, { assertionOptions: { audience: "https://conformance.invalid/token" } });
      return refusedTokenRequestFindings(res, {
        requirement: "UEV2-TOKEN-08",
        what: "an assertion with aud https://conformance.invalid/token",
      });
    },
  },
  {
    key: "uev2-token-02",
    ids: ["UEV2-TOKEN-02", "UEV2-TOKEN-17"],
    title: "the grant type misprinted in the spec example (grant-assertion-type) gives unsupported_grant_type (recorded)",
    area: TOKEN,
    needs: NEEDS,
    run: async (env) => {
      const res = await postUsersV2Token(env, { grantType: JWT_BEARER_GRANT_TYPE_TYPO });
      return refusedTokenRequestFindings(res, {
        requirement: "UEV2-TOKEN-02",
        what: `grant_type ${JWT_BEARER_GRANT_TYPE_TYPO}`,
        codes: ["unsupported_grant_type"],
        otherCode: "warning",
        onIssued: "warning",
      });
    },
  },
  {
    key: "uev2-resp-04",
    ids: ["UEV2-RESP-04", "UEV2-RESP-01", "UEV2-RESP-02", "UEV2-RESP-03", "UEV2-RESP-05"],
    title: "a search for a checksum-valid NHS number nobody has answers 200 with totalResults 0",
    area: SEARCH,
    needs: NEEDS,
    run: async (env) => noMatchFindings(env, await usersV2Token(env)),
  },
  {
    key: "uev2-resp-01",
    ids: [...LIST_RESPONSE_IDS, "UEV2-FILTER-08"],
    title: "a search by NHS number finds the test user as a ListResponse of User resources shaped by the granted scopes",
    area: SEARCH,
    needs: NEEDS,
    run: async (env) => {
      const nhsNumber = env.testNhsNumber;
      if (!nhsNumber) return skippedAll(["UEV2-RESP-01", "UEV2-FILTER-08"], "no test NHS number configured (NHSLOGIN_TEST_NHS_NUMBER)");
      return lookupFindings(env, "nhsnumber", nhsNumber, await usersV2Token(env));
    },
  },
  {
    key: "uev2-resp-01-2",
    ids: [...LIST_RESPONSE_IDS, "UEV2-FILTER-08"],
    title: "a search by email finds the test user, with emails as the email scope allows",
    area: SEARCH,
    needs: NEEDS,
    run: async (env) => {
      const email = env.testEmail;
      if (!email) return skippedAll(["UEV2-RESP-01", "UEV2-FILTER-08"], "no test email configured (NHSLOGIN_TEST_EMAIL)");
      return lookupFindings(env, "email", email, await usersV2Token(env));
    },
  },
  {
    key: "uev2-filter-07",
    ids: ["UEV2-FILTER-07", "UEV2-FILTER-03", "UEV2-FILTER-08"],
    title: "and needs both terms, or either, and and binds tighter than or",
    area: SEARCH,
    needs: NEEDS,
    run: async (env) => {
      if (usersV2Identities(env).length === 0)
        return skippedAll(
          ["UEV2-FILTER-07", "UEV2-FILTER-03"],
          "no test identity configured (NHSLOGIN_TEST_NHS_NUMBER / NHSLOGIN_TEST_EMAIL)",
        );
      return combinationFindings(env);
    },
  },
  {
    key: "uev2-resp-20",
    ids: ["UEV2-RESP-20", "UEV2-SCOPE-02", "UEV2-ERR-13", ...LIST_RESPONSE_IDS.filter((id) => id !== "UEV2-RESP-20")],
    title: "with Users.retrieve alone only id, active and IdentityProofing come back; an optional scope without profile releases nothing",
    area: SEARCH,
    needs: NEEDS,
    run: async (env) => {
      if (usersV2Identities(env).length === 0)
        return skippedAll(
          ["UEV2-RESP-20", "UEV2-SCOPE-02"],
          "no test identity configured (NHSLOGIN_TEST_NHS_NUMBER / NHSLOGIN_TEST_EMAIL)",
        );
      return scopeMappingFindings(env);
    },
  },
  {
    key: "uev2-filter-06",
    ids: ["UEV2-FILTER-06", "UEV2-ERR-04", "UEV2-ERR-13"],
    title: "five expressions are answered 200; six give 400 More than 5 expressions provided",
    area: ERRORS,
    needs: NEEDS,
    run: async (env) => {
      const join = (n: number) => Array.from({ length: n }, (_, i) => filterFor("email", probeEmail(i + 1))).join(" or ");
      const token = await usersV2Token(env);
      const five = await searchUsersV2(env, { filter: join(5), token: token.accessToken });
      const out: Finding[] = [
        five.status === 200
          ? finding("UEV2-FILTER-06", "passed", "five or-joined expressions: HTTP 200")
          : finding(
              "UEV2-FILTER-06",
              "failed",
              `five or-joined expressions: HTTP ${five.status}, expected 200 (body: ${five.text.slice(0, 200)})`,
            ),
      ];
      return [...out, ...(await errorProbes(env, [{ filter: join(6), expected: expectedError(USERS_V2_ERRORS.tooManyExpressions) }]))];
    },
  },
  {
    key: "uev2-err-01",
    ids: ["UEV2-ERR-01", "UEV2-FILTER-04", "UEV2-FILTER-05", "UEV2-ERR-13", "UEV2-FILTER-11"],
    title: 'malformed filters give 400 "Invalid syntax"',
    area: ERRORS,
    needs: NEEDS,
    run: (env) => {
      const row = expectedError(USERS_V2_ERRORS.invalidSyntax);
      return errorProbes(env, [
        { filter: "email eq", expected: row },
        { filter: 'email eq "a@b.c" and', expected: citedAs("UEV2-FILTER-04", row) },
        { filter: 'eq "a@b.c"', expected: citedAs("UEV2-FILTER-04", row) },
        { filter: "email eq a@b.c", expected: citedAs("UEV2-FILTER-05", row) },
        // A filter of the wrong structure (no operator) is T10's "Invalid syntax" (UEV2-FILTER-11).
        { filter: 'email "a@b.c"', expected: citedAs("UEV2-FILTER-11", row) },
      ]);
    },
  },
  {
    key: "uev2-err-02",
    ids: ["UEV2-ERR-02", "UEV2-ERR-07", "UEV2-ERR-13", "UEV2-FILTER-01"],
    title: 'an unsupported attribute gives 400 "Invalid attribute" or the "Either one of" text (A28)',
    area: ERRORS,
    needs: NEEDS,
    run: (env) => {
      const either = expectedError([USERS_V2_ERRORS.invalidAttribute, USERS_V2_ERRORS.unexpectedAttribute]);
      return errorProbes(env, [
        { filter: 'userName eq "a@b.c"', expected: either },
        { filter: 'surname eq "a@b.c"', expected: citedAs("UEV2-ERR-07", either) },
        // Only nhsnumber and email are attributes (UEV2-FILTER-01): the catalogue's probe.
        { filter: 'userName eq "x@y.z"', expected: citedAs("UEV2-FILTER-01", either) },
      ]);
    },
  },
  {
    key: "uev2-err-03",
    ids: ["UEV2-ERR-03", "UEV2-FILTER-02", "UEV2-ERR-13"],
    title: 'an operator other than eq gives 400 "Invalid operator"',
    area: ERRORS,
    needs: NEEDS,
    run: (env) => {
      const row = expectedError(USERS_V2_ERRORS.invalidOperator);
      return errorProbes(env, [
        { filter: 'email co "a@b.c"', expected: row },
        { filter: `nhsnumber ne "${PROBE_NHS_NUMBER}"`, expected: citedAs("UEV2-FILTER-02", row) },
      ]);
    },
  },
  {
    key: "uev2-err-05",
    ids: ["UEV2-ERR-05", "UEV2-FILTER-09", "UEV2-ERR-13"],
    title: 'an NHS number that is not 10 digits gives 400 "Invalid NHS number"',
    area: ERRORS,
    needs: NEEDS,
    run: (env) => {
      const row = expectedError(USERS_V2_ERRORS.invalidNhsNumber);
      return errorProbes(env, [
        { filter: 'nhsnumber eq "123456789"', expected: row },
        { filter: 'nhsnumber eq "96863689A3"', expected: citedAs("UEV2-FILTER-09", row) },
      ]);
    },
  },
  {
    key: "uev2-err-06",
    ids: ["UEV2-ERR-06", "UEV2-FILTER-10", "UEV2-ERR-13"],
    title: 'an email not of the form a@b.c gives 400 "Invalid email"',
    area: ERRORS,
    needs: NEEDS,
    run: (env) => {
      const row = expectedError(USERS_V2_ERRORS.invalidEmail);
      return errorProbes(env, [
        { filter: 'email eq "not-an-email"', expected: row },
        { filter: 'email eq "a@b"', expected: citedAs("UEV2-FILTER-10", row) },
      ]);
    },
  },
  {
    key: "uev2-err-08",
    ids: ["UEV2-ERR-08", "UEV2-REQ-03", "UEV2-ERR-13"],
    title: 'a search without filter gives 400 Query string "filter" not present',
    area: ERRORS,
    needs: NEEDS,
    run: async (env) => {
      const findings = await errorProbes(env, [{ filter: undefined, expected: expectedError(USERS_V2_ERRORS.filterMissing) }]);
      // The filter is mandatory (UEV2-REQ-03): the refusal of a search without one is its evidence.
      return [
        ...findings,
        ...underEachId(
          ["UEV2-REQ-03"],
          findings.filter((f) => f.requirement === "UEV2-ERR-08"),
        ),
      ];
    },
  },
  {
    key: "uev2-err-10",
    ids: ["UEV2-ERR-10", "UEV2-SCOPE-01", "UEV2-ERR-13"],
    title: 'a token without Users.retrieve gives 403 Scope "<Users.retrieve>" required',
    area: ERRORS,
    needs: NEEDS,
    run: async (env) => {
      const ids = ["UEV2-ERR-10", "UEV2-SCOPE-01"];
      const res = await postUsersV2Token(env, { scope: "profile" });
      const body = jsonBodyOf(res);
      const value = body.ok ? (body.value as Record<string, unknown> | null) : null;
      if (res.status !== 200 || typeof value?.access_token !== "string") {
        return skippedAll(
          ids,
          `the environment issues no token for scope "profile" alone (HTTP ${res.status}), ` +
            "so a token without Users.retrieve cannot be presented",
        );
      }
      const granted = typeof value.scope === "string" ? value.scope.split(" ") : ["profile"];
      if (granted.includes(env.usersScope!))
        return skippedAll(
          ids,
          `asked for "profile" alone, the environment granted ${JSON.stringify(value.scope)}, which holds Users.retrieve`,
        );
      if (!granted.includes("profile"))
        return skippedAll(
          ids,
          `asked for "profile" alone, the environment granted ${JSON.stringify(value.scope ?? "")}: ` +
            "a token with a scope but without Users.retrieve is not obtainable",
        );
      const answer = await searchUsersV2(env, { filter: filterFor("nhsnumber", probeNhsNumber(env)), token: value.access_token });
      const row = errorResponseFindings(answer, expectedScopeRequired(env.usersScope!));
      const scope01 =
        answer.status >= 200 && answer.status < 300
          ? finding("UEV2-SCOPE-01", "failed", `a token without ${env.usersScope} was answered HTTP ${answer.status}`)
          : finding(
              "UEV2-SCOPE-01",
              answer.status === 403 ? "passed" : "failed",
              `a token without ${env.usersScope}: HTTP ${answer.status}${answer.status === 403 ? "" : ", expected 403"}`,
            );
      return [...row, scope01];
    },
  },
  {
    key: "uev2-req-02",
    ids: ["UEV2-REQ-02", "UEV2-ERR-14"],
    title: "a search without a bearer token is refused, with 401 and WWW-Authenticate: Bearer",
    area: ERRORS,
    needs: NEEDS,
    run: async (env) => {
      const res = await searchUsersV2(env, { filter: filterFor("nhsnumber", probeNhsNumber(env)), token: null });
      if (res.status >= 200 && res.status < 300) {
        return [
          finding(
            "UEV2-REQ-02",
            "failed",
            `a search without Authorization header was answered HTTP ${res.status}: the endpoint must require the bearer token`,
          ),
          finding("UEV2-ERR-14", "warning", `no token: HTTP ${res.status}, expected 401`),
        ];
      }
      const out = [finding("UEV2-REQ-02", "passed", `a search without Authorization header was refused with HTTP ${res.status}`)];
      const challenge = headerOf(res, "www-authenticate");
      if (res.status !== 401) out.push(finding("UEV2-ERR-14", "warning", `no token: HTTP ${res.status} (recorded), RFC 6750 implies 401`));
      else if (!/^bearer\b/i.test(challenge ?? ""))
        out.push(
          finding(
            "UEV2-ERR-14",
            "warning",
            `no token: 401 with WWW-Authenticate ${JSON.stringify(challenge ?? null)}, expected a Bearer challenge`,
          ),
        );
      else out.push(finding("UEV2-ERR-14", "passed", `no token: 401 with WWW-Authenticate ${challenge}`));
      return out;
    },
  },
  {
    key: "uev2-gen-02",
    ids: ["UEV2-GEN-02"],
    title: "the endpoint is read-only: writes to /v2/Users and other SCIM resources do not succeed",
    area: ERRORS,
    needs: NEEDS,
    run: async (env) => {
      const token = await usersV2Token(env);
      const attempts: { method: string; path?: string; json?: unknown }[] = [
        { method: "POST", json: {} },
        { method: "PUT", json: {} },
        { method: "PATCH", json: {} },
        { method: "DELETE" },
        { method: "GET", path: "v2/Groups" },
        { method: "GET", path: "v2/Schemas" },
        { method: "GET", path: "v2/ResourceTypes" },
      ];
      const seen: string[] = [];
      const succeeded: string[] = [];
      for (const a of attempts) {
        const res = await searchUsersV2(env, {
          token: token.accessToken,
          method: a.method,
          ...(a.path ? { path: a.path } : {}),
          ...(a.json !== undefined ? { json: a.json } : {}),
        });
        const label = `${a.method} /${a.path ?? "v2/Users"} → ${res.status}`;
        seen.push(label);
        if (res.status >= 200 && res.status < 300) succeeded.push(label);
      }
      return succeeded.length > 0
        ? [finding("UEV2-GEN-02", "failed", `requests other than GET /v2/Users succeeded: ${succeeded.join(", ")}`)]
        : [finding("UEV2-GEN-02", "passed", `none succeeded (recorded): ${seen.join(", ")}`)];
    },
  },
  {
    key: "uev2-token-05",
    ids: ["UEV2-TOKEN-05", "UEV2-TOKEN-17"],
    title: "assertions signed RS256, HS256 with the client's public key, or not at all (alg none) are refused",
    area: TOKEN,
    needs: NEEDS,
    run: async (env) => {
      const pem = createPublicKey(env.harness!.privateKey).export({ type: "spki", format: "pem" });
      const probes: { what: string; options: NonNullable<TokenRequestOptions["assertionOptions"]> }[] = [
        { what: "an assertion signed RS256 (not RS512)", options: { alg: "RS256" } },
        {
          what: "an assertion signed HS256 with the client's public key PEM as the secret",
          options: { alg: "HS256", hmacSecret: new TextEncoder().encode(String(pem)) },
        },
        { what: "an unsigned assertion (alg none)", options: { alg: "none" } },
      ];
      const out: Finding[] = [];
      for (const p of probes) {
        const res = await postUsersV2Token(env, { assertionOptions: p.options });
        out.push(
          ...refusedTokenRequestFindings(res, {
            requirement: "UEV2-TOKEN-05",
            what: p.what,
            codes: ["invalid_client", "invalid_grant"],
            otherCode: "warning",
          }),
        );
      }
      return out;
    },
  },
  {
    key: "uev2-token-18",
    ids: ["UEV2-TOKEN-18"],
    title: "refused token requests carry a Table 4 code; invalid_client for an Authorization header is 401 with WWW-Authenticate",
    area: TOKEN,
    needs: NEEDS,
    run: async (env) => {
      const out: Finding[] = [];
      for (const p of TOKEN_ERROR_PROBES) {
        const res = await postUsersV2Token(env, p.options);
        out.push(...tokenErrorCodeFindings(res, { what: p.what, ...(p.authorizationHeader ? { authorizationHeader: true } : {}) }));
      }
      return out;
    },
  },
  {
    key: "uev2-token-01",
    ids: ["UEV2-TOKEN-01"],
    title: "only a form-encoded POST to /token is issued a Users V2 token: not a JSON body, not a GET",
    area: TOKEN,
    needs: NEEDS,
    run: async (env) => {
      // The control: the same request form-encoded is issued a token (else the refusals say nothing).
      await usersV2Token(env);
      const { tokenEndpoint } = await usersV2Endpoints(env);
      const json = await env.http.request({ method: "POST", url: tokenEndpoint, json: await usersV2TokenParameters(env) });
      const get = await env.http.request({ method: "GET", url: tokenEndpoint, query: await usersV2TokenParameters(env) });
      return [
        ...formEncodingFindings(json, "the jwt-bearer request as a JSON body"),
        ...formEncodingFindings(get, "the jwt-bearer request as a GET with a query string"),
      ];
    },
  },
  {
    key: "uev2-token-04",
    ids: ["UEV2-TOKEN-04"],
    title: "a token request without scope is refused (400 invalid_request or invalid_scope)",
    area: TOKEN,
    needs: NEEDS,
    run: async (env) => {
      const res = await postUsersV2Token(env, { omit: ["scope"] });
      const token = issuedAccessToken(res);
      const search = token ? await searchUsersV2(env, { filter: filterFor("nhsnumber", probeNhsNumber(env)), token }) : undefined;
      return missingScopeFindings(res, search);
    },
  },
  ...USERS_V2_SCOPE_SETS.map(
    (set): EnvironmentCheck => ({
      key: set.requirement.toLowerCase(),
      ids: [set.requirement, ...LIST_RESPONSE_IDS],
      title: `with ${set.scope} granted (and profile), ${set.attribute} comes back in T15 User resources`,
      area: SEARCH,
      needs: NEEDS,
      run: async (env) => {
        if (usersV2Identities(env).length === 0)
          return skippedAll([set.requirement], "no test identity configured (NHSLOGIN_TEST_NHS_NUMBER / NHSLOGIN_TEST_EMAIL)");
        return scopeSetCheckFindings(env, set);
      },
    }),
  ),
  {
    key: "uev2-resp-06",
    ids: ["UEV2-RESP-06", ...LIST_RESPONSE_IDS],
    title: "an or of two test accounts answers both users in one ListResponse, Resources as long as totalResults",
    area: SEARCH,
    needs: NEEDS,
    run: async (env) => {
      const [a, b] = usersV2Identities(env);
      const byNumber = a?.nhsNumber && b?.nhsNumber && a.nhsNumber !== b.nhsNumber;
      const byEmail = a?.email && b?.email && a.email !== b.email;
      if (!byNumber && !byEmail)
        return skippedAll(
          ["UEV2-RESP-06"],
          "two different test accounts are needed (NHSLOGIN_TEST_NHS_NUMBER / _2 or NHSLOGIN_TEST_EMAIL / _2)",
        );
      const filter = byNumber
        ? `${filterFor("nhsnumber", a!.nhsNumber!)} or ${filterFor("nhsnumber", b!.nhsNumber!)}`
        : `${filterFor("email", a!.email!)} or ${filterFor("email", b!.email!)}`;
      const token = await usersV2Token(env);
      const res = await searchUsersV2(env, { filter, token: token.accessToken });
      const result = listResponseFindings(res, { usersScope: env.usersScope!, grantedScopes: token.grantedScopes });
      return [...prefixed(result.findings, `filter ${filter}: `), ...severalUsersFindings(result, 2, filter)];
    },
  },
  {
    key: "uev2-scope-09",
    ids: ["UEV2-SCOPE-09", "UEV2-ERR-11", "UEV2-ERR-13"],
    title: 'a token for only unapproved scopes gives 403 "Requested scopes: ... did not match the clients approved scopes: ..."',
    area: ERRORS,
    needs: NEEDS,
    run: (env) => notApprovedFindings(env),
  },
  {
    key: "uev2-err-09",
    ids: ["UEV2-ERR-09", "UEV2-ERR-13"],
    title: 'a token issued for an empty scope gives 403 "No scope was present in the request"',
    area: ERRORS,
    needs: NEEDS,
    run: async (env) => {
      const res = await postUsersV2Token(env, { scope: "" });
      const token = issuedAccessToken(res);
      if (token === undefined)
        return skippedAll(
          ["UEV2-ERR-09"],
          `the environment issues no token for an empty scope (HTTP ${res.status} ${tokenErrorCodeOf(res) ?? ""}), ` +
            "so a token without any scope cannot be presented (T10 row 9 then needs a test hook)",
        );
      const body = jsonBodyOf(res);
      const scope = body.ok ? (body.value as Record<string, unknown> | null)?.scope : undefined;
      if (typeof scope === "string" && scope.trim() !== "")
        return skippedAll(["UEV2-ERR-09"], `asked for an empty scope, the environment granted ${JSON.stringify(scope)}`);
      const answer = await searchUsersV2(env, { filter: filterFor("nhsnumber", probeNhsNumber(env)), token });
      return prefixed(errorResponseFindings(answer, expectedError(USERS_V2_ERRORS.noScope)), "empty scope: ");
    },
  },
  {
    key: "uev2-gen-03",
    ids: ["UEV2-GEN-03"],
    title: "SCIM attributes= and excludedAttributes= change nothing: the granted scopes alone decide what comes back",
    area: SEARCH,
    needs: NEEDS,
    run: async (env) => {
      if (usersV2Identities(env).length === 0)
        return skippedAll(["UEV2-GEN-03"], "no test identity configured (NHSLOGIN_TEST_NHS_NUMBER / NHSLOGIN_TEST_EMAIL)");
      const { filter } = firstIdentityFilter(env);
      const token = await usersV2Token(env);
      const plain = await searchUsersV2(env, { filter, token: token.accessToken });
      const baseline = resourcesOf(plain);
      if (plain.status !== 200 || baseline.length === 0)
        throw new Error(
          `the search ${filter} without parameters answered HTTP ${plain.status} with no user, so there is nothing to compare`,
        );
      const out: Finding[] = [];
      for (const param of ["attributes=id", "excludedAttributes=name,emails,phoneNumbers"]) {
        const res = await searchUsersV2(env, { filter, token: token.accessToken, rawQuery: param });
        out.push(...prefixed(attributeParameterFindings(baseline, res, param), `filter ${filter} with `));
      }
      return out;
    },
  },
  {
    key: "uev2-gen-01",
    ids: ["UEV2-GEN-01"],
    title: "the Users V2 token endpoint and /v2/Users are https (plain http only on a loopback simulator, as a warning)",
    area: TOKEN,
    needs: NEEDS,
    run: async (env) => {
      const { tokenEndpoint, usersEndpoint } = await usersV2Endpoints(env);
      return httpsFindings([
        { label: "token endpoint", url: tokenEndpoint },
        { label: "Users endpoint", url: usersEndpoint },
      ]);
    },
  },
  {
    key: "uev2-err-12",
    ids: ["UEV2-ERR-12"],
    title: 'every HTTP 500 seen from /v2/Users carries exactly {"error": "Internal server error"} (opportunistic)',
    area: ERRORS,
    needs: NEEDS,
    run: async (env) => {
      const token = await usersV2Token(env);
      const observed: { label: string; res: Awaited<ReturnType<typeof searchUsersV2>> }[] = [];
      for (const p of SERVER_ERROR_PROBES) {
        const res = await searchUsersV2(env, {
          token: token.accessToken,
          ...(p.filter !== undefined ? { filter: p.filter } : {}),
          ...(p.rawQuery ? { rawQuery: p.rawQuery } : {}),
        });
        observed.push({ label: p.label, res });
      }
      return internalErrorFindings(observed);
    },
  },
];
