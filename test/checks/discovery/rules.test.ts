import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../../lib/simulator/start-simulator.ts";
import { createHttpClient } from "../../../lib/http/index.ts";
import { createEnvironmentContext } from "../../../lib/checks/environment/create-environment-context.ts";
import { discoveryDocumentFindings, discoveryMetadataFindings } from "../../../lib/checks/discovery/rules.ts";
import { jwksFindings, modulusBits } from "../../../lib/checks/discovery/jwks.ts";
import { overallStatus } from "../../../lib/checks/grade.ts";

const client = createHttpClient({ timeoutMs: 2000 });
const fetchJson = (_c: unknown, url: string) =>
  createEnvironmentContext({ issuer: "http://127.0.0.1:1", simulator: false, http: { timeoutMs: 2000 } }).fetchJson(url);
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => {
  await sim.stop();
  await client.close();
});

async function discovery() {
  return fetchJson(client, sim.context.endpoints.discovery);
}
async function jwks() {
  return fetchJson(client, sim.context.endpoints.jwks);
}

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
  const good = { status: 200, contentType: "application/json", body: undefined as unknown };

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
