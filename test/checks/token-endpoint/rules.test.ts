import { describe, expect, it } from "vitest";
import {
  describeReply,
  errorCodeOf,
  honouredFindings,
  multipleAuthFindings,
  refusalFindings,
  replayFindings,
  tokenErrorCacheFindings,
  tokenErrorFormatFindings,
  tokenReplyOf,
  tokenSuccessHeaderFindings,
  underEachId,
  type TokenReply,
} from "../../../lib/checks/token-endpoint/rules.ts";
import { finding } from "../../../lib/requirements/index.ts";

const JSON_CT = { "content-type": "application/json", "cache-control": "no-store", pragma: "no-cache" };
const err = (error: string, status = 400, headers: Record<string, string> = {}): TokenReply =>
  tokenReplyOf({ status, headers: { ...JSON_CT, ...headers }, text: JSON.stringify({ error }) });
const statuses = (fs: { status: string }[]) => fs.map((f) => f.status);

describe("tokenReplyOf / errorCodeOf", () => {
  it("parses a JSON error and tolerates anything else", () => {
    expect(errorCodeOf(err("invalid_grant"))).toBe("invalid_grant");
    expect(errorCodeOf(tokenReplyOf({ status: 400, headers: {}, text: "Bad Request" }))).toBeUndefined();
    expect(errorCodeOf(tokenReplyOf({ status: 400, headers: {}, text: '{"error": 42}' }))).toBeUndefined();
    expect(errorCodeOf(tokenReplyOf({ status: 400, headers: {}, text: '["invalid_grant"]' }))).toBeUndefined();
  });
});

describe("refusalFindings", () => {
  const rule = { id: "FED-TOKEN-09", expected: ["invalid_client"] };
  it("passes an expected refusal", () => {
    expect(statuses(refusalFindings(rule, [{ label: "x", reply: err("invalid_client") }]))).toEqual(["passed"]);
  });
  it("fails a bad assertion that reached the code check (invalid_grant) or was accepted", () => {
    const [a, b] = refusalFindings(rule, [
      { label: "x", reply: err("invalid_grant") },
      { label: "y", reply: tokenReplyOf({ status: 200, headers: JSON_CT, text: '{"access_token":"a"}' }) },
    ]);
    expect(a!.status).toBe("failed");
    expect(a!.message).toMatch(/got past this rule/);
    expect(b!.status).toBe("failed");
    expect(b!.message).toMatch(/accepted \(HTTP 200\)/);
  });
  it("grades acceptance as a warning where the catalogue only records it (A39)", () => {
    const [f] = refusalFindings({ ...rule, id: "FED-TOKEN-11", whenAccepted: "warning", note: "(A39)" }, [
      { label: "RS256", reply: err("invalid_grant") },
    ]);
    expect(f!.status).toBe("warning");
    expect(f!.message).toMatch(/A39/);
  });
  it("warns on a tolerated code and fails on any other answer", () => {
    const r = { id: "FED-TOKEN-06", expected: ["invalid_request"], tolerated: ["invalid_client"] };
    expect(
      statuses(
        refusalFindings(r, [
          { label: "a", reply: err("invalid_client") },
          { label: "b", reply: err("unauthorized_client") },
          { label: "c", reply: tokenReplyOf({ status: 400, headers: { "content-type": "text/plain" }, text: "Bad Request" }) },
          { label: "d", reply: tokenReplyOf({ status: 500, headers: {}, text: "" }) },
        ]),
      ),
    ).toEqual(["warning", "failed", "failed", "failed"]);
  });
  it("with pastRuleCode null, invalid_grant is just a wrong code", () => {
    const [f] = refusalFindings({ id: "FED-TOKEN-02", expected: ["unsupported_grant_type"], pastRuleCode: null }, [
      { label: "password", reply: err("invalid_grant") },
    ]);
    expect(f!.status).toBe("failed");
    expect(f!.message).not.toMatch(/got past/);
  });
});

describe("underEachId", () => {
  it("repeats findings under each requirement", () => {
    const out = underEachId(["FED-TOKEN-13", "FED-ARESP-04"], [finding("FED-TOKEN-13", "failed", "m")]);
    expect(out.map((f) => `${f.requirement} ${f.status}`)).toEqual(["FED-TOKEN-13 failed", "FED-ARESP-04 failed"]);
  });
});

