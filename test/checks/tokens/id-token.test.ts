import { describe, expect, it } from "vitest";
import {
  idTokenClaimFindings,
  idTokenLifetimeFindings,
  idTokenProfileFindings,
  isCalendarDate,
  jtiFindings,
  nonceFindings,
  personLevel,
  votFindings,
  vtmFindings,
  unsupportedClaimFindings,
  type TokenExpectations,
} from "../../../lib/checks/tokens/id-token.ts";
import { statusFor, statusOf } from "./_fixtures.ts";

const NOW = 1_700_000_000;
const X: TokenExpectations = {
  issuer: "https://auth.example.nhs.uk",
  clientId: "svc",
  nonce: "n-Ab+/=~",
  vtr: ["P9.Cp.Cd", "P9.Cm"],
  scopes: ["openid", "profile"],
  now: NOW,
};

function idToken(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const p: Record<string, unknown> = {
    iss: X.issuer,
    sub: "b4b8c6a2-0c1e-4b1a-9d7e-2f3a4b5c6d7e",
    aud: "svc",
    iat: NOW,
    exp: NOW + 3600,
    jti: "j-1",
    auth_time: NOW - 5,
    nonce: X.nonce,
    vot: "P9.Cp.Cd",
    vtm: "https://auth.example.nhs.uk/trustmark/auth.example.nhs.uk",
    family_name: "SMITH",
    birthdate: "1984-02-29",
    nhs_number: "9990010005",
    identity_proofing_level: "P9",
    ...overrides,
  };
  for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete p[k];
  return p;
}

describe("idTokenClaimFindings", () => {
  it("passes a conformant ID token, per requirement", () => {
    const f = idTokenClaimFindings(idToken(), X);
    expect(statusOf(f), JSON.stringify(f)).toBe("passed");
    for (const id of ["FED-IDT-01", "FED-IDT-02", "FED-IDT-03", "FED-IDT-04", "FED-IDT-05"])
      expect(f.some((x) => x.requirement === id && x.status === "passed")).toBe(true);
  });

  it("compares iss byte for byte (a trailing slash is another issuer)", () => {
    expect(statusFor(idTokenClaimFindings(idToken({ iss: `${X.issuer}/` }), X), "FED-IDT-01")).toBe("failed");
  });

  it("requires sub of 1..255 printable ASCII characters", () => {
    expect(statusFor(idTokenClaimFindings(idToken({ sub: "a".repeat(255) }), X), "FED-IDT-02")).toBe("passed");
    expect(statusFor(idTokenClaimFindings(idToken({ sub: "a".repeat(256) }), X), "FED-IDT-02")).toBe("failed");
    expect(statusFor(idTokenClaimFindings(idToken({ sub: "caf\u00e9" }), X), "FED-IDT-02")).toBe("failed");
    expect(statusFor(idTokenClaimFindings(idToken({ sub: undefined }), X), "FED-IDT-02")).toBe("failed");
  });

  it("accepts aud as the client id or an array holding it, warns on extra audiences", () => {
    expect(statusFor(idTokenClaimFindings(idToken({ aud: ["svc"] }), X), "FED-IDT-03")).toBe("passed");
    expect(statusFor(idTokenClaimFindings(idToken({ aud: ["svc", "other"] }), X), "FED-IDT-03")).toBe("warning");
    expect(statusFor(idTokenClaimFindings(idToken({ aud: "other" }), X), "FED-IDT-03")).toBe("failed");
  });

  it("requires integer exp in the future and integer iat not in the future", () => {
    expect(statusFor(idTokenClaimFindings(idToken({ exp: NOW + 3600.5 }), X), "FED-IDT-04")).toBe("failed");
    expect(statusFor(idTokenClaimFindings(idToken({ exp: NOW - 600, iat: NOW - 4200 }), X), "FED-IDT-04")).toBe("failed");
    expect(statusFor(idTokenClaimFindings(idToken({ iat: String(NOW) }), X), "FED-IDT-05")).toBe("failed");
    expect(statusFor(idTokenClaimFindings(idToken({ iat: NOW + 3600, exp: NOW + 7200 }), X), "FED-IDT-05")).toBe("failed");
  });

  it("validates against the id-token-payload schema, with loopback http tolerated for a simulator", () => {
    const local = { ...X, issuer: "http://127.0.0.1:9000" };
    const f = idTokenClaimFindings(idToken({ iss: local.issuer, vtm: "http://127.0.0.1:9000/trustmark/127.0.0.1:9000" }), local);
    expect(statusOf(f), JSON.stringify(f)).toBe("passed");
    expect(statusOf(idTokenClaimFindings(idToken({ vot: "P9.Ca.Cc" }), X))).toBe("failed");
  });

  it("refuses a payload that is not an object", () => {
    expect(statusOf(idTokenClaimFindings("eyJ...", X))).toBe("failed");
  });
});

