/**
 * Error codes NHS login answers with, lower case as on the wire (catalogue A10).
 *
 * @example
 * ```ts
 * AUTHORIZE_ERROR_CODES.includes("sso_login_required") // true
 * ```
 */

/** EIS Table 5: authorization error response. */
export const AUTHORIZE_ERROR_CODES = [
  "invalid_request",
  "unauthorized_client",
  "access_denied",
  "unsupported_response_type",
  "invalid_scope",
  "sso_login_required",
  "server_error",
  "temporarily_unavailable",
  "interaction_required",
  "login_required",
  "account_selection_required",
  "consent_required",
  "invalid_request_uri",
  "invalid_request_object",
  "request_not_supported",
  "request_uri_not_supported",
  "registration_not_supported",
] as const;
export type AuthorizeErrorCode = (typeof AUTHORIZE_ERROR_CODES)[number];

/** EIS Table 10 (and UEV2 Table 4): token error response. */
export const TOKEN_ERROR_CODES = [
  "invalid_request",
  "invalid_client",
  "invalid_grant",
  "unauthorized_client",
  "unsupported_grant_type",
  "invalid_scope",
] as const;
export type TokenErrorCode = (typeof TOKEN_ERROR_CODES)[number];