describe("multipleAuthFindings (FED-TOKEN-14)", () => {
  const probe = (reply: TokenReply) => multipleAuthFindings({ label: "basic+assertion", reply });
  it("passes invalid_request, and 401 invalid_client with WWW-Authenticate", () => {
    expect(statuses(probe(err("invalid_request")))).toEqual(["passed"]);
    expect(statuses(probe(err("invalid_client", 401, { "www-authenticate": 'Basic realm="token"' })))).toEqual(["passed"]);
  });
  it("warns on invalid_client without 401 and WWW-Authenticate, fails when the endpoint judged the code", () => {
    expect(statuses(probe(err("invalid_client")))).toEqual(["warning"]);
    expect(statuses(probe(err("invalid_client", 401)))).toEqual(["warning"]);
    expect(statuses(probe(err("invalid_grant")))).toEqual(["failed"]);
  });
});

describe("replayFindings (FED-TOKEN-10)", () => {
  it("passes when the replay is refused as invalid_client", () => {
    expect(statuses(replayFindings(err("invalid_grant"), err("invalid_client")))).toEqual(["passed"]);
  });
  it("records an accepted replay as a warning (A39)", () => {
    const [f] = replayFindings(err("invalid_grant"), err("invalid_grant"));
    expect(f!.status).toBe("warning");
    expect(f!.message).toMatch(/A39/);
  });
  it("is inconclusive when the first use did not reach the code check (the replay could not be judged)", () => {
    const [f] = replayFindings(err("invalid_request"), err("invalid_request"));
    expect(f!.status).toBe("inconclusive");
    expect(f!.message).toMatch(/could not be judged/);
  });
  it("fails a replay refused with a wrong code", () => {
    expect(statuses(replayFindings(err("invalid_grant"), err("unsupported_grant_type")))).toEqual(["failed"]);
  });
});

describe("tokenErrorFormatFindings (FED-TRESP-09/10)", () => {
  const run = (reply: TokenReply) => tokenErrorFormatFindings([{ label: "p", reply }]);
  const failedIds = (reply: TokenReply) => [
    ...new Set(
      run(reply)
        .filter((f) => f.status === "failed")
        .map((f) => f.requirement),
    ),
  ];
  it("passes 400 JSON errors and 401 invalid_client with WWW-Authenticate", () => {
    expect(failedIds(err("invalid_grant"))).toEqual([]);
    expect(failedIds(err("invalid_client", 401, { "www-authenticate": "Basic" }))).toEqual([]);
    expect(
      failedIds(
        tokenReplyOf({
          status: 400,
          headers: JSON_CT,
          text: '{"error":"invalid_request","error_description":"missing code","error_uri":"https://example.org/e"}',
        }),
      ),
    ).toEqual([]);
  });
  it("fails 401 without WWW-Authenticate, 401 for another code, and other statuses", () => {
    expect(failedIds(err("invalid_client", 401))).toEqual(["FED-TRESP-09"]);
    expect(failedIds(err("invalid_grant", 401, { "www-authenticate": "Basic" }))).toEqual(["FED-TRESP-09"]);
    expect(failedIds(err("invalid_grant", 403))).toEqual(["FED-TRESP-09"]);
  });
  it("fails a plain-text error under both requirements", () => {
    expect(failedIds(tokenReplyOf({ status: 400, headers: { "content-type": "text/plain" }, text: "Bad Request" }))).toEqual([
      "FED-TRESP-09",
      "FED-TRESP-10",
    ]);
  });
  it("fails a code outside Table 10, a non-ASCII description, and a JSON body under another media type", () => {
    expect(failedIds(err("access_denied"))).toEqual(["FED-TRESP-09", "FED-TRESP-10"]);
    expect(
      failedIds(tokenReplyOf({ status: 400, headers: JSON_CT, text: '{"error":"invalid_grant","error_description":"code expiré"}' })),
    ).toEqual(["FED-TRESP-09"]);
    expect(failedIds(tokenReplyOf({ status: 400, headers: { "content-type": "text/html" }, text: '{"error":"invalid_grant"}' }))).toEqual([
      "FED-TRESP-09",
    ]);
  });
});

describe("tokenErrorCacheFindings (FED-TRESP-02 on errors)", () => {
  it("passes both headers (directives in a list too) and warns when either is missing", () => {
    expect(
      statuses(tokenErrorCacheFindings([{ label: "a", reply: err("invalid_grant", 400, { "cache-control": "private, No-Store" }) }])),
    ).toEqual(["passed"]);
    const out = tokenErrorCacheFindings([
      {
        label: "a",
        reply: tokenReplyOf({ status: 400, headers: { "content-type": "application/json" }, text: '{"error":"invalid_grant"}' }),
      },
      { label: "b", reply: err("invalid_grant", 400, { pragma: "" }) },
    ]);
    expect(statuses(out)).toEqual(["warning", "warning"]);
    expect(out[0]!.message).toMatch(/Cache-Control is absent.*Pragma is absent/);
  });
});

