/**
 * Findings about the service as a Users Endpoint V2 consumer (UEV2 §3, §4; the UEV2-C rows of the
 * catalogue), from what the simulator recorded while the service performed lookups through its
 * lookup hook, and from what the hook answered. Every rule names its evidence: the lookup (which
 * query was asked, with which fault armed), the request the simulator saw, the hook's answer.
 *
 * @example
 * ```ts
 * const obs = usersV2Observation(events, answers, "lookup by NHS number")
 * consumerAssertionFindings(obs, { clientId, tokenEndpoint })
 * errorHandlingFindings(obs, { kind: "400", requirement: "UEV2-ERR-01" })
 * ```
 */
import { deviationStatus, finding, type Finding } from "../../requirements/index.ts";
import type { SimulatorEvent } from "../../simulator/state.ts";
import { JWT_BEARER_GRANT_TYPE } from "../../nhs/constants.ts";
import { FILTER_ATTRIBUTES, parseFilter } from "../../nhs/scim-filter/index.ts";
import { citedAs, Findings } from "../findings.ts";
import {
  assertionClaimFindings,
  assertionHeaderFindings,
  assertionLifetimeFindings,
  assertionVerifiedFindings,
  jtiFindings,
  tokenEvents,
  type TokenRequest,
} from "./client-authentication.ts";
import type { LookupAnswer } from "./service-context.ts";
import { readHookAnswer } from "./hook-answer.ts";

/** A search the simulator recorded (GET /v2/Users or any other /v2 request). */
export interface SearchRequest {
  method: string;
  path: string;
  /** The query as sent, percent-encoding and all. */
  rawQuery: string;
  /** Decoded parameter names. */
  queryParams: string[];
  /** The decoded filter (several when repeated). */
  filter?: string | string[];
  /** Whether the Authorization header was `Bearer <token>`; undefined when the simulator did not record it. */
  bearer?: boolean;
  status?: number;
  description?: string;
  faults: string[];
  /** Its place among all the events it was read from. */
  seq: number;
  /** Set when the simulator held its answer back this long (a slow-answer fault): recorded on arrival, no status. */
  delayedMs?: number;
}

/** One lookup scenario: what the hook answered and what reached the simulator meanwhile. */
export interface UsersV2Observation {
  /** The scenario, for messages: e.g. `lookup by NHS number, with uev2-answer:internal armed`. */
  label: string;
  answers: LookupAnswer[];
  tokenRequests: TokenRequest[];
  searches: SearchRequest[];
  serviceDown?: string;
}

/** What the hook said, read by its contract, or why it cannot be read. */
export type HookVerdict =
  | { outcome: "found"; users: Record<string, unknown>[] }
  | { outcome: "not-found" }
  | { outcome: "error"; errorClass: string }
  | { problem: string; status: "failed" | "inconclusive" };

/** The SCIM parameters Users V2 replaces with scopes (UEV2-GEN-03). */
export const SCIM_QUERY_PARAMETERS = ["attributes", "excludedAttributes", "startIndex", "count", "sortBy", "sortOrder"] as const;

/** Harness policy for "bounded retries" (UEV2-ERR-15): a failed search is tried at most this many times. */
export const MAX_SEARCH_ATTEMPTS = 4;

export function usersV2Observation(events: readonly SimulatorEvent[], answers: LookupAnswer[], label: string): UsersV2Observation {
  const searches = events
    .map((e, seq) => ({ e, seq }))
    .filter(({ e }) => e.type === "users-v2")
    .map(({ e, seq }): SearchRequest => {
      const d = e.detail as Record<string, unknown>;
      const auth = d.authorization as { bearer?: unknown } | undefined;
      return {
        method: String(d.method ?? "?"),
        path: String(d.path ?? "?"),
        rawQuery: typeof d.rawQuery === "string" ? d.rawQuery : "",
        queryParams: Array.isArray(d.queryParams) ? d.queryParams.map(String) : [],
        ...(d.filter !== undefined ? { filter: d.filter as string | string[] } : {}),
        ...(auth ? { bearer: auth.bearer === true } : {}),
        seq,
        ...(typeof d.status === "number" ? { status: d.status } : {}),
        ...(typeof d.delayedMs === "number" ? { delayedMs: d.delayedMs } : {}),
        ...(typeof d.description === "string" ? { description: d.description } : {}),
        faults: Array.isArray(d.faults) ? d.faults.map(String) : [],
      };
    });
  return { label, answers, tokenRequests: tokenEvents(events), searches };
}

