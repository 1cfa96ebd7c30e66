/**
 * Mint the ID token (EIS T16) and access token (EIS T17) of a sign-in, applying its faults.
 */
import { randomUUID } from "node:crypto";
import type { JWTPayload } from "jose";
import type { SimulatorContext } from "../context.ts";
import { TTL } from "../context.ts";
import type { Grant } from "../state.ts";
import { idTokenProfileClaims } from "../claims.ts";
import { EIS_PROFILES, votSatisfiesVtr } from "../../nhs/vot.ts";
import { isSigningFault, signToken } from "./sign.ts";

export interface MintedAccessToken {
  token: string;
  jti: string;
  expiresAt: number;
  /** Lifetime in seconds, for the token response's `expires_in`. */
  expiresIn: number;
}

/**
 * ID-token and access-token lifetimes in seconds: EIS Table 18 (3600 and 300), or 7200 and 3600
 * under the `token-lifetimes-wrong` defect.
 */
export function tokenLifetimes(ctx: SimulatorContext): { idToken: number; accessToken: number } {
  return ctx.defects.has("token-lifetimes-wrong")
    ? { idToken: 7200, accessToken: 3600 }
    : { idToken: TTL.idToken, accessToken: TTL.accessToken };
}

/** The ID token for `grant`, with every ID-token fault of the grant applied. */
export async function mintIdToken(ctx: SimulatorContext, grant: Grant): Promise<string> {
  const now = ctx.now();
  const ttl = tokenLifetimes(ctx).idToken;
  const faults = new Set(grant.faults);
  let payload: JWTPayload & Record<string, unknown> = {
    iss: ctx.issuer,
    sub: grant.persona.sub,
    aud: grant.clientId,
    iat: now,
    exp: now + ttl,
    jti: randomUUID(),
    auth_time: grant.authTime,
    nonce: grant.nonce,
    vot: grant.vot,
    vtm: ctx.endpoints.trustmark,
    ...idTokenProfileClaims(grant.persona, grant.scopes),
  };
  if (faults.has("id-token-wrong-iss")) payload.iss = "https://auth.attacker.invalid";
  if (faults.has("id-token-wrong-aud")) payload.aud = "some-other-client";
  if (faults.has("id-token-extra-aud")) payload.aud = [grant.clientId, "untrusted-audience"];
  if (ctx.defects.has("id-token-missing-jti")) delete payload.jti;
  if (faults.has("id-token-expired")) Object.assign(payload, { exp: now - 600, iat: now - 600 - ttl });
  if (faults.has("id-token-iat-future")) Object.assign(payload, { iat: now + 3600, exp: now + 3600 + ttl });
  if (faults.has("id-token-nbf-future")) payload.nbf = now + 3600;
  if (faults.has("id-token-nonce-missing")) delete payload.nonce;
  if (faults.has("id-token-nonce-wrong")) payload.nonce = `wrong-${randomUUID()}`;
  if (faults.has("id-token-sub-missing")) delete payload.sub;
  if (faults.has("id-token-vot-outside-vtr")) payload.vot = EIS_PROFILES.find((v) => !votSatisfiesVtr(v, grant.vtr)) ?? "P0.Cp";
  if (faults.has("id-token-vot-missing")) delete payload.vot;
  if (faults.has("id-token-vtm-missing")) delete payload.vtm;
  if (payload.nonce === undefined) delete payload.nonce;
  payload = Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== undefined));
  const signingFault = grant.faults.find(isSigningFault);
  return signToken(ctx, payload, signingFault);
}

/**
 * A federation access token for `grant` (5 minutes). Faults never apply to it; the
 * `access-token-claims-missing` defect drops `scope`, `vot` and `vtm`.
 */
export async function mintAccessToken(ctx: SimulatorContext, grant: Grant): Promise<MintedAccessToken> {
  const now = ctx.now();
  const ttl = tokenLifetimes(ctx).accessToken;
  const jti = randomUUID();
  const payload: Record<string, unknown> = {
    iss: ctx.issuer,
    sub: grant.persona.sub,
    aud: grant.clientId,
    iat: now,
    exp: now + ttl,
    jti,
    scope: grant.scopes.join(" "),
    auth_time: grant.authTime,
    vot: grant.vot,
    vtm: ctx.endpoints.trustmark,
  };
  if (grant.scopes.includes("profile") && grant.persona.nhsNumber && grant.persona.proofing !== "P0") {
    payload.nhs_number = grant.persona.nhsNumber;
  }
  if (ctx.defects.has("access-token-claims-missing")) {
    delete payload.scope;
    delete payload.vot;
    delete payload.vtm;
  }
  const token = await signToken(ctx, payload);
  ctx.state.accessTokens.set(jti, { kind: "federation", clientId: grant.clientId, expiresAt: now + ttl, grant });
  return { token, jti, expiresAt: now + ttl, expiresIn: ttl };
}
