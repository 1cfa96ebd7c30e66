/**
 * The token-request rules of lib/checks/users-v2/token-request.ts on crafted answers: the
 * form-encoding rule (UEV2-TOKEN-01), the mandatory scope (UEV2-TOKEN-04) and the Table 4 codes
 * (UEV2-TOKEN-18).
 */
import { describe, expect, it } from "vitest";
import {
  formEncodingFindings,
  issuedAccessToken,
  missingScopeFindings,
  tokenErrorCodeFindings,
  tokenErrorCodeOf,
} from "../../../lib/checks/users-v2/token-request.ts";
import type { Finding } from "../../../lib/requirements/index.ts";
import { NO_STORE, response, statusOf } from "./_fixtures.ts";

const messages = (findings: readonly Finding[]) => findings.map((f) => f.message).join("\n");
const issued = response(200, { access_token: "a.b.c", token_type: "Bearer", expires_in: 300 }, NO_STORE);

describe("tokenErrorCodeOf and issuedAccessToken", () => {
  it("read the error code and the issued token, never throwing", () => {
    expect(tokenErrorCodeOf(response(400, { error: "invalid_scope" }))).toBe("invalid_scope");
    expect(tokenErrorCodeOf(response(400, "Bad Request", { "content-type": "text/plain" }))).toBeUndefined();
    expect(issuedAccessToken(issued)).toBe("a.b.c");
    expect(issuedAccessToken(response(400, { access_token: "a.b.c" }))).toBeUndefined();
    expect(issuedAccessToken(response(200, "not json"))).toBeUndefined();
  });
});

describe("formEncodingFindings (UEV2-TOKEN-01)", () => {
  it("passes a refusal, naming what was sent and what came back", () => {
    const f = formEncodingFindings(response(405, { error: "invalid_request" }), "the request as a GET");
    expect(statusOf(f, "UEV2-TOKEN-01")).toBe("passed");
    expect(messages(f)).toMatch(/^the request as a GET: no token issued \(HTTP 405 invalid_request\)$/);
  });

  it("fails an issued token and a server error", () => {
    const f = formEncodingFindings(issued, "the request as JSON");
    expect(statusOf(f)).toBe("failed");
    expect(messages(f)).toMatch(/the request as JSON: HTTP 200 with an access token; only a form-encoded POST may be issued one/);
    const crash = formEncodingFindings(response(500, "oops", { "content-type": "text/plain" }), "the request as JSON");
    expect(statusOf(crash)).toBe("failed");
    expect(messages(crash)).toMatch(/failed with HTTP 500, expected a 4xx refusal \(body: oops\)/);
  });
});

describe("missingScopeFindings (UEV2-TOKEN-04)", () => {
  it("passes 400 invalid_request or invalid_scope, recording which", () => {
    for (const code of ["invalid_request", "invalid_scope"]) {
      const f = missingScopeFindings(response(400, { error: code }, NO_STORE));
      expect(statusOf(f, "UEV2-TOKEN-04")).toBe("passed");
      expect(messages(f)).toContain(`was refused: HTTP 400 ${code}`);
    }
  });

  it("warns on another refusal, and on a token that /v2/Users then refuses", () => {
    const other = missingScopeFindings(response(400, { error: "invalid_grant" }, NO_STORE));
    expect(statusOf(other)).toBe("warning");
    expect(messages(other)).toMatch(/refused with HTTP 400 invalid_grant, expected 400 invalid_request or invalid_scope/);
    const unusable = missingScopeFindings(
      issued,
      response(403, { Errors: [{ description: "No scope was present in the request", code: "403" }] }),
    );
    expect(statusOf(unusable)).toBe("warning");
    expect(messages(unusable)).toMatch(/a token was issued, which \/v2\/Users refuses \(HTTP 403: .*No scope was present/);
  });

  it("fails a token that /v2/Users answers, a 200 without token and a server error", () => {
    const usable = missingScopeFindings(issued, response(200, { totalResults: 0 }));
    expect(statusOf(usable)).toBe("failed");
    expect(messages(usable)).toMatch(/a token was issued, and \/v2\/Users answered it HTTP 200; scope is mandatory/);
    expect(statusOf(missingScopeFindings(issued))).toBe("failed");
    expect(messages(missingScopeFindings(response(200, {})))).toMatch(/HTTP 200 without an access_token/);
    expect(statusOf(missingScopeFindings(response(503, "down")))).toBe("failed");
  });
});

describe("tokenErrorCodeFindings (UEV2-TOKEN-18)", () => {
  it("passes every Table 4 code and an invalid_client 401 with its challenge", () => {
    for (const code of [
      "invalid_request",
      "invalid_client",
      "invalid_grant",
      "unauthorized_client",
      "unsupported_grant_type",
      "invalid_scope",
    ])
      expect(statusOf(tokenErrorCodeFindings(response(400, { error: code }), { what: "x" }))).toBe("passed");
    const basic = tokenErrorCodeFindings(response(401, { error: "invalid_client" }, { "www-authenticate": 'Basic realm="token"' }), {
      what: "a Basic header",
      authorizationHeader: true,
    });
    expect(statusOf(basic)).toBe("passed");
    expect(messages(basic)).toBe('a Basic header: refused with HTTP 401 invalid_client and WWW-Authenticate Basic realm="token"');
  });

  it("fails a code outside Table 4, no code, a token issued and a server error", () => {
    const unlisted = tokenErrorCodeFindings(response(400, { error: "access_denied" }), { what: "no assertion" });
    expect(statusOf(unlisted)).toBe("failed");
    expect(messages(unlisted)).toMatch(/^no assertion: error "access_denied" is not one of Table 4: invalid_request, /);
    expect(messages(tokenErrorCodeFindings(response(400, "Bad Request"), { what: "x" }))).toMatch(/x: HTTP 400 without an error code/);
    expect(messages(tokenErrorCodeFindings(issued, { what: "x" }))).toMatch(/x: the token endpoint answered HTTP 200: it must be refused/);
    expect(messages(tokenErrorCodeFindings(response(500, { error: "server_error" }), { what: "x" }))).toMatch(/HTTP 500, expected a 4xx/);
  });

  it("fails invalid_client 401 without WWW-Authenticate, and a 400 invalid_client to an Authorization header", () => {
    const bare = tokenErrorCodeFindings(response(401, { error: "invalid_client" }), { what: "x" });
    expect(messages(bare)).toMatch(/x: 401 invalid_client without a WWW-Authenticate header/);
    const basic = tokenErrorCodeFindings(response(400, { error: "invalid_client" }), { what: "a Basic header", authorizationHeader: true });
    expect(statusOf(basic)).toBe("failed");
    expect(messages(basic)).toMatch(
      /a Basic header: invalid_client with HTTP 400; a client that used the Authorization header must get 401/,
    );
    // Another code for the Authorization-header probe is a refusal like any other.
    expect(statusOf(tokenErrorCodeFindings(response(400, { error: "invalid_request" }), { what: "y", authorizationHeader: true }))).toBe(
      "passed",
    );
  });
});
