/**
 * The discovery-document finding functions of lib/checks/discovery/rules.ts, against the simulator
 * (with and without its defects) and on crafted input.
 */
import { describe, expect, it } from "vitest";
import {
  discoveryDocumentFindings,
  discoveryMetadataFindings,
  FIDO_UAF_MEMBERS,
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