describe("tokenSuccessHeaderFindings", () => {
  const ok = (headers: Record<string, string>, status = 200) =>
    tokenSuccessHeaderFindings(["UEV2-TOKEN-12", "FED-TRESP-02"], {
      label: "jwt-bearer",
      reply: tokenReplyOf({ status, headers, text: '{"access_token":"a.b.c","token_type":"Bearer"}' }),
    });
  it("passes a 200 JSON response with both headers", () => {
    expect(statuses(ok(JSON_CT))).toEqual(["passed", "passed"]);
  });
  it("fails under each ID when a header is missing or the status is not 200", () => {
    expect(statuses(ok({ "content-type": "application/json" }))).toEqual(["failed", "failed", "failed", "failed"]);
    expect(statuses(ok(JSON_CT, 400))).toEqual(["failed", "failed"]);
  });
});

describe("the evidence each token-endpoint rule states", () => {
  const text = (status: number, body: string, headers: Record<string, string> = {}) => tokenReplyOf({ status, headers, text: body });
  const messages = (fs: { requirement: string; status: string; message: string }[]) =>
    fs.map((f) => `${f.requirement} ${f.status}: ${f.message}`);

  it("describeReply names the code, or the status, media type and a shortened body", () => {
    expect(describeReply(err("invalid_grant"))).toBe("HTTP 400 error=invalid_grant");
    expect(describeReply(text(502, "x".repeat(70), { "content-type": "text/html" }))).toBe(
      `HTTP 502 (text/html) without a JSON error member: "${"x".repeat(60)}..."`,
    );
    expect(describeReply(text(400, "short"))).toBe('HTTP 400 (no Content-Type) without a JSON error member: "short"');
    expect(describeReply(text(400, "x".repeat(60)))).toBe(`HTTP 400 (no Content-Type) without a JSON error member: "${"x".repeat(60)}"`);
  });

  it("refusalFindings says what was refused, tolerated, let past or answered otherwise", () => {
    const rule = { id: "FED-TOKEN-09", expected: ["invalid_client", "invalid_request"], tolerated: ["unauthorized_client"], note: "(A39)" };
    expect(
      messages(
        refusalFindings(rule, [
          { label: "an expired assertion", reply: err("invalid_client") },
          { label: "an expired assertion", reply: err("unauthorized_client") },
          { label: "an expired assertion", reply: err("invalid_grant") },
          { label: "an expired assertion", reply: err("invalid_scope") },
          { label: "an expired assertion", reply: text(199, "{}") },
          { label: "an expired assertion", reply: text(300, "{}") },
        ]),
      ),
    ).toEqual([
      "FED-TOKEN-09 passed: an expired assertion was refused: HTTP 400 error=invalid_client",
      "FED-TOKEN-09 warning: an expired assertion was refused with unauthorized_client, " +
        "but the specification names invalid_client or invalid_request",
      "FED-TOKEN-09 failed: an expired assertion got past this rule: the endpoint went on to judge the rest of the request " +
        "(HTTP 400 error=invalid_grant), expected invalid_client or invalid_request (A39)",
      "FED-TOKEN-09 failed: an expired assertion: HTTP 400 error=invalid_scope, expected invalid_client or invalid_request",
      'FED-TOKEN-09 failed: an expired assertion: HTTP 199 (no Content-Type) without a JSON error member: "{}", ' +
        "expected invalid_client or invalid_request",
      'FED-TOKEN-09 failed: an expired assertion: HTTP 300 (no Content-Type) without a JSON error member: "{}", ' +
        "expected invalid_client or invalid_request",
    ]);
    expect(
      messages(refusalFindings({ id: "FED-TOKEN-09", expected: ["invalid_client"] }, [{ label: "x", reply: text(200, "{}") }])),
    ).toEqual(["FED-TOKEN-09 failed: x was accepted (HTTP 200), expected invalid_client"]);
  });

  it("underEachId regrades a failure by each requirement's level and keeps other statuses", () => {
    const fs = underEachId(
      ["FED-TRESP-02", "FED-TRESP-06"],
      [finding("FED-TRESP-02", "failed", "m"), finding("FED-TRESP-02", "passed", "p")],
    );
    expect(messages(fs)).toEqual(["FED-TRESP-02 failed: m", "FED-TRESP-02 passed: p", "FED-TRESP-06 warning: m", "FED-TRESP-06 passed: p"]);
  });

  it("multipleAuthFindings says which of status and WWW-Authenticate is wrong", () => {
    const probe = (reply: TokenReply) => ({ label: "Basic plus an assertion", reply });
    expect(messages(multipleAuthFindings(probe(err("invalid_client", 401, { "www-authenticate": "Basic" }))))).toEqual([
      "FED-TOKEN-14 passed: Basic plus an assertion was refused: HTTP 401 invalid_client with WWW-Authenticate (A41)",
    ]);
    expect(messages(multipleAuthFindings(probe(err("invalid_client", 401))))).toEqual([
      "FED-TOKEN-14 warning: Basic plus an assertion was refused with invalid_client but HTTP 401 and no WWW-Authenticate: " +
        "with the Authorization header used, expected 400 invalid_request or 401 invalid_client with WWW-Authenticate",
    ]);
    expect(messages(multipleAuthFindings(probe(err("invalid_client", 400, { "www-authenticate": "Basic" }))))).toEqual([
      "FED-TOKEN-14 warning: Basic plus an assertion was refused with invalid_client but HTTP 400: " +
        "with the Authorization header used, expected 400 invalid_request or 401 invalid_client with WWW-Authenticate",
    ]);
  });

  it("replayFindings says why the replay could not be judged", () => {
    expect(messages(replayFindings(err("invalid_request"), err("invalid_client")))).toEqual([
      "FED-TOKEN-10 inconclusive: the first use of a fresh, valid assertion with an unknown code answered " +
        "HTTP 400 error=invalid_request, " +
        "expected invalid_grant, so the replay could not be judged",
    ]);
  });

  it("tokenErrorFormatFindings names each probe and what is wrong with it, and what every probe had", () => {
    const probes = [
      { label: "a", reply: err("invalid_client", 401) },
      { label: "b", reply: err("invalid_grant", 401) },
      { label: "c", reply: err("invalid_client", 500) },
      { label: "d", reply: text(400, "Bad Request", { "content-type": "text/plain" }) },
      { label: "e", reply: err("slow_down") },
    ];
    expect(messages(tokenErrorFormatFindings(probes))).toEqual([
      "FED-TRESP-09 failed: a: HTTP 401 invalid_client without WWW-Authenticate (A41 allows 401 only with it)",
      "FED-TRESP-09 failed: b: HTTP 401, expected 400",
      "FED-TRESP-09 failed: c: HTTP 500, expected 400 (or 401 with WWW-Authenticate)",
      "FED-TRESP-09 failed: d: Content-Type is text/plain, expected application/json",
      'FED-TRESP-09 failed: d: the body is not JSON: "Bad Request"',
      'FED-TRESP-10 failed: d: no error code to judge (HTTP 400 (text/plain) without a JSON error member: "Bad Request")',
      expect.stringMatching(/^FED-TRESP-09 failed: e: does not match the token-error schema: /),
      'FED-TRESP-10 failed: e: error="slow_down" is not in Table 10',
    ]);
    expect(
      messages(
        tokenErrorFormatFindings([
          { label: "f", reply: err("invalid_grant") },
          { label: "g", reply: err("invalid_client") },
        ]),
      ),
    ).toEqual([
      "FED-TRESP-09 passed: every error was HTTP 400 (or 401 with WWW-Authenticate for invalid_client), " +
        "application/json and valid against the token-error schema (f; g)",
      "FED-TRESP-10 passed: every error code was in Table 10 (invalid_grant, invalid_client)",
    ]);
    expect(
      messages(tokenErrorFormatFindings([{ label: "i", reply: text(400, "y".repeat(80), { "content-type": "application/json" }) }])),
    ).toContain(`FED-TRESP-09 failed: i: the body is not JSON: "${"y".repeat(60)}"`);
    expect(messages(tokenErrorFormatFindings([{ label: "h", reply: text(400, "x", {}) }]))[0]).toBe(
      "FED-TRESP-09 failed: h: Content-Type is absent, expected application/json",
    );
  });

  it("tokenErrorCacheFindings names the reply and the header, and counts the good ones", () => {
    const bare = tokenReplyOf({ status: 400, headers: { "content-type": "application/json" }, text: '{"error":"invalid_grant"}' });
    expect(messages(tokenErrorCacheFindings([{ label: "an unknown code", reply: bare }]))).toEqual([
      "FED-TRESP-02 warning: an unknown code (HTTP 400 error=invalid_grant): Cache-Control is absent, expected no-store and " +
        "Pragma is absent, expected no-cache, as the EIS error example has",
    ]);
    expect(
      messages(
        tokenErrorCacheFindings([
          { label: "x", reply: err("invalid_grant") },
          { label: "y", reply: err("invalid_client") },
        ]),
      ),
    ).toEqual(["FED-TRESP-02 passed: every error reply carried Cache-Control: no-store and Pragma: no-cache (2 replies)"]);
  });

  it("tokenSuccessHeaderFindings names each problem of a success answer under each ID", () => {
    const ok = (body: string, headers: Record<string, string> = JSON_CT) => ({
      label: "the grant",
      reply: tokenReplyOf({ status: 200, headers, text: body }),
    });
    expect(messages(tokenSuccessHeaderFindings(["UEV2-TOKEN-12"], ok('{"access_token":"a"}')))).toEqual([
      "UEV2-TOKEN-12 passed: the grant: HTTP 200, application/json, Cache-Control: no-store, Pragma: no-cache",
    ]);
    for (const body of ["[]", "null", '"a"', '{"access_token":1}'])
      expect(messages(tokenSuccessHeaderFindings(["UEV2-TOKEN-12"], ok(body))), body).toEqual([
        "UEV2-TOKEN-12 failed: the grant: the body is not a JSON object with an access_token",
      ]);
    expect(
      messages(
        tokenSuccessHeaderFindings(["UEV2-TOKEN-12"], ok('{"access_token":"a"}', { pragma: "no-cache", "cache-control": "no-store" })),
      ),
    ).toEqual(["UEV2-TOKEN-12 failed: the grant: Content-Type is absent, expected application/json"]);
    expect(
      messages(tokenSuccessHeaderFindings(["UEV2-TOKEN-12"], ok('{"access_token":"a"}', { ...JSON_CT, "content-type": "text/json" }))),
    ).toEqual(["UEV2-TOKEN-12 failed: the grant: Content-Type is text/json, expected application/json"]);
    expect(messages(tokenSuccessHeaderFindings(["UEV2-TOKEN-12"], { label: "the grant", reply: err("invalid_scope") }))).toEqual([
      "UEV2-TOKEN-12 failed: the grant: HTTP 400 error=invalid_scope, expected HTTP 200 with a token",
    ]);
  });
});