/** The hook's answer to lookup `i`, read by the documented contract. */
export function hookVerdict(obs: UsersV2Observation, i = 0): HookVerdict {
  const read = readHookAnswer(obs.answers[i], obs.label, "the lookup hook", "lookup");
  if ("problem" in read) return read;
  const body = read.body;
  const where = `${obs.label}: the lookup hook`;
  if (body.outcome === "not-found") return { outcome: "not-found" };
  if (body.outcome === "error") return { outcome: "error", errorClass: String(body.errorClass ?? "(none)") };
  if (body.outcome === "found" && Array.isArray(body.users)) return { outcome: "found", users: body.users as Record<string, unknown>[] };
  return { problem: `${where} answered ${JSON.stringify(body).slice(0, 120)}, not the documented outcome`, status: "inconclusive" };
}

const said = (v: HookVerdict) =>
  "problem" in v
    ? v.problem
    : v.outcome === "error"
      ? `error (${v.errorClass})`
      : v.outcome === "found"
        ? `found ${v.users.length}`
        : v.outcome;

/** Every ID inconclusive (or failed) for the same reason. */
function all(ids: readonly string[], status: "inconclusive" | "failed", message: string): Finding[] {
  return ids.map((id) => finding(id, status, message));
}

/** The IDs the consumer's token request is judged under by {@link consumerAssertionFindings}. */
export const CONSUMER_TOKEN_IDS = [
  "UEV2-TOKEN-01",
  "UEV2-TOKEN-02",
  "UEV2-TOKEN-03",
  "UEV2-TOKEN-05",
  "UEV2-TOKEN-06",
  "UEV2-TOKEN-07",
  "UEV2-TOKEN-08",
  "UEV2-TOKEN-09",
  "UEV2-TOKEN-11",
] as const;

/**
 * UEV2-TOKEN-01..03, -05..09, -11: the token request of the lookup: a form POST with the
 * jwt-bearer grant type, the JWT in `assertion`, RS512 and typ JWT, iss = sub = the client id,
 * aud the token endpoint, a short exp, and a signature the simulator verified with the registered key.
 */
export function consumerAssertionFindings(obs: UsersV2Observation, ctx: { clientId: string; tokenEndpoint: string }): Finding[] {
  const req = obs.tokenRequests[0];
  if (!req) {
    const v = hookVerdict(obs);
    const why = "problem" in v ? v.problem : `the service made no token request (it answered ${said(v)})`;
    return all(CONSUMER_TOKEN_IDS, "inconclusive", `${obs.label}: ${why}`);
  }
  const exchange = `POST /token (${obs.label}, the first token request)`;
  const out = new Findings();
  const form = req.method === "POST" && req.contentType === "application/x-www-form-urlencoded";
  const formEvidence = {
    expected: "POST application/x-www-form-urlencoded",
    actual: `${req.method} ${req.contentType ?? "(none)"}`,
    exchange,
  };
  if (form) out.pass("UEV2-TOKEN-01", "POST application/x-www-form-urlencoded", formEvidence);
  else out.fail("UEV2-TOKEN-01", `${req.method} with content type ${JSON.stringify(req.contentType ?? null)}`, formEvidence);
  if (Object.keys(req.params).length === 0) {
    for (const id of ["UEV2-TOKEN-02", "UEV2-TOKEN-03"])
      out.inconclusive(id, `the simulator could read no form parameters from the token request (${req.outcome ?? "no answer"})`, {
        exchange,
      });
  } else {
    const grant = req.params.grant_type;
    const grantEvidence = { expected: JWT_BEARER_GRANT_TYPE, actual: grant ?? "(absent)", exchange };
    if (grant === JWT_BEARER_GRANT_TYPE) out.pass("UEV2-TOKEN-02", "grant_type is the jwt-bearer grant", grantEvidence);
    else out.fail("UEV2-TOKEN-02", `grant_type ${JSON.stringify(grant ?? null)}; expected ${JWT_BEARER_GRANT_TYPE}`, grantEvidence);
    const names = Object.keys(req.params).sort();
    if (req.params.assertion !== undefined && req.params.client_assertion === undefined)
      out.pass("UEV2-TOKEN-03", "the signed JWT is in the assertion parameter", { actual: names.join(", "), exchange });
    else
      out.fail("UEV2-TOKEN-03", `the JWT must be in the form parameter assertion; the request sent ${names.join(", ")}`, {
        expected: "assertion",
        actual: names.join(", "),
        exchange,
      });
  }
  if (!req.assertion) {
    for (const id of ["UEV2-TOKEN-05", "UEV2-TOKEN-06", "UEV2-TOKEN-07", "UEV2-TOKEN-08", "UEV2-TOKEN-09", "UEV2-TOKEN-11"])
      out.inconclusive(id, `the simulator recorded no assertion in the token request (${req.outcome ?? "no answer"})`, { exchange });
    return out.list();
  }
  const header = assertionHeaderFindings(req, "UEV2-TOKEN-05");
  out.addAll(header);
  out.pass("UEV2-TOKEN-05", "the assertion's header says alg RS512 and typ JWT", { exchange });
  const claims = assertionClaimFindings(req, ctx.clientId, ctx.tokenEndpoint);
  out.addAll(citedAs(claims, "FED-TOKEN-07", ["UEV2-TOKEN-06", "UEV2-TOKEN-07"]));
  out.addAll(citedAs(claims, "FED-TOKEN-08", ["UEV2-TOKEN-08"]));
  out.addAll(citedAs(assertionLifetimeFindings(req), "FED-TOKEN-09", ["UEV2-TOKEN-09"]));
  out.addAll(assertionVerifiedFindings(req, "UEV2-TOKEN-11"));
  return out.list();
}

