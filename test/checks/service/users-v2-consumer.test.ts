import { describe, expect, it } from "vitest";
import type { TokenRequest } from "../../../lib/checks/service/client-authentication.ts";
import type { LookupAnswer } from "../../../lib/checks/service/service-context.ts";
import {
  consumerAssertionFindings,
  consumerJtiFindings,
  consumerScopeFindings,
  errorHandlingFindings,
  filterEncodingFindings,
  filterGrammarFindings,
  filterOperatorFindings,
  foundUsersFindings,
  hookVerdict,
  inputRefusedFindings,
  notFoundFindings,
  opaqueTokenFindings,
  searchRequestFindings,
  severalUsersFindings,
  tokenExpiryFindings,
  tokenReuseFindings,
  tolerantReadingFindings,
  unauthorizedFindings,
  usersV2Observation,
  type SearchRequest,
  type UsersV2Observation,
} from "../../../lib/checks/service/users-v2-consumer.ts";
import type { Finding } from "../../../lib/requirements/index.ts";
import { JWT_BEARER_GRANT_TYPE } from "../../../lib/nhs/constants.ts";

const TOKEN = "http://127.0.0.1:9/token";
const USERS = "http://127.0.0.1:9/Users.retrieve";
const NHS = "9990010005";

/** Requests are numbered in the order the helpers make them, as events are. */
let seq = 0;

function token(
  over: Partial<TokenRequest> = {},
  payload: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
): TokenRequest {
  return {
    at: 1000,
    method: "POST",
    contentType: "application/x-www-form-urlencoded",
    params: { grant_type: JWT_BEARER_GRANT_TYPE, assertion: "<600 chars>", scope: `${USERS} profile` },
    hasAuthorizationHeader: false,
    assertion: {
      header: { alg: "RS512", typ: "JWT", ...header },
      payload: { iss: "svc", sub: "svc", aud: TOKEN, iat: 1000, exp: 1060, jti: `j${Math.random()}`, ...payload },
    },
    outcome: "issued",
    clientAuthenticated: true,
    seq: seq++,
    ...over,
  };
}

function search(over: Partial<SearchRequest> = {}): SearchRequest {
  return {
    method: "GET",
    path: "/v2/Users",
    rawQuery: "filter=nhsnumber+eq+%229990010005%22",
    queryParams: ["filter"],
    filter: `nhsnumber eq "${NHS}"`,
    bearer: true,
    status: 200,
    faults: [],
    seq: seq++,
    ...over,
  };
}

const answer = (body: unknown, status = 200): LookupAnswer => ({ query: { nhsNumber: NHS }, status, body, ms: 5 });
const found = (...users: Record<string, unknown>[]) => answer({ outcome: "found", users: users.length ? users : [{ nhsNumber: NHS }] });
const errorAnswer = (errorClass: string) => answer({ outcome: "error", errorClass });

function obs(over: Partial<UsersV2Observation> = {}): UsersV2Observation {
  return { label: "lookup", answers: [found()], tokenRequests: [token()], searches: [search()], ...over };
}

/** The [status, message] of each finding for `id`. */
const of = (findings: Finding[], id: string) => findings.filter((f) => f.requirement === id).map((f) => [f.status, f.message] as const);
const statusOf = (findings: Finding[], id: string) => {
  const list = of(findings, id).map(([s]) => s);
  for (const s of ["failed", "inconclusive", "warning", "passed", "skipped"]) if (list.includes(s as never)) return s;
  return "none";
};

describe("usersV2Observation and hookVerdict", () => {
  it("reads the simulator's events and the hook's answers", () => {
    const o = usersV2Observation(
      [
        { type: "token", at: 1, detail: { method: "POST", params: { grant_type: JWT_BEARER_GRANT_TYPE }, outcome: "issued" } },
        {
          type: "users-v2",
          at: 2,
          detail: { method: "GET", path: "/v2/Users", rawQuery: "filter=x", queryParams: ["filter"], filter: "x", status: 400 },
        },
        { type: "authorize", at: 3, detail: {} },
      ],
      [found()],
      "l",
    );
    expect(o.tokenRequests).toHaveLength(1);
    expect(o.searches).toEqual([
      {
        method: "GET",
        path: "/v2/Users",
        rawQuery: "filter=x",
        queryParams: ["filter"],
        filter: "x",
        seq: 1,
        status: 400,
        faults: [],
      },
    ]);
  });

  it("tells a usable answer from one that says nothing", () => {
    expect(hookVerdict(obs())).toEqual({ outcome: "found", users: [{ nhsNumber: NHS }] });
    expect(hookVerdict(obs({ answers: [{ query: {}, error: "ECONNREFUSED", ms: 1 }] }))).toMatchObject({ status: "inconclusive" });
    expect(hookVerdict(obs({ answers: [answer({}, 500)] }))).toMatchObject({ status: "failed", problem: /answered HTTP 500/ });
    expect(hookVerdict(obs({ answers: [answer({ outcome: "maybe" })] }))).toMatchObject({ status: "inconclusive" });
    expect(hookVerdict(obs({ answers: [] }))).toMatchObject({ status: "inconclusive", problem: /no lookup was asked/ });
  });
});

