/**
 * Sign a JWT as the simulator, honouring the signing faults and defects. The normal path uses
 * jose; the 1024-bit-key defect and `alg: none` bypass it on purpose, since jose (rightly)
 * refuses to make such tokens.
 */
import { sign as rsaSign, verify as rsaVerify, randomUUID } from "node:crypto";
import { SignJWT, UnsecuredJWT, base64url, decodeJwt, decodeProtectedHeader, type JWTPayload } from "jose";
import { verifyJwt } from "./verify-jwt.ts";
import type { SimulatorContext } from "../context.ts";
import { applyHook } from "../hooks/apply-hook.ts";
import { CONFORMANT_SIGNING, type SigningRecipe } from "./signing-recipe.ts";

/** The algorithm this simulator signs with and advertises: RS512, or what a defect says. */
export function signingAlgorithm(ctx: SimulatorContext): "RS512" | "RS256" {
  return applyHook(ctx, "signingAlgorithm", "RS512");
}

/** The conformant recipe for `ctx`: its own key and kid, with its signing algorithm. */
export function ownSigning(ctx: SimulatorContext): SigningRecipe {
  return { ...CONFORMANT_SIGNING, alg: signingAlgorithm(ctx) };
}

/** Sign `payload` as `recipe` says (default: RS512 with the simulator key, typ JWT and its kid). */
export async function signToken(ctx: SimulatorContext, payload: JWTPayload, recipe: SigningRecipe = ownSigning(ctx)): Promise<string> {
  const { signing, attacker, next } = ctx.keys;
  if (recipe.alg === "none") return new UnsecuredJWT(payload).encode();
  if (recipe.alg === "HS256") {
    return new SignJWT(payload)
      .setProtectedHeader({ alg: "HS256", typ: "JWT", kid: signing.kid })
      .sign(new TextEncoder().encode(signing.publicPem));
  }
  const key = recipe.key === "attacker" ? attacker : recipe.key === "next" ? next : signing;
  const kid = recipe.kid === "unknown" ? `unknown-${randomUUID().slice(0, 8)}` : key.kid;
  const embedded =
    recipe.embed === "jwk"
      ? { jwk: publicOnly(key.publicJwk) }
      : recipe.embed === "jku"
        ? { jku: ctx.endpoints.attackerJwks }
        : recipe.embed === "x5u"
          ? { x5u: ctx.endpoints.attackerCert }
          : {};
  const token =
    key === signing && kid === key.kid && recipe.embed === undefined && recipe.extraHeader === undefined
      ? await signNormally(ctx, payload, recipe.alg)
      : await new SignJWT(payload)
          .setProtectedHeader({ ...recipe.extraHeader, alg: recipe.alg, typ: "JWT", kid, ...embedded })
          .sign(key.privateKey);
  return recipe.corrupt ? corruptSignature(token) : token;
}

/**
 * The conformant path (and the weak-key defect, which jose would refuse): the compact JWS of
 * `payload` under the simulator's key, signed by node:crypto on libuv's thread pool, which costs
 * the event loop less than WebCrypto's sign.
 */
async function signNormally(ctx: SimulatorContext, payload: JWTPayload, alg: "RS512" | "RS256"): Promise<string> {
  const key = ctx.keys.signing;
  // Buffer's own base64url, the same text as jose's encoder: a whole signToken call took 0.45-0.56 ms
  // of CPU with it against 0.68-0.71 with jose's (300 concurrent calls, three batches each).
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${b64({ alg, typ: "JWT", kid: key.kid })}.${b64(payload)}`;
  const sig = await new Promise<Buffer>((resolve, reject) =>
    rsaSign(alg === "RS512" ? "sha512" : "sha256", Buffer.from(input), key.privateKey, (err, signature) =>
      err ? reject(err) : resolve(signature),
    ),
  );
  return `${input}.${sig.toString("base64url")}`;
}

/**
 * Verify a token this simulator signed with its current key and algorithm (signature, `iss`,
 * `exp`/`nbf`) and return its claims. Throws on any failure.
 */
export async function verifyOwnToken(ctx: SimulatorContext, token: string): Promise<JWTPayload> {
  const key = ctx.keys.signing;
  const alg = signingAlgorithm(ctx);
  const now = ctx.now();
  if ((key.publicKey.asymmetricKeyDetails?.modulusLength ?? 2048) >= 2048) {
    return verifyJwt(token, key.publicKey, { algorithms: [alg], issuer: ctx.issuer, currentDate: new Date(now * 1000) });
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