/** UEV2-TOKEN-04: the scope asked for is the Users.retrieve URL plus approved extras only (case-sensitive). */
export function consumerScopeFindings(obs: UsersV2Observation, approved: readonly string[]): Finding[] {
  const req = obs.tokenRequests.find((r) => r.params.scope !== undefined) ?? obs.tokenRequests[0];
  const usersScope = approved[0] ?? "";
  if (!req) return [finding("UEV2-TOKEN-04", "inconclusive", `${obs.label}: the service made no token request`)];
  const exchange = `POST /token (${obs.label})`;
  if (Object.keys(req.params).length === 0)
    return [finding("UEV2-TOKEN-04", "inconclusive", `${obs.label}: the simulator could read no form parameters from the token request`)];
  const scope = req.params.scope;
  const evidence = {
    expected: `${usersScope} plus any of: ${approved.slice(1).join(" ") || "(none)"}`,
    actual: scope ?? "(absent)",
    exchange,
  };
  if (scope === undefined) return [finding("UEV2-TOKEN-04", "failed", "the token request has no scope; it is mandatory", evidence)];
  const asked = scope.split(" ").filter(Boolean);
  if (!asked.includes(usersScope))
    return [finding("UEV2-TOKEN-04", "failed", `scope ${JSON.stringify(scope)} does not include ${usersScope} (case-sensitive)`, evidence)];
  const unapproved = asked.filter((s) => !approved.includes(s));
  if (unapproved.length > 0)
    return [
      finding("UEV2-TOKEN-04", "failed", `scope ${JSON.stringify(scope)} asks for scopes not approved: ${unapproved.join(" ")}`, evidence),
    ];
  return [finding("UEV2-TOKEN-04", "passed", `scope ${JSON.stringify(scope)}: Users.retrieve and approved scopes only`, evidence)];
}

/** UEV2-TOKEN-10: every assertion of the scenario has its own jti (needs two token requests). */
export function consumerJtiFindings(obs: UsersV2Observation): Finding[] {
  const signed = obs.tokenRequests.filter((r) => r.assertion?.payload !== undefined);
  if (signed.length < 2)
    return [
      finding(
        "UEV2-TOKEN-10",
        "inconclusive",
        `${obs.label}: ${signed.length} token request(s) with a readable assertion; two are needed to compare jti values ` +
          `(${said(hookVerdict(obs))})`,
      ),
    ];
  return citedAs(jtiFindings(signed), "FED-TOKEN-10", ["UEV2-TOKEN-10"]).map((f) => ({
    ...f,
    message: `${obs.label}: ${f.message}`,
  }));
}

/** UEV2-GEN-05: two lookups in a row share one access token (a new token per search is allowed, so a warning). */
export function tokenReuseFindings(obs: UsersV2Observation): Finding[] {
  // Only searches the simulator answered 200 show a token in use.
  const searches = obs.searches.filter((s) => s.status === 200).length;
  const tokens = obs.tokenRequests.length;
  const evidence = { expected: "at most 1 token request for 2 searches", actual: `${tokens} token request(s), ${searches} search(es)` };
  if (searches < 2)
    return [
      finding(
        "UEV2-GEN-05",
        "inconclusive",
        `${obs.label}: ${searches} search(es) were answered 200; two are needed to see a token reused`,
        evidence,
      ),
    ];
  if (tokens === 0)
    return [
      finding("UEV2-GEN-05", "passed", `${obs.label}: ${searches} searches reused the access token the service already held`, evidence),
    ];
  if (tokens === 1) return [finding("UEV2-GEN-05", "passed", `${obs.label}: ${searches} searches used one access token`, evidence)];
  return [
    finding(
      "UEV2-GEN-05",
      "warning",
      `${obs.label}: ${tokens} token requests for ${searches} searches within the token's 300 s; the token may be reused ` +
        "(each new one costs a signed assertion and a round trip)",
      evidence,
    ),
  ];
}

