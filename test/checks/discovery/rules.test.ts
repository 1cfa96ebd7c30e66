/**
 * The discovery-document finding functions of lib/checks/discovery/rules.ts, against the simulator
 * (with and without its defects) and on crafted input.
 */
import { describe, expect, it } from "vitest";
import {
  discoveryDocumentFindings,
  discoveryMetadataFindings,
  FIDO_UAF_MEMBERS,
  type FetchedJson,
  fidoEndpointFindings,
} from "../../../lib/checks/discovery/rules.ts";
import { jwksFindings } from "../../../lib/checks/discovery/jwks.ts";
import { overallStatus } from "../../../lib/checks/grade.ts";
import { client, discovery, fetchJson, good, jwks, sim, useSimulator } from "./_simulator.ts";

useSimulator();

describe("discovery checks against the simulator", () => {
  it("pass on the default simulator, with the loopback-http warning", async () => {
    const d = await discovery();
    const f = discoveryDocumentFindings(d, { expectedIssuer: sim.issuer });
    expect(overallStatus(f)).toBe("warning");
    expect(f.some((x) => x.status === "failed")).toBe(false);
    expect(overallStatus(discoveryMetadataFindings(d.body as Record<string, unknown>))).toBe("passed");
    expect(overallStatus(jwksFindings(await jwks()))).toBe("passed");
  });

  it("FED-DISC-01 fails when discovery lacks a field (defect discovery-missing-field)", async () => {
    await sim.setDefects(["discovery-missing-field"]);
    try {
      const f = discoveryDocumentFindings(await discovery(), { expectedIssuer: sim.issuer });
      expect(overallStatus(f)).toBe("failed");
      expect(f.find((x) => x.status === "failed")?.message).toMatch(/userinfo_endpoint/);
    } finally {
      await sim.setDefects([]);
    }
  });

  it("FED-DISC-01 fails on an issuer that differs only by a trailing slash", async () => {
    const f = discoveryDocumentFindings(await discovery(), { expectedIssuer: `${sim.issuer}/` });
    expect(overallStatus(f)).toBe("failed");
  });

  it("FED-DISC-03 warns and FED-JWT-01 fails when the environment signs with RS256 (defect rs256-signing)", async () => {
    await sim.setDefects(["rs256-signing"]);
    try {
      const d = await discovery();
      expect(overallStatus(discoveryMetadataFindings(d.body as Record<string, unknown>))).toBe("warning");
      const j = jwksFindings(await jwks());
      expect(j.find((x) => x.requirement === "FED-JWT-01")?.status).toBe("failed");
    } finally {
      await sim.setDefects([]);
    }
  });
});

describe("discovery and JWKS checks on crafted input", () => {
  it("are inconclusive on an unreachable target (no answer: nothing observed), with the reason", async () => {
    const f = discoveryDocumentFindings(await fetchJson(client, "http://127.0.0.1:1/.well-known/openid-configuration"), {
      expectedIssuer: "x",
    });
    expect(f).toHaveLength(1);
    expect(f[0]!.status).toBe("inconclusive");
    expect(f[0]!.message).toMatch(/could not be fetched/);
  });

  it("fail on a non-https endpoint off loopback", () => {
    const body = {
      issuer: "https://a.example",
      authorization_endpoint: "http://a.example/authorize",
      token_endpoint: "https://a.example/token",
      userinfo_endpoint: "https://a.example/userinfo",
      jwks_uri: "https://a.example/jwks",
    };
    const f = discoveryDocumentFindings({ ...good, body }, { expectedIssuer: "https://a.example" });
    expect(overallStatus(f)).toBe("failed");
    expect(f.find((x) => x.status === "failed")!.message).toMatch(/authorization_endpoint must use https/);
  });
});

describe("fidoEndpointFindings (FED-DISC-04)", () => {
  const all = Object.fromEntries(FIDO_UAF_MEMBERS.map((m) => [m, `https://auth.example/fido/${m}`]));
  const pairs = (doc: Record<string, unknown>) => fidoEndpointFindings(doc).map((f) => [f.status, f.message]);
  it("skips an environment without FIDO UAF, with the reason", () => {
    expect(pairs({ issuer: "https://auth.example" })).toEqual([
      ["skipped", "discovery names no FIDO UAF endpoint: this environment offers no FIDO UAF"],
    ]);
  });
  it("passes all four endpoints on https", () => {
    expect(pairs(all)).toEqual([["passed", "discovery names all four FIDO UAF endpoints with https URLs"]]);
  });
  it("fails each missing, empty or non-string member, and a URL that is not https", () => {
    const doc = {
      ...all,
      fido_uaf_registration_response_endpoint: undefined,
      fido_uaf_deregistration_endpoint: "",
      fido_uaf_authentication_request_endpoint: "http://auth.example/fido/auth",
    };
    const f = pairs(doc);
    expect(f.map(([s]) => s)).toEqual(["failed", "failed", "failed"]);
    expect(f[0]![1]).toMatch(
      /^discovery offers FIDO UAF \(fido_uaf_registration_request_endpoint, .*\) but lacks fido_uaf_registration_response_endpoint$/,
    );
    expect(f[1]![1]).toMatch(/lacks fido_uaf_deregistration_endpoint$/);
    expect(f[2]![1]).toBe('fido_uaf_authentication_request_endpoint must use https: "http://auth.example/fido/auth"');
    expect(pairs({ ...all, fido_uaf_deregistration_endpoint: 42 })[0]![1]).toMatch(/lacks fido_uaf_deregistration_endpoint$/);
  });
  it("warns on plain http on loopback, and fails a value that is not a URL", () => {
    const f = pairs({
      ...all,
      fido_uaf_deregistration_endpoint: "http://127.0.0.1:8080/fido",
      fido_uaf_registration_request_endpoint: "nope",
    });
    expect(f).toEqual([
      ["failed", 'fido_uaf_registration_request_endpoint is not an absolute URL: "nope"'],
      [
        "warning",
        "fido_uaf_deregistration_endpoint uses plain http on loopback: acceptable only for a local simulator, NHS login requires https",
      ],
    ]);
  });
});