describe("the token request", () => {
  const ctx = { clientId: "svc", tokenEndpoint: TOKEN };

  it("passes a form POST of the jwt-bearer grant with an RS512 assertion for the client", () => {
    const f = consumerAssertionFindings(obs(), ctx);
    expect(f.every((x) => x.status === "passed")).toBe(true);
    expect(new Set(f.map((x) => x.requirement)).size).toBe(9);
  });

  it("fails each rule on its own evidence", () => {
    const json = consumerAssertionFindings(obs({ tokenRequests: [token({ contentType: "application/json", params: {} })] }), ctx);
    expect(of(json, "UEV2-TOKEN-01")).toEqual([["failed", 'POST with content type "application/json"']]);
    expect(statusOf(json, "UEV2-TOKEN-02")).toBe("inconclusive");
    const typo = token({ params: { grant_type: "urn:x", client_assertion: "<1 chars>" } });
    const t = consumerAssertionFindings(obs({ tokenRequests: [typo] }), ctx);
    expect(of(t, "UEV2-TOKEN-02")[0]?.[1]).toMatch(/grant_type "urn:x"; expected urn:ietf:params:oauth:grant-type:jwt-bearer/);
    expect(of(t, "UEV2-TOKEN-03")[0]?.[1]).toMatch(/the request sent client_assertion, grant_type/);
    const rs256 = consumerAssertionFindings(obs({ tokenRequests: [token({}, {}, { alg: "RS256" })] }), ctx);
    expect(of(rs256, "UEV2-TOKEN-05")).toEqual([["failed", 'client assertion alg "RS256"; expected RS512']]);
    const other = consumerAssertionFindings(obs({ tokenRequests: [token({}, { iss: "x", sub: "x", exp: 4600 })] }), ctx);
    expect(statusOf(other, "UEV2-TOKEN-06")).toBe("failed");
    expect(statusOf(other, "UEV2-TOKEN-07")).toBe("failed");
    expect(of(other, "UEV2-TOKEN-09")[0]).toEqual([
      "warning",
      "the client assertion lives 3600 s after use; expected at most 300 s (short-lived)",
    ]);
    const aud = consumerAssertionFindings(obs({ tokenRequests: [token({}, { aud: "http://127.0.0.1:9" })] }), ctx);
    expect(of(aud, "UEV2-TOKEN-08")[0]?.[1]).toMatch(/expected the token endpoint/);
    const refused = token({ outcome: "invalid_client", reason: "client assertion signature does not verify", clientAuthenticated: false });
    const sig = consumerAssertionFindings(obs({ tokenRequests: [refused] }), ctx);
    expect(of(sig, "UEV2-TOKEN-11")[0]?.[0]).toBe("failed");
  });

  it("is inconclusive without a token request, naming what the hook said", () => {
    const f = consumerAssertionFindings(obs({ tokenRequests: [], answers: [errorAnswer("unavailable")] }), ctx);
    expect(f.every((x) => x.status === "inconclusive" && /made no token request .*error \(unavailable\)/.test(x.message))).toBe(true);
  });

  it("asks for Users.retrieve and approved scopes only", () => {
    const approved = [USERS, "profile", "email"];
    expect(statusOf(consumerScopeFindings(obs(), approved), "UEV2-TOKEN-04")).toBe("passed");
    const lower = token({ params: { scope: USERS.replace("Users", "users") } });
    expect(of(consumerScopeFindings(obs({ tokenRequests: [lower] }), approved), "UEV2-TOKEN-04")[0]?.[1]).toMatch(/case-sensitive/);
    const extra = token({ params: { scope: `${USERS} phone` } });
    expect(of(consumerScopeFindings(obs({ tokenRequests: [extra] }), approved), "UEV2-TOKEN-04")[0]?.[1]).toMatch(/not approved: phone/);
    expect(
      of(consumerScopeFindings(obs({ tokenRequests: [token({ params: { assertion: "a" } })] }), approved), "UEV2-TOKEN-04")[0],
    ).toEqual(["failed", "the token request has no scope; it is mandatory"]);
  });

  it("compares jti values across two assertions", () => {
    expect(statusOf(consumerJtiFindings(obs({ tokenRequests: [token(), token()] })), "UEV2-TOKEN-10")).toBe("passed");
    const same = [token({}, { jti: "a" }), token({}, { jti: "a" })];
    expect(of(consumerJtiFindings(obs({ tokenRequests: same })), "UEV2-TOKEN-10")[0]?.[1]).toMatch(/share 1 jti value/);
    expect(statusOf(consumerJtiFindings(obs()), "UEV2-TOKEN-10")).toBe("inconclusive");
  });
});