/**
 * UEV2-TOKEN-15: a token issued with `expires_in` 2 (the `uev2-token-short-lived` fault) is not
 * presented once it has expired: after the wait, a new token is fetched before the search.
 */
export function tokenExpiryFindings(obs: UsersV2Observation): Finding[] {
  const short = obs.tokenRequests.find((r) => r.faults?.includes("uev2-token-short-lived") && r.outcome === "issued");
  const last = obs.searches.at(-1);
  const evidence = {
    actual: `${obs.tokenRequests.length} token request(s); searches answered ${obs.searches.map((s) => s.status).join(", ") || "(none)"}`,
  };
  if (!short)
    return [
      finding(
        "UEV2-TOKEN-15",
        "inconclusive",
        `${obs.label}: the service never received the short-lived token (${said(hookVerdict(obs))})`,
        evidence,
      ),
    ];
  const after = (seq: number) => seq > (short.seq ?? -1);
  const expired = obs.searches.filter((s) => after(s.seq) && s.status === 401 && /expired/.test(s.description ?? ""));
  if (expired.length > 0)
    return [
      finding(
        "UEV2-TOKEN-15",
        "failed",
        `${obs.label}: the service presented the access token after its expires_in (2 s) had passed; the simulator answered 401 expired`,
        evidence,
      ),
    ];
  const renewed = obs.tokenRequests.some(
    (r) => after(r.seq ?? -1) && r.outcome === "issued" && last !== undefined && (r.seq ?? 0) < last.seq,
  );
  if (renewed && last?.status === 200)
    return [
      finding(
        "UEV2-TOKEN-15",
        "passed",
        `${obs.label}: a new token was fetched once the 2 s token had expired, and the search answered 200`,
        evidence,
      ),
    ];
  return [
    finding(
      "UEV2-TOKEN-15",
      "inconclusive",
      `${obs.label}: no search after a renewed token was answered 200, so renewal was not seen (${said(hookVerdict(obs))})`,
      evidence,
    ),
  ];
}

/** UEV2-REQ-01, UEV2-REQ-02, UEV2-GEN-03: GET /v2/Users, one filter, the token in a Bearer header only, no SCIM parameters. */
export function searchRequestFindings(observations: readonly UsersV2Observation[]): Finding[] {
  const out = new Findings();
  const searches = observations.flatMap((o) => o.searches.map((s) => ({ s, label: o.label })));
  if (searches.length === 0) {
    const why = observations.map((o) => `${o.label}: ${said(hookVerdict(o))}`).join("; ");
    return all(["UEV2-REQ-01", "UEV2-REQ-02", "UEV2-GEN-03"], "inconclusive", `no search reached the simulator (${why})`);
  }
  for (const { s, label } of searches) {
    const exchange = `${s.method} ${s.path}?${s.rawQuery} (${label})`;
    const filters = s.queryParams.filter((n) => n === "filter").length;
    if (s.method !== "GET" || s.path !== "/v2/Users") out.fail("UEV2-REQ-01", `${exchange}: expected GET /v2/Users`, { exchange });
    else if (filters !== 1) out.fail("UEV2-REQ-01", `${exchange}: ${filters} filter parameters; expected exactly one`, { exchange });
    if (s.bearer === false) out.fail("UEV2-REQ-02", `${exchange}: the Authorization header is not Bearer <token>`, { exchange });
    if (s.queryParams.includes("access_token"))
      out.fail("UEV2-REQ-02", `${exchange}: the access token is in the query as well; it belongs in the Authorization header only`, {
        exchange,
      });
    const scim = s.queryParams.filter((n) => (SCIM_QUERY_PARAMETERS as readonly string[]).includes(n));
    if (scim.length > 0)
      out.fail("UEV2-GEN-03", `${exchange}: sends ${scim.join(", ")}; Users V2 chooses attributes by scope and has no paging`, {
        exchange,
      });
  }
  const n = searches.length;
  out.pass("UEV2-REQ-01", `${n} search(es), each GET /v2/Users with one filter`);
  out.pass("UEV2-REQ-02", `${n} search(es), each with Authorization: Bearer and no token in the query`);
  out.pass("UEV2-GEN-03", `${n} search(es), none with SCIM attribute or paging parameters`);
  return out.list();
}

