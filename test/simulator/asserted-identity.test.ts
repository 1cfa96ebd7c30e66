/**
 * lib/simulator/asserted-identity.ts through /authorize: an asserted_login_identity that meets
 * every rule signs the person in silently with the original auth_time; each broken rule makes
 * the simulator ignore it (prompt=none then fails with sso_login_required), with the reason in
 * the event log.
 */
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { SignJWT, decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAssertedLoginIdentity } from "../../lib/jose/create-asserted-login-identity.ts";
import type { Simulator } from "../../lib/simulator/start-simulator.ts";
import { authorize, exchangeCode, makeClient, signInAndExchange, startTestSimulator, type TestClient } from "./_helpers.ts";

let sim: Simulator;
let rp1: TestClient;
let rp2: TestClient;
let stranger: TestClient;

beforeAll(async () => {
  const a = makeClient("rp1", { ssoFrom: ["rp1"] });
  const b = makeClient("rp2", { ssoFrom: ["rp1"] });
  const c = makeClient("stranger");
  [rp1, rp2, stranger] = [a.client, b.client, c.client];
  sim = await startTestSimulator([a.registration, b.registration, c.registration]);
});
afterAll(async () => {
  await sim?.stop();
});

/** RP1 signs in; returns its ID token's jti and auth_time. */
async function rp1SignIn(): Promise<{ jti: string; authTime: number; sub: string }> {
  const t = await signInAndExchange(sim, rp1);
  return { jti: String(t.idClaims.jti), authTime: Number(t.idClaims.auth_time), sub: String(t.idClaims.sub) };
}

/** Present `assertion` as `client` with prompt=none; the outcome and the event's reason. */
async function present(client: TestClient, assertion: string) {
  const res = await authorize(sim, {
    clientId: client.clientId,
    redirectUri: client.redirectUri,
    prompt: "none",
    extra: { asserted_login_identity: assertion },
  });
  const event = sim.events.filter((e) => e.type === "authorize").at(-1)!;
  return { res, reason: String(event.detail.assertedLoginIdentity) };
}

const assertion = (jti: string, over: Partial<Parameters<typeof createAssertedLoginIdentity>[0]> = {}) =>
  createAssertedLoginIdentity({ clientId: rp1.clientId, privateKey: rp1.key.privateKey, idTokenJti: jti, ...over });

describe("asserted_login_identity at /authorize", () => {
  it("honoured for a configured pair: a silent sign-in of the same person with the original auth_time", async () => {
    const first = await rp1SignIn();
    await new Promise((r) => setTimeout(r, 1100 - (Date.now() % 1000)));
    const { res, reason } = await present(rp2, await assertion(first.jti));
    expect(reason).toBe("honoured (from rp1)");
    expect(res.code).toBeDefined();
    const tokens = await exchangeCode(sim, rp2, res.code!);
    const claims = decodeJwt(String(tokens.json!.id_token));
    expect(claims).toMatchObject({ sub: first.sub, auth_time: first.authTime, aud: "rp2" });
  });

  it("honoured for the client's own uplift journey (its own ID in ssoFrom)", async () => {
    const first = await rp1SignIn();
    expect((await present(rp1, await assertion(first.jti))).reason).toBe("honoured (from rp1)");
  });

  it("single-use: the second presentation is ignored", async () => {
    const first = await rp1SignIn();
    const token = await assertion(first.jti);
    expect((await present(rp2, token)).res.code).toBeDefined();
    const again = await present(rp2, token);
    expect(again.res.error).toBe("sso_login_required");
    expect(again.reason).toBe("refused: it was used already");
  });

  it("ignored for a pair nobody configured", async () => {
    const first = await rp1SignIn();
    const out = await present(stranger, await assertion(first.jti));
    expect(out.res.error).toBe("sso_login_required");
    expect(out.reason).toBe("refused: single sign-on from rp1 to stranger is not configured");
  });

  it("ignored when a rule of its own is broken, each with the reason", async () => {
    const first = await rp1SignIn();
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const now = Math.floor(Date.now() / 1000);
    const rp2Tokens = await signInAndExchange(sim, rp2);
    const cases: [string, string | Promise<string>, RegExp][] = [
      ["not a JWT", "not-a-jwt", /^refused: it is not a signed JWT$/],
      ["too large", "a".repeat(9000), /^refused: it is too large$/],
      ["an unknown iss", assertion(first.jti, { clientId: "nobody" }), /^refused: its iss "nobody" is not a registered client$/],
      ["another key", assertion(first.jti, { privateKey: other }), /^refused: it does not verify with rp1's key/],
      ["exp 120 s after iat", assertion(first.jti, { lifetimeSeconds: 120 }), /^refused: its exp is more than 60 s after its iat$/],
      ["an iat 10 minutes ahead", assertion(first.jti, { now: now + 600 }), /^refused: its iat is in the future$/],
      ["an exp 110 s away (iat 50 s ahead)", assertion(first.jti, { now: now + 50 }), /^refused: its exp is more than 60 s away$/],
      ["expired", assertion(first.jti, { now: now - 120 }), /^refused: it does not verify .*out of date/],
      ["an unknown code", assertion("no-such-id-token"), /^refused: its code is not the jti of a valid ID token issued to rp1$/],
      ["another client's ID token", assertion(String(rp2Tokens.idClaims.jti)), /^refused: its code is not the jti of a valid ID token/],
      [
        "no jti",
        new SignJWT({ code: first.jti, iss: "rp1", iat: now, exp: now + 60 }).setProtectedHeader({ alg: "RS512" }).sign(rp1.key.privateKey),
        /^refused: it does not verify .*"jti"/,
      ],
      [
        "a jti that is not a string",
        new SignJWT({ code: first.jti, iss: "rp1", iat: now, exp: now + 60, jti: 7 as unknown as string })
          .setProtectedHeader({ alg: "RS512" })
          .sign(rp1.key.privateKey),
        /^refused: (its jti is not a non-empty string|it does not verify)/,
      ],
      [
        "no iss",
        new SignJWT({ code: first.jti, iat: now, exp: now + 60, jti: randomUUID() })
          .setProtectedHeader({ alg: "RS512" })
          .sign(rp1.key.privateKey),
        /^refused: it has no iss$/,
      ],
    ];
    for (const [what, token, reason] of cases) {
      const out = await present(rp2, await token);
      expect(out.res.error, what).toBe("sso_login_required");
      expect(out.reason, what).toMatch(reason);
    }
  });

  it("without prompt, an ignored assertion means a new sign-in with a new auth_time", async () => {
    const first = await rp1SignIn();
    await new Promise((r) => setTimeout(r, 1100 - (Date.now() % 1000)));
    const res = await authorize(sim, {
      clientId: stranger.clientId,
      redirectUri: stranger.redirectUri,
      extra: { asserted_login_identity: await assertion(first.jti) },
    });
    expect(res.code).toBeDefined();
    const claims = decodeJwt(String((await exchangeCode(sim, stranger, res.code!)).json!.id_token));
    expect(claims.auth_time).toBeGreaterThan(first.authTime);
  });
});
