import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwt, decodeProtectedHeader, jwtVerify, type JWTPayload } from "jose";
import { TOKEN_ERROR_CODES } from "../../../lib/simulator/faults.ts";
import { PERSONAS } from "../../../lib/simulator/personas.ts";
import { DEFAULT_VTR, votSatisfiesVtr } from "../../../lib/nhs/vot.ts";
import { isValidNhsNumber } from "../../../lib/nhs/nhs-number.ts";
import type { Simulator } from "../../../lib/simulator/start-simulator.ts";
import {
  CLIENT_ASSERTION_TYPE,
  clientAssertion,
  exchangeCode,
  expectTokenError,
  fetchJwks,
  jwksResolver,
  makeClient,
  signInAndExchange,
  signInAndGetCode,
  startTestSimulator,
  tokenRequest,
  userinfoRequest,
  type TestClient,
} from "../_helpers.ts";

let sim: Simulator;
let rp: TestClient;
let other: TestClient;
const OTHER_REDIRECT = "https://rp.example/other";
const p9 = PERSONAS.find((p) => p.id === "p9")!;

beforeAll(async () => {
  const a = makeClient("rp-token", { redirectUris: ["https://rp.example/callback", OTHER_REDIRECT] });
  const b = makeClient("rp-token-other");
  rp = a.client;
  other = b.client;
  sim = await startTestSimulator([a.registration, b.registration]);
});
afterAll(async () => {
  await sim?.stop();
});

async function assertionFor(client: TestClient = rp): Promise<string> {
  return clientAssertion(sim, client.clientId, client.key);
}

async function refresh(refreshToken: string, extra: Record<string, string> = {}, client: TestClient = rp) {
  return tokenRequest(sim, {
    grant_type: "refresh_token",
    refresh_token: refreshToken,
    client_assertion_type: CLIENT_ASSERTION_TYPE,
    client_assertion: await assertionFor(client),
    ...extra,
  });
}

describe("successful code exchange (FED-TRESP-01..08, FED-JWT-01/02)", () => {
  it("answers 200 JSON with no-store caching and the documented members", async () => {
    const auth = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri, scope: "openid profile" });
    const res = await exchangeCode(sim, rp, auth.code);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("pragma")).toBe("no-cache");
    const body = res.json!;
    expect(String(body.token_type).toLowerCase()).toBe("bearer");
    expect(body.expires_in).toBe(300);
    expect(String(body.scope).split(" ").sort()).toEqual(["openid", "profile"]);
    for (const k of ["access_token", "id_token", "refresh_token"]) expect(typeof body[k], k).toBe("string");
  });

  it("signs both tokens RS512 with typ JWT and a kid from the JWKS, and they verify with it", async () => {
    const t = await signInAndExchange(sim, rp);
    const jwks = await fetchJwks(sim);
    const kids = jwks.keys.map((k) => k.kid);
    const keys = await jwksResolver(sim);
    for (const token of [t.idToken, t.accessToken]) {
      const header = decodeProtectedHeader(token);
      expect(header.alg).toBe("RS512");
      expect(header.typ).toBe("JWT");
      expect(kids).toContain(header.kid);
      for (const forbidden of ["jku", "jwk", "x5u", "x5c"]) expect(header).not.toHaveProperty(forbidden);
      const { protectedHeader } = await jwtVerify(token, keys, { algorithms: ["RS512"], currentDate: new Date(sim.context.now() * 1000) });
      expect(protectedHeader.kid).toBe(header.kid);
    }
  });

  it("accepts a client_id parameter equal to the assertion iss (FED-TOKEN-05)", async () => {
    const auth = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    const res = await exchangeCode(sim, rp, auth.code, { extra: { client_id: rp.clientId } });
    expect(res.status).toBe(200);
  });

  it("refuses a client_id parameter that differs from the assertion iss", async () => {
    const auth = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    expectTokenError(await exchangeCode(sim, rp, auth.code, { extra: { client_id: other.clientId } }), "invalid_client");
  });
});

