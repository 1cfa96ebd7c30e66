/**
 * userResourceFindings and scopeReleases of lib/checks/users-v2/user-resource.ts.
 */
import { describe, expect, it } from "vitest";
import { scopeReleases, userResourceFindings } from "../../../lib/checks/users-v2/user-resource.ts";
import { statusOf, USERS } from "./_fixtures.ts";

describe("userResourceFindings", () => {
  const base = {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", "uk:nhs:login:auth:1.0:User"],
    id: "3a9c2e3a-7659-4ce2-a5c8-40e2e2414f13",
    active: true,
    "uk:nhs:login:auth:1.0:User": { vectorsOfTrust: { IdentityProofing: "P9" } },
  };
  const full = {
    ...base,
    "uk:nhs:login:auth:1.0:User": { vectorsOfTrust: { IdentityProofing: "P9" }, nhsNumber: "9658526933", birthdate: "1991-07-26" },
    name: { familyName: "KEHOE-CID" },
    userName: "someone@example.com",
    emails: [{ value: "someone@example.com", type: "home", primary: true }],
  };
  const only = { usersScope: USERS, grantedScopes: [USERS] };
  const profileEmail = { usersScope: USERS, grantedScopes: [USERS, "profile", "email"] };

  it("passes the base resource under Users.retrieve and the profile/email one under those scopes", () => {
    expect(statusOf(userResourceFindings(base, only))).toBe("passed");
    const findings = userResourceFindings(full, { ...profileEmail, searched: { nhsNumber: "9658526933", email: "someone@example.com" } });
    expect(statusOf(findings), JSON.stringify(findings)).toBe("passed");
  });

  it("fails attributes beyond the granted scopes (SCOPE-10), optional ones without profile included", () => {
    expect(statusOf(userResourceFindings(full, only), "UEV2-SCOPE-10")).toBe("failed");
    const emailOnly = { ...base, emails: [{ value: "a@b.c", type: "home", primary: true }] };
    const findings = userResourceFindings(emailOnly, { usersScope: USERS, grantedScopes: [USERS, "email"] });
    expect(statusOf(findings, "UEV2-SCOPE-10")).toBe("failed");
    expect(findings.find((f) => f.status === "failed")!.message).toMatch(/without profile/);
    const phones = { ...full, phoneNumbers: [{ type: "landline", value: "+441132583752" }] };
    expect(
      statusOf(userResourceFindings(phones, { usersScope: USERS, grantedScopes: [USERS, "profile", "email", "phone"] }), "UEV2-SCOPE-10"),
    ).toBe("failed");
  });

  it("warns on a string primary, nulls, unknown members and schemas in another order", () => {
    const primary = { ...full, emails: [{ value: "someone@example.com", type: "home", primary: "true" }] };
    expect(statusOf(userResourceFindings(primary, profileEmail), "UEV2-RESP-17")).toBe("warning");
    expect(statusOf(userResourceFindings({ ...base, name: null }, only), "UEV2-RESP-20")).toBe("warning");
    expect(statusOf(userResourceFindings({ ...base, meta: {} }, only), "UEV2-RESP-20")).toBe("warning");
    expect(statusOf(userResourceFindings({ ...base, schemas: [...base.schemas].reverse() }, only), "UEV2-RESP-07")).toBe("warning");
  });

  it("fails wrong formats and a resource that does not match the search", () => {
    const ext = (e: Record<string, unknown>) => ({
      ...full,
      "uk:nhs:login:auth:1.0:User": { vectorsOfTrust: { IdentityProofing: "P9" }, ...e },
    });
    expect(statusOf(userResourceFindings(ext({ nhsNumber: 9658526933, birthdate: "1991-07-26" }), profileEmail), "UEV2-RESP-11")).toBe(
      "failed",
    );
    expect(statusOf(userResourceFindings(ext({ nhsNumber: "9658526933", birthdate: "1991-02-30x" }), profileEmail), "UEV2-RESP-11")).toBe(
      "failed",
    );
    expect(statusOf(userResourceFindings(ext({ birthdate: "1991-07-26" }), profileEmail), "UEV2-RESP-11")).toBe("failed");
    expect(statusOf(userResourceFindings(full, { ...profileEmail, searched: { nhsNumber: "9990010005" } }), "UEV2-RESP-11")).toBe("failed");
    expect(statusOf(userResourceFindings(full, { ...profileEmail, searched: { email: "other@example.com" } }), "UEV2-RESP-15")).toBe(
      "failed",
    );
    expect(
      statusOf(
        userResourceFindings({ ...full, emails: [{ value: "someone@example.com", type: "work", primary: true }] }, profileEmail),
        "UEV2-RESP-16",
      ),
    ).toBe("failed");
    expect(statusOf(userResourceFindings({ ...base, active: "true" }, only), "UEV2-RESP-09")).toBe("failed");
    expect(
      statusOf(
        userResourceFindings({ ...base, "uk:nhs:login:auth:1.0:User": { vectorsOfTrust: { IdentityProofing: "P3" } } }, only),
        "UEV2-RESP-10",
      ),
    ).toBe("failed");
  });

  it("scopeReleases: optional scopes need profile (T14)", () => {
    expect(scopeReleases("profile", [USERS, "profile"])).toBe(true);
    expect(scopeReleases("email", [USERS, "email"])).toBe(false);
    expect(scopeReleases("email", [USERS, "email", "profile"])).toBe(true);
  });
});
