/**
 * tokenResponseFindings of lib/checks/users-v2/token-response.ts on crafted token responses.
 */
import { describe, expect, it } from "vitest";
import { tokenResponseFindings } from "../../../lib/checks/users-v2/token-response.ts";
import { goodClaims, NO_STORE, NOW, response, sign, statusOf, USERS } from "./_fixtures.ts";

describe("tokenResponseFindings", () => {
  const ctx = { requestedScopes: [USERS, "profile", "email"], usersScope: USERS };
  const body = async (overrides: Record<string, unknown> = {}) => ({
    access_token: await sign(goodClaims()),
    token_type: "Bearer",
    expires_in: 300,
    scope: `${USERS} profile`,
    ...overrides,
  });

  it("passes a conformant response and names the scopes not granted", async () => {
    const findings = tokenResponseFindings(response(200, await body(), NO_STORE), ctx);
    expect(statusOf(findings), JSON.stringify(findings)).toBe("passed");
    expect(findings.find((f) => f.requirement === "UEV2-TOKEN-16")!.message).toMatch(/not granted.*email/);
  });

  it("fails without the cache headers, on a wrong lifetime, and on an error status", async () => {
    expect(statusOf(tokenResponseFindings(response(200, await body()), ctx), "UEV2-TOKEN-12")).toBe("failed");
    expect(statusOf(tokenResponseFindings(response(200, await body({ expires_in: 3600 }), NO_STORE), ctx), "UEV2-TOKEN-15")).toBe("failed");
    const longLived = await body({ access_token: await sign(goodClaims({ exp: NOW + 3600 })) });
    expect(statusOf(tokenResponseFindings(response(200, longLived, NO_STORE), ctx), "UEV2-TOKEN-15")).toBe("failed");
    expect(statusOf(tokenResponseFindings(response(400, { error: "invalid_client" }, NO_STORE), ctx))).toBe("failed");
  });

  it("warns on token_type in another letter case and fails on another word", async () => {
    expect(statusOf(tokenResponseFindings(response(200, await body({ token_type: "bearer" }), NO_STORE), ctx), "UEV2-TOKEN-14")).toBe(
      "warning",
    );
    expect(statusOf(tokenResponseFindings(response(200, await body({ token_type: "MAC" }), NO_STORE), ctx), "UEV2-TOKEN-14")).toBe(
      "failed",
    );
  });

  it("fails a scope beyond the request or without Users.retrieve, warns when scope is absent", async () => {
    expect(statusOf(tokenResponseFindings(response(200, await body({ scope: `${USERS} phone` }), NO_STORE), ctx), "UEV2-TOKEN-16")).toBe(
      "failed",
    );
    expect(statusOf(tokenResponseFindings(response(200, await body({ scope: "profile" }), NO_STORE), ctx), "UEV2-TOKEN-16")).toBe("failed");
    expect(statusOf(tokenResponseFindings(response(200, await body({ scope: undefined }), NO_STORE), ctx), "UEV2-TOKEN-16")).toBe(
      "warning",
    );
  });

  it("fails an access_token that is not a JWT", async () => {
    expect(statusOf(tokenResponseFindings(response(200, await body({ access_token: "opaque" }), NO_STORE), ctx), "UEV2-TOKEN-13")).toBe(
      "failed",
    );
  });
});
