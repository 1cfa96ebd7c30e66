/**
 * listResponseFindings of lib/checks/users-v2/list-response.ts on crafted ListResponses.
 */
import { describe, expect, it } from "vitest";
import { listResponseFindings } from "../../../lib/checks/users-v2/list-response.ts";
import { response, statusOf, USERS } from "./_fixtures.ts";

describe("listResponseFindings", () => {
  const user = {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", "uk:nhs:login:auth:1.0:User"],
    id: "u1",
    active: true,
    "uk:nhs:login:auth:1.0:User": { vectorsOfTrust: { IdentityProofing: "P0" } },
  };
  const list = (over: Record<string, unknown> = {}) => ({
    schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
    totalResults: 1,
    Resources: [user],
    ...over,
  });
  const ctx = { usersScope: USERS, grantedScopes: [USERS] };
  const scim = { "content-type": "application/scim+json" };

  it("passes a ListResponse and reports ids, with or without Resources for no match (A34)", () => {
    const r = listResponseFindings(response(200, list(), scim), ctx);
    expect(statusOf(r.findings), JSON.stringify(r.findings)).toBe("passed");
    expect(r.ids).toEqual(["u1"]);
    expect(statusOf(listResponseFindings(response(200, list({ totalResults: 0, Resources: [] }), scim), ctx).findings)).toBe("passed");
    const absent = list({ totalResults: 0 });
    delete (absent as Record<string, unknown>).Resources;
    expect(statusOf(listResponseFindings(response(200, absent, scim), ctx).findings)).toBe("passed");
  });

  it("warns on an undocumented Content-Type and on Resources length differing from totalResults", () => {
    expect(statusOf(listResponseFindings(response(200, list(), { "content-type": "text/plain" }), ctx).findings, "UEV2-RESP-01")).toBe(
      "warning",
    );
    expect(statusOf(listResponseFindings(response(200, list({ totalResults: 2 }), scim), ctx).findings, "UEV2-RESP-05")).toBe("warning");
  });

  it("fails a non-200, wrong schemas, a bad totalResults, and Resources missing for a match", () => {
    expect(statusOf(listResponseFindings(response(404, {}), ctx).findings)).toBe("failed");
    expect(
      statusOf(
        listResponseFindings(response(200, list({ schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"] }), scim), ctx).findings,
        "UEV2-RESP-02",
      ),
    ).toBe("failed");
    expect(statusOf(listResponseFindings(response(200, list({ totalResults: -1 }), scim), ctx).findings, "UEV2-RESP-03")).toBe("failed");
    const missing = list();
    delete (missing as Record<string, unknown>).Resources;
    expect(statusOf(listResponseFindings(response(200, missing, scim), ctx).findings, "UEV2-RESP-05")).toBe("failed");
  });
});