describe("ID token claims (FED-IDT, T16)", () => {
  it("carries iss, aud, sub, nonce, vot, vtm, iat, exp, jti, auth_time as the spec says", async () => {
    const t = await signInAndExchange(sim, rp, { nonce: "Mixed-Case_nonce.~+/=ü" });
    const c = t.idClaims;
    const now = sim.context.now();
    expect(c.iss).toBe(sim.issuer);
    expect(c.aud).toBe(rp.clientId);
    expect(c.sub).toBe(p9.sub);
    expect(c.nonce).toBe("Mixed-Case_nonce.~+/=ü");
    expect(Number.isInteger(c.iat)).toBe(true);
    expect(Math.abs(c.iat! - now)).toBeLessThanOrEqual(5);
    expect(c.exp! - c.iat!).toBe(3600);
    expect(typeof c.jti).toBe("string");
    expect(Number.isInteger(c.auth_time)).toBe(true);
    expect(c.auth_time as number).toBeLessThanOrEqual(c.iat!);
    for (const unsupported of ["acr", "amr", "azp", "nbf"]) expect(c).not.toHaveProperty(unsupported);
    // The discovery issuer is the one in the token.
    const disc = (await (await fetch(`${sim.url}/.well-known/openid-configuration`)).json()) as { issuer: string };
    expect(c.iss).toBe(disc.issuer);
  });

  it("has a vot that satisfies the default vtr and the vtr sent (VOT-05/06)", async () => {
    const def = await signInAndExchange(sim, rp);
    expect(typeof def.idClaims.vot).toBe("string");
    expect(def.idClaims.vot).toMatch(/^P(0|5|9)(\.C[pdkm])+$/);
    expect(votSatisfiesVtr(String(def.idClaims.vot), DEFAULT_VTR)).toBe(true);
    for (const vtr of [["P9.Cm"], ["P5.Cp.Cd"], ["P0.Cp", "P9.Cp.Cd"]]) {
      const t = await signInAndExchange(sim, rp, { vtr });
      expect(votSatisfiesVtr(String(t.idClaims.vot), vtr), `${t.idClaims.vot} for ${JSON.stringify(vtr)}`).toBe(true);
    }
  });

  it("has a vtm URL on the issuer host, https or loopback http (VOT-07, FED-IDT-11)", async () => {
    const t = await signInAndExchange(sim, rp);
    const vtm = new URL(String(t.idClaims.vtm));
    const issuer = new URL(sim.issuer);
    expect(vtm.host).toBe(issuer.host);
    expect(vtm.protocol === "https:" || (vtm.protocol === "http:" && vtm.hostname === "127.0.0.1")).toBe(true);
    const res = await fetch(vtm);
    expect(res.status).toBe(200);
  });

  it("gives each ID token its own jti (FED-IDT-06)", async () => {
    const jtis = new Set<string>();
    for (let i = 0; i < 8; i++) jtis.add(String((await signInAndExchange(sim, rp)).idClaims.jti));
    expect(jtis.size).toBe(8);
  });

  it("keeps the same sub for the same person across sign-ins (FED-IDT-02)", async () => {
    const a = await signInAndExchange(sim, rp);
    const b = await signInAndExchange(sim, rp);
    expect(a.idClaims.sub).toBe(b.idClaims.sub);
    expect(String(a.idClaims.sub).length).toBeLessThanOrEqual(255);
  });

  it("has no profile claims without the profile scope", async () => {
    const t = await signInAndExchange(sim, rp, { scope: "openid email phone profile_extended" });
    for (const k of ["nhs_number", "family_name", "birthdate", "identity_proofing_level", "email", "phone_number", "given_name"]) {
      expect(t.idClaims, k).not.toHaveProperty(k);
    }
  });

  it("has exactly the four T16 profile claims with profile, for P9 and P5, and never userinfo-only claims", async () => {
    for (const [persona, vtr] of [
      ["p9", DEFAULT_VTR],
      ["p5", ["P5.Cp.Cd"]],
    ] as const) {
      sim.arm({ persona, clientId: rp.clientId });
      const t = await signInAndExchange(sim, rp, { scope: "openid profile email phone profile_extended gp_registration_details", vtr });
      const p = PERSONAS.find((x) => x.id === persona)!;
      expect(t.idClaims.nhs_number).toBe(p.nhsNumber);
      expect(isValidNhsNumber(t.idClaims.nhs_number)).toBe(true);
      expect(t.idClaims.family_name).toBe(p.familyName);
      expect(t.idClaims.birthdate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(t.idClaims.identity_proofing_level).toBe(p.proofing);
      for (const k of ["email", "email_verified", "phone_number", "given_name", "gp_registration_details"])
        expect(t.idClaims, k).not.toHaveProperty(k);
    }
  });

  it("has no nhs_number with basic_demographics (SCOPE-03)", async () => {
    const t = await signInAndExchange(sim, rp, { scope: "openid basic_demographics" });
    expect(t.idClaims).not.toHaveProperty("nhs_number");
    expect(t.idClaims.family_name).toBe(p9.familyName);
    expect(t.idClaims.identity_proofing_level).toBe("P9");
  });

  it("has no profile claims for a P0 person, even with profile (SCOPE-02)", async () => {
    sim.arm({ persona: "p0", clientId: rp.clientId });
    const t = await signInAndExchange(sim, rp, { scope: "openid profile", vtr: ["P0.Cp.Cd"] });
    for (const k of ["nhs_number", "family_name", "birthdate"]) expect(t.idClaims, k).not.toHaveProperty(k);
    expect(t.idClaims.vot).toBe("P0.Cp.Cd");
    expect(t.accessClaims).not.toHaveProperty("nhs_number");
  });

  it("never puts a vot above the person's level (VOT-09)", async () => {
    const t = await signInAndExchange(sim, rp, { scope: "openid profile", vtr: ["P5.Cp.Cd"] });
    expect(String(t.idClaims.vot).startsWith("P5.")).toBe(true);
    expect(t.idClaims.identity_proofing_level).toBe("P9");
  });
});

describe("access token claims (FED-AT, T17)", () => {
  it("carries iss, sub, aud, iat, exp (300 s), jti, scope, vot and vtm equal to the ID token's", async () => {
    const t = await signInAndExchange(sim, rp, { scope: "openid email x_unknown" });
    const a = t.accessClaims;
    expect(a.iss).toBe(sim.issuer);
    expect(a.sub).toBe(t.idClaims.sub);
    const aud = Array.isArray(a.aud) ? a.aud : [a.aud];
    expect(aud).toContain(rp.clientId);
    expect(a.exp! - a.iat!).toBe(300);
    expect(typeof a.jti).toBe("string");
    expect(a.jti).not.toBe(t.idClaims.jti);
    const scopes = String(a.scope).split(" ");
    expect(scopes).toContain("openid");
    for (const s of scopes) expect(["openid", "email", "x_unknown"]).toContain(s);
    expect(scopes).not.toContain("x_unknown");
    expect(a.vot).toBe(t.idClaims.vot);
    expect(a.vtm).toBe(t.idClaims.vtm);
    expect(a).not.toHaveProperty("nhs_number");
  });

  it("carries nhs_number only with profile", async () => {
    const withProfile = await signInAndExchange(sim, rp, { scope: "openid profile" });
    expect(withProfile.accessClaims.nhs_number).toBe(p9.nhsNumber);
    const demographics = await signInAndExchange(sim, rp, { scope: "openid basic_demographics" });
    expect(demographics.accessClaims).not.toHaveProperty("nhs_number");
  });
});

describe("authorization code rules (FED-ARESP-04..06, TTL-01)", () => {
  it("refuses a reused code with invalid_grant and revokes what the first redemption issued", async () => {
    const auth = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    const first = await exchangeCode(sim, rp, auth.code);
    expect(first.status).toBe(200);
    const access = String(first.json!.access_token);
    expect((await userinfoRequest(sim, { accessToken: access })).status).toBe(200);

    expectTokenError(await exchangeCode(sim, rp, auth.code), "invalid_grant");

    const after = await userinfoRequest(sim, { accessToken: access });
    expect(after.status).toBe(401);
    expect(after.headers.get("www-authenticate")).toMatch(/error="invalid_token"/);
    expectTokenError(await refresh(String(first.json!.refresh_token)), "invalid_grant");
  });

  it("a reused code also revokes the tokens obtained since by refreshing", async () => {
    const auth = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    const first = await exchangeCode(sim, rp, auth.code);
    const refreshed = await refresh(String(first.json!.refresh_token));
    expect(refreshed.status).toBe(200);
    const access = String(refreshed.json!.access_token);
    expect((await userinfoRequest(sim, { accessToken: access })).status).toBe(200);

    expectTokenError(await exchangeCode(sim, rp, auth.code), "invalid_grant");

    expect((await userinfoRequest(sim, { accessToken: access })).status).toBe(401);
    expectTokenError(await refresh(String(refreshed.json!.refresh_token)), "invalid_grant");
  });

  it("a code presented twice at once: one exchange wins, and its tokens are revoked though they were issued after the replay", async () => {
    for (let i = 0; i < 5; i++) {
      const auth = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
      const answers = await Promise.all([exchangeCode(sim, rp, auth.code), exchangeCode(sim, rp, auth.code)]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
      const won = answers.find((a) => a.status === 200)!;
      const after = await userinfoRequest(sim, { accessToken: String(won.json!.access_token) });
      expect(after.status).toBe(401);
      expect(after.headers.get("www-authenticate")).toMatch(/revoked/);
      expectTokenError(await refresh(String(won.json!.refresh_token)), "invalid_grant");
    }
  });

  it("a refresh token presented twice at once rotates once: one 200, one invalid_grant", async () => {
    const first = await signInAndExchange(sim, rp);
    const answers = await Promise.all([refresh(first.refreshToken), refresh(first.refreshToken)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
  });

  it("accepts a code 30 s after issue", async () => {
    const auth = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    sim.advanceClock(30);
    try {
      expect((await exchangeCode(sim, rp, auth.code)).status).toBe(200);
    } finally {
      sim.advanceClock(-30);
    }
  });

  it("refuses a code 601 s after issue with invalid_grant", async () => {
    const auth = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    sim.advanceClock(601);
    try {
      // The assertion is built on the shifted clock, so only the code is stale.
      expectTokenError(await exchangeCode(sim, rp, auth.code), "invalid_grant");
    } finally {
      sim.advanceClock(-601);
    }
  });

  it("refuses a code redeemed by another client (bound to the client)", async () => {
    const auth = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    const res = await exchangeCode(sim, other, auth.code, { redirectUri: rp.redirectUri });
    expectTokenError(res, "invalid_grant");
  });

  it("refuses a code redeemed with another registered redirect_uri (bound to the redirect URI)", async () => {
    const auth = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    expectTokenError(await exchangeCode(sim, rp, auth.code, { redirectUri: OTHER_REDIRECT }), "invalid_grant");
  });

  it("refuses an unknown code", async () => {
    expectTokenError(await exchangeCode(sim, rp, "made-up-code"), "invalid_grant");
  });
});

describe("malformed token requests (FED-TOKEN-01..06, FED-TOKEN-14)", () => {
  it("a missing code gives invalid_request", async () => {
    const res = await tokenRequest(sim, {
      grant_type: "authorization_code",
      redirect_uri: rp.redirectUri,
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: await assertionFor(),
    });
    expectTokenError(res, "invalid_request");
  });

  it("a missing redirect_uri gives invalid_request", async () => {
    const auth = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    const res = await tokenRequest(sim, {
      grant_type: "authorization_code",
      code: auth.code,
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: await assertionFor(),
    });
    expectTokenError(res, "invalid_request");
  });

  it("a missing grant_type gives invalid_request", async () => {
    expectTokenError(
      await tokenRequest(sim, { code: "x", client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: await assertionFor() }),
      "invalid_request",
    );
  });

  it("a JSON body gives invalid_request, valid JSON or not", async () => {
    const auth = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    const json = JSON.stringify({
      grant_type: "authorization_code",
      code: auth.code,
      redirect_uri: rp.redirectUri,
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: await assertionFor(),
    });
    for (const body of [json, "{not json"]) {
      const res = await fetch(`${sim.url}/token`, { method: "POST", headers: { "content-type": "application/json" }, body });
      const text = await res.text();
      expectTokenError({ status: res.status, headers: res.headers, text, json: JSON.parse(text) }, "invalid_request");
    }
  });

  it("a text/plain body gives invalid_request", async () => {
    const res = await fetch(`${sim.url}/token`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "grant_type=authorization_code",
    });
    const text = await res.text();
    expectTokenError({ status: res.status, headers: res.headers, text, json: JSON.parse(text) }, "invalid_request");
  });

  it("a repeated parameter gives invalid_request", async () => {
    const auth = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    const body = new URLSearchParams({
      grant_type: "authorization_code",
      code: auth.code,
      redirect_uri: rp.redirectUri,
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: await assertionFor(),
    });
    body.append("code", auth.code);
    const res = await fetch(`${sim.url}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
    });
    const text = await res.text();
    expectTokenError({ status: res.status, headers: res.headers, text, json: JSON.parse(text) }, "invalid_request");
  });

  it("grant_type=client_credentials from a client without Provision Account access: unauthorized_client (RFC 6749 §5.2)", async () => {
    const res = await tokenRequest(sim, {
      grant_type: "client_credentials",
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: await assertionFor(),
    });
    expectTokenError(res, "unauthorized_client");
  });

  for (const grant of ["password", "implicit", "AUTHORIZATION_CODE"]) {
    it(`grant_type=${grant} gives unsupported_grant_type (FED-TOKEN-02)`, async () => {
      const res = await tokenRequest(sim, {
        grant_type: grant,
        client_assertion_type: CLIENT_ASSERTION_TYPE,
        client_assertion: await assertionFor(),
      });
      expectTokenError(res, "unsupported_grant_type");
    });
  }

  it("a client_assertion without client_assertion_type gives invalid_request", async () => {
    const auth = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    const res = await tokenRequest(sim, {
      grant_type: "authorization_code",
      code: auth.code,
      redirect_uri: rp.redirectUri,
      client_assertion: await assertionFor(),
    });
    expectTokenError(res, "invalid_request");
  });

  it("a wrong client_assertion_type gives invalid_client (FED-TOKEN-06)", async () => {
    const auth = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    const res = await tokenRequest(sim, {
      grant_type: "authorization_code",
      code: auth.code,
      redirect_uri: rp.redirectUri,
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:saml2-bearer",
      client_assertion: await assertionFor(),
    });
    expectTokenError(res, "invalid_client");
  });

  it("no client authentication at all gives invalid_client (FED-REG-07)", async () => {
    const auth = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    expectTokenError(
      await tokenRequest(sim, { grant_type: "authorization_code", code: auth.code, redirect_uri: rp.redirectUri, client_id: rp.clientId }),
      "invalid_client",
    );
  });

  it("a client_secret instead of an assertion gives invalid_client", async () => {
    const auth = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    const res = await tokenRequest(sim, {
      grant_type: "authorization_code",
      code: auth.code,
      redirect_uri: rp.redirectUri,
      client_id: rp.clientId,
      client_secret: "secret",
      client_assertion_type: CLIENT_ASSERTION_TYPE,
    });
    expectTokenError(res, "invalid_client");
  });

  it("a Basic Authorization header alone gives 401 invalid_client with WWW-Authenticate (A41)", async () => {
    const auth = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    const basic = `Basic ${Buffer.from(`${rp.clientId}:secret`).toString("base64")}`;
    const res = await tokenRequest(
      sim,
      { grant_type: "authorization_code", code: auth.code, redirect_uri: rp.redirectUri },
      { authorization: basic },
    );
    expectTokenError(res, "invalid_client", 401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Basic /);
  });

  it("a Basic header plus a client assertion gives invalid_request (FED-TOKEN-14)", async () => {
    const auth = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    const basic = `Basic ${Buffer.from(`${rp.clientId}:secret`).toString("base64")}`;
    const res = await tokenRequest(
      sim,
      {
        grant_type: "authorization_code",
        code: auth.code,
        redirect_uri: rp.redirectUri,
        client_assertion_type: CLIENT_ASSERTION_TYPE,
        client_assertion: await assertionFor(),
      },
      { authorization: basic },
    );
    expectTokenError(res, "invalid_request");
  });

  it("a replayed client assertion gives invalid_client even with a fresh code (FED-TOKEN-10)", async () => {
    const assertion = await assertionFor();
    const a = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    expect((await exchangeCode(sim, rp, a.code, { assertion })).status).toBe(200);
    const b = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    expectTokenError(await exchangeCode(sim, rp, b.code, { assertion }), "invalid_client");
  });

  it("GET /token is not a token request", async () => {
    const res = await fetch(`${sim.url}/token?grant_type=authorization_code`);
    expect(res.status).toBe(405);
  });

  it("records token requests without raw codes or assertions", async () => {
    const before = sim.events.length;
    const auth = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    await exchangeCode(sim, rp, auth.code);
    const ev = sim.events.slice(before).find((e) => e.type === "token");
    expect(ev).toBeDefined();
    const params = ev!.detail.params as Record<string, string>;
    expect(params.code).toMatch(/^sha256:/);
    expect(params.code).not.toContain(auth.code);
    expect(params.client_assertion).toMatch(/^<\d+ chars>$/);
    expect(ev!.detail.outcome).toBe("issued");
    expect(ev!.clientId).toBe(rp.clientId);
  });
});

describe("refresh grant (FED-REFRESH-01..05, FED-TRESP-08)", () => {
  it("issues a new access token, no id_token, and rotates the refresh token", async () => {
    const t = await signInAndExchange(sim, rp, { scope: "openid profile email" });
    const res = await refresh(t.refreshToken);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("pragma")).toBe("no-cache");
    const body = res.json!;
    expect(body).not.toHaveProperty("id_token");
    expect(String(body.token_type).toLowerCase()).toBe("bearer");
    expect(body.expires_in).toBe(300);
    expect(String(body.scope).split(" ").sort()).toEqual(["email", "openid", "profile"]);
    expect(body.access_token).not.toBe(t.accessToken);
    expect(typeof body.refresh_token).toBe("string");
    expect(body.refresh_token).not.toBe(t.refreshToken);

    const access = decodeJwt(String(body.access_token)) as JWTPayload & Record<string, unknown>;
    expect(access.sub).toBe(t.idClaims.sub);
    expect(access.vot).toBe(t.idClaims.vot);
    expect(access.exp! - access.iat!).toBe(300);
    expect((await userinfoRequest(sim, { accessToken: String(body.access_token) })).status).toBe(200);

    // Rotation: the superseded token is refused, the new one works.
    expectTokenError(await refresh(t.refreshToken), "invalid_grant");
    expect((await refresh(String(body.refresh_token))).status).toBe(200);
  });

  it("narrows the scope on request", async () => {
    const t = await signInAndExchange(sim, rp, { scope: "openid profile email" });
    const res = await refresh(t.refreshToken, { scope: "openid" });
    expect(res.status).toBe(200);
    expect(res.json!.scope).toBe("openid");
    const access = decodeJwt(String(res.json!.access_token)) as Record<string, unknown>;
    expect(access.scope).toBe("openid");
    expect(access).not.toHaveProperty("nhs_number");
    const info = await userinfoRequest(sim, { accessToken: String(res.json!.access_token) });
    expect(info.json).not.toHaveProperty("email");
    expect(info.json).not.toHaveProperty("family_name");
  });

  it("refuses a wider scope with invalid_scope", async () => {
    const t = await signInAndExchange(sim, rp, { scope: "openid email" });
    expectTokenError(await refresh(t.refreshToken, { scope: "openid email profile" }), "invalid_scope");
  });

  it("refuses a refresh without a client assertion with invalid_client (FED-REFRESH-02)", async () => {
    const t = await signInAndExchange(sim, rp);
    const res = await tokenRequest(sim, { grant_type: "refresh_token", refresh_token: t.refreshToken });
    expectTokenError(res, "invalid_client");
    // The refused attempt did not use the token up.
    expect((await refresh(t.refreshToken)).status).toBe(200);
  });

  it("refuses another client's refresh token with invalid_grant", async () => {
    const t = await signInAndExchange(sim, rp);
    expectTokenError(await refresh(t.refreshToken, {}, other), "invalid_grant");
  });

  it("refuses a missing or unknown refresh token", async () => {
    const res = await tokenRequest(sim, {
      grant_type: "refresh_token",
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: await assertionFor(),
    });
    expectTokenError(res, "invalid_request");
    expectTokenError(await refresh("not-a-refresh-token"), "invalid_grant");
  });
});

describe("token faults (FED-TRESP-10)", () => {
  for (const code of TOKEN_ERROR_CODES) {
    it(`token-error:${code} answers the code exchange with error=${code}`, async () => {
      sim.arm({ faults: [`token-error:${code}`], clientId: rp.clientId });
      const auth = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
      expectTokenError(await exchangeCode(sim, rp, auth.code), code);
      // Per sign-in: the next one exchanges normally.
      const next = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
      expect((await exchangeCode(sim, rp, next.code)).status).toBe(200);
    });
  }
});