/** A filter read as terms `<attribute> <operator> <value>` joined by logical operators, brackets and `not` noted apart. */
function readTerms(filter: string) {
  const tokens = filter.match(/"[^"]*"|[()]|[^\s()"]+|"/g) ?? [];
  const brackets = tokens.some((t) => t === "(" || t === ")");
  const not = tokens.some((t) => /^not$/i.test(t));
  const rest = tokens.filter((t) => t !== "(" && t !== ")" && !/^not$/i.test(t));
  const terms: { attribute?: string; operator?: string; value?: string }[] = [];
  const logical: string[] = [];
  for (let i = 0; i < rest.length; i += 4) {
    terms.push({ attribute: rest[i], operator: rest[i + 1], value: rest[i + 2] });
    if (rest[i + 3] !== undefined) logical.push(rest[i + 3]!);
  }
  return { terms, logical, brackets, not };
}

const GRAMMAR_IDS = ["UEV2-FILTER-01", "UEV2-FILTER-02", "UEV2-FILTER-03", "UEV2-FILTER-04", "UEV2-FILTER-05"] as const;

/**
 * UEV2-FILTER-01..05: each filter names only `nhsnumber` and `email`, compares with `eq` only, joins
 * terms with `and`/`or` only (no `not`, no brackets), reads by the grammar, and quotes every value
 * in ASCII double quotes.
 */
