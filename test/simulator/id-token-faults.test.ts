import { createPublicKey } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  compactVerify,
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors as joseErrors,
  importJWK,
  jwtVerify,
  type JWK,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from "jose";
import { ID_TOKEN_FAULT_IDS, FAULTS, type IdTokenFaultId } from "../../lib/simulator/faults.ts";
import { DEFAULT_VTR, parseVector, votSatisfiesVtr } from "../../lib/nhs/vot.ts";
import type { Simulator } from "../../lib/simulator/start-simulator.ts";
import { fetchJwks, makeClient, signInAndExchange, startTestSimulator, type TestClient } from "./_helpers.ts";

let sim: Simulator;
let rp: TestClient;
let rpB: TestClient;
let jwks: { keys: JWK[] };

beforeAll(async () => {
  const a = makeClient("rp-faults");
  const b = makeClient("rp-faults-b");
  rp = a.client;
  rpB = b.client;
  sim = await startTestSimulator([a.registration, b.registration]);
  jwks = await fetchJwks(sim);
});
afterAll(async () => {
  await sim?.stop();
});

/** One sign-in's ID token and what the client sent for it. */
interface Minted {
  token: string;
  header: ProtectedHeaderParameters & Record<string, unknown>;
  claims: JWTPayload & Record<string, unknown>;
  nonce: string;
  vtr: readonly string[];
  clientId: string;
  now: number;
}

async function mint(client: TestClient = rp, vtr: readonly string[] = DEFAULT_VTR): Promise<Minted> {
  const t = await signInAndExchange(sim, client, { vtr, scope: "openid profile" });
  return {
    token: t.idToken,
    header: t.idHeader as ProtectedHeaderParameters & Record<string, unknown>,
    claims: t.idClaims,
    nonce: t.authorize.sent.nonce!,
    vtr,
    clientId: client.clientId,
    now: sim.context.now(),
  };
}

/**
 * Everything wrong with an ID token, as a set of tags, judged by a strict relying party:
 * signature and header against the published JWKS (RS512 pinned), then each T16 claim.
 */
async function defectsOf(m: Minted): Promise<Set<string>> {
  const out = new Set<string>();
  const keys = createLocalJWKSet(jwks);
  try {
    await compactVerify(m.token, keys, { algorithms: ["RS512"] });
  } catch {
    out.add("signature");
  }
  if (m.header.alg !== "RS512") out.add("alg");
  if (m.header.typ !== "JWT") out.add("typ");
  if (["jwk", "jku", "x5u", "x5c"].some((k) => k in m.header)) out.add("header-key");
  if (m.header.kid !== undefined && !jwks.keys.some((k) => k.kid === m.header.kid)) out.add("kid");
  const c = m.claims;
  if (c.iss !== sim.issuer) out.add("iss");
  if (c.aud !== m.clientId) out.add("aud");
  if (typeof c.exp !== "number" || c.exp <= m.now) out.add("exp");
  if (typeof c.iat !== "number" || c.iat > m.now + 60) out.add("iat");
  if (typeof c.exp === "number" && typeof c.iat === "number" && c.exp - c.iat !== 3600) out.add("lifetime");
  if (c.nbf !== undefined && (typeof c.nbf !== "number" || c.nbf > m.now + 60)) out.add("nbf");
  if (c.nonce !== m.nonce) out.add("nonce");
  if (typeof c.sub !== "string" || c.sub.length === 0) out.add("sub");
  if (typeof c.vot !== "string" || !votSatisfiesVtr(c.vot, m.vtr)) out.add("vot");
  if (typeof c.vtm !== "string") out.add("vtm");
  if (typeof c.jti !== "string") out.add("jti");
  return out;
}