describe("tokens over time", () => {
  it("reuse: one token for two searches passes, two warn", () => {
    expect(statusOf(tokenReuseFindings(obs({ searches: [search(), search()] })), "UEV2-GEN-05")).toBe("passed");
    expect(statusOf(tokenReuseFindings(obs({ searches: [search(), search()], tokenRequests: [] })), "UEV2-GEN-05")).toBe("passed");
    const two = tokenReuseFindings(obs({ searches: [search(), search()], tokenRequests: [token(), token()] }));
    expect(of(two, "UEV2-GEN-05")[0]?.[0]).toBe("warning");
    expect(statusOf(tokenReuseFindings(obs()), "UEV2-GEN-05")).toBe("inconclusive");
  });

  it("expiry: renewal seen passes, an expired token presented fails, no short-lived token tells nothing", () => {
    const short = () => token({ faults: ["uev2-token-short-lived"] });
    const renewed = obs({ tokenRequests: [], searches: [] });
    renewed.tokenRequests.push(short());
    renewed.searches.push(search());
    renewed.tokenRequests.push(token());
    renewed.searches.push(search());
    expect(of(tokenExpiryFindings(renewed), "UEV2-TOKEN-15")[0]?.[0]).toBe("passed");
    const first = short();
    const late = obs({
      tokenRequests: [first],
      searches: [search(), search({ status: 401, description: "the access token has expired" })],
    });
    expect(of(tokenExpiryFindings(late), "UEV2-TOKEN-15")[0]?.[1]).toMatch(/after its expires_in \(2 s\) had passed/);
    expect(statusOf(tokenExpiryFindings(obs()), "UEV2-TOKEN-15")).toBe("inconclusive");
    // 401s that are not about expiry, and no renewal, are no evidence either way.
    const stale = obs({ tokenRequests: [short()], searches: [search({ status: 401, description: "the access token is not valid" })] });
    expect(statusOf(tokenExpiryFindings(stale), "UEV2-TOKEN-15")).toBe("inconclusive");
  });

  it("401: one new token and one retry, then found", () => {
    const good = obs({ searches: [search({ status: 401, faults: ["uev2-answer-401"] })], tokenRequests: [] });
    good.tokenRequests.push(token());
    good.searches.push(search());
    expect(statusOf(unauthorizedFindings(good), "UEV2-ERR-14")).toBe("passed");
    const gaveUp = unauthorizedFindings(
      obs({ tokenRequests: [], searches: [search({ status: 401, faults: ["uev2-answer-401"] })], answers: [errorAnswer("configuration")] }),
    );
    expect(of(gaveUp, "UEV2-ERR-14")[0]?.[1]).toMatch(/made 0 token request\(s\) and 0 more search\(es\) and answered error/);
    const three = obs({ searches: [search({ status: 401, faults: ["uev2-answer-401"] })], tokenRequests: [] });
    three.tokenRequests.push(token(), token(), token());
    three.searches.push(search());
    expect(statusOf(unauthorizedFindings(three), "UEV2-ERR-14")).not.toBe("passed");
    expect(statusOf(unauthorizedFindings(obs()), "UEV2-ERR-14")).toBe("inconclusive");
  });
});

