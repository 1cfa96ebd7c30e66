/**
 * The access-token finding functions of lib/checks/tokens/access-token.ts on crafted payloads:
 * the T17 claims against the ID token's, and the lifetime.
 */
import { describe, expect, it } from "vitest";
import {
  accessTokenClaimFindings,
  accessTokenConditionalClaimFindings,
  accessTokenLifetimeFindings,
} from "../../../lib/checks/tokens/access-token.ts";
import { finding } from "../../../lib/requirements/index.ts";
import { statusFor, statusOf } from "./_fixtures.ts";

describe("access tokens", () => {
  const NOW = 1_700_000_000;
  const id = { sub: "s-1", vot: "P9.Cp.Cd", vtm: "https://auth.example.nhs.uk/trustmark/auth.example.nhs.uk", nhs_number: "9990010005" };
  const at = (o: Record<string, unknown> = {}) => ({
    iss: "https://auth.example.nhs.uk",
    sub: "s-1",
    aud: "svc",
    iat: NOW,
    exp: NOW + 300,
    jti: "a-1",
    scope: "openid profile",
    vot: id.vot,
    vtm: id.vtm,
    nhs_number: "9990010005",
    ...o,
  });
  const x = {
    issuer: "https://auth.example.nhs.uk",
    clientId: "svc",
    vtr: ["P9.Cp.Cd"],
    scopes: ["openid", "profile"],
    requestedScopes: ["openid", "profile", "x_unknown_scope"],
    idToken: id,
  };

  it("passes T17 claims equal to the ID token's", () => {
    const f = accessTokenClaimFindings(at(), x);
    expect(statusOf(f), JSON.stringify(f)).toBe("passed");
  });

  it("fails scope beyond the request or without openid, missing vot/vtm, nhs_number without profile", () => {
    expect(statusFor(accessTokenClaimFindings(at({ scope: "openid email" }), x), "FED-AT-03")).toBe("failed");
    expect(statusFor(accessTokenClaimFindings(at({ scope: "profile" }), x), "FED-AT-03")).toBe("failed");
    expect(statusFor(accessTokenClaimFindings(at({ vot: undefined }), x), "FED-AT-04")).toBe("failed");
    expect(statusFor(accessTokenClaimFindings(at({ scope: "openid" }), x), "FED-AT-05")).toBe("failed");
  });

  it("warns when vot differs from the ID token's (VOT-05, DERIVED equality)", () => {
    expect(statusFor(accessTokenClaimFindings(at({ vot: "P9.Cm" }), x), "VOT-05")).toBe("warning");
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ["a sub that is not printable ASCII", { sub: "s\u00e91" }, "FED-AT-02 failed", 'access token sub is "s\u00e91", expected 1 to 255'],
    ["no sub", { sub: undefined }, "FED-AT-02 failed", "access token sub is absent, expected 1 to 255"],
    ["a sub other than the ID token's", { sub: "s-2" }, "FED-AT-02 warning", 'access token sub "s-2" differs from the ID token\'s "s-1"'],
    ["a string exp", { exp: String(NOW + 300) }, "FED-AT-02 failed", "access token exp is "],
    ["no iat", { iat: undefined }, "FED-AT-02 failed", "access token iat is absent, expected an integer"],
    ["an empty jti", { jti: "" }, "FED-AT-02 failed", 'access token jti is "", expected a non-empty string'],
    ["a scope that is not a string", { scope: ["openid"] }, "FED-AT-03 failed", "access token scope is"],
    ["an empty vtm", { vtm: "" }, "FED-AT-04 failed", 'access token vtm is "", expected the trust mark URL'],
    [
      "a vtm other than the ID token's",
      { vtm: "https://auth.example.nhs.uk/trustmark/other" },
      "FED-AT-04 warning",
      "differs from the ID token's",
    ],
    ["a vot array", { vot: ["P9.Cp.Cd"] }, "VOT-05 failed", 'access token vot is ["P9.Cp.Cd"], expected a single string'],
    ["an invalid nhs_number", { nhs_number: "9990010006" }, "FED-AT-05 failed", "expected a 10-digit string with a valid check digit"],
    ["another nhs_number than the ID token's", { nhs_number: "9990010013" }, "FED-AT-05 failed", "nhs_number differs from the ID token's"],
    [
      "no nhs_number though profile and the ID token has one",
      { nhs_number: undefined },
      "FED-AT-05 warning",
      "the ID token carries nhs_number",
    ],
    ["a string auth_time", { auth_time: "1" }, "FED-AT-05 failed", 'access token auth_time is "1", expected an integer'],
  ])("an access token with %s: %s", (_what, change, verdict, reason) => {
    const f = accessTokenClaimFindings(at(change), x);
    const [id, status] = verdict.split(" ");
    const hit = f.filter((g) => g.requirement === id && g.status === status);
    expect(
      hit.some((g) => g.message.includes(reason)),
      JSON.stringify(f, null, 1),
    ).toBe(true);
    expect(statusFor(f, id!)).toBe(status);
  });

  it("judges the vot in the ID token too, and says a non-object payload is not one", () => {
    const f = accessTokenClaimFindings(at(), { ...x, idToken: { ...id, vot: ["P9.Cp.Cd"] } });
    expect(f.find((g) => g.requirement === "VOT-05" && g.status === "failed")?.message).toBe(
      'ID token vot is ["P9.Cp.Cd"], expected a single string',
    );
    expect(accessTokenClaimFindings("x.y.z", x)).toEqual([finding("FED-AT-02", "failed", "the access token payload is not a JSON object")]);
    expect(statusOf(accessTokenClaimFindings(at({ nhs_number: undefined }), { ...x, idToken: { ...id, nhs_number: undefined } }))).toBe(
      "passed",
    );
    const passed = accessTokenClaimFindings(at({ nhs_number: undefined }), {
      ...x,
      scopes: ["openid"],
      idToken: { ...id, nhs_number: undefined },
    });
    expect(passed.find((g) => g.requirement === "FED-AT-05")?.message).toBe("no nhs_number, as expected");
  });

  it("TTL-03 names the lifetime, and FED-TRESP-06 an expires_in that disagrees with it", () => {
    expect(accessTokenLifetimeFindings(at({ exp: NOW + 3600 }), 3600).map((g) => `${g.requirement} ${g.status}: ${g.message}`)).toEqual([
      "TTL-03 failed: the access token lives 3600 s (exp − iat), expected 300 s",
      "FED-TRESP-06 warning: expires_in is 3600, expected 300",
    ]);
    expect(accessTokenLifetimeFindings(at(), 200).map((g) => `${g.requirement} ${g.status}: ${g.message}`)).toEqual([
      "FED-TRESP-06 warning: expires_in 200 disagrees with the access token's exp − iat 300",
      "TTL-03 passed: the access token lives 300 s",
      "FED-TRESP-06 warning: expires_in is 200, expected 300",
    ]);
    expect(accessTokenLifetimeFindings(at({ exp: NOW + 301 }), 301).map((g) => g.status)).toEqual(["passed", "warning"]);
    expect(accessTokenLifetimeFindings(at({ iat: "x" }), 300)[0]!.message).toBe(
      'access token exp 1700000300 and iat "x" must both be integers to tell the lifetime',
    );
  });

  it("TTL-03 fails a lifetime other than 300 s; FED-TRESP-06 warns on expires_in", () => {
    expect(statusOf(accessTokenLifetimeFindings(at(), 300))).toBe("passed");
    expect(statusFor(accessTokenLifetimeFindings(at({ exp: NOW + 3600 }), 3600), "TTL-03")).toBe("failed");
    expect(statusOf(accessTokenLifetimeFindings(at(), 3600))).toBe("warning");
    expect(statusOf(accessTokenLifetimeFindings(at(), undefined))).toBe("warning");
  });
});