/** The defects each fault must produce, and nothing else. */
const EXPECTED: Record<IdTokenFaultId, string[]> = {
  "id-token-bad-signature": ["signature"],
  "id-token-alg-none": ["signature", "alg", "typ"],
  "id-token-hs256-public-key": ["signature", "alg"],
  "id-token-rs256": ["signature", "alg"],
  "id-token-embedded-jwk": ["signature", "header-key", "kid"],
  "id-token-jku": ["signature", "header-key", "kid"],
  "id-token-x5u": ["signature", "header-key", "kid"],
  "id-token-unknown-kid": ["signature", "kid"],
  "id-token-wrong-iss": ["iss"],
  "id-token-wrong-aud": ["aud"],
  "id-token-extra-aud": ["aud"],
  "id-token-expired": ["exp"],
  "id-token-iat-future": ["iat"],
  "id-token-nbf-future": ["nbf"],
  "id-token-nonce-missing": ["nonce"],
  "id-token-nonce-wrong": ["nonce"],
  "id-token-sub-missing": ["sub"],
  "id-token-vot-outside-vtr": ["vot"],
  "id-token-vot-missing": ["vot"],
  "id-token-vtm-missing": ["vtm"],
};

const publicKeyOf = (jwk: JWK) => createPublicKey({ key: jwk as import("node:crypto").JsonWebKey, format: "jwk" });

