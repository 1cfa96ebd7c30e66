/**
 * Checks of one SCIM User resource from /v2/Users (UEV2 §5.1 T14, §5.2 T15;
 * UEV2-RESP-07..20, UEV2-SCOPE-10): the fixed members, the extension container, the formats,
 * and that every attribute is covered by the granted scopes, with `profile` gating the other
 * optional scopes (T14). Graded against the `users-v2-user` schema as well.
 *
 * @example
 * ```ts
 * userResourceFindings(body.Resources[0], { usersScope, grantedScopes: [usersScope, "profile"], searched: { nhsNumber } })
 * ```
 */
import type { Finding } from "../../requirements/index.ts";
import { isEmailShaped } from "../../nhs/email.ts";
import { Findings } from "../findings.ts";
import { asObject, schemaGrade } from "./response.ts";
import { NHS_USER_EXTENSION, SCIM_USER_SCHEMA } from "../../nhs/constants.ts";

export interface UserResourceContext {
  /** The environment's Users.retrieve scope. */
  usersScope: string;
  /** The scopes the access token was granted (the token response `scope`). */
  grantedScopes: readonly string[];
  /** The value a single-term search looked for, which the resource must then carry. */
  searched?: { nhsNumber?: string; email?: string };
  /** Prefix for messages, e.g. "Resources[0]". */
  label?: string;
}

/** Which scope releases which attribute (T14), and the requirement that describes it (T15). */
export const USERS_V2_ATTRIBUTE_SCOPES = Object.freeze([
  { attribute: "name.familyName", scope: "profile", requirement: "UEV2-RESP-14" },
  { attribute: "name.givenName", scope: "profile_extended", requirement: "UEV2-RESP-14" },
  { attribute: `${NHS_USER_EXTENSION}.nhsNumber`, scope: "profile", requirement: "UEV2-RESP-11" },
  { attribute: `${NHS_USER_EXTENSION}.birthdate`, scope: "profile", requirement: "UEV2-RESP-11" },
  { attribute: `${NHS_USER_EXTENSION}.gpOdsCode`, scope: "gp_registration_details", requirement: "UEV2-RESP-12" },
  { attribute: `${NHS_USER_EXTENSION}.gpUserId`, scope: "gp_integration_credentials", requirement: "UEV2-RESP-13" },
  { attribute: `${NHS_USER_EXTENSION}.gpLinkageKey`, scope: "gp_integration_credentials", requirement: "UEV2-RESP-13" },
  { attribute: "emails", scope: "email", requirement: "UEV2-RESP-15" },
  { attribute: "phoneNumbers[type=mobile]", scope: "phone", requirement: "UEV2-RESP-18" },
  { attribute: "phoneNumbers[type=landline]", scope: "landline", requirement: "UEV2-RESP-18" },
] as const);

