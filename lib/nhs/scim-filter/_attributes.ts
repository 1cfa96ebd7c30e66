/**
 * Internal: classify the word in attribute position. Table 10 has two texts for a wrong attribute
 * (catalogue A28); the rule used here is:
 *
 * - `nhsnumber` / `email` (any letter case, as SCIM attribute names are case-insensitive): supported;
 * - a name of the SCIM core User schema (RFC 7643 §4.1) or of the NHS login extension, bare, with a
 *   sub-attribute (`name.familyName`) or with a schema URN prefix: "Invalid attribute", since it
 *   is a real attribute that cannot be filtered on;
 * - any other word: `Either one of "nhsnumber" or "email" must be used for each query`.
 */

export type AttributeClass = "nhsnumber" | "email" | "known-unsupported" | "unknown";

const CORE_USER = [
  "id",
  "externalId",
  "meta",
  "schemas",
  "userName",
  "name",
  "displayName",
  "nickName",
  "profileUrl",
  "title",
  "userType",
  "preferredLanguage",
  "locale",
  "timezone",
  "active",
  "password",
  "emails",
  "phoneNumbers",
  "ims",
  "photos",
  "addresses",
  "groups",
  "entitlements",
  "roles",
  "x509Certificates",
];
const NHS_EXTENSION = ["nhsNumber", "vectorsOfTrust", "birthdate", "gpOdsCode", "gpUserId", "gpLinkageKey"];
const KNOWN = new Set([...CORE_USER, ...NHS_EXTENSION].map((n) => n.toLowerCase()));
const SCHEMA_PREFIXES = ["urn:ietf:params:scim:schemas:core:2.0:user:", "uk:nhs:login:auth:1.0:user:"];

export function classifyAttribute(word: string): AttributeClass {
  const lower = word.toLowerCase();
  if (lower === "nhsnumber") return "nhsnumber";
  if (lower === "email") return "email";
  const prefix = SCHEMA_PREFIXES.find((p) => lower.startsWith(p));
  const path = prefix ? lower.slice(prefix.length) : lower;
  const head = path.split(".")[0] ?? "";
  // Only the bare words are supported: `uk:nhs:login:auth:1.0:User:nhsNumber` is a known, unsupported path.
  return KNOWN.has(head) ? "known-unsupported" : "unknown";
}
