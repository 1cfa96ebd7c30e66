/**
 * Signing keys of the simulator: the real one published in the JWKS, and an "attacker" key that
 * is never published (used for jwk/jku/x5u/unknown-kid faults).
 */
import { createHash, type KeyObject } from "node:crypto";
import { exportJWK, type JWK } from "jose";
import { generateRsaKeyPair } from "../jose/generate-rsa-key.ts";
import { applyHook } from "./hooks/apply-hook.ts";
import type { DefectId } from "./faults.ts";

export interface SigningKey {
  kid: string;
  alg: "RS512" | "RS256";
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Public JWK with kid, use and alg. */
  publicJwk: JWK;
  /** SPKI PEM of the public key (the HS256-confusion fault uses it as an HMAC secret). */
  publicPem: string;
}

/** Build a signing key from a private key, deriving a stable kid from the public key. */
export async function signingKeyFrom(privateKey: KeyObject, alg: SigningKey["alg"] = "RS512"): Promise<SigningKey> {
  const publicKey = await import("node:crypto").then((c) => c.createPublicKey(privateKey));
  const publicPem = publicKey.export({ type: "spki", format: "pem" }).toString();
  const kid = createHash("sha256").update(publicPem).digest("base64url").slice(0, 16);
  const jwk = await exportJWK(publicKey);
  return { kid, alg, privateKey, publicKey, publicPem, publicJwk: { ...jwk, kid, use: "sig", alg } };
}

/** Generate a fresh RSA signing key of `bits` (2048 unless a defect asks for less). */
export async function generateSigningKey(bits = 2048, alg: SigningKey["alg"] = "RS512"): Promise<SigningKey> {
  const { privateKey } = await generateRsaKeyPair({ bits });
  return signingKeyFrom(privateKey, alg);
}

/** The simulator's three keys: `signing` (published), `attacker` (never published), `next` (published, for rotation faults). */
export interface SimulatorKeys {
  signing: SigningKey;
  attacker: SigningKey;
  next: SigningKey;
}

/** The simulator's keys: `signingKey` if given, else a fresh one of the bits the defects ask for. */
export async function simulatorKeys(signingKey: KeyObject | undefined, defects: ReadonlySet<DefectId>): Promise<SimulatorKeys> {
  const [signing, attacker, next] = await Promise.all([
    signingKey ? signingKeyFrom(signingKey) : generateSigningKey(signingKeyBits(defects)),
    generateSigningKey(2048),
    generateSigningKey(2048),
  ]);
  return { signing, attacker, next };
}

/**
 * The keys for a change of defects from `before` to `next`: new ones when the change alters the
 * signing key's size (and no fixed `signingKey` was given), else `current`.
 */
export async function keysForDefects(
  current: SimulatorKeys,
  before: ReadonlySet<DefectId>,
  next: ReadonlySet<DefectId>,
  signingKey: KeyObject | undefined,
): Promise<SimulatorKeys> {
  return signingKeyBits(before) !== signingKeyBits(next) && !signingKey ? simulatorKeys(undefined, next) : current;
}

/** Modulus length of a new signing key: 2048 bits, or what a defect says (the signingKeyBits hook). */
export function signingKeyBits(defects: ReadonlySet<DefectId>): number {
  return applyHook({ defects }, "signingKeyBits", 2048);
}