const TOP_LEVEL = new Set(["schemas", "id", "active", NHS_USER_EXTENSION, "name", "userName", "emails", "phoneNumbers"]);
const EXTENSION_MEMBERS = new Set(["vectorsOfTrust", "nhsNumber", "birthdate", "gpOdsCode", "gpUserId", "gpLinkageKey"]);
const NAME_MEMBERS = new Set(["familyName", "givenName"]);
const PROOFING = ["P0", "P5", "P9"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** E.164 UK numbers or UK national format (catalogue A32). */
const PHONE = /^(\+44\d{9,10}|0\d{9,10})$/;

/** True when `scope` releases data under `granted`: the optional scopes need `profile` too (T14). */
export function scopeReleases(scope: string, granted: readonly string[]): boolean {
  return granted.includes(scope) && (scope === "profile" || granted.includes("profile"));
}

/** The requirements {@link userResourceFindings} judges on every User resource (passed, failed or not applicable). */
export const USER_RESOURCE_IDS = [
  "UEV2-RESP-11",
  "UEV2-RESP-12",
  "UEV2-RESP-13",
  "UEV2-RESP-14",
  "UEV2-RESP-15",
  "UEV2-RESP-16",
  "UEV2-RESP-17",
  "UEV2-RESP-18",
  "UEV2-RESP-19",
  "UEV2-RESP-20",
] as const;

export function userResourceFindings(resource: unknown, ctx: UserResourceContext): Finding[] {
  const out = new Findings();
  const at = ctx.label ? `${ctx.label}: ` : "";
  const show = (v: unknown) => (v === undefined ? "absent" : JSON.stringify(v));
  const user = asObject(resource);
  if (!user) {
    out.fail("UEV2-RESP-07", `${at}the User resource is not a JSON object`);
    return out.list();
  }
  out.addAll(schemaGrade("UEV2-RESP-07", "users-v2-user", user).map((f) => ({ ...f, message: `${at}${f.message}` })));
  const releases = (scope: string) => scopeReleases(scope, ctx.grantedScopes);
  const beyondScope = (attribute: string, scope: string) => {
    const why = ctx.grantedScopes.includes(scope)
      ? `${scope} was granted without profile, which T14 says makes it ignored`
      : `${scope} was not granted`;
    out.fail("UEV2-SCOPE-10", `${at}${attribute} is returned although ${why} (granted: ${ctx.grantedScopes.join(" ")})`);
  };

  // Members that are always there (RESP-07..10).
  const schemas = user.schemas;
  const expected = [SCIM_USER_SCHEMA, NHS_USER_EXTENSION];
  if (Array.isArray(schemas) && schemas.length === 2 && schemas[0] === expected[0] && schemas[1] === expected[1]) {
    out.pass("UEV2-RESP-07", `${at}schemas is ${show(expected)}`);
  } else if (Array.isArray(schemas) && schemas.length === 2 && expected.every((s) => schemas.includes(s))) {
    out.warn("UEV2-RESP-07", `${at}schemas holds the right URNs in another order: ${show(schemas)}`);
  } else out.fail("UEV2-RESP-07", `${at}schemas is ${show(schemas)}, expected ${show(expected)}`);

  if (typeof user.id === "string" && user.id.length > 0) {
    out.pass("UEV2-RESP-08", `${at}id is ${UUID.test(user.id) ? "a UUID" : `the non-UUID string ${show(user.id)} (recorded)`}`);
  } else out.fail("UEV2-RESP-08", `${at}id is ${show(user.id)}, expected the NHS login account identifier as a non-empty string`);

  if (typeof user.active === "boolean") out.pass("UEV2-RESP-09", `${at}active is ${user.active}`);
  else out.fail("UEV2-RESP-09", `${at}active is ${show(user.active)}, expected a boolean`);

  const ext = asObject(user[NHS_USER_EXTENSION]);
  const proofing = asObject(ext?.vectorsOfTrust)?.IdentityProofing;
  if (!ext) out.fail("UEV2-RESP-10", `${at}the ${NHS_USER_EXTENSION} extension object is missing`);
  else if (typeof proofing !== "string" || !PROOFING.includes(proofing)) {
    out.fail("UEV2-RESP-10", `${at}vectorsOfTrust.IdentityProofing is ${show(proofing)}, expected one of ${PROOFING.join(", ")}`);
  } else out.pass("UEV2-RESP-10", `${at}the extension holds vectorsOfTrust.IdentityProofing ${proofing}`);

  // Nothing sent as null, nothing outside T15 (RESP-20).
  const nulls = nullPaths(user);
  if (nulls.length > 0) out.deviation("UEV2-RESP-20", `${at}${nulls.join(", ")} sent as null instead of being left out`);
  const unknown = [
    ...Object.keys(user).filter((k) => !TOP_LEVEL.has(k)),
    ...Object.keys(ext ?? {})
      .filter((k) => !EXTENSION_MEMBERS.has(k))
      .map((k) => `${NHS_USER_EXTENSION}.${k}`),
    ...Object.keys(asObject(user.name) ?? {})
      .filter((k) => !NAME_MEMBERS.has(k))
      .map((k) => `name.${k}`),
  ];
  if (unknown.length > 0)
    out.deviation("UEV2-RESP-20", `${at}${unknown.join(", ")} ${unknown.length === 1 ? "is" : "are"} not an attribute of T15`);

  // profile: nhsNumber, birthdate, familyName (RESP-11, RESP-14).
  const profile = releases("profile");
  const verified = proofing === "P5" || proofing === "P9";
  checkString(ext, "nhsNumber", /^\d{10}$/, "a string of 10 digits", "UEV2-RESP-11");
  checkString(ext, "birthdate", /^\d{4}-\d{2}-\d{2}$/, "a YYYY-MM-DD date", "UEV2-RESP-11");
  if (typeof ext?.birthdate === "string" && Number.isNaN(Date.parse(`${ext.birthdate}T00:00:00Z`))) {
    out.fail("UEV2-RESP-11", `${at}birthdate ${show(ext.birthdate)} is not a calendar date`);
  }
  if (profile && verified) {
    for (const m of ["nhsNumber", "birthdate"])
      if (ext && ext[m] === undefined) out.fail("UEV2-RESP-11", `${at}${m} is missing although profile was granted for a ${proofing} user`);
  }
  if (profile && ctx.searched?.nhsNumber !== undefined && ext?.nhsNumber !== undefined && ext.nhsNumber !== ctx.searched.nhsNumber) {
    out.fail("UEV2-RESP-11", `${at}nhsNumber is ${show(ext.nhsNumber)}, but the search asked for ${show(ctx.searched.nhsNumber)}`);
  }
  const name = user.name === undefined ? undefined : asObject(user.name);
  if (user.name !== undefined && !name) out.fail("UEV2-RESP-14", `${at}name is ${show(user.name)}, expected an object`);
  for (const m of ["familyName", "givenName"]) {
    if (name?.[m] !== undefined && (typeof name[m] !== "string" || name[m] === ""))
      out.fail("UEV2-RESP-14", `${at}name.${m} is ${show(name[m])}, expected a non-empty string`);
  }
  if (profile && verified && name?.familyName === undefined)
    out.warn("UEV2-RESP-14", `${at}name.familyName is missing although profile was granted for a ${proofing} user`);

  // GP details (RESP-12, RESP-13).
  checkString(ext, "gpOdsCode", /^\S+$/, "a non-empty string", "UEV2-RESP-12");
  checkString(ext, "gpUserId", /^\S(.*\S)?$/, "a non-empty string", "UEV2-RESP-13");
  checkString(ext, "gpLinkageKey", /^\S(.*\S)?$/, "a non-empty string", "UEV2-RESP-13");

  // emails (RESP-15..17).
  if (user.emails !== undefined) {
    const emails = user.emails;
    if (!Array.isArray(emails) || emails.length === 0)
      out.fail("UEV2-RESP-15", `${at}emails is ${show(emails)}, expected a non-empty array`);
    else {
      let primaries = 0;
      emails.forEach((e, i) => {
        const entry = asObject(e);
        if (!entry || typeof entry.value !== "string" || !isEmailShaped(entry.value))
          out.fail("UEV2-RESP-15", `${at}emails[${i}].value is ${show(entry?.value)}, expected an email address`);
        if (entry && entry.type !== "home") out.fail("UEV2-RESP-16", `${at}emails[${i}].type is ${show(entry.type)}, expected "home"`);
        if (entry?.primary === true || entry?.primary === "true") primaries++;
        if (typeof entry?.primary === "string")
          out.warn("UEV2-RESP-17", `${at}emails[${i}].primary is the string ${show(entry.primary)}; T15 makes it a boolean (catalogue A2)`);
        else if (entry && entry.primary !== undefined && typeof entry.primary !== "boolean")
          out.warn("UEV2-RESP-17", `${at}emails[${i}].primary is ${show(entry.primary)}, expected a boolean`);
      });
      if (primaries > 1) out.warn("UEV2-RESP-17", `${at}${primaries} email addresses are marked primary, expected at most one`);
      const wanted = ctx.searched?.email;
      if (
        wanted !== undefined &&
        releases("email") &&
        !emails.some((e) => typeof asObject(e)?.value === "string" && (asObject(e)!.value as string).toLowerCase() === wanted.toLowerCase())
      ) {
        out.fail("UEV2-RESP-15", `${at}emails does not hold ${show(wanted)}, the address searched for`);
      }
    }
  } else if (releases("email") && ctx.searched?.email !== undefined) {
    out.fail("UEV2-RESP-15", `${at}emails is missing although email was granted and the user was found by email`);
  }

  // phoneNumbers (RESP-18).
  const phoneTypes = new Set<string>();
  if (user.phoneNumbers !== undefined) {
    const phones = user.phoneNumbers;
    if (!Array.isArray(phones) || phones.length === 0)
      out.fail("UEV2-RESP-18", `${at}phoneNumbers is ${show(phones)}, expected a non-empty array`);
    else {
      phones.forEach((p, i) => {
        const entry = asObject(p);
        const type = entry?.type;
        if (type !== "mobile" && type !== "landline")
          out.fail("UEV2-RESP-18", `${at}phoneNumbers[${i}].type is ${show(type)}, expected mobile or landline`);
        else phoneTypes.add(type);
        if (typeof entry?.value !== "string")
          out.fail("UEV2-RESP-18", `${at}phoneNumbers[${i}].value is ${show(entry?.value)}, expected a string`);
        else if (!PHONE.test(entry.value))
          out.warn("UEV2-RESP-18", `${at}phoneNumbers[${i}].value ${show(entry.value)} is neither +44... nor 0... (catalogue A32)`);
      });
    }
  }

  if (user.userName !== undefined && (typeof user.userName !== "string" || user.userName === "")) {
    out.fail("UEV2-RESP-19", `${at}userName is ${show(user.userName)}, expected a non-empty string`);
  }

  // Scope coverage (SCOPE-10, RESP-20).
  const present = (attribute: string): boolean => {
    if (attribute === "name.familyName") return name?.familyName !== undefined;
    if (attribute === "name.givenName") return name?.givenName !== undefined;
    if (attribute.startsWith(`${NHS_USER_EXTENSION}.`)) return ext?.[attribute.slice(NHS_USER_EXTENSION.length + 1)] !== undefined;
    if (attribute === "emails") return user.emails !== undefined;
    if (attribute === "phoneNumbers[type=mobile]") return phoneTypes.has("mobile");
    return phoneTypes.has("landline");
  };
  for (const rule of USERS_V2_ATTRIBUTE_SCOPES)
    if (present(rule.attribute) && !releases(rule.scope)) beyondScope(rule.attribute, rule.scope);
  if (user.userName !== undefined && !releases("profile")) {
    out.deviation(
      "UEV2-RESP-20",
      `${at}userName is returned with only ${ctx.usersScope} granted; the T14 examples show it only with optional scopes (catalogue A33)`,
    );
  }
  out.pass("UEV2-SCOPE-10", `${at}every attribute returned is covered by the granted scopes (${ctx.grantedScopes.join(" ")})`);
  out.pass("UEV2-RESP-20", `${at}no attribute outside T15 and nothing sent as null`);
  for (const id of USER_RESOURCE_IDS) {
    if (id === "UEV2-RESP-20") continue; // judged above
    // Only close the IDs this resource actually exercised.
    if (out.list().some((f) => f.requirement === id)) continue;
    if (exercised(id)) out.pass(id, `${at}${PASS_TEXT[id]}`);
    else out.skip(id, `${at}not applicable: the resource has no attribute this rule judges`);
  }
  return out.list();

  function exercised(id: string): boolean {
    switch (id) {
      case "UEV2-RESP-11":
        return profile || ext?.nhsNumber !== undefined || ext?.birthdate !== undefined;
      case "UEV2-RESP-12":
        return ext?.gpOdsCode !== undefined;
      case "UEV2-RESP-13":
        return ext?.gpUserId !== undefined || ext?.gpLinkageKey !== undefined;
      case "UEV2-RESP-14":
        return name !== undefined;
      case "UEV2-RESP-15":
      case "UEV2-RESP-16":
      case "UEV2-RESP-17":
        return user!.emails !== undefined;
      case "UEV2-RESP-18":
        return user!.phoneNumbers !== undefined;
      default:
        return user!.userName !== undefined;
    }
  }

  function checkString(container: Record<string, unknown> | undefined, member: string, pattern: RegExp, what: string, id: string): void {
    const value = container?.[member];
    if (value === undefined || value === null) return;
    if (typeof value !== "string" || !pattern.test(value)) out.fail(id, `${at}${member} is ${show(value)}, expected ${what}`);
  }
}

const PASS_TEXT: Record<string, string> = {
  "UEV2-RESP-11": "nhsNumber and birthdate, where returned, are a 10-digit string and a YYYY-MM-DD date",
  "UEV2-RESP-12": "gpOdsCode is a string",
  "UEV2-RESP-13": "gpUserId and gpLinkageKey are strings",
  "UEV2-RESP-14": "name holds string familyName/givenName",
  "UEV2-RESP-15": "emails is a non-empty array of addresses",
  "UEV2-RESP-16": 'every emails[].type is "home"',
  "UEV2-RESP-17": "emails[].primary is a boolean, at most one true",
  "UEV2-RESP-18": "phoneNumbers entries are mobile/landline with a phone number",
  "UEV2-RESP-19": "userName is a string",
};

/** JSON paths of members whose value is null. */
function nullPaths(value: unknown, path = ""): string[] {
  if (value === null) return [path || "/"];
  if (Array.isArray(value)) return value.flatMap((v, i) => nullPaths(v, `${path}[${i}]`));
  if (typeof value === "object")
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => nullPaths(v, path ? `${path}.${k}` : k));
  return [];
}
