import { describe, expect, it } from "vitest";
import type { CapturedAuthorization } from "../../../lib/driver/index.ts";
import {
  clientIdFindings,
  estimateEntropyBits,
  opaqueValueFindings,
  optionalParameterFindings,
  redirectUriRegisteredFindings,
  redirectUriSchemeFindings,
  registrationFindings,
  requestShapeFindings,
  scopeFindings,
  unsupportedParameterFindings,
  vtrFindings,
  vtrLevelFindings,
} from "../../../lib/checks/service/authorization-request.ts";
import type { Finding } from "../../../lib/requirements/index.ts";
import { overallStatus } from "../../../lib/checks/grade.ts";

const REDIRECT = "https://svc.example/callback";
function capture(params: Record<string, string> = {}, extra: Partial<CapturedAuthorization> = {}): CapturedAuthorization {
  return {
    method: "GET",
    url: "http://127.0.0.1/authorize",
    params: {
      response_type: "code",
      client_id: "svc",
      redirect_uri: REDIRECT,
      scope: "openid profile",
      state: "Xq3v9bT1kLm2Nw8pRz5sYc7dFh0jGa4eUo6iKb2tVx1",
      nonce: "Pp9wL2cV7xN4mQ8rT1yZ3bK6sD0fH5jG2aE9uW7iO4e",
      vtr: '["P9.Cp.Cd","P9.Cp.Ck","P9.Cm"]',
      ...params,
    },
    repeated: [],
    ...extra,
  };
}
const status = (f: Finding[]) => overallStatus(f);
const withId = (f: Finding[], id: string) => f.filter((x) => x.requirement === id).map((x) => x.status);