describe("lifetime, jti, nonce", () => {
  it("TTL-02 wants exp − iat = 3600 within 5 s; FED-IDT-18 (INFO) only warns", () => {
    expect(statusOf(idTokenLifetimeFindings(idToken({ exp: NOW + 3603 })))).toBe("passed");
    const f = idTokenLifetimeFindings(idToken({ exp: NOW + 7200 }));
    expect(statusFor(f, "TTL-02")).toBe("failed");
    expect(statusFor(f, "FED-IDT-18")).toBe("warning");
  });

  it("FED-IDT-06 wants a jti in every token and no repeats", () => {
    expect(statusOf(jtiFindings([idToken(), idToken({ jti: "j-2" })]))).toBe("passed");
    expect(statusOf(jtiFindings([idToken(), idToken()]))).toBe("failed");
    expect(statusOf(jtiFindings([idToken(), idToken({ jti: undefined })]))).toBe("failed");
  });

  it("FED-IDT-08 wants the nonce byte for byte", () => {
    expect(statusOf(nonceFindings(idToken(), X.nonce))).toBe("passed");
    expect(statusOf(nonceFindings(idToken({ nonce: "N-Ab+/=~" }), X.nonce))).toBe("failed");
    expect(statusOf(nonceFindings(idToken({ nonce: undefined }), X.nonce))).toBe("failed");
  });
});

describe("vot and vtm", () => {
  it("wants a valid vector that satisfies the vtr", () => {
    expect(statusOf(votFindings(idToken(), X.vtr))).toBe("passed");
    expect(statusFor(votFindings(idToken({ vot: "P9.Cp" }), X.vtr), "VOT-06")).toBe("failed");
    expect(statusFor(votFindings(idToken({ vot: "P7.Cp.Cd" }), ["P7.Cp.Cd"]), "FED-IDT-10")).toBe("failed");
    expect(statusFor(votFindings(idToken({ vot: ["P9.Cp.Cd"] }), X.vtr), "FED-IDT-10")).toBe("failed");
  });

  it("reports the default-vtr match under FED-AUTHZ-16 when asked", () => {
    const f = votFindings(idToken({ vot: "P5.Cp.Cd" }), ["P9.Cp.Cd"], { satisfies: "FED-AUTHZ-16" });
    expect(statusFor(f, "FED-AUTHZ-16")).toBe("failed");
    expect(f.some((x) => x.requirement === "VOT-06")).toBe(false);
  });

  it("warns (VOT-09) when vot claims more than identity_proofing_level", () => {
    expect(statusFor(votFindings(idToken({ identity_proofing_level: "P5" }), X.vtr), "VOT-09")).toBe("warning");
  });

  it("wants vtm https on the issuer host; loopback http only warns", () => {
    expect(statusOf(vtmFindings(idToken(), X.issuer))).toBe("passed");
    expect(statusFor(vtmFindings(idToken({ vtm: "https://elsewhere.example/trustmark" }), X.issuer), "VOT-07")).toBe("failed");
    expect(statusFor(vtmFindings(idToken({ vtm: "http://auth.example.nhs.uk/trustmark/x" }), X.issuer), "FED-IDT-11")).toBe("failed");
    expect(statusOf(vtmFindings(idToken({ vtm: "http://127.0.0.1:9000/trustmark/x" }), "http://127.0.0.1:9000"))).toBe("warning");
    expect(statusOf(vtmFindings(idToken({ vtm: undefined }), X.issuer))).toBe("failed");
  });
});

