/**
 * The Users V2 consumer faults over HTTP: armed per search or token request, for one client,
 * `times` requests each; what each one answers, and what the simulator records.
 */
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SignJWT } from "jose";
import { startSimulator, type Simulator } from "../../../lib/simulator/start-simulator.ts";
import { USERS_V2_CONSUMER_FAULTS } from "../../../lib/simulator/users-v2/consumer-faults.ts";
import { USERS_V2_ERRORS } from "../../../lib/nhs/scim-filter/index.ts";
import { JWT_BEARER_GRANT_TYPE } from "../../../lib/nhs/constants.ts";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const CLIENT = "consumer";
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  sim.addClient({ clientId: CLIENT, redirectUris: ["https://consumer.example/cb"], publicKey: privateKey, usersV2Scopes: "all" });
  sim.addClient({ clientId: "other", redirectUris: ["https://other.example/cb"], publicKey: privateKey, usersV2Scopes: "all" });
});
afterAll(async () => sim?.stop());
beforeEach(() => sim.reset());

async function token(clientId = CLIENT): Promise<{ status: number; body: Record<string, unknown> }> {
  const assertion = await new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: "RS512", typ: "JWT" })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(`${sim.issuer}/token`)
    .setIssuedAt()
    .setExpirationTime("60s")
    .sign(privateKey);
  const res = await fetch(`${sim.url}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT_TYPE, assertion, scope: `${sim.usersScope} profile email` }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function searchWith(accessToken: string, filter = 'nhsnumber eq "9990010005"') {
  const res = await fetch(`${sim.url}/v2/Users?${new URLSearchParams({ filter })}`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const tokenOf = async (clientId = CLIENT) => String((await token(clientId)).body.access_token);

describe("search faults", () => {
  it("every Table 10 row answers its status and text, for the armed client only, as many times as armed", async () => {
    for (const name of Object.keys(USERS_V2_ERRORS) as (keyof typeof USERS_V2_ERRORS)[]) {
      sim.reset();
      const at = await tokenOf();
      sim.arm({ faults: [`uev2-answer:${name}`], clientId: CLIENT, times: 2 });
      const row = USERS_V2_ERRORS[name];
      for (let i = 0; i < 2; i++) {
        const res = await searchWith(at);
        expect(res.status, name).toBe(row.status);
        const body = JSON.parse(res.text);
        if (name === "internal") expect(body).toEqual({ error: "Internal server error" });
        else expect(body.Errors[0].description, name).toMatch(row.pattern);
      }
      expect((await searchWith(at)).status, `${name} after two`).toBe(200);
    }
  });

  it("another client's searches do not take a fault armed for this one", async () => {
    sim.arm({ faults: ["uev2-answer:internal"], clientId: CLIENT, times: Number.POSITIVE_INFINITY });
    expect((await searchWith(await tokenOf("other"))).status).toBe(200);
    expect((await searchWith(await tokenOf())).status).toBe(500);
  });

  it("401 with a Bearer challenge, and the token is then revoked", async () => {
    const at = await tokenOf();
    sim.arm({ faults: ["uev2-answer-401"], clientId: CLIENT });
    const res = await searchWith(at);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer .*error="invalid_token"/);
    const again = await searchWith(at);
    expect(again.status).toBe(401);
    expect(JSON.parse(again.text).Errors[0].description).toBe("the access token has been revoked");
  });

  it("several users, unknown attributes, a minimal resource, a body that is not JSON, a slow answer", async () => {
    const at = await tokenOf();
    sim.arm({ faults: ["uev2-answer-several-users"], clientId: CLIENT });
    const several = JSON.parse((await searchWith(at)).text);
    expect(several.totalResults).toBe(2);
    expect(several.Resources).toHaveLength(2);
    sim.arm({ faults: ["uev2-answer-unknown-attributes"], clientId: CLIENT });
    const unknown = JSON.parse((await searchWith(at)).text).Resources[0];
    expect(unknown.nickName).toBe("unexpected");
    expect(unknown["uk:nhs:login:auth:1.0:User"].nhsNumber).toBe("9990010005");
    sim.arm({ faults: ["uev2-answer-minimal"], clientId: CLIENT });
    const minimal = JSON.parse((await searchWith(at)).text).Resources[0];
    expect(Object.keys(minimal).sort()).toEqual(["active", "id", "schemas", "uk:nhs:login:auth:1.0:User"]);
    expect(minimal["uk:nhs:login:auth:1.0:User"]).toEqual({ vectorsOfTrust: { IdentityProofing: "P9" } });
    sim.arm({ faults: ["uev2-answer-not-json"], clientId: CLIENT });
    const html = await searchWith(at);
    expect([html.status, html.text]).toEqual([200, "<html>maintenance</html>"]);
    sim.arm({ faults: ["uev2-answer-slow"], clientId: CLIENT });
    const started = Date.now();
    expect((await searchWith(at)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1150);
    // A load test's own delay: the arm request's delayMs, recorded with the search.
    sim.arm({ faults: ["uev2-answer-slow"], clientId: CLIENT, delayMs: 150 });
    const quick = Date.now();
    expect((await searchWith(at)).status).toBe(200);
    expect(Date.now() - quick).toBeGreaterThanOrEqual(145);
    expect(Date.now() - quick).toBeLessThan(1150);
    expect(sim.events.filter((e) => e.type === "users-v2").map((e) => e.detail.delayedMs)).toContain(150);
  });

  it("records each search as sent: raw query, Authorization shape, faults; never a token", async () => {
    const at = await tokenOf();
    sim.arm({ faults: ["uev2-answer:invalidSyntax"], clientId: CLIENT });
    await fetch(`${sim.url}/v2/Users?filter=email+eq+%22a%2Bb%40c.d%22&access_token=${at}`, { headers: { authorization: `Bearer ${at}` } });
    const event = sim.events.filter((e) => e.type === "users-v2").at(-1)!;
    expect(event.detail).toMatchObject({
      rawQuery: "filter=email+eq+%22a%2Bb%40c.d%22&access_token=<removed>",
      authorization: { present: true, scheme: "Bearer", bearer: true },
      queryParams: ["filter", "access_token"],
      filter: 'email eq "a+b@c.d"',
      faults: ["uev2-answer:invalidSyntax"],
      status: 400,
    });
    expect(JSON.stringify(sim.events)).not.toContain(at);
  });
});

describe("token faults", () => {
  it("refuses the jwt-bearer grant with the armed code, once", async () => {
    sim.arm({ faults: ["uev2-token-invalid-scope"], clientId: CLIENT });
    const refused = await token();
    expect([refused.status, refused.body.error]).toEqual([400, "invalid_scope"]);
    expect((await token()).status).toBe(200);
    const recorded = sim.events.filter((e) => e.type === "token");
    expect(recorded[0]?.detail).toMatchObject({
      outcome: "invalid_scope",
      clientAuthenticated: true,
      faults: ["uev2-token-invalid-scope"],
    });
  });

  it("a short-lived token expires after 2 s; an opaque token works at /v2/Users", async () => {
    sim.arm({ faults: ["uev2-token-short-lived"], clientId: CLIENT });
    const short = await token();
    expect(short.body.expires_in).toBe(2);
    sim.advanceClock(3);
    const late = await searchWith(String(short.body.access_token));
    expect([late.status, JSON.parse(late.text).Errors[0].description]).toEqual([401, "the access token has expired"]);
    sim.arm({ faults: ["uev2-token-opaque"], clientId: CLIENT });
    const opaque = String((await token()).body.access_token);
    expect(opaque.split(".")).toHaveLength(2);
    expect((await searchWith(opaque)).status).toBe(200);
  });

  it("has the consumer faults the issue names, each citing requirements", () => {
    for (const id of ["uev2-answer-401", "uev2-answer-slow", "uev2-answer-not-json", "uev2-token-invalid-client", "uev2-token-opaque"])
      expect(USERS_V2_CONSUMER_FAULTS[id as keyof typeof USERS_V2_CONSUMER_FAULTS]?.requirements.length, id).toBeGreaterThan(0);
  });
});
