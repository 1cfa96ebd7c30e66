import { describe, expect, it } from "vitest";
import {
  errorCodeOf,
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
