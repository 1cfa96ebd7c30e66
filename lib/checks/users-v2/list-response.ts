/**
 * Checks of a /v2/Users search answer (UEV2 §3.3.2, §5.2 T15; UEV2-RESP-01..05, and each User
 * resource through {@link userResourceFindings}): HTTP 200, `application/scim+json` or
 * `application/json` (catalogue A35), a ListResponse whose `Resources` length equals
 * `totalResults`. Graded against the `users-v2-list-response` schema.
 *
 * @example
 * ```ts
 * const { findings, ids } = listResponseFindings(res, { usersScope, grantedScopes })
 * ```
 */
import type { Finding } from "../../requirements/index.ts";
import { Findings } from "../findings.ts";
import { asObject, excerpt, jsonBodyOf, mediaTypeOf, schemaGrade, type CapturedResponse } from "./response.ts";
import { userResourceFindings, type UserResourceContext } from "./user-resource.ts";
import { LIST_RESPONSE_SCHEMA } from "../../nhs/constants.ts";

export type ListResponseContext = Omit<UserResourceContext, "label">;

export interface ListResponseResult {
  findings: Finding[];
  /** The `id` of every resource returned, in order; undefined when the answer was not a usable ListResponse. */
  ids?: string[];
  totalResults?: number;
}

export function listResponseFindings(res: CapturedResponse, ctx: ListResponseContext): ListResponseResult {
  const out = new Findings();
  if (res.status !== 200) {
    out.fail("UEV2-RESP-01", `the search answered HTTP ${res.status}, expected 200 (body: ${excerpt(res.text)})`);
    return { findings: out.list() };
  }
  const type = mediaTypeOf(res);
  if (type !== "application/scim+json" && type !== "application/json") {
    out.warn("UEV2-RESP-01", `Content-Type is ${type ?? "absent"}, expected application/scim+json or application/json (catalogue A35)`);
  }
  const parsed = jsonBodyOf(res);
  const body = parsed.ok ? asObject(parsed.value) : undefined;
  if (!body) {
    out.fail("UEV2-RESP-01", parsed.ok ? "the search answer is not a JSON object" : parsed.error);
    return { findings: out.list() };
  }
  out.pass("UEV2-RESP-01", `HTTP 200 ${type} with a JSON body`);
  out.addAll(schemaGrade("UEV2-RESP-02", "users-v2-list-response", body));

  const schemas = body.schemas;
  if (Array.isArray(schemas) && schemas.length === 1 && schemas[0] === LIST_RESPONSE_SCHEMA)
    out.pass("UEV2-RESP-02", `schemas is ["${LIST_RESPONSE_SCHEMA}"]`);
  else out.fail("UEV2-RESP-02", `schemas is ${JSON.stringify(schemas ?? null)}, expected ["${LIST_RESPONSE_SCHEMA}"]`);

  const total = body.totalResults;
  const totalOk = typeof total === "number" && Number.isInteger(total) && total >= 0;
  if (totalOk) out.pass("UEV2-RESP-03", `totalResults is ${total}`);
  else out.fail("UEV2-RESP-03", `totalResults is ${JSON.stringify(total ?? null)}, expected a non-negative integer`);

  const resources = body.Resources;
  if (resources !== undefined && !Array.isArray(resources)) {
    out.fail("UEV2-RESP-05", `Resources is ${JSON.stringify(resources)}, expected an array`);
    return { findings: out.list() };
  }
  const list = (resources ?? []) as unknown[];
  if (totalOk && total > 0 && resources === undefined) out.fail("UEV2-RESP-05", `totalResults is ${total} but Resources is missing`);
  // The length rule is the DERIVED half of RESP-05 (no pagination), so a mismatch warns.
  else if (totalOk && list.length !== total)
    out.warn("UEV2-RESP-05", `Resources holds ${list.length} users but totalResults is ${total} (there is no pagination)`);
  else if (totalOk)
    out.pass(
      "UEV2-RESP-05",
      `Resources holds ${list.length} user${list.length === 1 ? "" : "s"}, as totalResults says` +
        `${resources === undefined ? " (absent for none, catalogue A34)" : ""}`,
    );

  list.forEach((r, i) => out.addAll(userResourceFindings(r, { ...ctx, label: `Resources[${i}]` })));
  const ids = list.map((r) => asObject(r)?.id).filter((id): id is string => typeof id === "string");
  return { findings: out.list(), ids, ...(totalOk ? { totalResults: total } : {}) };
}