/** Further checks that pin down the exact shape of each defect. */
const DETAIL: Record<IdTokenFaultId, (m: Minted) => Promise<void>> = {
  "id-token-bad-signature": async (m) => {
    await expect(compactVerify(m.token, createLocalJWKSet(jwks), { algorithms: ["RS512"] })).rejects.toBeInstanceOf(
      joseErrors.JWSSignatureVerificationFailed,
    );
    // It still decodes, with the right header and claims.
    expect(m.header.alg).toBe("RS512");
    expect(m.claims.nonce).toBe(m.nonce);
  },
  "id-token-alg-none": async (m) => {
    expect(m.header.alg).toBe("none");
    expect(m.token.endsWith(".")).toBe(true);
    expect(m.token.split(".")[2]).toBe("");
  },
  "id-token-hs256-public-key": async (m) => {
    expect(m.header.alg).toBe("HS256");
    const pem = publicKeyOf(jwks.keys[0]!).export({ type: "spki", format: "pem" }).toString();
    const { payload } = await jwtVerify(m.token, new TextEncoder().encode(pem), {
      algorithms: ["HS256"],
      currentDate: new Date(m.now * 1000),
    });
    expect(payload.nonce).toBe(m.nonce);
  },
  "id-token-rs256": async (m) => {
    expect(m.header.alg).toBe("RS256");
    // Signed with the real key, just under the wrong algorithm.
    const { payload } = await compactVerify(m.token, publicKeyOf(jwks.keys[0]!), { algorithms: ["RS256"] });
    expect(JSON.parse(new TextDecoder().decode(payload)).nonce).toBe(m.nonce);
  },
  "id-token-embedded-jwk": async (m) => {
    const embedded = m.header.jwk as JWK;
    expect(embedded.kty).toBe("RSA");
    expect(jwks.keys.some((k) => k.n === embedded.n)).toBe(false);
    expect(embedded).not.toHaveProperty("d");
    // The token is signed by the embedded (attacker) key.
    await compactVerify(m.token, await importJWK(embedded, "RS512"));
  },
  "id-token-jku": async (m) => {
    const url = new URL(String(m.header.jku));
    expect(url.origin).toBe(sim.url);
    expect(url.pathname.startsWith("/__attacker/")).toBe(true);
    // The simulator never fetches it itself; fetching is what an unsafe client does, and it is recorded.
    const before = sim.events.filter((e) => e.type === "attacker-fetch").length;
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const attackerSet = (await res.json()) as { keys: JWK[] };
    expect(attackerSet.keys.some((k) => jwks.keys.some((j) => j.n === k.n))).toBe(false);
    await compactVerify(m.token, createLocalJWKSet(attackerSet));
    const fetches = sim.events.filter((e) => e.type === "attacker-fetch");
    expect(fetches.length).toBe(before + 1);
    expect(String(fetches.at(-1)!.detail.url)).toBe(url.pathname);
  },
  "id-token-x5u": async (m) => {
    const url = new URL(String(m.header.x5u));
    expect(url.origin).toBe(sim.url);
    expect(url.pathname.startsWith("/__attacker/")).toBe(true);
    const before = sim.events.filter((e) => e.type === "attacker-fetch").length;
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const pem = await res.text();
    expect(pem).toMatch(/-----BEGIN PUBLIC KEY-----/);
    await compactVerify(m.token, createPublicKey(pem));
    expect(sim.events.filter((e) => e.type === "attacker-fetch").length).toBe(before + 1);
  },
  "id-token-unknown-kid": async (m) => {
    expect(typeof m.header.kid).toBe("string");
    await expect(compactVerify(m.token, createLocalJWKSet(jwks), { algorithms: ["RS512"] })).rejects.toBeInstanceOf(
      joseErrors.JWKSNoMatchingKey,
    );
    expect(m.header.alg).toBe("RS512");
  },
  "id-token-wrong-iss": async (m) => {
    expect(typeof m.claims.iss).toBe("string");
    expect(new URL(String(m.claims.iss)).host).not.toBe(new URL(sim.issuer).host);
  },
  "id-token-wrong-aud": async (m) => {
    expect(typeof m.claims.aud).toBe("string");
    expect(m.claims.aud).not.toBe(m.clientId);
  },
  "id-token-extra-aud": async (m) => {
    expect(Array.isArray(m.claims.aud)).toBe(true);
    const aud = m.claims.aud as string[];
    expect(aud).toContain(m.clientId);
    expect(aud).toHaveLength(2);
  },
  "id-token-expired": async (m) => {
    expect(m.claims.exp!).toBeLessThanOrEqual(m.now - 300);
    await expect(
      jwtVerify(m.token, createLocalJWKSet(jwks), { algorithms: ["RS512"], currentDate: new Date(m.now * 1000), clockTolerance: 60 }),
    ).rejects.toBeInstanceOf(joseErrors.JWTExpired);
  },
  "id-token-iat-future": async (m) => {
    expect(m.claims.iat!).toBeGreaterThanOrEqual(m.now + 1800);
  },
  "id-token-nbf-future": async (m) => {
    expect(m.claims.nbf!).toBeGreaterThanOrEqual(m.now + 1800);
    await expect(
      jwtVerify(m.token, createLocalJWKSet(jwks), { algorithms: ["RS512"], currentDate: new Date(m.now * 1000) }),
    ).rejects.toBeInstanceOf(joseErrors.JWTClaimValidationFailed);
  },
  "id-token-nonce-missing": async (m) => {
    expect(m.claims).not.toHaveProperty("nonce");
  },
  "id-token-nonce-wrong": async (m) => {
    expect(typeof m.claims.nonce).toBe("string");
    expect(m.claims.nonce).not.toBe(m.nonce);
  },
  "id-token-sub-missing": async (m) => {
    expect(m.claims).not.toHaveProperty("sub");
  },
  "id-token-vot-outside-vtr": async (m) => {
    // A well-formed vector, just not one that was asked for.
    expect(() => parseVector(String(m.claims.vot))).not.toThrow();
    expect(votSatisfiesVtr(String(m.claims.vot), m.vtr)).toBe(false);
  },
  "id-token-vot-missing": async (m) => {
    expect(m.claims).not.toHaveProperty("vot");
    expect(typeof m.claims.vtm).toBe("string");
  },
  "id-token-vtm-missing": async (m) => {
    expect(m.claims).not.toHaveProperty("vtm");
    expect(typeof m.claims.vot).toBe("string");
  },
};

