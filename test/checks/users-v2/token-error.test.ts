/**
 * refusedTokenRequestFindings of lib/checks/users-v2/token-error.ts on crafted refusals.
 */
import { describe, expect, it } from "vitest";
import { refusedTokenRequestFindings } from "../../../lib/checks/users-v2/token-error.ts";
import { NO_STORE, response, statusOf } from "./_fixtures.ts";

describe("refusedTokenRequestFindings", () => {
  const expectation = { requirement: "UEV2-TOKEN-10", what: "a replay" };

  it("passes a 400 (or 401 invalid_client) JSON refusal with the cache headers", () => {
    expect(statusOf(refusedTokenRequestFindings(response(400, { error: "invalid_grant" }, NO_STORE), expectation))).toBe("passed");
    expect(statusOf(refusedTokenRequestFindings(response(401, { error: "invalid_client" }, NO_STORE), expectation))).toBe("passed");
  });

  it("fails a token issued, a server error, and a refusal outside T3/T4", () => {
    expect(statusOf(refusedTokenRequestFindings(response(200, { access_token: "x" }, NO_STORE), expectation))).toBe("failed");
    expect(statusOf(refusedTokenRequestFindings(response(500, { error: "server_error" }, NO_STORE), expectation))).toBe("failed");
    expect(statusOf(refusedTokenRequestFindings(response(401, { error: "invalid_grant" }, NO_STORE), expectation), "UEV2-TOKEN-17")).toBe(
      "failed",
    );
    expect(statusOf(refusedTokenRequestFindings(response(400, { error: "nope" }, NO_STORE), expectation), "UEV2-TOKEN-17")).toBe("failed");
    expect(statusOf(refusedTokenRequestFindings(response(400, { error: "invalid_grant" }), expectation), "UEV2-TOKEN-17")).toBe("failed");
  });

  it("records another code or an issued token as a warning when asked to (the grant-type typo)", () => {
    const typo = {
      requirement: "UEV2-TOKEN-02",
      what: "the typo",
      codes: ["unsupported_grant_type"],
      otherCode: "warning" as const,
      onIssued: "warning" as const,
    };
    expect(statusOf(refusedTokenRequestFindings(response(400, { error: "invalid_request" }, NO_STORE), typo))).toBe("warning");
    expect(statusOf(refusedTokenRequestFindings(response(200, { access_token: "x" }, NO_STORE), typo))).toBe("warning");
    expect(statusOf(refusedTokenRequestFindings(response(400, { error: "unsupported_grant_type" }, NO_STORE), typo))).toBe("passed");
  });
});
