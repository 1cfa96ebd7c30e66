/**
 * The claims-per-level rule on crafted observations (the probe itself runs against the simulator
 * in the environment suite and its breakers).
 */
import { describe, expect, it } from "vitest";
import { claimsByLevelFindings, CLAIMS_BY_LEVEL_IDS, type LevelObservation } from "../../../lib/checks/code-flow/claims-by-level.ts";

const base = { iss: "https://auth.example", aud: "client", sub: "s" };
const p9: LevelObservation = {
  level: "P9",
  scopes: ["openid", "profile", "profile_extended", "email", "phone", "gp_integration_credentials"],
  idToken: { ...base, identity_proofing_level: "P9", vot: "P9.Cp.Cd" },
  userinfo: {
    ...base,
    identity_proofing_level: "P9",
    nhs_number: "9990010005",
    family_name: "N",
    birthdate: "1984-02-29",
    given_name: "Nia",
    email: "a@b.example",
    email_verified: true,
    phone_number: "+447700900109",
    phone_number_verified: true,
    phone_number_pds_matched: true,
    gp_integration_credentials: { gp_linkage_key: "k", gp_ods_code: "Y00025", gp_user_id: "u" },
  },
};
const p0: LevelObservation = {
  level: "P0",
  scopes: ["openid", "profile_extended", "email"],
  idToken: { ...base },
  userinfo: { ...base, email: "c@d.example", email_verified: true },
};
const statusOf = (out: ReturnType<typeof claimsByLevelFindings>, id: string) => [
  ...new Set(out.filter((f) => f.requirement === id).map((f) => f.status)),
];

describe("claimsByLevelFindings", () => {
  it("passes what the sign-ins could show, and is inconclusive for rules no sign-in could break", () => {
    const out = claimsByLevelFindings([p9, p0]);
    for (const id of [
      "SCOPE-01",
      "SCOPE-05",
      "FED-UI-11",
      "SCOPE-06",
      "SCOPE-07",
      "SCOPE-10",
      "FED-UI-13",
      "SCOPE-12",
      "STEPUP-03",
      "VOT-01",
      "VOT-02",
    ])
      expect(statusOf(out, id), id).toEqual(["passed"]);
    for (const id of ["SCOPE-08", "SCOPE-09", "FED-UI-14"]) expect(statusOf(out, id), id).toEqual(["inconclusive"]);
  });

  it.each([
    [
      "SCOPE-05",
      { ...p0, userinfo: { ...p0.userinfo, given_name: "X" } },
      /UserInfo \(P0, scope "openid profile_extended email"\) carries given_name/,
    ],
    ["SCOPE-06", { ...p0, userinfo: { ...p0.userinfo, email_verified: undefined } }, /lacks email_verified/],
    ["SCOPE-06", { ...p0, userinfo: { ...p0.userinfo, email: "" } }, /sends email empty/],
    [
      "SCOPE-01",
      { ...p0, userinfo: { aud: "client", sub: "s", email: "c@d.example", email_verified: true } },
      /UserInfo \(P0, .*\) has no iss/,
    ],
    ["SCOPE-12", { ...p0, userinfo: { ...p0.userinfo, postcode: "LS1 4AP" } }, /carries postcode, which NHS login never gives/],
    ["FED-UI-13", { ...p9, userinfo: { ...p9.userinfo, gp_integration_credentials: { gp_ods_code: "Y" } } }, /expected gp_linkage_key/],
    [
      "STEPUP-03",
      { ...p9, idToken: { ...base, identity_proofing_level: "P5" } },
      /ID token \(P9, .*\) identity_proofing_level is "P5", expected P9/,
    ],
    ["SCOPE-10", { ...p9, userinfo: { ...p9.userinfo, gp_integration_credentials: undefined } }, /lacks gp_integration_credentials/],
    ["VOT-01", { ...p9, idToken: { ...base, identity_proofing_level: "P9", vot: "P7.Cp.Cd" } }, /names the level "P7"/],
    ["VOT-01", { ...p9, userinfo: { ...p9.userinfo, identity_proofing_level: "P6" } }, /identity_proofing_level .* is "P6"/],
    ["VOT-02", { ...p9, idToken: { ...base, identity_proofing_level: "P9", vot: "P9.Cp.Cx" } }, /has credentials Cx/],
  ])("flags %s", (id, observation, message) => {
    const out = claimsByLevelFindings([observation as LevelObservation]).filter((f) => f.requirement === id && f.status !== "passed");
    expect(out.length, JSON.stringify(out)).toBeGreaterThan(0);
    expect(out[0]!.status).toMatch(/failed|warning/);
    expect(out.map((f) => f.message).join("\n")).toMatch(message);
  });

  it("is inconclusive for every rule when a sign-in gave nothing to compare", () => {
    const out = claimsByLevelFindings([{ level: "P5", scopes: ["openid"], problem: "the sign-in gave no code (error=access_denied)" }]);
    for (const id of CLAIMS_BY_LEVEL_IDS) expect(statusOf(out, id), id).toEqual(["inconclusive"]);
    expect(out[0]!.message).toMatch(/the P5 sign-in with "openid" gave nothing to compare: the sign-in gave no code/);
  });
});
