/**
 * Build the SCIM User resource for one persona from the granted scopes (UEV2 §5.1 T14, §5.2 T15;
 * UEV2-RESP-07..20, UEV2-SCOPE-*). Users.retrieve gives `schemas`, `id`, `active` and
 * `vectorsOfTrust.IdentityProofing`; the optional scopes add their attributes only together with
 * `profile` (T14: without it the others are ignored). Attributes the persona lacks are left out,
 * never sent as null. `emails[].primary` is the boolean of T15 (the spec example's string is a
 * quirk, catalogue UEV2-RESP-17), and `userName` comes with `email` (catalogue A33).
 *
 * @example
 * ```ts
 * buildUserResource(persona, [usersScope])
 * // { schemas: [...], id: persona.accountId, active: true, "uk:nhs:login:auth:1.0:User": { vectorsOfTrust: { IdentityProofing: "P9" } } }
 * ```
 */
import type { Persona } from "../personas.ts";
import { NHS_USER_EXTENSION, SCIM_USER_SCHEMA } from "../../nhs/constants.ts";

export interface NhsUserExtension {
  vectorsOfTrust: { IdentityProofing: string };
  nhsNumber?: string;
  birthdate?: string;
  gpOdsCode?: string;
  gpUserId?: string;
  gpLinkageKey?: string;
}

export interface ScimUser {
  schemas: string[];
  id: string;
  active: boolean;
  [NHS_USER_EXTENSION]: NhsUserExtension;
  name?: { familyName?: string; givenName?: string };
  userName?: string;
  emails?: { value: string; type: "home"; primary: boolean }[];
  phoneNumbers?: { type: "mobile" | "landline"; value: string }[];
}

/**
 * The User resource of `persona` under `grantedScopes`. The Users.retrieve scope is checked by the
 * route before this is called; here only the optional scopes matter.
 */
export function buildUserResource(persona: Persona, grantedScopes: readonly string[]): ScimUser {
  const has = (scope: string) => grantedScopes.includes(scope);
  const extension: NhsUserExtension = { vectorsOfTrust: { IdentityProofing: persona.proofing } };
  const user: ScimUser = {
    schemas: [SCIM_USER_SCHEMA, NHS_USER_EXTENSION],
    id: persona.accountId,
    active: true,
    [NHS_USER_EXTENSION]: extension,
  };
  if (!has("profile")) return user;

  const name: NonNullable<ScimUser["name"]> = {};
  put(extension, "nhsNumber", persona.nhsNumber);
  put(extension, "birthdate", persona.birthdate);
  put(name, "familyName", persona.familyName);
  if (has("profile_extended")) put(name, "givenName", persona.givenName);
  if (has("gp_registration_details")) put(extension, "gpOdsCode", persona.gpOdsCode);
  if (has("gp_integration_credentials")) {
    put(extension, "gpUserId", persona.gpUserId);
    put(extension, "gpLinkageKey", persona.gpLinkageKey);
  }
  if (Object.keys(name).length > 0) user.name = name;
  if (has("email") && persona.email) {
    user.userName = persona.email;
    user.emails = [{ value: persona.email, type: "home", primary: true }];
  }
  const phones: NonNullable<ScimUser["phoneNumbers"]> = [];
  if (has("phone") && persona.phoneNumber) phones.push({ type: "mobile", value: persona.phoneNumber });
  if (has("landline") && persona.landlineNumber) phones.push({ type: "landline", value: persona.landlineNumber });
  if (phones.length > 0) user.phoneNumbers = phones;
  return user;
}

function put<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined && value !== null && value !== "") target[key] = value;
}
