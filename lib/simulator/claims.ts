/**
 * The claims a persona releases for a set of scopes (docs: scopes-and-claims; EIS T11, T16).
 * Values that a person does not have are left out, never null or empty (FED-UI-03).
 */
import { claimsReleased, ID_TOKEN_PROFILE_CLAIMS } from "../nhs/scopes.ts";
import type { Persona } from "./personas.ts";

/** Claim values a persona holds, by claim name. */
function personaValue(p: Persona, claim: string, metadata?: string): unknown {
  switch (claim) {
    case "nhs_number":
      return p.nhsNumber;
    case "family_name":
      return p.familyName;
    case "given_name":
      return p.givenName;
    case "birthdate":
      return p.birthdate;
    case "identity_proofing_level":
      return p.proofing;
    case "email":
      return p.email;
    case "email_verified":
      return p.emailVerified;
    case "phone_number":
      return p.phoneNumber;
    case "phone_number_verified":
      return p.phoneNumberVerified;
    case "phone_number_pds_matched":
      return p.phoneNumberPdsMatched;
    case "landline_number":
      return p.landlineNumber;
    case "landline_number_verified":
      return p.landlineNumber ? true : undefined;
    case "gp_registration_details":
      return p.gpOdsCode ? { gp_ods_code: p.gpOdsCode } : undefined;
    case "gp_integration_credentials":
      return p.gpUserId && p.gpLinkageKey && p.gpOdsCode
        ? { gp_user_id: p.gpUserId, gp_linkage_key: p.gpLinkageKey, gp_ods_code: p.gpOdsCode }
        : undefined;
    case "client_user_metadata":
      return metadata || undefined;
    default:
      return undefined;
  }
}

/** Userinfo claims (besides iss/aud/sub) for `scopes`. */
export function userinfoClaims(p: Persona, scopes: readonly string[], metadata?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const claim of claimsReleased(scopes, p.proofing)) {
    if (claim === "iss" || claim === "aud" || claim === "sub") continue;
    const v = personaValue(p, claim, metadata);
    if (v !== undefined && v !== "") out[claim] = v;
  }
  return out;
}

/** ID token profile claims (T16 allows only family_name, birthdate, nhs_number, identity_proofing_level). */
export function idTokenProfileClaims(p: Persona, scopes: readonly string[]): Record<string, unknown> {
  const all = userinfoClaims(p, scopes);
  return Object.fromEntries(Object.entries(all).filter(([k]) => ID_TOKEN_PROFILE_CLAIMS.includes(k)));
}
