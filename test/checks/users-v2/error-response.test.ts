/**
 * errorResponseFindings of lib/checks/users-v2/error-response.ts against the Table 10 rows.
 */
import { describe, expect, it } from "vitest";
import { errorResponseFindings, expectedError, expectedScopeRequired } from "../../../lib/checks/users-v2/error-response.ts";
import { USERS_V2_ERRORS } from "../../../lib/nhs/scim-filter/index.ts";
import { response, statusOf, USERS } from "./_fixtures.ts";

describe("errorResponseFindings", () => {
  const body = (description: string, code: unknown = "400") => ({ Errors: [{ description, code }] });

  it("passes the exact Table 10 row and either text for an unsupported attribute (A28)", () => {
    expect(statusOf(errorResponseFindings(response(400, body("Invalid syntax")), expectedError(USERS_V2_ERRORS.invalidSyntax)))).toBe(
      "passed",
    );
    const either = expectedError([USERS_V2_ERRORS.invalidAttribute, USERS_V2_ERRORS.unexpectedAttribute]);
    expect(statusOf(errorResponseFindings(response(400, body(USERS_V2_ERRORS.unexpectedAttribute.description)), either))).toBe("passed");
    expect(statusOf(errorResponseFindings(response(400, body("Invalid attribute")), either))).toBe("passed");
  });

  it("fails another text, another status, an answered request, a numeric code and the bare object (A26)", () => {
    const row = expectedError(USERS_V2_ERRORS.invalidSyntax);
    expect(statusOf(errorResponseFindings(response(400, body("INVALID SYNTAX")), row), "UEV2-ERR-01")).toBe("failed");
    expect(statusOf(errorResponseFindings(response(422, body("Invalid syntax", "422")), row), "UEV2-ERR-01")).toBe("failed");
    expect(statusOf(errorResponseFindings(response(200, { totalResults: 0 }), row))).toBe("failed");
    expect(statusOf(errorResponseFindings(response(400, body("Invalid syntax", 400)), row), "UEV2-ERR-13")).toBe("failed");
    expect(statusOf(errorResponseFindings(response(400, { description: "Invalid syntax", code: "400" }), row), "UEV2-ERR-13")).toBe(
      "failed",
    );
    expect(statusOf(errorResponseFindings(response(400, "Bad Request", { "content-type": "text/plain" }), row), "UEV2-ERR-13")).toBe(
      "failed",
    );
  });

  it("row 10 accepts the scope with or without quotes (A27) but not another scope", () => {
    const ctx = expectedScopeRequired(USERS);
    expect(
      statusOf(errorResponseFindings(response(403, body(`Scope "${USERS}" required for access was not present in request`, "403")), ctx)),
    ).toBe("passed");
    const unquoted = errorResponseFindings(
      response(403, body(`Scope ${USERS} required for access was not present in request`, "403")),
      ctx,
    );
    expect(statusOf(unquoted, "UEV2-ERR-10")).toBe("passed");
    // The schema's lenient variant names the A27 choice, so the envelope check warns.
    expect(statusOf(unquoted)).toBe("warning");
    expect(
      statusOf(errorResponseFindings(response(403, body('Scope "profile" required for access was not present in request', "403")), ctx)),
    ).toBe("failed");
  });
});
