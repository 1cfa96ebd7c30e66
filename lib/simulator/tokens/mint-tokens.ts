/**
 * Mint the ID token (EIS T16) and access token (EIS T17) of a sign-in, applying its faults.
 */
import { randomUUID } from "node:crypto";
import type { SimulatorContext } from "../context.ts";
import { TTL } from "../context.ts";
import type { Grant } from "../state.ts";
import { idTokenProfileClaims } from "../claims.ts";
import { applyHook } from "../hooks/apply-hook.ts";
import { ownSigning, signToken } from "./sign.ts";

export interface MintedAccessToken {
  token: string;
  jti: string;
  expiresAt: number;
  /** Lifetime in seconds, for the token response's `expires_in`. */
  expiresIn: number;
}

/** Naming-system prefixes of EIS Table 17 (requesting_system, requesting_patient). */
const ACCREDITED_SYSTEM = "https://fhir.nhs.uk/Id/accredited-system";
const NHS_NUMBER_SYSTEM = "http://fhir.nhs.net/Id/nhs-number";
/**
 * ID-token and access-token lifetimes in seconds: EIS Table 18 (3600 and 300), unless a defect
 * changes them (the `tokenLifetimes` hook).
 */
export function tokenLifetimes(ctx: SimulatorContext): { idToken: number; accessToken: number } {
  return applyHook(ctx, "tokenLifetimes", { idToken: TTL.idToken, accessToken: TTL.accessToken });
}

/** The ID token for `grant`, with every ID-token fault of the grant applied. */
export async function mintIdToken(ctx: SimulatorContext, grant: Grant): Promise<string> {
  const now = ctx.now();
  const ttl = tokenLifetimes(ctx).idToken;
  const jti = randomUUID();
  // Remembered for an asserted_login_identity naming it (SSO-04): who signed in, how and when.
  await ctx.ops.set("idTokens", jti, {
    clientId: grant.clientId,
    persona: grant.persona,
    vot: grant.vot,
    authTime: grant.authTime,
    expiresAt: now + ttl,
  });
  const payload: Record<string, unknown> = {
    iss: ctx.issuer,
    sub: grant.persona.sub,
    aud: grant.clientId,
    iat: now,
    exp: now + ttl,
    jti,
    auth_time: grant.authTime,
    nonce: grant.nonce,
    vot: grant.vot,
    vtm: ctx.endpoints.trustmark,
    ...idTokenProfileClaims(grant.persona, grant.scopes),
  };
  const claims = applyHook(ctx, "idTokenClaims", payload, { grant, now, ttl }, grant.faults);
  const defined = Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
  return signToken(ctx, defined, applyHook(ctx, "idTokenSigning", ownSigning(ctx), undefined, grant.faults));
}

/**
 * A federation access token for `grant` (5 minutes). Defects and the sign-in's faults may change
 * its claims (the `accessTokenClaims` hook), never its signing.
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
  // The optional claims of EIS Table 17: the purpose, the client system, and the patient with profile.
  payload.reason_for_request = "patientaccess";
  payload.requesting_system = `${ACCREDITED_SYSTEM}|${grant.clientId}`;
  if (grant.scopes.includes("profile") && grant.persona.nhsNumber && grant.persona.proofing !== "P0") {
    payload.nhs_number = grant.persona.nhsNumber;
    payload.requesting_patient = `${NHS_NUMBER_SYSTEM}|${grant.persona.nhsNumber}`;
  }
  const claims = applyHook(ctx, "accessTokenClaims", payload, { grant }, grant.faults);
  const token = await signToken(ctx, claims, applyHook(ctx, "accessTokenSigning", ownSigning(ctx)));
  await ctx.ops.set("accessTokens", jti, { kind: "federation", clientId: grant.clientId, expiresAt: now + ttl, grant });
  return { token, jti, expiresAt: now + ttl, expiresIn: ttl };
}