describe("the search request", () => {
  it("GET /v2/Users with one filter, Bearer only, no SCIM parameters", () => {
    const good = searchRequestFindings([obs()]);
    expect(good.map((f) => f.status)).toEqual(["passed", "passed", "passed"]);
    const bad = searchRequestFindings([
      obs({
        searches: [
          search({
            queryParams: ["filter", "filter", "attributes", "access_token"],
            bearer: false,
            rawQuery: "filter=a&access_token=<removed>",
          }),
        ],
      }),
    ]);
    expect(of(bad, "UEV2-REQ-01")[0]?.[1]).toMatch(/2 filter parameters/);
    expect(of(bad, "UEV2-REQ-02").map(([, m]) => m)).toEqual([
      expect.stringMatching(/not Bearer <token>/),
      expect.stringMatching(/the access token is in the query as well/),
    ]);
    expect(of(bad, "UEV2-GEN-03")[0]?.[1]).toMatch(/sends attributes;/);
    expect(of(searchRequestFindings([obs({ searches: [search({ method: "POST" })] })]), "UEV2-REQ-01")[0]?.[1]).toMatch(/expected GET/);
    expect(searchRequestFindings([obs({ searches: [] })]).every((f) => f.status === "inconclusive")).toBe(true);
  });

  it("the filter grammar and quotes", () => {
    expect(filterGrammarFindings([obs()]).map((f) => f.status)).toEqual(["passed", "passed", "passed", "passed", "passed"]);
    const scim = filterGrammarFindings([obs({ searches: [search({ filter: '(nhsnumber co "1") and not (emails.value eq "a@b.c")' })] })]);
    expect(of(scim, "UEV2-FILTER-01")[0]?.[1]).toMatch(/uses emails\.value; only nhsnumber and email exist/);
    expect(of(scim, "UEV2-FILTER-02")[0]?.[1]).toMatch(/compares with co; only eq exists/);
    expect(of(scim, "UEV2-FILTER-03")[0]?.[1]).toMatch(/uses brackets, not; only and\/or join terms/);
    const xor = filterGrammarFindings([obs({ searches: [search({ filter: 'nhsnumber eq "1" xor email eq "a@b.c"' })] })]);
    expect(of(xor, "UEV2-FILTER-03")[0]?.[1]).toMatch(/uses xor/);
    const unquoted = filterGrammarFindings([obs({ searches: [search({ filter: `nhsnumber eq ${NHS}` })] })]);
    expect(of(unquoted, "UEV2-FILTER-04")[0]?.[1]).toMatch(/does not read by the grammar: Invalid syntax/);
    expect(of(unquoted, "UEV2-FILTER-05")[0]?.[1]).toMatch(/not wrapped in ASCII double quotes/);
    const curly = filterGrammarFindings([obs({ searches: [search({ filter: `nhsnumber eq \u201c${NHS}\u201d` })] })]);
    expect(statusOf(curly, "UEV2-FILTER-05")).toBe("failed");
  });

  it("the encoding keeps a + in an email", () => {
    const email = "a+b@example.org";
    const good = obs({ searches: [search({ rawQuery: "filter=email+eq+%22a%2Bb%40example.org%22", filter: `email eq "${email}"` })] });
    expect(statusOf(filterEncodingFindings(good, email), "UEV2-FILTER-12")).toBe("passed");
    const plus = obs({
      searches: [search({ rawQuery: "filter=email%20eq%20%22a+b@example.org%22", filter: 'email eq "a b@example.org"' })],
    });
    expect(of(filterEncodingFindings(plus, email), "UEV2-FILTER-12")[0]?.[1]).toMatch(
      /read the filter as "email eq \\"a b@example.org\\""/,
    );
    const raw = obs({ searches: [search({ rawQuery: 'filter=email eq "a"' })] });
    expect(of(filterEncodingFindings(raw, email), "UEV2-FILTER-12")[0]?.[1]).toMatch(/a literal space or double quote/);
  });

  it("operators in lower case", () => {
    const both = (f: string) => obs({ searches: [search({ filter: f })] });
    expect(statusOf(filterOperatorFindings(both('nhsnumber eq "1" and email eq "a@b.c"')), "UEV2-FILTER-13")).toBe("passed");
    expect(of(filterOperatorFindings(both('nhsnumber eq "1" AND email eq "a@b.c"')), "UEV2-FILTER-13")[0]?.[0]).toBe("warning");
    expect(statusOf(filterOperatorFindings(both('nhsnumber eq "1"')), "UEV2-FILTER-13")).toBe("inconclusive");
  });
});

