/**
 * verifyJwt against jose's jwtVerify on the same tokens: the same payload when valid, and the
 * same error class and claim when not, on the node:crypto path (RS256, RS512) and on jose's
 * (other algorithms, crit headers, typ checks, small keys).
 */
import { sign as cryptoSign, generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { base64url, type errors, jwtVerify, type JWTVerifyOptions, SignJWT } from "jose";
import { verifyJwt } from "../../../lib/simulator/tokens/verify-jwt.ts";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const other = generateKeyPairSync("rsa", { modulusLength: 2048 });
const NOW = 1_800_000_000;
const at = new Date(NOW * 1000);
const sign = (alg: string, claims: Record<string, unknown> = {}) =>
  new SignJWT({ iss: "svc", sub: "svc", aud: "http://op/token", exp: NOW + 60, jti: "j1", ...claims })
    .setProtectedHeader({ alg, typ: "JWT" })
    .sign(privateKey);
const base: JWTVerifyOptions = {
  algorithms: ["RS512", "RS256", "PS256"],
  issuer: "svc",
  subject: "svc",
  audience: "http://op/token",
  currentDate: at,
};

/** The outcome of a verifier: the payload, or the error's class name, code and claim. */
async function outcome(run: () => Promise<unknown>): Promise<unknown> {
  try {
    return { payload: await run() };
  } catch (err) {
    const e = err as errors.JOSEError & { claim?: string; reason?: string };
    return { error: e.constructor.name, code: e.code, claim: e.claim, reason: e.reason };
  }
}
const same = async (token: string, key = publicKey, options = base) => {
  const ours = await outcome(() => verifyJwt(token, key, options));
  const jose = await outcome(async () => (await jwtVerify(token, key, options)).payload);
  expect(ours).toEqual(jose);
  return ours as { payload?: unknown; error?: string; claim?: string };
};

describe("verifyJwt", () => {
  it("accepts what jose accepts, on the node:crypto path and on jose's", async () => {
    for (const alg of ["RS512", "RS256", "PS256"]) expect((await same(await sign(alg))).payload, alg).toMatchObject({ jti: "j1" });
  });

  it("refuses a signature by another key or a tampered payload, as jose does", async () => {
    const token = await sign("RS512");
    expect((await same(token, other.publicKey)).error).toBe("JWSSignatureVerificationFailed");
    const [h, , s] = token.split(".");
    const claims = { iss: "svc", sub: "svc", aud: "http://op/token", exp: NOW + 60, jti: "j2" };
    const forged = `${h}.${base64url.encode(JSON.stringify(claims))}.${s}`;
    expect((await same(forged)).error).toBe("JWSSignatureVerificationFailed");
  });

  it("reports the same claim failures as jose", async () => {
    expect((await same(await sign("RS512", { exp: NOW - 600 }))).error).toBe("JWTExpired");
    expect((await same(await sign("RS512", { iss: "other" }))).claim).toBe("iss");
    expect((await same(await sign("RS512", { aud: "http://op/other" }))).claim).toBe("aud");
    expect((await same(await sign("RS512", { nbf: NOW + 600 }))).claim).toBe("nbf");
    expect((await same(await sign("RS512", { jti: undefined }), publicKey, { ...base, requiredClaims: ["jti"] })).claim).toBe("jti");
  });

  it("leaves to jose what its fast path does not take: algorithms not allowed, crit, typ, malformed tokens", async () => {
    expect((await same(await sign("RS256"), publicKey, { ...base, algorithms: ["RS512"] })).error).toBe("JOSEAlgNotAllowed");
    // jose will not sign a crit header it does not know: sign it by hand.
    const input = `${base64url.encode(JSON.stringify({ alg: "RS512", crit: ["x"], x: 1 }))}.${(await sign("RS512")).split(".")[1]}`;
    const crit = `${input}.${base64url.encode(cryptoSign("sha512", Buffer.from(input), privateKey))}`;
    expect((await same(crit)).error).toBe("JOSENotSupported");
    expect((await same(await sign("RS512"), publicKey, { ...base, typ: "at+jwt" })).claim).toBe("typ");
    expect((await same("not.a.jwt")).error).toBe("JWSInvalid");
    expect((await same("a.b")).error).toBe("JWSInvalid");
  });
});
