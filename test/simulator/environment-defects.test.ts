import { createPublicKey, verify as rsaVerify } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from "jose";
import { DEFECT_IDS, DEFECTS, type DefectId } from "../../lib/simulator/faults.ts";
import { FEDERATION_SCOPES } from "../../lib/nhs/scopes.ts";
import { startSimulator, type Simulator } from "../../lib/simulator/start-simulator.ts";
import {
  fetchJwks,
  makeClient,
  signInAndExchange,
  signInAndGetCode,
  exchangeCode,
  startTestSimulator,
  userinfoRequest,
  type TestClient,
} from "./_helpers.ts";

let sim: Simulator;
let rp: TestClient;

beforeAll(async () => {
  const a = makeClient("rp-env");
  rp = a.client;
  sim = await startTestSimulator([a.registration]);
});
afterEach(async () => {
  await sim.setDefects([]);
});
afterAll(async () => {
  await sim?.stop();
});

async function discovery(s: Simulator = sim): Promise<Record<string, unknown>> {
  const res = await fetch(`${s.url}/.well-known/openid-configuration`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  return (await res.json()) as Record<string, unknown>;
}

function modulusBits(jwk: JWK): number {
  const n = Buffer.from(String(jwk.n), "base64url");
  // Drop any leading zero bytes before counting.
  let i = 0;
  while (i < n.length && n[i] === 0) i++;
  const top = n[i] ?? 0;
  return (n.length - i - 1) * 8 + (32 - Math.clz32(top));
}

/** Verify an RS256/RS512 JWT with node:crypto (jose refuses keys under 2048 bits). */
function verifiesWith(token: string, jwk: JWK): boolean {
  const [h, p, s] = token.split(".") as [string, string, string];
  const alg = decodeProtectedHeader(token).alg;
  const hash = alg === "RS512" ? "sha512" : alg === "RS256" ? "sha256" : undefined;
  if (!hash) return false;
  const key = createPublicKey({ key: jwk as import("node:crypto").JsonWebKey, format: "jwk" });
  return rsaVerify(hash, Buffer.from(`${h}.${p}`), key, Buffer.from(s, "base64url"));
}

describe("the default simulator is a conformant environment", () => {
  it("publishes discovery per FED-DISC-01/03", async () => {
    const d = await discovery();
    expect(d.issuer).toBe(sim.issuer);
    expect(`${d.issuer}/.well-known/openid-configuration`).toBe(`${sim.url}/.well-known/openid-configuration`);
    for (const k of ["authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri"]) {
      expect(typeof d[k], k).toBe("string");
      expect(new URL(String(d[k])).origin, k).toBe(new URL(sim.issuer).origin);
    }
    expect(d.token_endpoint).toBe(sim.context.endpoints.token);
    expect(d.response_types_supported).toEqual(["code"]);
    expect(d.id_token_signing_alg_values_supported).toContain("RS512");
    expect(d.id_token_signing_alg_values_supported).not.toContain("none");
    expect(d.token_endpoint_auth_methods_supported).toEqual(["private_key_jwt"]);
    for (const s of FEDERATION_SCOPES) expect(d.scopes_supported).toContain(s);
    expect(d.request_parameter_supported).toBe(false);
    expect(d.request_uri_parameter_supported).toBe(false);
  });

  it("publishes a JWKS of public RSA signing keys of 2048 bits or more (FED-DISC-02)", async () => {
    const { keys } = await fetchJwks(sim);
    expect(keys.length).toBeGreaterThan(0);
    expect(new Set(keys.map((k) => k.kid)).size).toBe(keys.length);
    for (const k of keys) {
      expect(k.kty).toBe("RSA");
      expect(typeof k.kid).toBe("string");
      expect(k.use).toBe("sig");
      expect(k.alg).toBe("RS512");
      expect(modulusBits(k)).toBeGreaterThanOrEqual(2048);
      for (const priv of ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]) expect(k, priv).not.toHaveProperty(priv);
    }
  });

  it("signs tokens that verify with the JWKS, with cache-safe token responses", async () => {
    const auth = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    const res = await exchangeCode(sim, rp, auth.code);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("pragma")).toBe("no-cache");
    const keys = createLocalJWKSet(await fetchJwks(sim));
    await jwtVerify(String(res.json!.id_token), keys, { algorithms: ["RS512"], currentDate: new Date(sim.context.now() * 1000) });
  });

  it("serves the trustmark at the vtm URL (VOT-07, VOT-08, A18)", async () => {
    const t = await signInAndExchange(sim, rp);
    const before = sim.events.filter((e) => e.type === "trustmark").length;
    const res = await fetch(String(t.idClaims.vtm));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const mark = (await res.json()) as Record<string, unknown>;
    for (const k of ["idp", "trustmark_provider", "P", "C"]) expect(mark, k).toHaveProperty(k);
    expect(mark.idp).toBe(sim.issuer);
    for (const p of ["P0", "P5", "P9"]) expect(mark.P).toContain(p);
    for (const c of ["Cp", "Cd", "Cm"]) expect(mark.C).toContain(c);
    expect(sim.events.filter((e) => e.type === "trustmark").length).toBe(before + 1);
  });

  it("has no trustmark for another host", async () => {
    expect((await fetch(`${sim.url}/trustmark/login.nhs.uk`)).status).toBe(404);
  });

  it("starts with no defects and refuses unknown ones", async () => {
    expect([...sim.context.defects]).toEqual([]);
    await expect(sim.setDefects(["no-such-defect" as DefectId])).rejects.toBeInstanceOf(TypeError);
    await expect(startSimulator({ port: 0, defects: ["no-such-defect" as DefectId] })).rejects.toBeInstanceOf(TypeError);
  });

  it("catalogues each defect with a title and requirement IDs", () => {
    for (const d of DEFECT_IDS) {
      expect(DEFECTS[d].title.length).toBeGreaterThan(0);
      expect(DEFECTS[d].requirements.length).toBeGreaterThan(0);
    }
  });
});