describe("accessTokenConditionalClaimFindings", () => {
  const good = {
    scope: "openid profile",
    nhs_number: "9990010005",
    reason_for_request: "patientaccess",
    requesting_system: "https://fhir.nhs.uk/Id/accredited-system|200000000001",
    requesting_patient: "http://fhir.nhs.net/Id/nhs-number|9990010005",
  };
  const status = (payload: Record<string, unknown>, id: string) =>
    accessTokenConditionalClaimFindings(payload)
      .filter((f) => f.requirement === id)
      .map((f) => f.status);

  it("passes each optional claim that is present and right", () => {
    for (const id of ["FED-AT-06", "FED-AT-07", "FED-AT-08"]) expect(status(good, id), id).toEqual(["passed"]);
  });

  it("is not applicable, never passed, for an absent claim", () => {
    const out = accessTokenConditionalClaimFindings({ scope: "openid" });
    expect(out.map((f) => [f.requirement, f.status])).toEqual([
      ["FED-AT-06", "skipped"],
      ["FED-AT-07", "skipped"],
      ["FED-AT-08", "skipped"],
    ]);
    expect(out[0]!.message).toMatch(/^not applicable: the access token has no reason_for_request/);
  });

  it.each([
    ["FED-AT-06", { reason_for_request: "directcare" }, /reason_for_request is "directcare", expected "patientaccess"/],
    ["FED-AT-07", { requesting_system: "myClientIdentifier1" }, /requesting_system is "myClientIdentifier1"/],
    ["FED-AT-07", { requesting_system: "https://fhir.nhs.uk/Id/accredited-system" }, /expected an identifier after/],
    ["FED-AT-08", { requesting_patient: "9990010005" }, /requesting_patient is "9990010005", expected http/],
    ["FED-AT-08", { requesting_patient: "http://fhir.nhs.net/Id/nhs-number|9990010013" }, /names 9990010013, but its nhs_number is/],
    ["FED-AT-08", { scope: "openid email" }, /requesting_patient although profile was not granted/],
  ])("warns (a MAY rule) on a wrong %s: %j", (id, change, message) => {
    const out = accessTokenConditionalClaimFindings({ ...good, ...change }).filter((f) => f.requirement === id);
    expect(out.map((f) => f.status)).toEqual(["warning"]);
    expect(out[0]!.message).toMatch(message);
  });
});
