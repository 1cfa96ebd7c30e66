/**
 * The scope-set rules of lib/checks/users-v2/scope-sets.ts: an optional scope's attributes
 * (UEV2-SCOPE-03..08), several users in one answer (UEV2-RESP-06), and SCIM attribute parameters
 * that change nothing (UEV2-GEN-03).
 */
import { describe, expect, it } from "vitest";
import {
  attributeParameterFindings,
  scopeSetFindings,
  severalUsersFindings,
  USERS_V2_SCOPE_SETS,
} from "../../../lib/checks/users-v2/scope-sets.ts";
import type { Finding } from "../../../lib/requirements/index.ts";
import { response, statusOf, USERS } from "./_fixtures.ts";

const EXT = "uk:nhs:login:auth:1.0:User";
const messages = (findings: readonly Finding[]) => findings.map((f) => f.message).join("\n");
const set = (scope: string) => USERS_V2_SCOPE_SETS.find((s) => s.scope === scope)!;
const full = {
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", EXT],
  id: "0c6f3a7e-2d41-4b9a-9e58-7c1d2b3a4f09",
  active: true,
  name: { familyName: "NINE", givenName: "Nia" },
  emails: [{ value: "p9@example.org", type: "home", primary: true }],
  phoneNumbers: [
    { type: "mobile", value: "+447700900109" },
    { type: "landline", value: "+441632960109" },
  ],
  [EXT]: { vectorsOfTrust: { IdentityProofing: "P9" }, nhsNumber: "9990010005", gpOdsCode: "Y00025", gpUserId: "1", gpLinkageKey: "k" },
};
const bare = { schemas: full.schemas, id: full.id, active: true, [EXT]: { vectorsOfTrust: { IdentityProofing: "P9" } } };

describe("USERS_V2_SCOPE_SETS", () => {
  it("maps each optional scope but profile to its UEV2-SCOPE row", () => {
    expect(USERS_V2_SCOPE_SETS.map((s) => [s.scope, s.requirement])).toEqual([
      ["email", "UEV2-SCOPE-03"],
      ["phone", "UEV2-SCOPE-04"],
      ["landline", "UEV2-SCOPE-05"],
      ["gp_registration_details", "UEV2-SCOPE-06"],
      ["gp_integration_credentials", "UEV2-SCOPE-07"],
      ["profile_extended", "UEV2-SCOPE-08"],
    ]);
  });
});

describe("scopeSetFindings (UEV2-SCOPE-03..08)", () => {
  it("passes when a resource carries the scope's attribute, naming which", () => {
    for (const s of USERS_V2_SCOPE_SETS) {
      const f = scopeSetFindings(s, [bare, full], { grantedScopes: [USERS, "profile", s.scope], label: "filter f" });
      expect(statusOf(f, s.requirement), s.scope).toBe("passed");
      expect(messages(f)).toMatch(new RegExp(`^filter f: .* returned with ${s.scope} granted \\(Resources\\[1\\]\\)$`));
    }
  });

  it("warns when the scope was granted but no resource carries the attribute", () => {
    const f = scopeSetFindings(set("landline"), [bare], { grantedScopes: [USERS, "profile", "landline"], label: "filter f" });
    expect(statusOf(f)).toBe("warning");
    expect(messages(f)).toMatch(
      /landline was granted .* but no resource carries a landline phoneNumbers entry: the test account may have none/,
    );
    const half = { ...bare, [EXT]: { vectorsOfTrust: { IdentityProofing: "P9" }, gpUserId: "1" } };
    expect(
      statusOf(
        scopeSetFindings(set("gp_integration_credentials"), [half], {
          grantedScopes: [USERS, "profile", "gp_integration_credentials"],
          label: "f",
        }),
      ),
    ).toBe("warning");
  });

  it("skips when the scope was not granted with profile, or nobody was found", () => {
    const notGranted = scopeSetFindings(set("email"), [full], { grantedScopes: [USERS, "profile"], label: "f" });
    expect(statusOf(notGranted)).toBe("skipped");
    expect(messages(notGranted)).toMatch(/email was not granted with profile/);
    expect(statusOf(scopeSetFindings(set("email"), [full], { grantedScopes: [USERS, "email"], label: "f" }))).toBe("skipped");
    expect(messages(scopeSetFindings(set("email"), [], { grantedScopes: [USERS, "profile", "email"], label: "f" }))).toMatch(
      /the search found nobody/,
    );
  });
});

describe("severalUsersFindings (UEV2-RESP-06)", () => {
  it("passes two distinct users in one answer", () => {
    const f = severalUsersFindings({ ids: ["a", "b"], totalResults: 2 }, 2, "nhsnumber eq x or nhsnumber eq y");
    expect(statusOf(f)).toBe("passed");
    expect(messages(f)).toBe("filter nhsnumber eq x or nhsnumber eq y: one answer holds 2 users (a, b), totalResults 2");
  });

  it("fails fewer users than accounts named (a duplicate counts once), and no usable answer", () => {
    const f = severalUsersFindings({ ids: ["a", "a"], totalResults: 2 }, 2, "f");
    expect(statusOf(f)).toBe("failed");
    expect(messages(f)).toBe("filter f: the answer holds 1 user, expected 2 (one per test account the filter names)");
    expect(messages(severalUsersFindings({}, 2, "f"))).toMatch(/the answer holds no Resources array/);
  });
});

describe("attributeParameterFindings (UEV2-GEN-03)", () => {
  const answer = (resources: unknown[]) => response(200, { totalResults: resources.length, Resources: resources });

  it("passes the same resources", () => {
    const f = attributeParameterFindings([full], answer([full]), "attributes=id");
    expect(statusOf(f)).toBe("passed");
    expect(messages(f)).toBe("attributes=id: the same 1 resource as without it");
  });

  it("warns when the parameter narrows the answer (the SCIM reading), naming what was left out", () => {
    const f = attributeParameterFindings([full], answer([{ schemas: full.schemas, id: full.id }]), "attributes=id");
    expect(statusOf(f)).toBe("warning");
    expect(messages(f)).toMatch(/^attributes=id: the answer leaves out active, .*; attributes are to follow the scopes alone$/);
  });

  it("fails when it adds attributes, or the answer has no Resources; records a refusal", () => {
    const f = attributeParameterFindings([bare], answer([full]), "attributes=emails");
    expect(statusOf(f)).toBe("failed");
    expect(messages(f)).toMatch(/attributes=emails: the answer adds name\.familyName, .*beyond what the scopes returned/);
    expect(statusOf(attributeParameterFindings([bare], response(200, {}), "attributes=id"))).toBe("failed");
    const refused = attributeParameterFindings([bare], response(400, { Errors: [] }), "attributes=id");
    expect(statusOf(refused)).toBe("warning");
    expect(messages(refused)).toMatch(/attributes=id: HTTP 400 \(recorded\): the parameter is refused rather than ignored/);
  });
});
