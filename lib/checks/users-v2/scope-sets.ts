/**
 * What one search under one scope set shows (UEV2 §5.1 T14, §5.2 T15, §2.2): the optional scope's
 * attributes come back when it is granted with profile (UEV2-SCOPE-03..08), one answer may hold
 * several users (UEV2-RESP-06), and the SCIM `attributes` / `excludedAttributes` query parameters
 * change nothing (UEV2-GEN-03: the scopes alone decide).
 *
 * @example
 * ```ts
 * const set = USERS_V2_SCOPE_SETS.find((s) => s.scope === "landline")!
 * scopeSetFindings(set, body.Resources, { grantedScopes, label: "filter nhsnumber eq \"9990010005\"" })
 * ```
 */
import { isDeepStrictEqual } from "node:util";
import type { Finding } from "../../requirements/index.ts";
import { NHS_USER_EXTENSION } from "../../nhs/constants.ts";
import { Findings } from "../findings.ts";
import { asObject, excerpt, jsonBodyOf, type CapturedResponse } from "./response.ts";
import { scopeReleases } from "./user-resource.ts";

export interface ScopeSet {
  /** The optional scope, requested with Users.retrieve and profile. */
  scope: string;
  /** The UEV2-SCOPE row that maps it. */
  requirement: string;
  /** What it releases, for messages. */
  attribute: string;
  /** True when the User resource carries it. */
  carries: (user: Record<string, unknown>) => boolean;
}

const ext = (user: Record<string, unknown>) => asObject(user[NHS_USER_EXTENSION]) ?? {};
const phoneOfType = (type: string) => (user: Record<string, unknown>) =>
  Array.isArray(user.phoneNumbers) && user.phoneNumbers.some((p) => asObject(p)?.type === type);

/** One scope set per optional scope of T14 other than profile. */
export const USERS_V2_SCOPE_SETS: readonly ScopeSet[] = Object.freeze([
  { scope: "email", requirement: "UEV2-SCOPE-03", attribute: "emails", carries: (u) => u.emails !== undefined },
  { scope: "phone", requirement: "UEV2-SCOPE-04", attribute: "a mobile phoneNumbers entry", carries: phoneOfType("mobile") },
  { scope: "landline", requirement: "UEV2-SCOPE-05", attribute: "a landline phoneNumbers entry", carries: phoneOfType("landline") },
  {
    scope: "gp_registration_details",
    requirement: "UEV2-SCOPE-06",
    attribute: `${NHS_USER_EXTENSION}.gpOdsCode`,
    carries: (u) => ext(u).gpOdsCode !== undefined,
  },
  {
    scope: "gp_integration_credentials",
    requirement: "UEV2-SCOPE-07",
    attribute: `${NHS_USER_EXTENSION}.gpUserId and gpLinkageKey`,
    carries: (u) => ext(u).gpUserId !== undefined && ext(u).gpLinkageKey !== undefined,
  },
  {
    scope: "profile_extended",
    requirement: "UEV2-SCOPE-08",
    attribute: "name.givenName",
    carries: (u) => asObject(u.name)?.givenName !== undefined,
  },
]);

/**
 * UEV2-SCOPE-03..08: with `set.scope` granted (and profile), some resource carries its attribute.
 * None does: the test account may simply have none (a landline, an IM1 link), so it is a warning.
 */
export function scopeSetFindings(
  set: ScopeSet,
  resources: readonly unknown[],
  ctx: { grantedScopes: readonly string[]; label: string },
): Finding[] {
  const out = new Findings();
  const granted = ctx.grantedScopes.join(" ");
  if (!scopeReleases(set.scope, ctx.grantedScopes))
    return out.skip(set.requirement, `${ctx.label}: ${set.scope} was not granted with profile (granted: ${granted})`).list();
  if (resources.length === 0)
    return out.skip(set.requirement, `${ctx.label}: the search found nobody, so ${set.attribute} could not be seen`).list();
  const carriers = resources.flatMap((r, i) => {
    const user = asObject(r);
    return user && set.carries(user) ? [`Resources[${i}]`] : [];
  });
  if (carriers.length > 0)
    out.pass(set.requirement, `${ctx.label}: ${set.attribute} returned with ${set.scope} granted (${carriers.join(", ")})`);
  else
    out.warn(
      set.requirement,
      `${ctx.label}: ${set.scope} was granted (${granted}) but no resource carries ${set.attribute}: ` +
        "the test account may have none, or the environment does not release it (recorded)",
    );
  return out.list();
}

/**
 * UEV2-RESP-06: one answer holds several users. `ids` are the resources' ids (undefined when the
 * answer was no usable ListResponse); `expected` is how many different accounts the filter names.
 */
export function severalUsersFindings(
  result: { ids?: readonly string[]; totalResults?: number },
  expected: number,
  filter: string,
): Finding[] {
  const out = new Findings();
  const id = "UEV2-RESP-06";
  if (!result.ids) return out.fail(id, `filter ${filter}: the answer holds no Resources array, so no user could be read from it`).list();
  const distinct = [...new Set(result.ids)];
  if (distinct.length >= expected)
    out.pass(
      id,
      `filter ${filter}: one answer holds ${distinct.length} users (${distinct.join(", ")}), totalResults ${result.totalResults}`,
    );
  else
    out.fail(
      id,
      `filter ${filter}: the answer holds ${distinct.length} user${distinct.length === 1 ? "" : "s"}, ` +
        `expected ${expected} (one per test account the filter names)`,
    );
  return out.list();
}

/** The members of `value` as dotted paths (array entries by index), for comparing two resources. */
function paths(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => paths(v, `${prefix}[${i}]`));
  const obj = asObject(value);
  if (!obj) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => paths(v, prefix ? `${prefix}.${k}` : k));
}

/**
 * UEV2-GEN-03: the answer to the same search with a SCIM parameter (`param`, e.g. "attributes=id")
 * equals the plain answer's `baseline` Resources. Fewer attributes is the SCIM reading, recorded as
 * a warning (the catalogue grades the probe INFO); more is a failure; a refusal is recorded.
 */
export function attributeParameterFindings(baseline: readonly unknown[], res: CapturedResponse, param: string): Finding[] {
  const out = new Findings();
  const id = "UEV2-GEN-03";
  if (res.status !== 200)
    return out
      .warn(id, `${param}: HTTP ${res.status} (recorded): the parameter is refused rather than ignored (${excerpt(res.text, 120)})`)
      .list();
  const parsed = jsonBodyOf(res);
  const resources = parsed.ok ? asObject(parsed.value)?.Resources : undefined;
  if (!Array.isArray(resources)) return out.fail(id, `${param}: the answer holds no Resources array (${excerpt(res.text, 120)})`).list();
  if (isDeepStrictEqual(resources, baseline))
    return out.pass(id, `${param}: the same ${baseline.length} resource${baseline.length === 1 ? "" : "s"} as without it`).list();
  const before = new Set(baseline.flatMap((r) => paths(r)));
  const after = new Set(resources.flatMap((r) => paths(r)));
  const added = [...after].filter((p) => !before.has(p));
  const removed = [...before].filter((p) => !after.has(p));
  if (added.length > 0) out.fail(id, `${param}: the answer adds ${added.slice(0, 8).join(", ")}, beyond what the scopes returned`);
  if (removed.length > 0)
    out.warn(id, `${param}: the answer leaves out ${removed.slice(0, 8).join(", ")}; attributes are to follow the scopes alone`);
  if (added.length === 0 && removed.length === 0)
    out.warn(id, `${param}: the same attributes, but other values or order than without it: ${excerpt(JSON.stringify(resources), 160)}`);
  return out.list();
}