export function filterGrammarFindings(observations: readonly UsersV2Observation[]): Finding[] {
  const out = new Findings();
  const filters = observations.flatMap((o) =>
    o.searches.flatMap((s) => (s.filter === undefined ? [] : [s.filter].flat()).map((f) => ({ f, label: o.label }))),
  );
  if (filters.length === 0) return all(GRAMMAR_IDS, "inconclusive", "no filter reached the simulator");
  for (const { f, label } of filters) {
    const evidence = { actual: f, exchange: `GET /v2/Users (${label})` };
    const shown = `filter ${JSON.stringify(f)} (${label})`;
    const { terms, logical, brackets, not } = readTerms(f);
    const attributes = terms
      .map((t) => t.attribute ?? "(none)")
      .filter((a) => !(FILTER_ATTRIBUTES as readonly string[]).includes(a.toLowerCase()));
    if (attributes.length > 0)
      out.fail("UEV2-FILTER-01", `${shown} uses ${attributes.join(", ")}; only nhsnumber and email exist`, evidence);
    const operators = terms.map((t) => t.operator ?? "(none)").filter((o) => o.toLowerCase() !== "eq");
    if (operators.length > 0) out.fail("UEV2-FILTER-02", `${shown} compares with ${operators.join(", ")}; only eq exists`, evidence);
    const joins = logical.filter((l) => !["and", "or"].includes(l.toLowerCase()));
    if (brackets || not || joins.length > 0)
      out.fail(
        "UEV2-FILTER-03",
        `${shown} uses ${[...(brackets ? ["brackets"] : []), ...(not ? ["not"] : []), ...joins].join(", ")}; only and/or join terms`,
        evidence,
      );
    try {
      parseFilter(f, { maxExpressions: Number.POSITIVE_INFINITY });
    } catch (err) {
      out.fail("UEV2-FILTER-04", `${shown} does not read by the grammar: ${(err as Error).message}`, evidence);
    }
    if (terms.some((t) => !/^"[^"]*"$/.test(t.value ?? "")))
      out.fail("UEV2-FILTER-05", `${shown} has a value not wrapped in ASCII double quotes`, evidence);
  }
  const n = `${filters.length} filter(s)`;
  out.pass("UEV2-FILTER-01", `${n}, each naming only nhsnumber and email`);
  out.pass("UEV2-FILTER-02", `${n}, each comparing with eq only`);
  out.pass("UEV2-FILTER-03", `${n}, terms joined by and/or only, without not or brackets`);
  out.pass("UEV2-FILTER-04", `${n}, each <attribute> eq "<value>" joined by and/or`);
  out.pass("UEV2-FILTER-05", `${n}, every value in ASCII double quotes`);
  return out.list();
}

/** UEV2-FILTER-12: the filter is URL-encoded: no literal space or `"` on the wire, and the value asked for arrives unchanged. */
export function filterEncodingFindings(obs: UsersV2Observation, expectedValue: string): Finding[] {
  const s = obs.searches[0];
  if (!s) return [finding("UEV2-FILTER-12", "inconclusive", `${obs.label}: no search reached the simulator (${said(hookVerdict(obs))})`)];
  const filter = [s.filter ?? ""].flat()[0] ?? "";
  const exchange = `GET /v2/Users?${s.rawQuery} (${obs.label})`;
  if (/[ "]/.test(s.rawQuery))
    return [finding("UEV2-FILTER-12", "failed", `${exchange}: a literal space or double quote in the query`, { exchange })];
  if (!filter.includes(`"${expectedValue}"`))
    return [
      finding(
        "UEV2-FILTER-12",
        "failed",
        `${obs.label}: asked for ${expectedValue}, NHS login read the filter as ${JSON.stringify(filter)} (the query was not encoded)`,
        { expected: expectedValue, actual: filter, exchange },
      ),
    ];
  return [finding("UEV2-FILTER-12", "passed", `${obs.label}: ${expectedValue} arrived unchanged (${s.rawQuery})`, { exchange })];
}

/** UEV2-FILTER-13: logical operators in lower case. */
export function filterOperatorFindings(obs: UsersV2Observation): Finding[] {
  const filters = obs.searches.flatMap((s) => (s.filter === undefined ? [] : [s.filter].flat()));
  if (filters.length === 0) return [finding("UEV2-FILTER-13", "inconclusive", `${obs.label}: no filter reached the simulator`)];
  const joined = filters.filter((f) => /\s(and|or)\s/i.test(f));
  if (joined.length === 0)
    return [finding("UEV2-FILTER-13", "inconclusive", `${obs.label}: no filter joined two terms (${JSON.stringify(filters[0])})`)];
  const upper = joined.filter((f) => [...f.matchAll(/\s(and|or)\s/gi)].some((m) => m[1] !== m[1]!.toLowerCase()));
  return upper.length > 0
    ? [finding("UEV2-FILTER-13", "warning", `${obs.label}: filter ${JSON.stringify(upper[0])} has an operator not in lower case`)]
    : [finding("UEV2-FILTER-13", "passed", `${obs.label}: filter ${JSON.stringify(joined[0])} joins terms with lower-case operators`)];
}

/**
 * `requirements`: a value the service should have refused (an NHS number with a wrong check digit
 * for NHSNO-02, one that is not 10 digits for NHSNO-01 and UEV2-FILTER-09, a malformed email for
 * UEV2-FILTER-10) reaches no search, and the service answers an input error. `sent` grades a value
 * sent anyway. Each requirement gets the same verdict.
 */
export function inputRefusedFindings(
  obs: UsersV2Observation,
  expected: { requirements: readonly string[]; value: string; why: string; sent: "failed" | "warning" },
): Finding[] {
  const v = hookVerdict(obs);
  const each = (status: Finding["status"], message: string, evidence?: Finding["evidence"]) =>
    expected.requirements.map((id) => finding(id, status, message, evidence));
  if (obs.searches.length > 0)
    return each(expected.sent, `${obs.label}: ${expected.value} (${expected.why}) was sent to Users V2 unchecked`, {
      actual: `${obs.searches.length} search(es)`,
    });
  if ("problem" in v) return each(v.status, v.problem);
  if (v.outcome === "error" && v.errorClass === "input")
    return each("passed", `${obs.label}: refused as input before any search (${said(v)})`);
  return each("failed", `${obs.label}: nothing was searched, yet the service answered ${said(v)}; expected error (input)`);
}

/** UEV2-RESP-04: a search that matches nobody (200, totalResults 0) is "not found", not an error. */
export function notFoundFindings(obs: UsersV2Observation): Finding[] {
  const v = hookVerdict(obs);
  if (!obs.searches.some((s) => s.status === 200))
    return [finding("UEV2-RESP-04", "inconclusive", `${obs.label}: no search was answered 200 (${said(v)})`)];
  if ("problem" in v) return [finding("UEV2-RESP-04", v.status, v.problem)];
  return v.outcome === "not-found"
    ? [finding("UEV2-RESP-04", "passed", `${obs.label}: the empty ListResponse was read as not found`)]
    : [finding("UEV2-RESP-04", "failed", `${obs.label}: the ListResponse held nobody (totalResults 0); the service answered ${said(v)}`)];
}

/** NHSNO-03: the users the service found carry the NHS number as the same 10-character string. */
export function foundUsersFindings(obs: UsersV2Observation, nhsNumber: string): Finding[] {
  const v = hookVerdict(obs);
  if (!obs.searches.some((s) => s.status === 200))
    return [
      finding("NHSNO-03", "inconclusive", `${obs.label}: no search was answered 200, so no NHS number reached the service (${said(v)})`),
    ];
  if ("problem" in v) return [finding("NHSNO-03", v.status, v.problem)];
  if (v.outcome !== "found") return [finding("NHSNO-03", "failed", `${obs.label}: the service answered ${said(v)}; the user exists`)];
  const numbers = v.users.map((u) => u.nhsNumber);
  const ok = numbers.some((n) => n === nhsNumber);
  const evidence = { expected: JSON.stringify(nhsNumber), actual: JSON.stringify(numbers) };
  return ok
    ? [finding("NHSNO-03", "passed", `${obs.label}: the user came back with nhsNumber ${JSON.stringify(nhsNumber)} (a string)`, evidence)]
    : [finding("NHSNO-03", "failed", `${obs.label}: nhsNumber came back as ${JSON.stringify(numbers)}; expected the string`, evidence)];
}

/** UEV2-RESP-06: a ListResponse with two users gives two users. */
export function severalUsersFindings(obs: UsersV2Observation): Finding[] {
  const v = hookVerdict(obs);
  const sent = obs.searches.filter((s) => s.status === 200).length;
  if ("problem" in v) return [finding("UEV2-RESP-06", v.status, v.problem)];
  if (sent === 0) return [finding("UEV2-RESP-06", "inconclusive", `${obs.label}: no search was answered 200 (${said(v)})`)];
  return v.outcome === "found" && v.users.length === 2
    ? [finding("UEV2-RESP-06", "passed", `${obs.label}: both users of the two-user ListResponse came back`)]
    : [finding("UEV2-RESP-06", "failed", `${obs.label}: the ListResponse held 2 users; the service answered ${said(v)}`)];
}

/** UEV2-RESP-21: unknown attributes ignored and missing optional ones tolerated: the user is still found. */
export function tolerantReadingFindings(observations: readonly UsersV2Observation[]): Finding[] {
  return observations.map((obs) => {
    const v = hookVerdict(obs);
    // The armed fault shapes the 200 answer; without one, nothing unusual reached the service.
    if (!obs.searches.some((s) => s.status === 200 && s.faults.length > 0))
      return finding("UEV2-RESP-21", "inconclusive", `${obs.label}: no search was answered 200 with the armed fault (${said(v)})`);
    if ("problem" in v) return finding("UEV2-RESP-21", v.status, v.problem);
    return v.outcome === "found"
      ? finding("UEV2-RESP-21", "passed", `${obs.label}: the user was found (${v.users.length})`)
      : finding("UEV2-RESP-21", "failed", `${obs.label}: the service answered ${said(v)}; the user was in the answer`);
  });
}

/** How a failed search is to be handled (UEV2-ERR-15): at most one try, or bounded retries, and the error class. */
export interface ErrorExpectation {
  kind: "400" | "403" | "500" | "not-json" | "timeout" | "token-refused";
  /** The fault armed: only the requests it answered are counted. */
  fault?: string;
  /** The Table 10 row also judged: the outcome is an error, never "no match" or "found". */
  requirement?: string;
}

const CLASS: Record<ErrorExpectation["kind"], string> = {
  "400": "input",
  "403": "configuration",
  "500": "unavailable",
  "not-json": "unavailable",
  timeout: "unavailable",
  "token-refused": "configuration",
};

const NO_RETRY: Record<ErrorExpectation["kind"], string> = {
  "400": "a 400 (the input is wrong)",
  "403": "a 403 (the client's configuration is wrong)",
  "500": "a 5xx",
  "not-json": "a broken answer",
  timeout: "a timeout",
  "token-refused": "a refused token request (the client's configuration is wrong)",
};

/** UEV2-ERR-15 (and the row's ID): retries by class, and the outcome an error of the right class. */
export function errorHandlingFindings(obs: UsersV2Observation, expected: ErrorExpectation): Finding[] {
  const out = new Findings();
  const v = hookVerdict(obs);
  // Only the requests the armed fault answered count: a search refused for another reason says nothing of this handling.
  const hit = (faults: readonly string[] | undefined) => expected.fault === undefined || (faults ?? []).includes(expected.fault);
  const tries =
    expected.kind === "token-refused"
      ? obs.tokenRequests.filter((r) => hit(r.faults)).length
      : obs.searches.filter((s) => hit(s.faults)).length;
  const what = expected.kind === "token-refused" ? "token request" : "search";
  const whats = expected.kind === "token-refused" ? "token requests" : "searches";
  const evidence = { actual: `${tries} ${tries === 1 ? what : whats}; the service answered ${said(v)}` };
  const ids = ["UEV2-ERR-15", ...(expected.requirement ? [expected.requirement] : [])];
  if (tries === 0) return all(ids, "inconclusive", `${obs.label}: no ${what} took the armed fault (${said(v)})`);
  const retriable = expected.kind === "500" || expected.kind === "not-json" || expected.kind === "timeout";
  if (expected.kind === "timeout" && !("problem" in v) && v.outcome === "found")
    return all(
      ids,
      "inconclusive",
      `${obs.label}: the service waited for the slow answer and found the user; its timeout is longer, so its handling of a timeout ` +
        "was not observed",
    );
  if (retriable && tries === 1)
    out.warn("UEV2-ERR-15", `${obs.label}: the ${what} was not retried; ${NO_RETRY[expected.kind]} calls for bounded retries`, evidence);
  else if (retriable && tries > MAX_SEARCH_ATTEMPTS)
    out.warn("UEV2-ERR-15", `${obs.label}: ${tries} ${whats}; retries must be bounded (at most ${MAX_SEARCH_ATTEMPTS} tries)`, evidence);
  else if (!retriable && tries > (expected.kind === "token-refused" ? 2 : 1))
    out.warn("UEV2-ERR-15", `${obs.label}: the ${what} was tried ${tries} times; ${NO_RETRY[expected.kind]} is not retried`, evidence);
  if ("problem" in v) {
    for (const id of ids) out.add(id, v.status, v.problem);
    return out.list();
  }
  const row = expected.requirement;
  if (v.outcome !== "error") {
    const message = `${obs.label}: the service answered ${said(v)}; expected error (${CLASS[expected.kind]}), never a result`;
    out.deviation("UEV2-ERR-15", message, evidence);
    if (row) out.deviation(row, message, evidence);
  } else if (v.errorClass !== CLASS[expected.kind]) {
    out.warn("UEV2-ERR-15", `${obs.label}: error class ${v.errorClass}; expected ${CLASS[expected.kind]}`, evidence);
  }
  out.pass("UEV2-ERR-15", `${obs.label}: ${tries} ${tries === 1 ? what : whats}, then error (${CLASS[expected.kind]})`, evidence);
  if (row) out.pass(row, `${obs.label}: reported as an error, not as a result`, evidence);
  return out.list();
}

/** UEV2-AT-13: the service works with an access token it cannot decode (it treats the token as opaque). */
export function opaqueTokenFindings(obs: UsersV2Observation): Finding[] {
  const v = hookVerdict(obs);
  const evidence = { actual: `${obs.tokenRequests.length} token request(s), ${obs.searches.length} search(es); answered ${said(v)}` };
  if (obs.tokenRequests.length === 0)
    return [finding("UEV2-AT-13", "inconclusive", `${obs.label}: the service made no token request, so it never held the opaque token`)];
  if (!("problem" in v) && v.outcome === "found")
    return [finding("UEV2-AT-13", "passed", `${obs.label}: the user was found with the opaque token`, evidence)];
  if ("problem" in v && v.status === "inconclusive") return [finding("UEV2-AT-13", "inconclusive", v.problem, evidence)];
  return [
    finding(
      "UEV2-AT-13",
      deviationStatus("UEV2-AT-13"),
      `${obs.label}: the service could not use an access token that is not a JWT (${said(v)}); it should treat the token as opaque`,
      evidence,
    ),
  ];
}

/** UEV2-ERR-14: a 401 to a service holding a valid token gets one new token and one retry, and the lookup then succeeds. */
export function unauthorizedFindings(obs: UsersV2Observation): Finding[] {
  const v = hookVerdict(obs);
  const evidence = { actual: `${obs.tokenRequests.length} token request(s), ${obs.searches.length} search(es); answered ${said(v)}` };
  const refused = obs.searches.find((s) => s.faults.includes("uev2-answer-401"));
  if (!refused) return [finding("UEV2-ERR-14", "inconclusive", `${obs.label}: no search took the armed 401 (${said(v)})`, evidence)];
  if ("problem" in v) return [finding("UEV2-ERR-14", v.status, v.problem, evidence)];
  const later = obs.searches.filter((s) => s.seq > refused.seq);
  const renewed = obs.tokenRequests.filter((r) => (r.seq ?? -1) > refused.seq && r.outcome === "issued");
  const retry = later[0];
  if (later.length === 1 && retry?.status === 200 && renewed.length === 1 && (renewed[0]!.seq ?? 0) < retry.seq && v.outcome === "found")
    return [finding("UEV2-ERR-14", "passed", `${obs.label}: one new token and one retry, then the user was found`, evidence)];
  return [
    finding(
      "UEV2-ERR-14",
      deviationStatus("UEV2-ERR-14"),
      `${obs.label}: after the 401 the service made ${renewed.length} token request(s) and ${later.length} more search(es) ` +
        `and answered ${said(v)}; expected one new token, one retry, and the user found`,
      evidence,
    ),
  ];
}
