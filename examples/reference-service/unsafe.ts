/**
 * TEST ONLY. Never set REFERENCE_SERVICE_UNSAFE outside the harness's own tests.
 *
 * `REFERENCE_SERVICE_UNSAFE=<switch>` turns exactly one safeguard of the reference service off,
 * so that the project's tests can show each conformance check failing on a service that lacks the
 * safeguard it checks. The variants are data (this table), not copies of the service.
 *
 * openid-client itself enforces some of the safeguards (nonce, iss, aud, exp, alg). To switch one
 * of those off, the ID token is hidden from the library and validated here by hand with jose,
 * with every check except the one switched off. Partners: copy oidc.ts, not this file.
 *
 * @example
 * ```ts
 * parseUnsafeSwitch("nonce-check")            // "nonce-check"
 * testOnlyOverrides("nonce-check", settings)  // hooks createNhsLogin applies
 * ```
 */
import { randomUUID } from "node:crypto";
import { compactVerify, importJWK, type JWK, type JWTPayload, type ProtectedHeaderParameters } from "jose";
import type * as client from "openid-client";
import type { Transaction } from "./session.ts";

/** Each switch and the safeguard it removes. */
export const UNSAFE_SWITCHES = {
  "state-check": "the callback's state is not compared with the one bound to the browser",
  "nonce-check": "the ID token's nonce is not compared with the one sent",
  "alg-pinning": "the ID token is verified with whatever alg its header names, not only RS512",
  "signature-check": "the ID token's signature is not verified against the JWKS",
  "iss-check": "the ID token's iss is not checked",
  "aud-check": "the ID token's aud is not checked",
  "exp-check": "the ID token's exp is not checked",
  "vot-check": "the returned vot is not checked against the requested vtr",
  "userinfo-sub-check": "the UserInfo sub is not compared with the ID token's",
  "fresh-state": "every sign-in sends the same state",
  "fresh-nonce": "every sign-in sends the same nonce",
  "rs512-assertion": "client assertions are signed RS256",
  "short-assertion": "client assertions live 30 minutes",
  "unique-jti": "every client assertion has the same jti",
  "https-redirect-uri": "a plain-http, non-loopback base URL (and so redirect URI) is accepted",
  "no-consent-page": "access_denied answers 500 instead of the no-consent page",
  "session-limits": "sessions never end: no 30-minute idle or 12-hour limit",
  "httponly-cookies": "the session cookies are readable by page scripts (no HttpOnly)",
  "single-use-transaction": "a sign-in transaction survives its callback, so a replayed callback redeems the code again",
  "other-client-id": "the authorization request names a client_id other than the registered one",
  "unregistered-redirect-uri": "the authorization request names a redirect_uri that is not registered (a trailing slash added)",
  "unregistered-vtr": "the authorization request asks for a vtr the service is not registered for",
} as const;
export type UnsafeSwitch = keyof typeof UNSAFE_SWITCHES;

/** The switch named by REFERENCE_SERVICE_UNSAFE, if any; throws on an unknown name. */
export function parseUnsafeSwitch(value: string | undefined): UnsafeSwitch | undefined {
  if (value === undefined || value === "") return undefined;
  if (!Object.hasOwn(UNSAFE_SWITCHES, value)) {
    throw new Error(`REFERENCE_SERVICE_UNSAFE must be one of ${Object.keys(UNSAFE_SWITCHES).join(", ")} (test only)`);
  }
  return value as UnsafeSwitch;
}

/** The hooks oidc.ts applies; each one is off unless a switch turns it on. */
export interface TestOnlyOverrides {
  assertionHash?: "SHA-256";
  modifyAssertion?: (header: Record<string, unknown>, payload: Record<string, unknown>) => void;
  skipSignatureCheck?: boolean;
  skipStateCheck?: boolean;
  skipVotCheck?: boolean;
  skipUserinfoSubCheck?: boolean;
  transaction?: (txn: Transaction) => Transaction;
  /** Changes the authorization request's parameters after they are built. */
  authorizationParams?: (params: Record<string, string>) => void;
  /** Wraps openid-client's fetch (used to hide the ID token from the library). */
  customFetch?: (tokenEndpoint: string) => client.CustomFetch;
  /** Validates the hidden ID token by hand instead of the library. */
  validateIdToken?: (txn: Transaction, server: { issuer: string; jwksUri: string }) => Promise<JWTPayload & { sub: string }>;
}

export interface HandValidationContext {
  clientId: string;
}

const HAND_VALIDATED = new Set<UnsafeSwitch>(["nonce-check", "alg-pinning", "iss-check", "aud-check", "exp-check"]);

