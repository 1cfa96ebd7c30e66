/**
 * The error rows of Users Endpoint V2 Table 10 (UEV2 §3.3.3), as data. The simulator answers with
 * these texts and the checks compare what an environment sends against them, so both read this
 * one table. Descriptions are the decoded JSON string values (on the wire the inner quotes are
 * escaped). Two rows are templates; fill them with {@link scopeRequiredDescription} and
 * {@link scopesNotApprovedDescription}.
 *
 * @example
 * ```ts
 * USERS_V2_ERRORS.invalidSyntax // { status: 400, description: "Invalid syntax", requirement: "UEV2-ERR-01", ... }
 * USERS_V2_ERRORS.scopeRequired.pattern.test('Scope "profile" required for access was not present in request') // true
 * scopeRequiredDescription("profile") // 'Scope "profile" required for access was not present in request'
 * ```
 */

export interface UsersV2ErrorRow {
  /** HTTP status of the row. */
  readonly status: 400 | 403 | 500;
  /** The `description` text exactly as printed in T10 (templates keep their `<...>` placeholders). */
  readonly description: string;
  /** Anchored pattern matching a conformant description (templates capture the filled parts). */
  readonly pattern: RegExp;
  /** Requirement ID of the catalogue (section 2.32). */
  readonly requirement: string;
  /** When the row applies, in short (T10 third column). */
  readonly when: string;
}

const exact = (text: string): RegExp => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);

function row(
  status: UsersV2ErrorRow["status"],
  description: string,
  requirement: string,
  when: string,
  pattern = exact(description),
): UsersV2ErrorRow {
  return Object.freeze({ status, description, pattern, requirement, when });
}

/** Every row of UEV2 Table 10, keyed by a stable name. */
export const USERS_V2_ERRORS = Object.freeze({
  invalidSyntax: row(400, "Invalid syntax", "UEV2-ERR-01", "the filter expression is not well formed"),
  invalidAttribute: row(400, "Invalid attribute", "UEV2-ERR-02", "the attribute matches none of the supported ones"),
  invalidOperator: row(400, "Invalid operator", "UEV2-ERR-03", "the comparison operator is not eq"),
  tooManyExpressions: row(400, "More than 5 expressions provided", "UEV2-ERR-04", "the filter has more than 5 expressions"),
  invalidNhsNumber: row(400, "Invalid NHS number", "UEV2-ERR-05", "an nhsnumber value is not 10 digits"),
  invalidEmail: row(400, "Invalid email", "UEV2-ERR-06", "an email value is not of the form a@b.c"),
  unexpectedAttribute: row(
    400,
    'Either one of "nhsnumber" or "email" must be used for each query',
    "UEV2-ERR-07",
    "an unexpected attribute is used",
  ),
  filterMissing: row(400, 'Query string "filter" not present', "UEV2-ERR-08", "the query string has no filter parameter"),
  noScope: row(403, "No scope was present in the request", "UEV2-ERR-09", "the access token carries no scope at all"),
  scopeRequired: row(
    403,
    'Scope "<scope name>" required for access was not present in request',
    "UEV2-ERR-10",
    "Users.retrieve is missing, or another optional scope was granted without profile",
    /^Scope "([^"]+)" required for access was not present in request$/,
  ),
  scopesNotApproved: row(
    403,
    "Requested scopes: <scope names> did not match the clients approved scopes: <clients approved scopes>",
    "UEV2-ERR-11",
    "none of the requested scopes is approved for the client",
    /^Requested scopes: (.*) did not match the clients approved scopes: (.*)$/,
  ),
  internal: row(500, "Internal server error", "UEV2-ERR-12", 'unexpected failure; the body is {"error": ...}, not the Errors envelope'),
} satisfies Record<string, UsersV2ErrorRow>);

export type UsersV2ErrorName = keyof typeof USERS_V2_ERRORS;

/** The filter-related 400 texts, in the order {@link parseFilter} checks them. */
export const FILTER_ERROR_TEXTS = Object.freeze({
  invalidSyntax: USERS_V2_ERRORS.invalidSyntax.description,
  tooManyExpressions: USERS_V2_ERRORS.tooManyExpressions.description,
  invalidOperator: USERS_V2_ERRORS.invalidOperator.description,
  invalidAttribute: USERS_V2_ERRORS.invalidAttribute.description,
  unexpectedAttribute: USERS_V2_ERRORS.unexpectedAttribute.description,
  invalidNhsNumber: USERS_V2_ERRORS.invalidNhsNumber.description,
  invalidEmail: USERS_V2_ERRORS.invalidEmail.description,
});

/** T10 row 10 filled in: `Scope "<scope>" required for access was not present in request`. */
export function scopeRequiredDescription(scope: string): string {
  return `Scope "${scope}" required for access was not present in request`;
}

/** T10 row 11 filled in, each list space-separated. */
export function scopesNotApprovedDescription(requested: readonly string[], approved: readonly string[]): string {
  return `Requested scopes: ${requested.join(" ")} did not match the clients approved scopes: ${approved.join(" ")}`;
}
