/**
 * Which row of Users V2 Table 10 a captured error answer is held to. A capture does not always say
 * what was asked, so, in order:
 *
 * 1. the envelope's `request.filter`, when the filter parser refuses it: the row of its refusal;
 * 2. the row whose text the answer's description matches (T10 texts, templates by pattern; the
 *    unquoted scope text of catalogue A27 too), held to that row's status;
 * 3. otherwise every row's text is acceptable under UEV2-ERR-13, so the answer fails for a
 *    description that is none of them.
 *
 * @example
 * ```ts
 * errorResponseFindings(capture, expectedUsersV2Error(capture))
 * ```
 */
import { FilterError } from "../errors/index.ts";
import { parseFilter, USERS_V2_ERRORS, type UsersV2ErrorRow } from "../nhs/scim-filter/index.ts";
import { expectedError, expectedScopeRequired, type ExpectedUsersV2Error } from "../checks/users-v2/error-response.ts";
import type { CapturedAnswer } from "./types.ts";

const ROWS: readonly UsersV2ErrorRow[] = Object.values(USERS_V2_ERRORS).filter((r) => r !== USERS_V2_ERRORS.internal);
const UNQUOTED_SCOPE = /^Scope (\S+) required for access was not present in request$/;

const byPattern = (row: UsersV2ErrorRow): ExpectedUsersV2Error => ({
  requirement: row.requirement,
  status: row.status,
  accepted: [{ description: row.pattern, row: row.requirement }],
});

/** The description of the first error of a T10 body (or of a bare `{description}` object). */
function descriptionOf(body: unknown): unknown {
  if (body === null || typeof body !== "object") return undefined;
  const errors = (body as { Errors?: unknown }).Errors;
  const first = Array.isArray(errors) ? errors[0] : body;
  return first !== null && typeof first === "object" ? (first as { description?: unknown }).description : undefined;
}

export function expectedUsersV2Error(answer: Pick<CapturedAnswer, "body" | "status" | "request">): ExpectedUsersV2Error {
  const filter = answer.request?.filter;
  if (filter !== undefined) {
    try {
      parseFilter(filter);
    } catch (err) {
      if (!(err instanceof FilterError)) throw err;
      const row = ROWS.find((r) => r.description === err.description);
      if (row) return expectedError(row);
    }
  }
  const text = descriptionOf(answer.body);
  if (typeof text === "string") {
    const row = ROWS.find((r) => r.pattern.test(text));
    if (row === USERS_V2_ERRORS.scopeRequired) return expectedScopeRequired(row.pattern.exec(text)![1]!);
    if (row) return byPattern(row);
    const unquoted = UNQUOTED_SCOPE.exec(text);
    if (unquoted) return expectedScopeRequired(unquoted[1]!);
  }
  return {
    requirement: "UEV2-ERR-13",
    status: answer.status,
    accepted: ROWS.map((r) => ({ description: r.pattern, row: `${r.requirement} (T10)` })),
  };
}
