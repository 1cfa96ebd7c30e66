/**
 * Sign a client assertion for `private_key_jwt` (RFC 7523; EIS §3.5.1 T6; UEV2 T11/T12):
 * header `alg` RS512 and `typ` JWT; claims `iss` = `sub` = client_id, `aud` the token endpoint,
 * `iat`, a short `exp` and a fresh `jti`. Overrides exist so checks can send deliberately bad
 * assertions (wrong `aud`, expired, RS256, ...).
 *
 * @example
 * ```ts
 * const assertion = await createClientAssertion({ clientId, privateKey, audience: tokenEndpoint })
 * ```
 */
import { randomUUID, type KeyObject } from "node:crypto";
import { SignJWT, UnsecuredJWT, type JWTPayload } from "jose";

export interface ClientAssertionOptions {
  clientId: string;
  privateKey: KeyObject;
  /** The token endpoint URL. */
  audience: string | string[];
  /** Seconds until `exp` (default 60). Negative values make an expired assertion. */
  lifetimeSeconds?: number;
  /** Signing algorithm (default RS512); `none` makes an unsigned JWT; HS256 needs `hmacSecret`. */
  alg?: "RS512" | "RS256" | "HS256" | "none";
  /** The HS256 key, e.g. the client's public key PEM bytes (the RSA/HMAC key-confusion attack). */
  hmacSecret?: Uint8Array;
  /** Claims to replace or add; a value of `undefined` removes the claim. */
  claims?: Record<string, unknown>;
  /** Current time in seconds (default now). */
  now?: number;
}

export async function createClientAssertion(options: ClientAssertionOptions): Promise<string> {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  let payload: JWTPayload = {
    iss: options.clientId,
    sub: options.clientId,
    aud: options.audience,
    iat: now,
    exp: now + (options.lifetimeSeconds ?? 60),
    jti: randomUUID(),
  };
  if (options.claims) {
    payload = { ...payload, ...options.claims };
    for (const [k, v] of Object.entries(options.claims)) if (v === undefined) delete payload[k];
  }
  const alg = options.alg ?? "RS512";
  if (alg === "none") return new UnsecuredJWT(payload).encode();
  if (alg === "HS256") {
    if (!options.hmacSecret) throw new TypeError("an HS256 assertion needs hmacSecret");
    return new SignJWT(payload).setProtectedHeader({ alg, typ: "JWT" }).sign(options.hmacSecret);
  }
  return new SignJWT(payload).setProtectedHeader({ alg, typ: "JWT" }).sign(options.privateKey);
}