describe("an opaque token and a slow answer", () => {
  it("an opaque access token is used as it is", () => {
    expect(statusOf(opaqueTokenFindings(obs()), "UEV2-AT-13")).toBe("passed");
    const crashed = opaqueTokenFindings(obs({ answers: [answer({}, 500)] }));
    expect(of(crashed, "UEV2-AT-13")[0]).toEqual([
      "warning",
      expect.stringMatching(/could not use an access token that is not a JWT \(.*HTTP 500.*\); it should treat the token as opaque/),
    ]);
    expect(statusOf(opaqueTokenFindings(obs({ tokenRequests: [] })), "UEV2-AT-13")).toBe("inconclusive");
  });

  it("a timeout: bounded retries then an error; a service that waited tells nothing", () => {
    const retried = obs({ searches: [search(), search(), search()], answers: [errorAnswer("unavailable")] });
    expect(statusOf(errorHandlingFindings(retried, { kind: "timeout" }), "UEV2-ERR-15")).toBe("passed");
    const waited = errorHandlingFindings(obs(), { kind: "timeout" });
    expect(of(waited, "UEV2-ERR-15")[0]).toEqual(["inconclusive", expect.stringMatching(/its timeout is longer/)]);
    const nobody = errorHandlingFindings(obs({ answers: [answer({ outcome: "not-found" })] }), { kind: "timeout" });
    expect(of(nobody, "UEV2-ERR-15").map(([st]) => st)).toContain("warning");
  });
});