describe("the fault catalogue", () => {
  it("lists every ID-token fault as kind id-token, and the tests cover each one", () => {
    expect(new Set(Object.keys(EXPECTED))).toEqual(new Set(ID_TOKEN_FAULT_IDS));
    for (const f of ID_TOKEN_FAULT_IDS) expect(FAULTS[f].kind).toBe("id-token");
  });

  it("a clean sign-in has no defects at all", async () => {
    const m = await mint();
    expect([...(await defectsOf(m))]).toEqual([]);
    const { payload } = await jwtVerify(m.token, createLocalJWKSet(jwks), {
      algorithms: ["RS512"],
      issuer: sim.issuer,
      audience: rp.clientId,
      currentDate: new Date(m.now * 1000),
    });
    expect(payload.nonce).toBe(m.nonce);
  });
});

describe("each ID-token fault produces exactly its defect, for that sign-in only", () => {
  for (const fault of ID_TOKEN_FAULT_IDS) {
    it(fault, async () => {
      sim.arm({ faults: [fault], clientId: rp.clientId });
      const faulted = await mint();
      expect([...(await defectsOf(faulted))].sort(), `${fault}: ${JSON.stringify(faulted.claims)}`).toEqual([...EXPECTED[fault]].sort());
      await DETAIL[fault](faulted);

      const clean = await mint();
      expect([...(await defectsOf(clean))], `sign-in after ${fault}`).toEqual([]);
    });
  }

  it("vot-outside-vtr also works for a P5-only vtr", async () => {
    sim.arm({ faults: ["id-token-vot-outside-vtr"], clientId: rp.clientId });
    const m = await mint(rp, ["P5.Cp.Cd"]);
    expect([...(await defectsOf(m))]).toEqual(["vot"]);
  });
});

describe("arming", () => {
  it("a fault armed for client A is not taken by client B", async () => {
    sim.arm({ faults: ["id-token-nonce-wrong"], clientId: rp.clientId });
    const b = await mint(rpB);
    expect([...(await defectsOf(b))]).toEqual([]);
    const a = await mint(rp);
    expect([...(await defectsOf(a))]).toEqual(["nonce"]);
    expect([...(await defectsOf(await mint(rp)))]).toEqual([]);
  });

  it("times: 2 applies to two sign-ins, then stops", async () => {
    sim.arm({ faults: ["id-token-wrong-iss"], clientId: rp.clientId, times: 2 });
    expect([...(await defectsOf(await mint()))]).toEqual(["iss"]);
    expect([...(await defectsOf(await mint()))]).toEqual(["iss"]);
    expect([...(await defectsOf(await mint()))]).toEqual([]);
  });

  it("several faults armed together all apply", async () => {
    sim.arm({ faults: ["id-token-wrong-aud", "id-token-nonce-missing", "id-token-vtm-missing"], clientId: rp.clientId });
    expect([...(await defectsOf(await mint()))].sort()).toEqual(["aud", "nonce", "vtm"]);
  });

  it("a fault armed without a clientId is taken by whichever client signs in next", async () => {
    sim.arm({ faults: ["id-token-sub-missing"] });
    expect([...(await defectsOf(await mint(rpB)))]).toEqual(["sub"]);
    expect([...(await defectsOf(await mint(rp)))]).toEqual([]);
  });

  it("refuses an unknown fault, an unknown persona and times below 1", () => {
    expect(() => sim.arm({ faults: ["id-token-nope" as IdTokenFaultId] })).toThrow(TypeError);
    expect(() => sim.arm({ persona: "p7" })).toThrow(TypeError);
    expect(() => sim.arm({ faults: ["id-token-wrong-iss"], times: 0 })).toThrow(TypeError);
  });

  it("faults never touch the access token", async () => {
    sim.arm({ faults: ["id-token-bad-signature", "id-token-wrong-iss"], clientId: rp.clientId });
    const t = await signInAndExchange(sim, rp);
    const { payload } = await jwtVerify(t.accessToken, createLocalJWKSet(jwks), {
      algorithms: ["RS512"],
      issuer: sim.issuer,
      currentDate: new Date(sim.context.now() * 1000),
    });
    expect(payload.sub).toBeDefined();
    expect(decodeProtectedHeader(t.accessToken).alg).toBe("RS512");
    expect(decodeJwt(t.idToken).iss).not.toBe(sim.issuer);
  });
});