describe("idTokenProfileFindings", () => {
  it("passes the four profile claims for a P9 person with profile", () => {
    expect(statusOf(idTokenProfileFindings(idToken(), X))).toBe("passed");
  });

  it("fails a missing claim the scope releases, a bad date and a bad check digit", () => {
    expect(statusFor(idTokenProfileFindings(idToken({ birthdate: undefined }), X), "FED-IDT-13")).toBe("failed");
    expect(statusFor(idTokenProfileFindings(idToken({ birthdate: "2023-02-29" }), X), "FED-IDT-13")).toBe("failed");
    expect(statusFor(idTokenProfileFindings(idToken({ nhs_number: "9990010006" }), X), "FED-IDT-14")).toBe("failed");
    expect(statusFor(idTokenProfileFindings(idToken({ nhs_number: 9990010005 }), X), "FED-IDT-14")).toBe("failed");
  });

  it("SCOPE-03: basic_demographics releases no NHS number", () => {
    const f = idTokenProfileFindings(idToken(), { scopes: ["openid", "basic_demographics"] });
    expect(statusFor(f, "SCOPE-03")).toBe("failed");
    expect(statusOf(idTokenProfileFindings(idToken({ nhs_number: undefined }), { scopes: ["openid", "basic_demographics"] }))).toBe(
      "passed",
    );
  });

  it("SCOPE-02: nothing for a P0 person; identity_proofing_level for P0 is recorded (A22)", () => {
    const p0 = { vot: "P0.Cp.Cd", identity_proofing_level: "P0", family_name: undefined, birthdate: undefined, nhs_number: undefined };
    expect(statusOf(idTokenProfileFindings(idToken(p0), X))).toBe("warning");
    expect(statusFor(idTokenProfileFindings(idToken({ ...p0, nhs_number: "9990010005" }), X), "SCOPE-02")).toBe("failed");
  });

  it("no profile claims without profile or basic_demographics", () => {
    expect(statusOf(idTokenProfileFindings(idToken(), { scopes: ["openid", "email"] }))).toBe("failed");
    const none = { family_name: undefined, birthdate: undefined, nhs_number: undefined, identity_proofing_level: undefined };
    expect(statusOf(idTokenProfileFindings(idToken(none), { scopes: ["openid", "email"] }))).toBe("passed");
  });

  it("tells the person's level from identity_proofing_level, else from vot", () => {
    expect(personLevel(idToken())).toBe("P9");
    expect(personLevel(idToken({ identity_proofing_level: undefined, vot: "P5.Cp.Cd" }))).toBe("P5");
    expect(personLevel({})).toBeUndefined();
  });

  it("knows real calendar dates", () => {
    expect(isCalendarDate("1984-02-29")).toBe(true);
    expect(isCalendarDate("1985-02-29")).toBe(false);
    expect(isCalendarDate("1985-2-1")).toBe(false);
  });
});

describe("unsupportedClaimFindings (FED-IDT-09)", () => {
  it("passes an ID token without acr, amr or azp", () => {
    expect(unsupportedClaimFindings({ sub: "s", vot: "P9.Cp.Cd" })).toEqual([
      { requirement: "FED-IDT-09", status: "passed", message: "ID token carries no acr, amr or azp" },
    ]);
  });
  it("warns (INFO if present) naming each one present, and tolerates a payload that is not an object", () => {
    const [f] = unsupportedClaimFindings({ acr: "P9", azp: "rp" }, "access token");
    expect(f).toEqual({
      requirement: "FED-IDT-09",
      status: "warning",
      message: 'access token carries acr "P9", azp "rp", which the EIS says NHS login does not support (vot replaces acr)',
    });
    expect(unsupportedClaimFindings("not an object")[0]!.status).toBe("passed");
  });
});
