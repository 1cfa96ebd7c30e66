import { constants, privateDecrypt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCOPE_RULES } from "../../../lib/nhs/scopes.ts";
import { isValidNhsNumber } from "../../../lib/nhs/nhs-number.ts";
import { DEFAULT_VTR, type ProofingLevel } from "../../../lib/nhs/vot.ts";
import { PERSONAS, type Persona } from "../../../lib/simulator/personas.ts";
import type { Simulator } from "../../../lib/simulator/start-simulator.ts";
import { makeClient, signInAndExchange, startTestSimulator, userinfoRequest, type HttpResult, type TestClient } from "../_helpers.ts";

let sim: Simulator;
let rp: TestClient;
/** A second client for client_user_metadata (kept apart from the claims tests). */
let meta: TestClient;

beforeAll(async () => {
  const a = makeClient("rp-userinfo");
  const b = makeClient("rp-metadata");
  rp = a.client;
  meta = b.client;
  sim = await startTestSimulator([a.registration, b.registration]);
});
afterAll(async () => {
  await sim?.stop();
});

/**
 * The scopes-and-claims matrix, copied by hand from the requirements catalogue (section 2.15,
 * docs:scopes-and-claims), so the simulator is checked against the documentation rather than
 * against its own table.
 */
const MATRIX: Record<string, { claims: string[]; levels: ProofingLevel[] }> = {
  openid: { claims: ["iss", "aud", "sub"], levels: ["P0", "P5", "P9"] },
  profile: { claims: ["nhs_number", "family_name", "birthdate", "identity_proofing_level"], levels: ["P5", "P9"] },
  basic_demographics: { claims: ["family_name", "birthdate", "identity_proofing_level"], levels: ["P5", "P9"] },
  profile_extended: { claims: ["given_name"], levels: ["P5", "P9"] },
  email: { claims: ["email", "email_verified"], levels: ["P0", "P5", "P9"] },
  phone: { claims: ["phone_number", "phone_number_verified", "phone_number_pds_matched"], levels: ["P0", "P5", "P9"] },
  landline: { claims: ["landline_number", "landline_number_verified"], levels: ["P0", "P5", "P9"] },
  gp_registration_details: { claims: ["gp_registration_details"], levels: ["P5", "P9"] },
  gp_integration_credentials: { claims: ["gp_integration_credentials"], levels: ["P9"] },
  client_metadata: { claims: ["client_user_metadata"], levels: ["P0", "P5", "P9"] },
};

const VTR_FOR: Record<string, readonly string[]> = { p9: DEFAULT_VTR, p5: ["P5.Cp.Cd"], p0: ["P0.Cp.Cd"] };

function persona(id: string): Persona {
  return PERSONAS.find((p) => p.id === id)!;
}

/** Every path in `value` whose value is null or the empty string (FED-UI-03). */
function emptyValues(value: unknown, path = "$"): string[] {
  if (value === null || value === "") return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => emptyValues(v, `${path}[${i}]`));
  if (typeof value === "object")
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => emptyValues(v, `${path}.${k}`));
  return [];
}

