import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SignJWT, UnsecuredJWT } from "jose";
import { verifyClientAssertion } from "../../lib/simulator/client-auth.ts";
import { OAuthError } from "../../lib/simulator/errors.ts";
import type { Simulator } from "../../lib/simulator/start-simulator.ts";
import { clientAssertion, makeClient, makeClientKey, startTestSimulator, type TestClient } from "./_helpers.ts";

let sim: Simulator;
let rp: TestClient;
let other: TestClient;

beforeAll(async () => {
  const a = makeClient("rp-auth");
  const b = makeClient("rp-other");
  rp = a.client;
  other = b.client;
  sim = await startTestSimulator([a.registration, b.registration]);
});
afterAll(async () => {
  await sim?.stop();
});

/** Expect `verifyClientAssertion` to refuse with invalid_client; returns the description. */
async function refused(assertion: string, clientIdParam?: string): Promise<string> {
  const err = await verifyClientAssertion(sim.context, assertion, clientIdParam).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, "the assertion was accepted").toBeInstanceOf(OAuthError);
  const oauth = err as OAuthError;
  expect(oauth.error).toBe("invalid_client");
  expect([400, 401]).toContain(oauth.status);
  return oauth.description;
}

describe("verifyClientAssertion accepts (FED-TOKEN-07..11)", () => {
  it("a well-formed RS512 assertion, and returns the client and the claims", async () => {
    const jwt = await clientAssertion(sim, rp.clientId, rp.key);
    const auth = await verifyClientAssertion(sim.context, jwt);
    expect(auth.client.clientId).toBe(rp.clientId);
    expect(auth.header.alg).toBe("RS512");
    expect(auth.payload.iss).toBe(rp.clientId);
    expect(auth.payload.aud).toBe(sim.context.endpoints.token);
  });

  it("a client_id parameter equal to the iss", async () => {
    const auth = await verifyClientAssertion(sim.context, await clientAssertion(sim, rp.clientId, rp.key), rp.clientId);
    expect(auth.client.clientId).toBe(rp.clientId);
  });

  it("an aud array that contains the token endpoint", async () => {
    const jwt = await clientAssertion(sim, rp.clientId, rp.key, {
      claims: { aud: [sim.context.endpoints.token, "https://elsewhere.example"] },
    });
    await expect(verifyClientAssertion(sim.context, jwt)).resolves.toMatchObject({ client: { clientId: rp.clientId } });
  });

  it("an exp exactly at the 600 s limit", async () => {
    const jwt = await clientAssertion(sim, rp.clientId, rp.key, { lifetime: 600 });
    await expect(verifyClientAssertion(sim.context, jwt)).resolves.toBeDefined();
  });

  it("each of two clients with its own key", async () => {
    const auth = await verifyClientAssertion(sim.context, await clientAssertion(sim, other.clientId, other.key));
    expect(auth.client.clientId).toBe(other.clientId);
  });
});

