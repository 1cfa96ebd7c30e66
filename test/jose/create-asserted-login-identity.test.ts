/**
 * createAssertedLoginIdentity of lib/jose/create-asserted-login-identity.ts: the claims the EIS
 * names (code, iss, jti, iat, exp at most 60 s later), signed RS512 with RP1's key by default.
 */
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { createAssertedLoginIdentity } from "../../lib/jose/create-asserted-login-identity.ts";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const base = { clientId: "rp1", privateKey, idTokenJti: "id-token-jti-1", now: 1_700_000_000 };

describe("createAssertedLoginIdentity", () => {
  it("signs RS512 with typ JWT: code = the ID token's jti, iss = RP1, a fresh jti, exp 60 s after iat", async () => {
    const jwt = await createAssertedLoginIdentity(base);
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: "RS512", typ: "JWT" });
    const { payload } = await jwtVerify(jwt, createPublicKey(privateKey), {
      algorithms: ["RS512"],
      currentDate: new Date(base.now * 1000),
    });
    expect(payload).toMatchObject({ code: "id-token-jti-1", iss: "rp1", iat: base.now, exp: base.now + 60 });
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      (await jwtVerify(await createAssertedLoginIdentity(base), createPublicKey(privateKey), { currentDate: new Date(base.now * 1000) }))
        .payload.jti,
    ).not.toBe(payload.jti);
  });

  it("makes a longer-lived or RS256 one when asked (the checks' bad ones)", async () => {
    const jwt = await createAssertedLoginIdentity({ ...base, lifetimeSeconds: 120, alg: "RS256" });
    expect(decodeProtectedHeader(jwt).alg).toBe("RS256");
    const { payload } = await jwtVerify(jwt, createPublicKey(privateKey), { currentDate: new Date(base.now * 1000) });
    expect(payload.exp! - payload.iat!).toBe(120);
  });

  it("uses the current time when none is given", async () => {
    const before = Math.floor(Date.now() / 1000);
    const { payload } = await jwtVerify(await createAssertedLoginIdentity({ ...base, now: undefined }), createPublicKey(privateKey));
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.iat).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });
});
