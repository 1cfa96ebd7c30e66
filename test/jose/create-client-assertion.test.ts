/**
 * createClientAssertion of lib/jose/create-client-assertion.ts: RS512 by default, and the
 * deliberately bad variants checks send (RS256, HS256 keyed with the public key, alg none).
 */
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { createClientAssertion } from "../../lib/jose/create-client-assertion.ts";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const base = { clientId: "client-1", privateKey, audience: "https://auth.login.nhs.uk/token" };

describe("createClientAssertion", () => {
  it("signs RS512 with typ JWT and iss = sub = the client", async () => {
    const jwt = await createClientAssertion(base);
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: "RS512", typ: "JWT" });
    const { payload } = await jwtVerify(jwt, createPublicKey(privateKey), { algorithms: ["RS512"] });
    expect(payload).toMatchObject({ iss: "client-1", sub: "client-1", aud: base.audience });
  });

  it("signs HS256 with the given secret (the public key PEM of the key-confusion attack)", async () => {
    const secret = new TextEncoder().encode(String(createPublicKey(privateKey).export({ type: "spki", format: "pem" })));
    const jwt = await createClientAssertion({ ...base, alg: "HS256", hmacSecret: secret });
    expect(decodeProtectedHeader(jwt).alg).toBe("HS256");
    await expect(jwtVerify(jwt, secret, { algorithms: ["HS256"] })).resolves.toBeDefined();
    await expect(createClientAssertion({ ...base, alg: "HS256" })).rejects.toThrow(/hmacSecret/);
  });

  it("makes RS256 and unsigned (alg none) assertions", async () => {
    expect(decodeProtectedHeader(await createClientAssertion({ ...base, alg: "RS256" })).alg).toBe("RS256");
    const none = await createClientAssertion({ ...base, alg: "none" });
    expect(decodeProtectedHeader(none).alg).toBe("none");
    expect(none.endsWith(".")).toBe(true);
  });
});