describe("honouredFindings", () => {
  const ok = tokenReplyOf({ status: 200, headers: JSON_CT, text: '{"access_token":"a"}' });
  it("passes a 2xx answer with an access_token under each ID", () => {
    const fs = honouredFindings(["FED-REFRESH-04", "TTL-04"], { label: "a refresh token made 29 days old", reply: ok });
    expect(fs.map((f) => [f.requirement, f.status])).toEqual([
      ["FED-REFRESH-04", "passed"],
      ["TTL-04", "passed"],
    ]);
    expect(fs[0]!.message).toBe("a refresh token made 29 days old was honoured (HTTP 200, an access_token issued)");
  });
  it("deviates on a refusal, naming the answer, graded per ID's level", () => {
    const [a, b] = honouredFindings(["TTL-01", "FED-ARESP-05"], { label: "a code", reply: err("invalid_grant") });
    expect(a!.status).toBe("failed");
    expect(b!.status).toBe("warning");
    expect(a!.message).toBe("a code was not honoured: HTTP 400 error=invalid_grant, expected HTTP 200 with a token");
  });
  it("deviates on a 2xx answer without an access_token (not JSON, an array, a number)", () => {
    for (const text of ["ok", '["access_token"]', '{"access_token":42}', "null"]) {
      const [f] = honouredFindings(["TTL-01"], { label: "a code", reply: tokenReplyOf({ status: 200, headers: JSON_CT, text }) });
      expect(f!.status, text).toBe("failed");
      expect(f!.message, text).toBe("a code was not honoured: HTTP 200 without an access_token, expected HTTP 200 with a token");
    }
  });
  it("deviates on a 3xx answer even with a token body", () => {
    const [f] = honouredFindings(["TTL-01"], {
      label: "a code",
      reply: tokenReplyOf({ status: 302, headers: JSON_CT, text: '{"access_token":"a"}' }),
    });
    expect(f!.status).toBe("failed");
  });
});
