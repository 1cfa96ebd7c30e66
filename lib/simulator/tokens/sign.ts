/**
 * Sign a JWT as the simulator, honouring the signing faults and defects. The normal path uses
 * jose; the 1024-bit-key defect and `alg: none` bypass it on purpose, since jose (rightly)
 * refuses to make such tokens.
 */
import { sign as rsaSign, verify as rsaVerify, randomUUID } from "node:crypto";
import { SignJWT, UnsecuredJWT, base64url, decodeJwt, decodeProtectedHeader, jwtVerify, type JWTPayload } from "jose";
import type { SimulatorContext } from "../context.ts";
import type { IdTokenFaultId } from "../faults.ts";

export type SigningFault = Extract<
  IdTokenFaultId,
  | "id-token-bad-signature"
  | "id-token-alg-none"
  | "id-token-hs256-public-key"
  | "id-token-rs256"
  | "id-token-embedded-jwk"
  | "id-token-jku"
  | "id-token-x5u"
  | "id-token-unknown-kid"
>;

const SIGNING_FAULTS = new Set<string>([
  "id-token-bad-signature",
  "id-token-alg-none",
  "id-token-hs256-public-key",
  "id-token-rs256",
  "id-token-embedded-jwk",
  "id-token-jku",
  "id-token-x5u",
  "id-token-unknown-kid",
]);

/** True for faults that change how a token is signed rather than what it says. */
export function isSigningFault(fault: string): fault is SigningFault {
  return SIGNING_FAULTS.has(fault);
}

/** Sign `payload` with the simulator key (RS512, typ JWT, kid), or as `fault` dictates. */
export async function signToken(ctx: SimulatorContext, payload: JWTPayload, fault?: SigningFault): Promise<string> {
  const { signing, attacker } = ctx.keys;
  const alg = ctx.defects.has("rs256-signing") ? "RS256" : "RS512";
  switch (fault) {
    case "id-token-alg-none":
      return new UnsecuredJWT(payload).encode();
    case "id-token-hs256-public-key":
      return new SignJWT(payload)
        .setProtectedHeader({ alg: "HS256", typ: "JWT", kid: signing.kid })
        .sign(new TextEncoder().encode(signing.publicPem));
    case "id-token-rs256":
      return new SignJWT(payload).setProtectedHeader({ alg: "RS256", typ: "JWT", kid: signing.kid }).sign(signing.privateKey);
    case "id-token-embedded-jwk":
      return new SignJWT(payload)
        .setProtectedHeader({ alg: "RS512", typ: "JWT", kid: attacker.kid, jwk: publicOnly(attacker.publicJwk) })
        .sign(attacker.privateKey);
    case "id-token-jku":
      return new SignJWT(payload)
        .setProtectedHeader({ alg: "RS512", typ: "JWT", kid: attacker.kid, jku: ctx.endpoints.attackerJwks })
        .sign(attacker.privateKey);
    case "id-token-x5u":
      return new SignJWT(payload)
        .setProtectedHeader({ alg: "RS512", typ: "JWT", kid: attacker.kid, x5u: ctx.endpoints.attackerCert })
        .sign(attacker.privateKey);
    case "id-token-unknown-kid":
      return new SignJWT(payload)
        .setProtectedHeader({ alg: "RS512", typ: "JWT", kid: `unknown-${randomUUID().slice(0, 8)}` })
        .sign(attacker.privateKey);
    case "id-token-bad-signature": {
      const good = await signNormally(ctx, payload, alg);
      return corruptSignature(good);
    }
    default:
      return signNormally(ctx, payload, alg);
  }
}

async function signNormally(ctx: SimulatorContext, payload: JWTPayload, alg: "RS512" | "RS256"): Promise<string> {
  const key = ctx.keys.signing;
  const header = { alg, typ: "JWT", kid: key.kid };
  if ((key.publicKey.asymmetricKeyDetails?.modulusLength ?? 2048) < 2048) {
    // The weak-key defect: jose refuses keys under 2048 bits, so sign with node:crypto directly.
    const input = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}`;
    const sig = rsaSign(alg === "RS512" ? "sha512" : "sha256", Buffer.from(input), key.privateKey);
    return `${input}.${base64url.encode(sig)}`;
  }
  return new SignJWT(payload).setProtectedHeader(header).sign(key.privateKey);
}

/**
 * Verify a token this simulator signed with its current key and algorithm (signature, `iss`,
 * `exp`/`nbf`) and return its claims. Throws on any failure.
 */
export async function verifyOwnToken(ctx: SimulatorContext, token: string): Promise<JWTPayload> {
  const key = ctx.keys.signing;
  const alg = ctx.defects.has("rs256-signing") ? "RS256" : "RS512";
  const now = ctx.now();
  if ((key.publicKey.asymmetricKeyDetails?.modulusLength ?? 2048) >= 2048) {
    const { payload } = await jwtVerify(token, key.publicKey, { algorithms: [alg], issuer: ctx.issuer, currentDate: new Date(now * 1000) });
    return payload;
  }
  // The weak-key defect: jose refuses keys under 2048 bits, so check the signature with node:crypto.
  const parts = token.split(".");
  if (parts.length !== 3) throw new TypeError("not a JWS");
  const [h, p, s] = parts as [string, string, string];
  if (decodeProtectedHeader(token).alg !== alg) throw new TypeError("unexpected alg");
  if (!rsaVerify(alg === "RS512" ? "sha512" : "sha256", Buffer.from(`${h}.${p}`), key.publicKey, Buffer.from(s, "base64url"))) {
    throw new TypeError("signature does not verify");
  }
  const payload = decodeJwt(token);
  if (payload.iss !== ctx.issuer) throw new TypeError("unexpected iss");
  if (typeof payload.exp !== "number" || payload.exp <= now) throw new TypeError("expired");
  if (typeof payload.nbf === "number" && payload.nbf > now) throw new TypeError("not yet valid");
  return payload;
}

/** Flip bits in the middle of the signature so it no longer verifies but still decodes. */
function corruptSignature(jwt: string): string {
  const [h, p, s] = jwt.split(".") as [string, string, string];
  const bytes = Buffer.from(base64url.decode(s));
  const i = Math.floor(bytes.length / 2);
  bytes[i] = bytes[i]! ^ 0xff;
  return `${h}.${p}.${base64url.encode(bytes)}`;
}

function publicOnly(jwk: Record<string, unknown>): { kty: string; n: string; e: string } {
  return { kty: String(jwk.kty), n: String(jwk.n), e: String(jwk.e) };
}