/** The hooks for one switch (undefined for a switch handled outside oidc.ts). */
export function testOnlyOverrides(sw: UnsafeSwitch | undefined, ctx: HandValidationContext): TestOnlyOverrides | undefined {
  const fixed = `static-${randomUUID()}`;
  switch (sw) {
    case undefined:
    case "https-redirect-uri":
    case "no-consent-page":
    case "session-limits":
    case "httponly-cookies":
    case "single-use-transaction":
      return undefined; // handled in settings.ts or app.ts
    case "state-check":
      return { skipStateCheck: true };
    case "signature-check":
      return { skipSignatureCheck: true };
    case "vot-check":
      return { skipVotCheck: true };
    case "userinfo-sub-check":
      return { skipUserinfoSubCheck: true };
    case "fresh-state":
      return { transaction: (txn) => ({ ...txn, state: fixed }) };
    case "fresh-nonce":
      return { transaction: (txn) => ({ ...txn, nonce: fixed }) };
    case "rs512-assertion":
      return { assertionHash: "SHA-256" };
    case "short-assertion":
      return { modifyAssertion: (_h, p) => void (p.exp = Number(p.iat) + 30 * 60) };
    case "unique-jti":
      return { modifyAssertion: (_h, p) => void (p.jti = fixed) };
    case "other-client-id":
      return { authorizationParams: (q) => void (q.client_id = `${q.client_id}-other`) };
    case "unregistered-redirect-uri":
      return { authorizationParams: (q) => void (q.redirect_uri = `${q.redirect_uri}/`) };
    case "unregistered-vtr":
      return { authorizationParams: (q) => void (q.vtr = JSON.stringify(["P5.Cm"])) };
    default:
      if (HAND_VALIDATED.has(sw)) return handValidation(sw, ctx);
      throw new Error(`unhandled switch ${String(sw)}`);
  }
}

/**
 * Hide the ID token from openid-client (it would enforce all its checks) and validate it here by
 * hand with every check but the one `sw` switches off.
 */
function handValidation(sw: UnsafeSwitch, ctx: HandValidationContext): TestOnlyOverrides {
  let hidden: string | undefined;
  return {
    customFetch: (tokenEndpoint) => async (url, options) => {
      const res = await fetch(url, options as RequestInit);
      if (url !== tokenEndpoint || !res.ok) return res;
      const body = (await res.json()) as Record<string, unknown>;
      hidden = typeof body.id_token === "string" ? body.id_token : undefined;
      delete body.id_token;
      return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
    },
    validateIdToken: async (txn, server) => {
      const token = hidden;
      hidden = undefined;
      if (!token) throw new Error("no ID token");
      return validateByHand(token, txn, sw, { ...ctx, ...server });
    },
  };
}

async function validateByHand(
  token: string,
  txn: Transaction,
  sw: UnsafeSwitch,
  ctx: HandValidationContext & { issuer: string; jwksUri: string },
): Promise<JWTPayload & { sub: string }> {
  const jwks = (await (await fetch(ctx.jwksUri)).json()) as { keys: JWK[] };
  const pinned = sw !== "alg-pinning";
  const { payload } = await compactVerify(
    token,
    async (header: ProtectedHeaderParameters) => {
      const jwk = jwks.keys.find((k) => k.kid === header.kid);
      if (!jwk) throw new Error("no JWKS key with that kid");
      // Unpinned, the header's own alg is trusted: the classic mistake this variant models.
      return importJWK(jwk, pinned ? "RS512" : header.alg);
    },
    pinned ? { algorithms: ["RS512"] } : {},
  );
  const claims = JSON.parse(new TextDecoder().decode(payload)) as JWTPayload & Record<string, unknown>;
  const now = Math.floor(Date.now() / 1000);
  const skew = 30;
  const fail = (what: string) => {
    throw new Error(`ID token ${what}`);
  };
  if (sw !== "iss-check" && claims.iss !== ctx.issuer) fail("iss mismatch");
  if (sw !== "aud-check") {
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.includes(ctx.clientId)) fail("aud mismatch");
    if (aud.length !== 1 && claims.azp === undefined) fail("has untrusted extra audiences");
  }
  if (sw !== "exp-check" && (typeof claims.exp !== "number" || claims.exp <= now - skew)) fail("expired");
  if (typeof claims.iat !== "number") fail("has no iat");
  if (typeof claims.nbf === "number" && claims.nbf > now + skew) fail("not yet valid");
  if (sw !== "nonce-check" && claims.nonce !== txn.nonce) fail("nonce mismatch");
  if (typeof claims.sub !== "string" || claims.sub === "") fail("has no sub");
  return claims as JWTPayload & { sub: string };
}