describe("environment defects", () => {
  it("discovery-missing-field drops userinfo_endpoint and nothing else", async () => {
    const clean = await discovery();
    await sim.setDefects(["discovery-missing-field"]);
    const d = await discovery();
    expect(d).not.toHaveProperty("userinfo_endpoint");
    const { userinfo_endpoint: _dropped, ...rest } = clean;
    expect(d).toEqual(rest);
    // The endpoint itself still answers; only the advertisement is missing.
    expect((await userinfoRequest(sim)).status).toBe(401);
  });

  it("rs256-signing: discovery, the JWKS and the token headers all say RS256", async () => {
    await sim.setDefects(["rs256-signing"]);
    const d = await discovery();
    expect(d.id_token_signing_alg_values_supported).toEqual(["RS256"]);
    const jwks = await fetchJwks(sim);
    for (const k of jwks.keys) expect(k.alg).toBe("RS256");
    const t = await signInAndExchange(sim, rp);
    expect(t.idHeader.alg).toBe("RS256");
    expect(decodeProtectedHeader(t.accessToken).alg).toBe("RS256");
    const keys = createLocalJWKSet(jwks);
    await jwtVerify(t.idToken, keys, { algorithms: ["RS256"], currentDate: new Date(sim.context.now() * 1000) });
    await expect(jwtVerify(t.idToken, keys, { algorithms: ["RS512"] })).rejects.toThrow();
    // The simulator stays self-consistent: its own userinfo accepts the RS256 access token.
    expect((await userinfoRequest(sim, { accessToken: t.accessToken })).status).toBe(200);
  });

  it("weak-signing-key: a 1024-bit key in the JWKS that really signs the tokens, and a 2048-bit one again once cleared", async () => {
    const before = (await fetchJwks(sim)).keys[0]!;
    await sim.setDefects(["weak-signing-key"]);
    const weak = (await fetchJwks(sim)).keys[0]!;
    expect(modulusBits(weak)).toBe(1024);
    expect(weak.kid).not.toBe(before.kid);
    const t = await signInAndExchange(sim, rp);
    expect(t.idHeader.kid).toBe(weak.kid);
    expect(t.idHeader.alg).toBe("RS512");
    expect(verifiesWith(t.idToken, weak)).toBe(true);
    expect(verifiesWith(t.accessToken, weak)).toBe(true);
    expect((await userinfoRequest(sim, { accessToken: t.accessToken })).status).toBe(200);

    await sim.setDefects([]);
    const restored = (await fetchJwks(sim)).keys[0]!;
    expect(modulusBits(restored)).toBeGreaterThanOrEqual(2048);
    expect(restored.kid).not.toBe(weak.kid);
  });

  it("weak-signing-key given at start-up", async () => {
    const { registration } = makeClient("rp-weak");
    const weakSim = await startSimulator({ port: 0, clients: [registration], defects: ["weak-signing-key"] });
    try {
      const { keys } = await fetchJwks(weakSim);
      expect(modulusBits(keys[0]!)).toBe(1024);
    } finally {
      await weakSim.stop();
    }
  });

  it("token-no-cache-headers: a successful token response lacks Cache-Control and Pragma", async () => {
    await sim.setDefects(["token-no-cache-headers"]);
    const auth = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    const res = await exchangeCode(sim, rp, auth.code);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBeNull();
    expect(res.headers.get("pragma")).toBeNull();
    expect(typeof res.json!.id_token).toBe("string");
  });

  it("defects combine and clear", async () => {
    await sim.setDefects(["discovery-missing-field", "rs256-signing"]);
    const d = await discovery();
    expect(d).not.toHaveProperty("userinfo_endpoint");
    expect(d.id_token_signing_alg_values_supported).toEqual(["RS256"]);
    await sim.setDefects([]);
    const clean = await discovery();
    expect(clean).toHaveProperty("userinfo_endpoint");
    expect(clean.id_token_signing_alg_values_supported).toEqual(["RS512"]);
  });
});
