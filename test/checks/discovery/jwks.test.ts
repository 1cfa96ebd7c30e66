/**
 * The JWKS finding functions of lib/checks/discovery/jwks.ts, against the simulator's weak-key
 * defect and on crafted key sets.
 */
import { describe, expect, it } from "vitest";
import { jwksFindings, modulusBits } from "../../../lib/checks/discovery/jwks.ts";
import { overallStatus } from "../../../lib/checks/grade.ts";
import { good, jwks, sim, useSimulator } from "./_simulator.ts";

useSimulator();

describe("discovery checks against the simulator", () => {
  it("FED-DISC-02 fails on a 1024-bit signing key (defect weak-signing-key)", async () => {
    await sim.setDefects(["weak-signing-key"]);
    try {
      const f = jwksFindings(await jwks());
      expect(overallStatus(f)).toBe("failed");
      expect(f.map((x) => x.message).join()).toMatch(/1024-bit/);
    } finally {
      await sim.setDefects([]);
    }
  });
});

describe("discovery and JWKS checks on crafted input", () => {
  it("fail on a JWKS that publishes private key members", () => {
    const f = jwksFindings({
      ...good,
      body: { keys: [{ kty: "RSA", kid: "k", use: "sig", n: Buffer.alloc(256, 0xff).toString("base64url"), e: "AQAB", d: "secret" }] },
    });
    expect(overallStatus(f)).toBe("failed");
    expect(f[0]!.message).toMatch(/private key material \(d\)/);
  });

  it("fail on a key without kid or use, and on an empty set", () => {
    const n = Buffer.alloc(256, 0xff).toString("base64url");
    expect(overallStatus(jwksFindings({ ...good, body: { keys: [{ kty: "RSA", n, e: "AQAB" }] } }))).toBe("failed");
    expect(overallStatus(jwksFindings({ ...good, body: { keys: [] } }))).toBe("failed");
    expect(overallStatus(jwksFindings({ ...good, body: "not json object" }))).toBe("failed");
  });

  it("measures modulus length ignoring a leading zero byte", () => {
    expect(modulusBits(Buffer.concat([Buffer.from([0]), Buffer.alloc(256, 0x80)]).toString("base64url"))).toBe(2048);
    expect(modulusBits(Buffer.alloc(128, 0x01).toString("base64url"))).toBe(1017);
  });
});