/** Check each claim's JSON type (FED-UI-07). */
function expectClaimTypes(body: Record<string, unknown>): void {
  const bools = ["email_verified", "phone_number_verified", "phone_number_pds_matched", "landline_number_verified"];
  const strings = ["iss", "aud", "sub", "email", "phone_number", "family_name", "given_name", "landline_number", "client_user_metadata"];
  for (const k of bools) if (k in body) expect(typeof body[k], k).toBe("boolean");
  for (const k of strings) if (k in body) expect(typeof body[k], k).toBe("string");
  if ("nhs_number" in body) expect(isValidNhsNumber(body.nhs_number)).toBe(true);
  if ("birthdate" in body) {
    expect(body.birthdate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const d = new Date(`${body.birthdate as string}T00:00:00Z`);
    expect(d.toISOString().slice(0, 10)).toBe(body.birthdate);
  }
  if ("identity_proofing_level" in body) expect(["P0", "P5", "P9"]).toContain(body.identity_proofing_level);
  if ("gp_registration_details" in body) {
    const g = body.gp_registration_details as Record<string, unknown>;
    expect(Object.keys(g)).toEqual(["gp_ods_code"]);
    expect(g.gp_ods_code).toMatch(/^[A-Z]\d{5,6}$|^[A-Z]\d{2}[A-Z0-9]\d{2}$/);
  }
  if ("gp_integration_credentials" in body) {
    const g = body.gp_integration_credentials as Record<string, unknown>;
    expect(Object.keys(g).sort()).toEqual(["gp_linkage_key", "gp_ods_code", "gp_user_id"]);
    for (const v of Object.values(g)) expect(typeof v).toBe("string");
  }
}

function bearerChallenge(res: HttpResult): string {
  const header = res.headers.get("www-authenticate");
  expect(header, `status ${res.status}`).not.toBeNull();
  expect(header!).toMatch(/^Bearer\b/);
  return header!;
}

describe("the documented matrix", () => {
  it("lib/nhs/scopes.ts holds exactly the catalogue's scopes-and-claims matrix", () => {
    const table = Object.fromEntries(Object.entries(SCOPE_RULES).map(([k, v]) => [k, { claims: [...v.claims], levels: [...v.levels] }]));
    expect(table).toEqual(MATRIX);
  });
});

describe("claims per scope and proofing level (SCOPE-01..11, FED-UI-03/07..16)", () => {
  const scopes = [
    "profile",
    "basic_demographics",
    "profile_extended",
    "email",
    "phone",
    "landline",
    "gp_registration_details",
    "gp_integration_credentials",
  ];
  for (const id of ["p9", "p5", "p0"]) {
    for (const scope of scopes) {
      it(`${id.toUpperCase()} with openid ${scope}`, async () => {
        const p = persona(id);
        sim.arm({ persona: id, clientId: rp.clientId });
        const t = await signInAndExchange(sim, rp, { scope: `openid ${scope}`, vtr: VTR_FOR[id]! });
        const res = await userinfoRequest(sim, { accessToken: t.accessToken });
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toMatch(/^application\/json/);
        const body = res.json!;
        const released = MATRIX[scope]!.levels.includes(p.proofing) ? MATRIX[scope]!.claims : [];
        // Landline: only people who have one get the claims (the matrix allows it at every level).
        const held = scope === "landline" && !p.landlineNumber ? [] : released;
        expect(Object.keys(body).sort()).toEqual(["iss", "aud", "sub", ...held].sort());
        expect(body.sub).toBe(t.idClaims.sub);
        expect(body.aud).toBe(rp.clientId);
        expect(body.iss).toBe(sim.issuer);
        expect(emptyValues(body)).toEqual([]);
        expectClaimTypes(body);
      });
    }
  }

  it("gives the persona's own values to a P9 person asking for everything", async () => {
    const p = persona("p9");
    const t = await signInAndExchange(sim, rp, {
      scope: "openid profile profile_extended email phone landline gp_integration_credentials gp_registration_details",
    });
    const res = await userinfoRequest(sim, { accessToken: t.accessToken });
    const b = res.json!;
    expect(b).toMatchObject({
      nhs_number: p.nhsNumber,
      family_name: p.familyName,
      given_name: p.givenName,
      birthdate: p.birthdate,
      identity_proofing_level: "P9",
      email: p.email,
      email_verified: p.emailVerified,
      phone_number: p.phoneNumber,
      phone_number_verified: p.phoneNumberVerified,
      phone_number_pds_matched: p.phoneNumberPdsMatched,
      landline_number: p.landlineNumber,
      gp_registration_details: { gp_ods_code: p.gpOdsCode },
      gp_integration_credentials: { gp_user_id: p.gpUserId, gp_linkage_key: p.gpLinkageKey, gp_ods_code: p.gpOdsCode },
    });
    expect(emptyValues(b)).toEqual([]);
    // SCOPE-12: never address or sex.
    for (const k of ["gender", "sex", "address", "postcode", "postal_code"]) expect(b).not.toHaveProperty(k);
    // FED-UI-02: plain JSON, not a JWT.
    expect(res.text.trim().startsWith("{")).toBe(true);
  });

  it("gives only iss, aud and sub for openid alone", async () => {
    const t = await signInAndExchange(sim, rp, { scope: "openid" });
    const res = await userinfoRequest(sim, { accessToken: t.accessToken });
    expect(Object.keys(res.json!).sort()).toEqual(["aud", "iss", "sub"]);
  });
});

describe("how the token is presented (FED-UI-01, FED-UI-17/18)", () => {
  it("GET and POST with a Bearer header give the same claims", async () => {
    const t = await signInAndExchange(sim, rp, { scope: "openid email" });
    const get = await userinfoRequest(sim, { accessToken: t.accessToken });
    const post = await userinfoRequest(sim, { method: "POST", accessToken: t.accessToken });
    expect(get.status).toBe(200);
    expect(post.status).toBe(200);
    expect(post.json).toEqual(get.json);
    expect(get.json!.email).toBe(persona("p9").email);
  });

  it("no token: 401 with a Bearer challenge and no error code", async () => {
    const res = await userinfoRequest(sim);
    expect(res.status).toBe(401);
    const h = bearerChallenge(res);
    expect(h).not.toMatch(/error=/);
  });

  it("a token that is not a JWT: 401 invalid_token", async () => {
    const res = await userinfoRequest(sim, { accessToken: "not-a-token" });
    expect(res.status).toBe(401);
    expect(bearerChallenge(res)).toMatch(/error="invalid_token"/);
  });

  it("a header that is not Bearer <token>: 401 invalid_token", async () => {
    for (const authorization of ["Basic abc", "Bearer", "Bearer a b", "Token abc"]) {
      const res = await userinfoRequest(sim, { headers: { authorization } });
      expect(res.status, authorization).toBe(401);
      expect(bearerChallenge(res)).toMatch(/error="invalid_token"/);
    }
  });

  it("a tampered token: 401 invalid_token", async () => {
    const t = await signInAndExchange(sim, rp, { scope: "openid email" });
    const [h, p, s] = t.accessToken.split(".");
    const claims = JSON.parse(Buffer.from(p!, "base64url").toString());
    claims.scope = "openid email profile";
    const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${s}`;
    const res = await userinfoRequest(sim, { accessToken: forged });
    expect(res.status).toBe(401);
    expect(bearerChallenge(res)).toMatch(/error="invalid_token"/);
    expect(res.json).toBeUndefined();
  });

  it("an ID token is not an access token", async () => {
    const t = await signInAndExchange(sim, rp);
    const res = await userinfoRequest(sim, { accessToken: t.idToken });
    expect(res.status).toBe(401);
    expect(bearerChallenge(res)).toMatch(/error="invalid_token"/);
  });

  it("an expired token (301 s later): 401 invalid_token (TTL-03)", async () => {
    const t = await signInAndExchange(sim, rp);
    expect((await userinfoRequest(sim, { accessToken: t.accessToken })).status).toBe(200);
    sim.advanceClock(301);
    try {
      const res = await userinfoRequest(sim, { accessToken: t.accessToken });
      expect(res.status).toBe(401);
      expect(bearerChallenge(res)).toMatch(/error="invalid_token"/);
    } finally {
      sim.advanceClock(-301);
    }
  });

  it("the token in the query string only is refused (400 invalid_request)", async () => {
    const t = await signInAndExchange(sim, rp);
    const res = await userinfoRequest(sim, { query: { access_token: t.accessToken } });
    expect(res.status).toBe(400);
    expect(bearerChallenge(res)).toMatch(/error="invalid_request"/);
    expect(res.text).not.toContain(t.idClaims.sub!);
  });

  it("the token in a form body only is refused", async () => {
    const t = await signInAndExchange(sim, rp);
    const res = await userinfoRequest(sim, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ access_token: t.accessToken }).toString(),
    });
    expect(res.status).toBe(400);
    expect(res.text).not.toContain(t.idClaims.sub!);
  });

  it("the token in the header and the query: 400 invalid_request as JSON, no challenge", async () => {
    const t = await signInAndExchange(sim, rp);
    const res = await userinfoRequest(sim, { accessToken: t.accessToken, query: { access_token: t.accessToken } });
    expect(res.status).toBe(400);
    expect(res.headers.get("www-authenticate")).toBeNull();
    expect(res.json!.error).toBe("invalid_request");
    expect(Object.keys(res.json!).every((k) => ["error", "error_description"].includes(k))).toBe(true);
  });

  it("the token in the header and a form body: 400 invalid_request", async () => {
    const t = await signInAndExchange(sim, rp);
    const res = await userinfoRequest(sim, {
      method: "POST",
      accessToken: t.accessToken,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ access_token: t.accessToken }).toString(),
    });
    expect(res.status).toBe(400);
    expect(res.json!.error).toBe("invalid_request");
  });
});

describe("userinfo-other-sub fault (FED-UI-05)", () => {
  it("answers with another sub for the faulted sign-in only", async () => {
    sim.arm({ faults: ["userinfo-other-sub"], clientId: rp.clientId });
    const t = await signInAndExchange(sim, rp, { scope: "openid email" });
    const res = await userinfoRequest(sim, { accessToken: t.accessToken });
    expect(res.status).toBe(200);
    expect(typeof res.json!.sub).toBe("string");
    expect(res.json!.sub).not.toBe(t.idClaims.sub);
    expect(res.json!.email).toBe(persona("p9").email);
    const clean = await signInAndExchange(sim, rp, { scope: "openid email" });
    expect((await userinfoRequest(sim, { accessToken: clean.accessToken })).json!.sub).toBe(clean.idClaims.sub);
  });
});

describe("PATCH client_user_metadata (FED-UIP-01..08, FED-UI-15)", () => {
  async function patch(accessToken: string, body: string, contentType = "application/json"): Promise<HttpResult> {
    return userinfoRequest(sim, { method: "PATCH", accessToken, headers: { "content-type": contentType }, body });
  }
  async function metadata(accessToken: string): Promise<Record<string, unknown>> {
    const res = await userinfoRequest(sim, { accessToken });
    expect(res.status).toBe(200);
    return res.json!;
  }
  let token: string;
  beforeAll(async () => {
    token = (await signInAndExchange(sim, meta, { scope: "openid client_metadata" })).accessToken;
  });

  it("needs the client_metadata scope: 403 insufficient_scope (FED-UIP-07)", async () => {
    const t = await signInAndExchange(sim, meta, { scope: "openid email" });
    const res = await patch(t.accessToken, JSON.stringify({ client_user_metadata: "x" }));
    expect(res.status).toBe(403);
    const h = bearerChallenge(res);
    expect(h).toMatch(/error="insufficient_scope"/);
    expect(h).toMatch(/scope="client_metadata"/);
  });

  it("needs a token: 401", async () => {
    const res = await userinfoRequest(sim, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client_user_metadata: "x" }),
    });
    expect(res.status).toBe(401);
  });

  it("has no client_user_metadata before anything is stored (FED-UI-15)", async () => {
    expect(await metadata(token)).not.toHaveProperty("client_user_metadata");
  });

  it("stores 1024 characters with 204 and an empty body", async () => {
    const value = "m".repeat(1024);
    const res = await patch(token, JSON.stringify({ client_user_metadata: value }));
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expect((await metadata(token)).client_user_metadata).toBe(value);
  });

  it("refuses 1025 characters with 400 invalid_request and keeps the old value", async () => {
    const before = (await metadata(token)).client_user_metadata;
    const res = await patch(token, JSON.stringify({ client_user_metadata: "m".repeat(1025) }));
    expect(res.status).toBe(400);
    expect(res.json!.error).toBe("invalid_request");
    expect((await metadata(token)).client_user_metadata).toBe(before);
  });

  it("clears the value with an empty string: the claim is then absent (FED-UIP-03)", async () => {
    expect((await patch(token, JSON.stringify({ client_user_metadata: "something" }))).status).toBe(204);
    expect((await metadata(token)).client_user_metadata).toBe("something");
    const res = await patch(token, JSON.stringify({ client_user_metadata: "" }));
    expect(res.status).toBe(204);
    const after = await metadata(token);
    expect(after).not.toHaveProperty("client_user_metadata");
    expect(emptyValues(after)).toEqual([]);
  });

  it("regenerates with auto: base64url of 256 bytes that decrypts with the client key (RSA-OAEP, SHA-1)", async () => {
    expect((await patch(token, JSON.stringify({ client_user_metadata: "auto" }))).status).toBe(204);
    const first = (await metadata(token)).client_user_metadata as string;
    expect(first).not.toBe("auto");
    expect(first).toMatch(/^[A-Za-z0-9_-]+$/);
    const bytes = Buffer.from(first, "base64url");
    expect(bytes.length).toBe(256);
    const plain = privateDecrypt(
      { key: meta.key.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" },
      bytes,
    ).toString();
    expect(plain).toMatch(/^\d+$/);

    expect((await patch(token, JSON.stringify({ client_user_metadata: "auto" }))).status).toBe(204);
    const second = (await metadata(token)).client_user_metadata as string;
    expect(second).not.toBe(first);
    // Only the owner's key opens it.
    expect(() =>
      privateDecrypt(
        { key: rp.key.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" },
        Buffer.from(second, "base64url"),
      ),
    ).toThrow();
  });

  it("returns an opaque value exactly as stored (FED-UIP-05)", async () => {
    expect((await patch(token, JSON.stringify({ client_user_metadata: "abc-123_ü" }))).status).toBe(204);
    expect((await metadata(token)).client_user_metadata).toBe("abc-123_ü");
  });

  it("keeps the value per client: another client does not see it", async () => {
    const t = await signInAndExchange(sim, rp, { scope: "openid client_metadata" });
    expect(await metadata(t.accessToken)).not.toHaveProperty("client_user_metadata");
  });

  it("a body without client_user_metadata changes nothing", async () => {
    const before = (await metadata(token)).client_user_metadata;
    expect((await patch(token, "{}")).status).toBe(204);
    expect((await metadata(token)).client_user_metadata).toBe(before);
  });

  it("refuses a form body, text/plain, or no content type with 400", async () => {
    for (const [body, type] of [
      ["client_user_metadata=x", "application/x-www-form-urlencoded"],
      ['{"client_user_metadata":"x"}', "text/plain"],
    ] as const) {
      const res = await patch(token, body, type);
      expect(res.status, type).toBe(400);
    }
    const res = await userinfoRequest(sim, { method: "PATCH", accessToken: token, body: '{"client_user_metadata":"x"}' });
    expect(res.status).toBe(400);
    expect((await metadata(token)).client_user_metadata).not.toBe("x");
  });

  it("refuses invalid JSON (the EIS example's single quotes) with 400, not 500 (FED-UIP-08)", async () => {
    for (const body of ["{'client_user_metadata': 'x'}", "{", '{"client_user_metadata": "x"']) {
      const res = await patch(token, body);
      expect(res.status, body).toBe(400);
      expect(res.json!.error).toBe("invalid_request");
    }
  });

  it("refuses a JSON value that is not an object, or a non-string metadata, with 400", async () => {
    for (const body of ['["x"]', '"x"', "42", '{"client_user_metadata": 42}', '{"client_user_metadata": null}']) {
      const res = await patch(token, body);
      expect(res.status, body).toBe(400);
    }
  });
});
