/**
 * Checks of a /v2/Users error answer against a row of Table 10 (UEV2 §3.3.3 T9, T10;
 * UEV2-ERR-01..11, UEV2-ERR-13): the row's HTTP status, the `{"Errors":[{description, code}]}`
 * envelope with `code` the status as a string, and the row's exact description. Expected texts
 * come from `USERS_V2_ERRORS` (lib/nhs/scim-filter), never from copies.
 *
 * @example
 * ```ts
 * errorResponseFindings(res, expectedError(USERS_V2_ERRORS.invalidSyntax))
 * errorResponseFindings(res, expectedError([USERS_V2_ERRORS.invalidAttribute, USERS_V2_ERRORS.unexpectedAttribute])) // either text (A28)
 * ```
 */
import type { Finding } from "../../requirements/index.ts";
import { scopeRequiredDescription, USERS_V2_ERRORS, type UsersV2ErrorRow } from "../../nhs/scim-filter/index.ts";
import { Findings } from "../findings.ts";
import { asObject, excerpt, jsonBodyOf, schemaGrade, type CapturedResponse } from "./response.ts";

export interface ExpectedUsersV2Error {
  /** Requirement the status and text are cited under. */
  requirement: string;
  status: number;
  /** Accepted descriptions: exact strings or anchored patterns, each with the row it stands for. */
  accepted: readonly { description: string | RegExp; row: string }[];
}

/** The expectation for one row of Table 10, or several rows whose texts are all acceptable. */
export function expectedError(rows: UsersV2ErrorRow | readonly UsersV2ErrorRow[]): ExpectedUsersV2Error {
  const list = Array.isArray(rows) ? (rows as readonly UsersV2ErrorRow[]) : [rows as UsersV2ErrorRow];
  return {
    requirement: list[0]!.requirement,
    status: list[0]!.status,
    accepted: list.map((r) => ({ description: r.description, row: r.requirement })),
  };
}

/**
 * Row 10 for a named scope: the T10 text with quotes, and (catalogue A27) the §3.3.3 example's
 * text without them.
 */
export function expectedScopeRequired(scope: string): ExpectedUsersV2Error {
  const exact = scopeRequiredDescription(scope);
  const unquoted = exact.replace(`"${scope}"`, scope);
  return {
    requirement: USERS_V2_ERRORS.scopeRequired.requirement,
    status: USERS_V2_ERRORS.scopeRequired.status,
    accepted: [
      { description: exact, row: USERS_V2_ERRORS.scopeRequired.requirement },
      { description: unquoted, row: `${USERS_V2_ERRORS.scopeRequired.requirement} without quotes (A27)` },
    ],
  };
}

export function errorResponseFindings(res: CapturedResponse, expected: ExpectedUsersV2Error): Finding[] {
  const out = new Findings();
  const id = expected.requirement;
  if (res.status >= 200 && res.status < 300) {
    out.fail(id, `HTTP ${res.status}: the request was answered, expected ${expected.status} (body: ${excerpt(res.text)})`);
    return out.list();
  }
  if (res.status !== expected.status) out.fail(id, `HTTP ${res.status}, expected ${expected.status}`);

  const parsed = jsonBodyOf(res);
  const body = parsed.ok ? asObject(parsed.value) : undefined;
  if (!body) {
    out.fail("UEV2-ERR-13", `${parsed.ok ? "the error body is not a JSON object" : parsed.error} (body: ${excerpt(res.text)})`);
    return out.list();
  }
  out.addAll(schemaGrade("UEV2-ERR-13", "users-v2-error", body));
  const errors = body.Errors;
  // The §3.3.3 example's bare {description, code} shape is read too, but is not the T10 envelope (A26).
  const first = Array.isArray(errors) ? asObject(errors[0]) : typeof body.description === "string" ? body : undefined;
  if (!Array.isArray(errors) || errors.length === 0) {
    out.fail(
      "UEV2-ERR-13",
      `the body has no non-empty Errors array${first ? " (a bare {description, code} object, catalogue A26)" : ""}: ${excerpt(res.text)}`,
    );
  }
  if (first) {
    if (first.code !== String(res.status))
      out.fail(
        "UEV2-ERR-13",
        `Errors[0].code is ${JSON.stringify(first.code ?? null)}, expected the status as a string ${JSON.stringify(String(res.status))}`,
      );
    const text = first.description;
    const match = expected.accepted.find((a) =>
      typeof a.description === "string" ? a.description === text : typeof text === "string" && a.description.test(text),
    );
    if (match) out.pass(id, `HTTP ${res.status} with the ${match.row} description ${JSON.stringify(text)}`);
    else {
      const wanted = expected.accepted
        .map((a) => JSON.stringify(typeof a.description === "string" ? a.description : a.description.source))
        .join(" or ");
      out.fail(id, `description is ${JSON.stringify(text ?? null)}, expected ${wanted}`);
    }
  } else {
    out.fail(id, "no error description to compare with Table 10");
  }
  out.pass(
    "UEV2-ERR-13",
    `the body is the T10 {"Errors":[{description, code}]} envelope with code "${res.status}", the status as a string`,
  );
  return out.list();
}