describe("verifyClientAssertion refuses with invalid_client", () => {
  it("the wrong aud", async () => {
    await refused(await clientAssertion(sim, rp.clientId, rp.key, { claims: { aud: "https://auth.login.nhs.uk/token" } }));
  });

  it("the token endpoint with a trailing slash (FED-TOKEN-08)", async () => {
    await refused(await clientAssertion(sim, rp.clientId, rp.key, { claims: { aud: `${sim.context.endpoints.token}/` } }));
  });

  it("the issuer as aud (FED-TOKEN-08)", async () => {
    await refused(await clientAssertion(sim, rp.clientId, rp.key, { claims: { aud: sim.issuer } }));
  });

  it("no aud", async () => {
    await refused(await clientAssertion(sim, rp.clientId, rp.key, { claims: { aud: undefined } }));
  });

  it("an unknown iss", async () => {
    const desc = await refused(await clientAssertion(sim, "nobody", rp.key, { claims: { iss: "nobody", sub: "nobody" } }));
    expect(desc).toMatch(/unknown client/);
  });

  it("another registered client's iss and sub, signed with this client's key", async () => {
    await refused(await clientAssertion(sim, other.clientId, rp.key));
  });

  it("sub different from iss (FED-TOKEN-07)", async () => {
    await refused(await clientAssertion(sim, rp.clientId, rp.key, { claims: { sub: other.clientId } }));
  });

  it("no iss", async () => {
    await refused(await clientAssertion(sim, rp.clientId, rp.key, { claims: { iss: undefined } }));
  });

  it("an expired assertion, beyond the 60 s tolerance (FED-TOKEN-09)", async () => {
    const now = sim.context.now();
    const desc = await refused(await clientAssertion(sim, rp.clientId, rp.key, { claims: { iat: now - 300, exp: now - 120 } }));
    expect(desc).toMatch(/expired/);
  });

  it("an exp more than 600 s ahead", async () => {
    const desc = await refused(await clientAssertion(sim, rp.clientId, rp.key, { lifetime: 900 }));
    expect(desc).toMatch(/600/);
  });

  it("no exp", async () => {
    await refused(await clientAssertion(sim, rp.clientId, rp.key, { claims: { exp: undefined } }));
  });

  it("no jti (FED-TOKEN-10)", async () => {
    await refused(await clientAssertion(sim, rp.clientId, rp.key, { claims: { jti: undefined } }));
  });

  it("an empty jti", async () => {
    await refused(await clientAssertion(sim, rp.clientId, rp.key, { claims: { jti: "" } }));
  });

  it("a replayed jti, even inside a new assertion", async () => {
    const jti = randomUUID();
    const first = await clientAssertion(sim, rp.clientId, rp.key, { claims: { jti } });
    await verifyClientAssertion(sim.context, first);
    expect(await refused(first)).toMatch(/already been used/);
    await refused(await clientAssertion(sim, rp.clientId, rp.key, { claims: { jti } }));
  });

  it("the same jti is independent per client", async () => {
    const jti = randomUUID();
    await verifyClientAssertion(sim.context, await clientAssertion(sim, rp.clientId, rp.key, { claims: { jti } }));
    await expect(
      verifyClientAssertion(sim.context, await clientAssertion(sim, other.clientId, other.key, { claims: { jti } })),
    ).resolves.toBeDefined();
  });

  it("a refused assertion does not use up its jti", async () => {
    const jti = randomUUID();
    await refused(await clientAssertion(sim, rp.clientId, rp.key, { claims: { jti, aud: sim.issuer } }));
    await expect(
      verifyClientAssertion(sim.context, await clientAssertion(sim, rp.clientId, rp.key, { claims: { jti } })),
    ).resolves.toBeDefined();
  });

  it("RS256 with the right key (FED-TOKEN-11)", async () => {
    const desc = await refused(await clientAssertion(sim, rp.clientId, rp.key, { alg: "RS256" }));
    expect(desc).toMatch(/RS512/);
  });

  it("PS512 with the right key", async () => {
    await refused(await clientAssertion(sim, rp.clientId, rp.key, { alg: "PS512" }));
  });

  it("HS256 with a shared secret", async () => {
    await refused(
      await clientAssertion(sim, rp.clientId, rp.key, {
        alg: "HS256",
        signWith: new TextEncoder().encode("a-shared-secret-of-32-bytes-long!"),
      }),
    );
  });

  it("HS512 keyed with the client's own public key PEM (key confusion)", async () => {
    await refused(await clientAssertion(sim, rp.clientId, rp.key, { alg: "HS512", signWith: new TextEncoder().encode(rp.key.publicPem) }));
  });

  it("alg none", async () => {
    const now = sim.context.now();
    const jwt = new UnsecuredJWT({
      iss: rp.clientId,
      sub: rp.clientId,
      aud: sim.context.endpoints.token,
      exp: now + 60,
      jti: randomUUID(),
    }).encode();
    await refused(jwt);
  });

  it("an RS512 header with the signature stripped", async () => {
    const jwt = await clientAssertion(sim, rp.clientId, rp.key);
    await refused(`${jwt.split(".").slice(0, 2).join(".")}.`);
  });

  it("a signature by another key", async () => {
    const desc = await refused(await clientAssertion(sim, rp.clientId, rp.key, { signWith: makeClientKey().privateKey }));
    expect(desc).toMatch(/signature/);
  });

  it("a tampered payload", async () => {
    const jwt = await clientAssertion(sim, rp.clientId, rp.key);
    const [h, , s] = jwt.split(".");
    const now = sim.context.now();
    const forged = Buffer.from(
      JSON.stringify({
        iss: rp.clientId,
        sub: rp.clientId,
        aud: sim.context.endpoints.token,
        exp: now + 60,
        jti: randomUUID(),
        admin: true,
      }),
    ).toString("base64url");
    await refused(`${h}.${forged}.${s}`);
  });

  it("garbage", async () => {
    for (const g of ["", "not-a-jwt", "a.b.c", "eyJ.eyJ.", "...."]) await refused(g);
  });

  it("an oversized assertion", async () => {
    const desc = await refused(await clientAssertion(sim, rp.clientId, rp.key, { claims: { padding: "x".repeat(20_000) } }));
    expect(desc).toMatch(/too large/);
  });

  it("a client_id parameter that differs from the iss (FED-TOKEN-05)", async () => {
    await refused(await clientAssertion(sim, rp.clientId, rp.key), other.clientId);
  });

  it("an nbf in the future", async () => {
    await refused(await clientAssertion(sim, rp.clientId, rp.key, { claims: { nbf: sim.context.now() + 600 } }));
  });

  it("a JWT whose payload is not JSON", async () => {
    const header = Buffer.from(JSON.stringify({ alg: "RS512", typ: "JWT" })).toString("base64url");
    await refused(`${header}.${Buffer.from("not json").toString("base64url")}.AAAA`);
  });

  it("an iss that is not a string", async () => {
    const jwt = await new SignJWT({ iss: 42 as unknown as string, sub: rp.clientId, aud: sim.context.endpoints.token, jti: randomUUID() })
      .setProtectedHeader({ alg: "RS512", typ: "JWT" })
      .setExpirationTime("60s")
      .sign(rp.key.privateKey);
    await refused(jwt);
  });
});