describe("discovery rules' reasons, word for word", () => {
  const doc = {
    issuer: "https://a.example",
    authorization_endpoint: "https://a.example/authorize",
    token_endpoint: "https://a.example/token",
    userinfo_endpoint: "https://a.example/userinfo",
    jwks_uri: "https://a.example/jwks",
  };
  const judged = (res: Partial<FetchedJson>, expectedIssuer = "https://a.example") =>
    discoveryDocumentFindings({ ...good, ...res }, { expectedIssuer }).map((f) => `${f.status}: ${f.message}`);

  it("FED-DISC-01 passes a complete document with the exact issuer, with nothing else", () => {
    expect(judged({ body: doc })).toEqual(["passed: the document names every endpoint with an absolute URL and the exact issuer"]);
  });

  it("FED-DISC-01: an error that was an answer fails, one that was none is inconclusive; a status other than 200 fails", () => {
    expect(judged({ error: "not JSON", body: undefined })).toEqual(["failed: discovery document could not be fetched: not JSON"]);
    expect(judged({ error: "ECONNRESET", unanswered: true, body: undefined })).toEqual([
      "inconclusive: discovery document could not be fetched: ECONNRESET",
    ]);
    expect(judged({ status: 404, body: doc })).toEqual(["failed: discovery answered HTTP 404, expected 200"]);
  });

  it("FED-DISC-01: the Content-Type, a body that is not an object, each missing member, a bad URL, the issuer", () => {
    expect(judged({ contentType: "text/html", body: doc })).toEqual([
      "failed: discovery Content-Type is text/html, expected application/json",
    ]);
    expect(judged({ contentType: undefined, body: doc })[0]).toBe("failed: discovery Content-Type is absent, expected application/json");
    for (const body of [null, ["issuer"], "doc", 7])
      expect(judged({ body }), JSON.stringify(body)).toEqual(["failed: discovery body is not a JSON object"]);
    const { jwks_uri: _j, ...noJwks } = doc;
    expect(judged({ body: { ...noJwks, token_endpoint: "" } })).toEqual([
      "failed: discovery lacks token_endpoint",
      "failed: discovery lacks jwks_uri",
    ]);
    expect(judged({ body: { ...doc, userinfo_endpoint: "/userinfo" } })).toEqual([
      'failed: userinfo_endpoint is not an absolute URL: "/userinfo"',
    ]);
    expect(judged({ body: { ...doc, issuer: "https://b.example" } })).toEqual([
      'failed: issuer is "https://b.example", expected exactly "https://a.example"',
    ]);
  });

  it("FED-DISC-01: plain http on loopback warns once, naming the members, and still passes the rest", () => {
    const local = { ...doc, token_endpoint: "http://127.0.0.1:9/token", jwks_uri: "http://localhost:9/jwks" };
    expect(judged({ body: local })).toEqual([
      "warning: plain http on loopback for token_endpoint, jwks_uri: acceptable only for a local simulator, NHS login requires https",
      "passed: the document names every endpoint with an absolute URL and the exact issuer",
    ]);
  });

  it("FED-DISC-03: each disagreement with the EIS warns, word for word; absent optional members pass", () => {
    const base = {
      response_types_supported: ["code"],
      id_token_signing_alg_values_supported: ["RS512"],
      token_endpoint_auth_methods_supported: ["private_key_jwt"],
      scopes_supported: ["openid"],
    };
    const m = (d: Record<string, unknown>) => discoveryMetadataFindings(d).map((f) => `${f.status}: ${f.message}`);
    expect(m(base)).toEqual(["passed: response types, signing algorithm, client authentication and scopes agree with the EIS"]);
    expect(m({ ...base, token_endpoint_auth_methods_supported: undefined, scopes_supported: undefined })).toEqual([
      "passed: response types, signing algorithm, client authentication and scopes agree with the EIS",
    ]);
    expect(m({ ...base, response_types_supported: ["code", "id_token"] })).toEqual([
      'warning: response_types_supported is ["code","id_token"], expected ["code"]',
    ]);
    expect(m({ ...base, response_types_supported: ["token"] })[0]).toMatch(/^warning: response_types_supported is \["token"\]/);
    expect(m({ ...base, response_types_supported: "code" })[0]).toMatch(/^warning: response_types_supported is "code"/);
    expect(m({ ...base, id_token_signing_alg_values_supported: ["RS256"] })).toEqual([
      'warning: id_token_signing_alg_values_supported is ["RS256"], expected to contain RS512',
    ]);
    expect(m({ ...base, id_token_signing_alg_values_supported: "RS512" })[0]).toMatch(/^warning: id_token_signing_alg_values_supported/);
    for (const auth of [["private_key_jwt", "none"], ["client_secret_basic"], "private_key_jwt"])
      expect(m({ ...base, token_endpoint_auth_methods_supported: auth })[0], JSON.stringify(auth)).toBe(
        `warning: token_endpoint_auth_methods_supported is ${JSON.stringify(auth)}, expected private_key_jwt and not none`,
      );
    for (const scopes of [["profile"], "openid"])
      expect(m({ ...base, scopes_supported: scopes })[0]).toBe(
        `warning: scopes_supported is ${JSON.stringify(scopes)}, expected to contain openid`,
      );
  });
});
