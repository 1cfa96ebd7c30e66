/**
 * Sign an `asserted_login_identity` (EIS §3.4.1 T1; docs:single-sign-on; SSO-04..08): the JWT a
 * relying party (RP1) hands to another (RP2), or to its own uplift journey, so that NHS login
 * signs the person in without asking again. Claims: `code` = the `jti` of the ID token NHS login
 * issued to RP1, `iss` = RP1's client_id, `jti`, `iat`, and `exp` at most 60 s later; signed with
 * RP1's client key, RS512 by default. Overrides exist so checks can send deliberately bad ones.
 *
 * @example
 * ```ts
 * const assertion = await createAssertedLoginIdentity({ clientId, privateKey, idTokenJti: idToken.payload.jti })
 * ```
 */
import { randomUUID, type KeyObject } from "node:crypto";
import { SignJWT, type JWTPayload } from "jose";

export interface AssertedLoginIdentityOptions {
  /** RP1's client_id (`iss`). */
  clientId: string;
  /** RP1's client private key. */
  privateKey: KeyObject;
  /** The `jti` of the ID token NHS login issued to RP1 (`code`). */
  idTokenJti: string;
  /** Seconds from `iat` to `exp` (default 60, the most the EIS allows). */
  lifetimeSeconds?: number;
  /** Signing algorithm (default RS512). */
  alg?: "RS512" | "RS256";
  /** Current time in seconds (default now). */
  now?: number;
}

export async function createAssertedLoginIdentity(options: AssertedLoginIdentityOptions): Promise<string> {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const payload: JWTPayload = {
    code: options.idTokenJti,
    iss: options.clientId,
    jti: randomUUID(),
    iat: now,
    exp: now + (options.lifetimeSeconds ?? 60),
  };
  return new SignJWT(payload).setProtectedHeader({ alg: options.alg ?? "RS512", typ: "JWT" }).sign(options.privateKey);
}