describe("what the service concluded", () => {
  it("an invalid NHS number is refused before anything is sent", () => {
    const refused = obs({ searches: [], tokenRequests: [], answers: [errorAnswer("input")] });
    expect(
      statusOf(
        inputRefusedFindings(refused, { requirements: ["NHSNO-02"], value: "9990010006", why: "wrong check digit", sent: "warning" }),
        "NHSNO-02",
      ),
    ).toBe("passed");
    expect(
      of(
        inputRefusedFindings(obs(), { requirements: ["NHSNO-02"], value: "9990010006", why: "wrong check digit", sent: "warning" }),
        "NHSNO-02",
      )[0],
    ).toEqual(["warning", "lookup: 9990010006 (wrong check digit) was sent to Users V2 unchecked"]);
    expect(
      statusOf(
        inputRefusedFindings(obs({ searches: [], answers: [answer({ outcome: "not-found" })] }), {
          requirements: ["NHSNO-02"],
          value: "1",
          why: "x",
          sent: "warning",
        }),
        "NHSNO-02",
      ),
    ).toBe("failed");
  });

  it("a value not 10 digits is refused, and one sent anyway fails", () => {
    const expected = { requirements: ["UEV2-FILTER-09", "NHSNO-01"], value: "12345", why: "not 10 digits", sent: "failed" } as const;
    const sent = inputRefusedFindings(obs(), expected);
    for (const id of expected.requirements)
      expect(of(sent, id)[0]).toEqual(["failed", "lookup: 12345 (not 10 digits) was sent to Users V2 unchecked"]);
    const refused = inputRefusedFindings(obs({ searches: [], tokenRequests: [], answers: [errorAnswer("input")] }), expected);
    expect(refused.map((f) => [f.requirement, f.status])).toEqual([
      ["UEV2-FILTER-09", "passed"],
      ["NHSNO-01", "passed"],
    ]);
  });

  it("nobody matched is not found, not an error", () => {
    expect(statusOf(notFoundFindings(obs({ answers: [answer({ outcome: "not-found" })] })), "UEV2-RESP-04")).toBe("passed");
    expect(of(notFoundFindings(obs({ answers: [errorAnswer("unavailable")] })), "UEV2-RESP-04")[0]?.[1]).toMatch(
      /held nobody \(totalResults 0\); the service answered error \(unavailable\)/,
    );
    expect(statusOf(notFoundFindings(obs({ searches: [] })), "UEV2-RESP-04")).toBe("inconclusive");
  });

  it("NHS numbers stay strings", () => {
    expect(statusOf(foundUsersFindings(obs(), NHS), "NHSNO-03")).toBe("passed");
    expect(statusOf(foundUsersFindings(obs({ searches: [] }), NHS), "NHSNO-03")).toBe("inconclusive");
    expect(of(foundUsersFindings(obs({ answers: [found({ nhsNumber: Number(NHS) })] }), NHS), "NHSNO-03")[0]?.[1]).toMatch(
      /came back as \[9990010005\]; expected the string/,
    );
  });

  it("two users in, two users out", () => {
    expect(statusOf(severalUsersFindings(obs({ answers: [found({}, {})] })), "UEV2-RESP-06")).toBe("passed");
    expect(of(severalUsersFindings(obs()), "UEV2-RESP-06")[0]?.[1]).toMatch(/held 2 users; the service answered found 1/);
  });

  it("unknown and missing attributes are tolerated", () => {
    const faulted = () => obs({ searches: [search({ faults: ["uev2-answer-minimal"] })] });
    expect(tolerantReadingFindings([faulted(), faulted()]).map((f) => f.status)).toEqual(["passed", "passed"]);
    expect(tolerantReadingFindings([obs()]).map((f) => f.status)).toEqual(["inconclusive"]);
    const crashed = tolerantReadingFindings([
      obs({ searches: [search({ faults: ["uev2-answer-unknown-attributes"] })], answers: [answer({}, 500)] }),
    ]);
    expect(crashed.map((f) => [f.status, f.message])).toEqual([["failed", expect.stringMatching(/the lookup hook answered HTTP 500/)]]);
  });

  it("errors by class: retries, bounds, and never a result", () => {
    const once = obs({ answers: [errorAnswer("input")] });
    expect(errorHandlingFindings(once, { kind: "400", requirement: "UEV2-ERR-01" }).map((f) => f.status)).toEqual(["passed", "passed"]);
    const again = errorHandlingFindings(obs({ searches: [search(), search()], answers: [errorAnswer("input")] }), { kind: "400" });
    expect(of(again, "UEV2-ERR-15")[0]?.[1]).toMatch(/tried 2 times; a 400 \(the input is wrong\) is not retried/);
    const retried = obs({ searches: [search(), search(), search()], answers: [errorAnswer("unavailable")] });
    expect(statusOf(errorHandlingFindings(retried, { kind: "500", requirement: "UEV2-ERR-12" }), "UEV2-ERR-15")).toBe("passed");
    const noRetry = errorHandlingFindings(obs({ answers: [errorAnswer("unavailable")] }), { kind: "500" });
    expect(of(noRetry, "UEV2-ERR-15")[0]?.[1]).toMatch(/was not retried; a 5xx calls for bounded retries/);
    const many = obs({ searches: Array.from({ length: 6 }, () => search()), answers: [errorAnswer("unavailable")] });
    expect(of(errorHandlingFindings(many, { kind: "500" }), "UEV2-ERR-15")[0]?.[1]).toMatch(/6 searches; retries must be bounded/);
    const elsewhere = errorHandlingFindings(obs({ searches: [search({ status: 401 })], answers: [errorAnswer("configuration")] }), {
      kind: "500",
      requirement: "UEV2-ERR-12",
      fault: "uev2-answer:internal",
    });
    expect(elsewhere.map((f) => f.status)).toEqual(["inconclusive", "inconclusive"]);
    const noMatch = obs({ searches: [search(), search()], answers: [answer({ outcome: "not-found" })] });
    const f = errorHandlingFindings(noMatch, { kind: "500", requirement: "UEV2-ERR-12" });
    expect(of(f, "UEV2-ERR-12")).toEqual([["failed", expect.stringMatching(/answered not-found; expected error \(unavailable\)/)]]);
    // ERR-15 is a SHOULD: the same outcome warns under it.
    expect(of(f, "UEV2-ERR-15").map(([st]) => st)).toContain("warning");
    const wrongClass = errorHandlingFindings(obs({ answers: [errorAnswer("input")] }), { kind: "403" });
    expect(of(wrongClass, "UEV2-ERR-15")[0]).toEqual(["warning", "lookup: error class input; expected configuration"]);
    const twice = obs({ tokenRequests: [token(), token()], searches: [], answers: [errorAnswer("configuration")] });
    expect(statusOf(errorHandlingFindings(twice, { kind: "token-refused" }), "UEV2-ERR-15")).toBe("passed");
    const refused = obs({ tokenRequests: [token(), token(), token()], searches: [], answers: [errorAnswer("configuration")] });
    expect(of(errorHandlingFindings(refused, { kind: "token-refused" }), "UEV2-ERR-15")[0]?.[1]).toMatch(
      /the token request was tried 3 times; a refused token request/,
    );
    expect(statusOf(errorHandlingFindings(obs({ searches: [] }), { kind: "400" }), "UEV2-ERR-15")).toBe("inconclusive");
  });
});
