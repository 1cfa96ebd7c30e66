/**
 * The protocol identifiers NHS login's specifications use, defined once: the RFC 7523 client
 * assertion type and grant type, the Users Endpoint V2 grant-type misspelling some partners send,
 * and the SCIM schema URNs of the Users V2 answers.
 *
 * @example
 * ```ts
 * form.client_assertion_type = CLIENT_ASSERTION_TYPE
 * body.schemas.includes(LIST_RESPONSE_SCHEMA)
 * ```
 */

/** `client_assertion_type` of private_key_jwt (RFC 7523 §2.2; EIS §3.5.2). */
export const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** The JWT bearer grant (RFC 7523 §2.1) of the Users Endpoint V2 token request (UEV2 §3.2.3). */
export const JWT_BEARER_GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/** A misspelling of the JWT bearer grant type ("grant-assertion-type"), which must be refused (UEV2-TOKEN-02). */
export const JWT_BEARER_GRANT_TYPE_TYPO = "urn:ietf:params:oauth:grant-assertion-type:jwt-bearer";

/** The SCIM core User schema of a Users V2 resource. */
export const SCIM_USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";

/** NHS login's extension schema of a Users V2 resource (vectors of trust, GP registration...). */
export const NHS_USER_EXTENSION = "uk:nhs:login:auth:1.0:User";

/** The SCIM ListResponse message schema of a Users V2 search answer. */
export const LIST_RESPONSE_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
