/**
 * The crypto bound: how many RS512 signatures (and verifications) one thread of this machine makes
 * with node:crypto and a 2048-bit RSA key, over a JWT-sized signing input.
 */
import { generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from "node:crypto";
import { performance } from "node:perf_hooks";

export interface CryptoRates {
  signsPerSecond: number;
  verifiesPerSecond: number;
  signMs: number;
}

function signingInput(): Buffer {
  const header = Buffer.from(JSON.stringify({ alg: "RS512", typ: "JWT", kid: "bench" })).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const payload = Buffer.from(
    JSON.stringify({
      iss: "bench-client",
      sub: "bench-client",
      aud: "http://127.0.0.1:1/token",
      jti: randomUUID(),
      iat: now,
      exp: now + 60,
    }),
  ).toString("base64url");
  return Buffer.from(`${header}.${payload}`);
}

/** Sign for about `signMs`, then verify for about a quarter of that, on this thread. */
export function measureRs512(signMs = 2_000, key?: KeyObject): CryptoRates {
  const privateKey = key ?? generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const input = signingInput();
  // Warm up (first calls pay for key setup).
  let sig = sign("sha512", input, privateKey);
  for (let i = 0; i < 20; i++) sig = sign("sha512", input, privateKey);

  let signs = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < signMs) {
    for (let i = 0; i < 10; i++) sig = sign("sha512", input, privateKey);
    signs += 10;
    t = performance.now();
  }
  const signSeconds = (t - t0) / 1000;

  let verifies = 0;
  const v0 = performance.now();
  let v = v0;
  while (v - v0 < signMs / 4) {
    for (let i = 0; i < 50; i++) if (!verify("sha512", input, privateKey, sig)) throw new Error("RS512 verification failed");
    verifies += 50;
    v = performance.now();
  }
  return { signsPerSecond: signs / signSeconds, verifiesPerSecond: verifies / ((v - v0) / 1000), signMs: (t - t0) / signs };
}
