/**
 * Scopes and the claims they release at each proofing level (docs: scopes-and-claims; EIS T2, T11).
 * SCOPE-01..11, FED-UI-08..16. Data, not code: checks and the simulator read the same table.
 *
 * @example
 * ```ts
 * claimsReleased(["openid", "email"], "P0") // ["iss", "aud", "sub", "email", "email_verified"]
 * ```
 */
import type { ProofingLevel } from "./vot.ts";

export interface ScopeRule {
  claims: readonly string[];
  /** Proofing levels at which the claims are released. */
  levels: readonly ProofingLevel[];
}

const ALL: readonly ProofingLevel[] = ["P0", "P5", "P9"];
const VERIFIED: readonly ProofingLevel[] = ["P5", "P9"];

export const SCOPE_RULES = Object.freeze({
  openid: { claims: ["iss", "aud", "sub"], levels: ALL },
  profile: { claims: ["nhs_number", "family_name", "birthdate", "identity_proofing_level"], levels: VERIFIED },
  basic_demographics: { claims: ["family_name", "birthdate", "identity_proofing_level"], levels: VERIFIED },
  profile_extended: { claims: ["given_name"], levels: VERIFIED },
  email: { claims: ["email", "email_verified"], levels: ALL },
  phone: { claims: ["phone_number", "phone_number_verified", "phone_number_pds_matched"], levels: ALL },
  landline: { claims: ["landline_number", "landline_number_verified"], levels: ALL },
  gp_registration_details: { claims: ["gp_registration_details"], levels: VERIFIED },
  gp_integration_credentials: { claims: ["gp_integration_credentials"], levels: ["P9"] },
  client_metadata: { claims: ["client_user_metadata"], levels: ALL },
} satisfies Record<string, ScopeRule>);

export type FederationScope = keyof typeof SCOPE_RULES;
export const FEDERATION_SCOPES = Object.freeze(Object.keys(SCOPE_RULES) as FederationScope[]);

/** Claims that may appear in an ID token (EIS T16) besides the protocol claims. */
export const ID_TOKEN_PROFILE_CLAIMS = Object.freeze(["family_name", "birthdate", "nhs_number", "identity_proofing_level"]);

/** Optional scopes of Users Endpoint V2 (UEV2 T14); the Users.retrieve URL is per environment. */
export const USERS_V2_OPTIONAL_SCOPES = Object.freeze([
  "profile",
  "profile_extended",
  "email",
  "phone",
  "landline",
  "gp_registration_details",
  "gp_integration_credentials",
] as const);

/** True when `scope` is a documented federation scope. */
export function isFederationScope(scope: string): scope is FederationScope {
  return Object.hasOwn(SCOPE_RULES, scope);
}

/** Claims the given scopes release to a person at `level` (no duplicates, table order). */
export function claimsReleased(scopes: readonly string[], level: ProofingLevel): string[] {
  const out = new Set<string>();
  for (const scope of scopes) {
    if (!isFederationScope(scope)) continue;
    const rule: ScopeRule = SCOPE_RULES[scope];
    if (rule.levels.includes(level)) rule.claims.forEach((c) => out.add(c));
  }
  return [...out];
}

/** Split a space-separated scope string into distinct tokens. */
export function splitScope(value: string | undefined): string[] {
  if (!value) return [];
  return [...new Set(value.split(" ").filter((s) => s.length > 0))];
}