describe("authorization request findings", () => {
  it("request shape: GET with response_type=code passes; another response_type or a repeat fails; no capture fails", () => {
    expect(status(requestShapeFindings([capture()]))).toBe("passed");
    expect(withId(requestShapeFindings([capture({ response_type: "code id_token" })]), "FED-AUTHZ-05")).toEqual(["failed"]);
    expect(withId(requestShapeFindings([capture({}, { repeated: ["state"] })]), "FED-AUTHZ-22")).toEqual(["failed"]);
    const unseen = requestShapeFindings([{ notReached: 'the start page was HTTP 200 at /, titled "Home"' }]);
    expect(unseen.map((f) => f.status)).toEqual(["inconclusive", "inconclusive", "inconclusive", "inconclusive"]);
    expect(unseen[0]!.message).toMatch(
      /1 of 1 sign-ins never reached NHS login's \/authorize \(the start page was HTTP 200 at \/, titled "Home"\)/,
    );
  });

  it("request shape: an authorization request that carries no parameters (they sit in the fragment) fails FED-AUTHZ-01", () => {
    const inFragment: CapturedAuthorization = {
      method: "GET",
      url: "http://127.0.0.1/authorize#response_type=code",
      params: {},
      repeated: [],
    };
    const f = requestShapeFindings([inFragment]).filter((x) => x.requirement === "FED-AUTHZ-01");
    expect(f.map((x) => x.status)).toEqual(["failed"]);
    expect(f[0]!.message).toMatch(/GET \/authorize carried no parameters \(they were in the URL fragment/);
    const emptyPost: CapturedAuthorization = { method: "POST", url: "http://127.0.0.1/authorize", params: {}, repeated: [] };
    expect(requestShapeFindings([emptyPost]).find((x) => x.requirement === "FED-AUTHZ-01")!.message).toMatch(
      /^POST \/authorize carried no parameters; expected/,
    );
    expect(withId(requestShapeFindings([capture()]), "FED-AUTHZ-01")).toEqual(["passed"]);
  });

  it("scope: openid and approved scopes only; profile with basic_demographics fails; gp pair warns", () => {
    const approved = ["openid", "profile", "basic_demographics", "gp_registration_details", "gp_integration_credentials"];
    expect(status(scopeFindings([capture()], approved))).toBe("passed");
    expect(withId(scopeFindings([capture({ scope: "profile" })], approved), "FED-AUTHZ-02")).toEqual(["failed"]);
    expect(withId(scopeFindings([capture({ scope: "openid email" })], approved), "FED-REG-08")).toEqual(["failed"]);
    expect(withId(scopeFindings([capture({ scope: "openid profile basic_demographics" })], approved), "FED-AUTHZ-23")).toEqual(["failed"]);
    expect(status(scopeFindings([capture({ scope: "openid gp_registration_details gp_integration_credentials" })], approved))).toBe(
      "warning",
    );
  });

  it("client_id must be the registered one", () => {
    expect(status(clientIdFindings([capture()], "svc"))).toBe("passed");
    expect(status(clientIdFindings([capture({ client_id: "other" })], "svc"))).toBe("failed");
  });

  it("redirect_uri: https passes, http on loopback warns, other http fails", () => {
    expect(status(redirectUriSchemeFindings([capture()]))).toBe("passed");
    expect(status(redirectUriSchemeFindings([capture({ redirect_uri: "http://127.0.0.1:8080/cb" })]))).toBe("warning");
    expect(status(redirectUriSchemeFindings([capture({ redirect_uri: "http://localhost/cb" })]))).toBe("warning");
    expect(status(redirectUriSchemeFindings([capture({ redirect_uri: "http://svc.example/cb" })]))).toBe("failed");
  });

  it("redirect_uri must match a registered URI exactly and carry no query", () => {
    expect(status(redirectUriRegisteredFindings([capture()], [REDIRECT]))).toBe("passed");
    expect(status(redirectUriRegisteredFindings([capture({ redirect_uri: `${REDIRECT}/` })], [REDIRECT]))).toBe("failed");
    expect(
      withId(redirectUriRegisteredFindings([capture({ redirect_uri: `${REDIRECT}?x=1` })], [`${REDIRECT}?x=1`]), "FED-REG-04"),
    ).toEqual(["failed"]);
  });

  it("estimates entropy by alphabet", () => {
    expect(estimateEntropyBits("a".repeat(64))).toBe(0);
    expect(estimateEntropyBits("1715000000000")).toBeLessThan(50);
    expect(estimateEntropyBits("8f14e45f-ceea-467a-9575-1e2b3c4d5e6f")).toBe(128);
    expect(estimateEntropyBits("Xq3v9bT1kLm2Nw8pRz5sYc")).toBeGreaterThanOrEqual(128);
  });

  it("state and nonce: present, strong and fresh", () => {
    const ids = ["FED-AUTHZ-09", "FED-AUTHZ-27"] as const;
    const fresh = [capture(), capture({ state: "Yq3v9bT1kLm2Nw8pRz5sYc7dFh0jGa4eUo6iKb2tVx1" })];
    expect(status(opaqueValueFindings(ids, "state", fresh))).toBe("passed");
    expect(withId(opaqueValueFindings(ids, "state", [capture(), capture()]), "FED-AUTHZ-09")).toEqual(["failed"]);
    expect(withId(opaqueValueFindings(ids, "state", [capture(), capture()]), "FED-AUTHZ-27")).toEqual(["warning"]);
    expect(status(opaqueValueFindings(ids, "state", [capture({ state: "12345" })]))).toBe("failed");
    expect(status(opaqueValueFindings(["FED-AUTHZ-10", "FED-AUTHZ-27"], "nonce", [capture({ nonce: "" })]))).toBe("failed");
  });

  it("vtr: valid, documented, equal to the registration; absent means the default", () => {
    const registered = ["P9.Cp.Cd", "P9.Cp.Ck", "P9.Cm"];
    expect(status(vtrFindings([capture()], registered))).toBe("passed");
    expect(
      status(
        vtrFindings(
          [capture({}, {})].map((c) => ({ ...c, params: { ...c.params, vtr: undefined as unknown as string } })),
          registered,
        ),
      ),
    ).toBe("passed");
    expect(withId(vtrFindings([capture({ vtr: "[“P9.Cp.Cd”]" })], registered), "FED-AUTHZ-15")).toEqual(["failed"]);
    const unparsed = vtrFindings([capture({ vtr: "['P9.Cp.Cd']" })], registered).filter((f) => f.requirement !== "FED-AUTHZ-15");
    expect(unparsed.map((f) => `${f.requirement} ${f.status}`)).toEqual(["VOT-04 inconclusive", "FED-REG-06 inconclusive"]);
    expect(unparsed[0]!.message).toMatch(/^not judged: vtr "\['P9\.Cp\.Cd'\]" is not a JSON array of vectors/);
    expect(withId(vtrFindings([capture({ vtr: '["P9.Cp.Cd"]' })], registered), "FED-REG-06")).toEqual(["failed"]);
    expect(withId(vtrFindings([capture({ vtr: '["P9.Cd"]' })], ["P9.Cd"]), "VOT-04")).toEqual(["failed"]);
    expect(withId(vtrFindings([capture({ vtr: '["P0.Cm"]' })], ["P0.Cm"]), "VOT-04")).toEqual(["warning"]);
  });

  it("unsupported parameters warn; optional parameters with bad values fail or warn", () => {
    expect(status(unsupportedParameterFindings([capture()]))).toBe("passed");
    expect(status(unsupportedParameterFindings([capture({ max_age: "0" })]))).toBe("warning");
    expect(status(unsupportedParameterFindings([capture({ response_mode: "form_post" })]))).toBe("warning");
    expect(status(optionalParameterFindings([capture({ prompt: "login" })]))).toBe("passed");
    expect(status(optionalParameterFindings([capture({ prompt: "consent" })]))).toBe("failed");
    expect(status(optionalParameterFindings([capture({ display: "popup" })]))).toBe("warning");
  });

  it("registration lint", () => {
    const reg = { clientId: "svc", redirectUris: [REDIRECT], scopes: ["openid"], vtr: ["P9.Cm"] };
    expect(status(registrationFindings(reg))).toBe("passed");
    expect(status(registrationFindings({ ...reg, redirectUris: ["https://*.svc.example/cb"] }))).toBe("failed");
    expect(status(registrationFindings({ ...reg, redirectUris: Array.from({ length: 11 }, (_, i) => `https://svc.example/${i}`) }))).toBe(
      "failed",
    );
    expect(status(registrationFindings({ ...reg, scopes: ["profile"] }))).toBe("failed");
  });
});

describe("vtrLevelFindings (FED-AUTHZ-17, FED-AUTHZ-25)", () => {
  it("passes vectors that name their level, and is not applicable to gp_integration_credentials when it is not asked for", () => {
    const f = vtrLevelFindings([capture()]);
    expect(withId(f, "FED-AUTHZ-17")).toEqual(["passed"]);
    expect(f.find((x) => x.requirement === "FED-AUTHZ-17")!.message).toBe("every vector names the one proofing level P9");
    expect(withId(f, "FED-AUTHZ-25")).toEqual(["skipped"]);
    expect(vtrLevelFindings([capture({ vtr: '["P5.Cp.Cd","P9.Cp.Cd"]' })]).find((x) => x.requirement === "FED-AUTHZ-17")!.message).toMatch(
      /multi-level service/,
    );
  });

  it("warns on a vector without a level (a SHOULD), fails gp_integration_credentials with weak vectors (a MUST)", () => {
    expect(withId(vtrLevelFindings([capture({ vtr: '["Cp.Cd"]' })]), "FED-AUTHZ-17")).toEqual(["warning"]);
    const gp = vtrLevelFindings([capture({ scope: "openid profile gp_integration_credentials", vtr: '["P9.Cp","P9.Cm"]' })]);
    expect(withId(gp, "FED-AUTHZ-25")).toEqual(["failed"]);
    expect(withId(gp, "VOT-12")).toEqual(["warning"]);
    expect(gp.find((x) => x.requirement === "FED-AUTHZ-25")!.message).toMatch(/with vectors P9\.Cp; it needs P9 and two factors/);
    const strong = vtrLevelFindings([capture({ scope: "openid profile gp_integration_credentials", vtr: '["P9.Cp.Cd","P9.Cm"]' })]);
    expect(withId(strong, "FED-AUTHZ-25")).toEqual(["passed"]);
  });

  it("leaves a vtr that does not parse to FED-AUTHZ-15, and is inconclusive without a request", () => {
    expect(withId(vtrLevelFindings([capture({ vtr: "['P9.Cp.Cd']" })]), "FED-AUTHZ-17")).toEqual(["skipped"]);
    expect(withId(vtrLevelFindings([]), "FED-AUTHZ-25")).toEqual(["inconclusive"]);
  });
});

describe("scopeFindings: SCOPE-15 and FED-AUTHZ-26", () => {
  it("flags a documented scope written with a capital, and client_metadata not agreed", () => {
    const f = scopeFindings([capture({ scope: "openid Email client_metadata" })], ["openid", "email"]);
    expect(withId(f, "SCOPE-15")).toEqual(["failed"]);
    expect(f.find((x) => x.requirement === "SCOPE-15")!.message).toBe("scope tokens Email differ in case from the documented email");
    expect(withId(f, "FED-AUTHZ-26")).toEqual(["failed"]);
  });

  it("passes lower-case scopes, agreed client_metadata, and says client_metadata is not applicable when not asked for", () => {
    expect(
      withId(scopeFindings([capture({ scope: "openid email client_metadata" })], ["email", "client_metadata"]), "FED-AUTHZ-26"),
    ).toEqual(["passed"]);
    const f = scopeFindings([capture({ scope: "openid email" })], ["email"]);
    expect(withId(f, "SCOPE-15")).toEqual(["passed"]);
    expect(withId(f, "FED-AUTHZ-26")).toEqual(["skipped"]);
  });
});
