/**
 * What both fixture services send to redeem an authorization code: the form body of the code
 * grant with a private_key_jwt client assertion (RS512, iss = sub = client id, aud the token
 * endpoint, a fresh jti, `lifetimeSeconds` to exp).
 *
 * @example
 * ```ts
 * const body = await codeGrantBody({ clientId, key, tokenEndpoint, code, redirectUri, lifetimeSeconds: 60 })
 * await fetch(tokenEndpoint, { method: "POST", body })
 * ```
 */
import { randomUUID } from "node:crypto";
import { SignJWT, type CryptoKey, type KeyObject } from "jose";

export interface CodeGrantOptions {
  clientId: string;
  key: CryptoKey | KeyObject;
  tokenEndpoint: string;
  code: string;
  redirectUri: string;
  lifetimeSeconds: number;
}

export async function codeGrantBody(o: CodeGrantOptions): Promise<URLSearchParams> {
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: "RS512", typ: "JWT" })
    .setIssuer(o.clientId)
    .setSubject(o.clientId)
    .setAudience(o.tokenEndpoint)
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + o.lifetimeSeconds)
    .sign(o.key);
  return new URLSearchParams({
    grant_type: "authorization_code",
    code: o.code,
    redirect_uri: o.redirectUri,
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    client_assertion: assertion,
  });
}
