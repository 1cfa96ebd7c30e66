/**
 * Users Endpoint V2 checks as pure finding functions (UEV2-TOKEN-*, UEV2-AT-*, UEV2-RESP-*,
 * UEV2-SCOPE-*, UEV2-ERR-*), usable on live responses and on captured `users-v2-*.json`
 * artefacts alike, plus the requests the environment checks send.
 *
 * @example
 * ```ts
 * import { tokenResponseFindings, listResponseFindings, errorResponseFindings, expectedError } from "./users-v2.ts"
 * tokenResponseFindings(res, { requestedScopes, usersScope })
 * listResponseFindings(res, { usersScope, grantedScopes }).findings
 * errorResponseFindings(res, expectedError(USERS_V2_ERRORS.invalidSyntax))
 * ```
 */
export { headerOf, mediaTypeOf, jsonBodyOf, schemaGrade, type CapturedResponse } from "./users-v2/response.ts";
export {
  tokenResponseFindings,
  grantedScopeFindings,
  USERS_V2_TOKEN_LIFETIME,
  type TokenResponseContext,
} from "./users-v2/token-response.ts";
export { accessTokenClaimsFindings, accessTokenSignatureFindings, type AccessTokenContext } from "./users-v2/access-token.ts";
export { refusedTokenRequestFindings, USERS_V2_TOKEN_ERROR_CODES, type RefusalExpectation } from "./users-v2/token-error.ts";
export { listResponseFindings, LIST_RESPONSE_SCHEMA, type ListResponseContext, type ListResponseResult } from "./users-v2/list-response.ts";
export {
  userResourceFindings,
  scopeReleases,
  USERS_V2_ATTRIBUTE_SCOPES,
  SCIM_USER_SCHEMA,
  NHS_USER_EXTENSION,
  type UserResourceContext,
} from "./users-v2/user-resource.ts";
export { errorResponseFindings, expectedError, expectedScopeRequired, type ExpectedUsersV2Error } from "./users-v2/error-response.ts";
export { filterExpectation, filterTerms, sameSet, type FilterExpectation } from "./users-v2/filter-expectation.ts";
export {
  usersV2Endpoints,
  requestedUsersV2Scopes,
  postUsersV2Token,
  signUsersV2Assertion,
  usersV2Token,
  searchUsersV2,
  usersV2Identities,
  probeEmail,
  DEFAULT_OPTIONAL_SCOPES,
  JWT_BEARER_GRANT_TYPE,
  JWT_BEARER_GRANT_TYPE_TYPO,
  PROBE_NHS_NUMBER,
  type UsersV2Endpoints,
  type UsersV2Token,
  type UsersV2Identity,
  type TokenRequestOptions,
  type SearchOptions,
} from "./users-v2/requests.ts";
