/**
 * Protocol errors the simulator answers with. Each route turns one into the response its
 * specification prescribes (redirect, JSON body, WWW-Authenticate header, error page).
 */

/** An OAuth/OIDC error (`error` + optional `error_description`) with its HTTP status. */
export class OAuthError extends Error {
  readonly code = "ERR_OAUTH" as const;
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
    /** Extra response headers, e.g. WWW-Authenticate. */
    readonly headers: Record<string, string> = {},
  ) {
    super(`${error}: ${description}`);
  }
}

/** A Users Endpoint V2 error row of UEV2 Table 10. */
export class UsersV2Error extends Error {
  readonly code = "ERR_USERS_V2" as const;
  constructor(
    readonly status: 400 | 403,
    readonly description: string,
  ) {
    super(description);
  }
}

/** A Provision Account refusal: one code of PA Table 11, answered 400 with `{code, description}` (T10). */
export class ProvisionAccountError extends Error {
  readonly code = "ERR_PROVISION_ACCOUNT" as const;
  constructor(
    /** The T11 code, e.g. "11010". */
    readonly paCode: string,
    readonly description: string,
    /** Why, for the event log (never sent). */
    readonly reason?: string,
  ) {
    super(`${paCode}: ${description}`);
  }
}
