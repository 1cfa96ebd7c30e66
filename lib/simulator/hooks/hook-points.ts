/**
 * The points at which a simulator fault or defect changes what the simulator does. Each point
 * names the value the route computes the conformant way and what it knows when it asks; an entry
 * of the fault table (lib/simulator/faults.ts) carries a hook for each point it changes, a
 * function from that value to the value it sends instead. Routes ask through one mechanism,
 * {@link applyHook}.
 *
 * @example
 * ```ts
 * const hooks: Hooks = { idTokenClaims: (claims) => ({ ...claims, nonce: "wrong" }) }
 * ```
 */
import type { ParsedFilter, FilterableRecord } from "../../nhs/scim-filter/index.ts";
import type { Grant } from "../state.ts";
import type { Persona } from "../personas.ts";
import type { SigningRecipe } from "../tokens/signing-recipe.ts";

export type Claims = Record<string, unknown>;

/** How a route reads a Users V2 filter against a person. */
export type FilterMatcher = (filter: ParsedFilter, record: FilterableRecord) => boolean;

/** Where an answer can be held by a slow-answer fault: the sign-in's three, and the two consumers'. */
export type SlowEndpoint = "authorize" | "token" | "userinfo" | "users-v2" | "provision-account";

/** The shape of token-endpoint error responses. */
export interface TokenErrorShape {
  /** `as-raised`: the RFC 6749 code of the error; `invalid_request`: every error reported as invalid_request 400. */
  codes: "as-raised" | "invalid_request";
  /** `json`: `{error, error_description}`; `text`: a plain-text status line. */
  body: "json" | "text";
}

/** Each point: the conformant `value` a route computed, and the `env` it computed it from. */
export interface HookPoints {
  // Discovery and keys
  discoveryDocument: { value: Claims; env: undefined };
  publishedJwk: { value: Claims; env: undefined };
  /** The algorithm the simulator signs its tokens with and advertises. */
  signingAlgorithm: { value: "RS512" | "RS256"; env: undefined };
  /** The oldest TLS version the simulator's https mode negotiates (FED-GEN-01: 1.2). */
  tlsMinimumVersion: { value: "TLSv1.2" | "TLSv1"; env: undefined };
  /** The trust mark document the vtm URL serves (VOT-08). */
  trustmarkDocument: { value: Claims; env: undefined };
  /** Modulus length of a freshly generated signing key. */
  signingKeyBits: { value: number; env: undefined };
  // /authorize
  authorizeValidation: { value: "validate" | "accept-anything"; env: undefined };
  /** Whether a live NHS login session signs the person in silently (no prompt, prompt=none). */
  ssoReuse: { value: "reuse" | "ignore"; env: undefined };
  /** Whether prompt=login makes the person sign in again although a session exists. */
  promptLogin: { value: "honour" | "ignore"; env: undefined };
  /**
   * The rules an asserted_login_identity must meet (SSO-06, SSO-09, SSO-11, TTL-05): the longest
   * `exp - iat`, whether each is honoured once only, and whether the pair must be configured.
   */
  assertedIdentityRules: {
    value: { maxLifetime: number; futureIat: "refuse" | "accept"; singleUse: boolean; pairs: "enforce" | "ignore" };
    env: undefined;
  };
  /** Whether a session is reused only for vectors of trust it meets (VOT-10). */
  ssoVtrCheck: { value: "enforce" | "ignore"; env: undefined };
  /** Federation scopes granted: the known ones among `requested`. */
  grantedScopes: { value: string[]; env: { requested: string[] } };
  /** An error code to answer the sign-in with instead of a code. */
  authorizeError: { value: string | undefined; env: undefined };
  /** The `state` returned with the code. */
  authorizeState: { value: string | undefined; env: undefined };
  /** The `error` an error redirect carries (a Table 5 code). */
  authorizeErrorCode: { value: string; env: undefined };
  /**
   * How long the answer to a request at `endpoint` is held (ms): 0, or what a slow-answer fault
   * says: the arm request's `delayMs` (`armedMs`) or the fault's own default.
   */
  answerDelayMs: { value: number; env: { endpoint: SlowEndpoint; armedMs: number | undefined } };
  // /token
  tokenRequestTypes: { value: readonly string[]; env: undefined };
  clientAuthentication: { value: "verify" | "lax"; env: undefined };
  codeReuse: { value: "refuse" | "accept"; env: undefined };
  /** Whether a code is redeemed only with the redirect_uri of its authorization request. */
  codeRedirectBinding: { value: "enforce" | "ignore"; env: undefined };
  /** Whether a code is redeemed only by the client it was issued to. */
  codeClientBinding: { value: "enforce" | "ignore"; env: undefined };
  /** An error code to answer the code grant with instead of tokens. */
  codeGrantError: { value: string | undefined; env: undefined };
  refreshGrant: { value: "honour" | "refuse"; env: undefined };
  tokenResponseHeaders: { value: Record<string, string>; env: undefined };
  tokenErrorShape: { value: TokenErrorShape; env: undefined };
  tokenLifetimes: { value: { idToken: number; accessToken: number }; env: undefined };
  /** How long an authorization code and a refresh token (its whole rotation chain) stay valid, in seconds. */
  grantLifetimes: { value: { code: number; refreshToken: number }; env: undefined };
  /** The body of a code or refresh grant's token response, before it is sent. */
  tokenResponseBody: { value: Claims; env: { grant: "authorization_code" | "refresh_token" } };
  // Tokens
  idTokenClaims: { value: Claims; env: { grant: Grant; now: number; ttl: number } };
  idTokenSigning: { value: SigningRecipe; env: undefined };
  accessTokenClaims: { value: Claims; env: { grant: Grant } };
  accessTokenSigning: { value: SigningRecipe; env: undefined };
  // /userinfo
  userinfoValidation: { value: "validate" | "accept-anything"; env: undefined };
  /** The client_user_metadata UserInfo gives a person of `level` (SCOPE-11: at every level). */
  metadataRelease: { value: string | undefined; env: { level: string } };
  /** The rules of PATCH /userinfo: the longest client_user_metadata, and whether client_metadata must be granted. */
  metadataRules: { value: { maxLength: number; scope: "enforce" | "ignore" }; env: undefined };
  userinfoSub: { value: string; env: undefined };
  /** The whole UserInfo body (iss, aud, sub and the released claims), before it is sent. */
  userinfoBody: { value: Claims; env: undefined };
  userinfoRelease: { value: "by-scope" | "beyond-scope"; env: undefined };
  /** How a bearer-token error is told: the RFC 6750 header, or a JSON body without it. */
  userinfoChallenge: { value: "www-authenticate" | "json-body"; env: undefined };
  /** How the claims are sent: plain JSON, or as a signed JWT (application/jwt). */
  userinfoFormat: { value: "json" | "jwt"; env: undefined };
  /** The HTTP status of a bearer-token error (RFC 6750 §3.1), by its error code. */
  userinfoErrorStatus: { value: number; env: { error: string } };
  /** The value stored for `client_user_metadata: "auto"`: a secret encrypted for the client. */
  generatedMetadata: { value: string; env: undefined };
  // Users Endpoint V2
  usersV2TokenLifetime: { value: number; env: undefined };
  /** The jwt-bearer grant's token response body, before it is sent. */
  usersV2TokenResponse: { value: Claims; env: undefined };
  usersV2AccessTokenClaims: { value: Claims; env: undefined };
  usersV2Writes: { value: "refuse" | "accept"; env: undefined };
  usersV2MaxExpressions: { value: number | undefined; env: undefined };
  usersV2Matcher: { value: FilterMatcher; env: undefined };
  usersV2NoMatch: { value: "empty-list" | "not-found"; env: undefined };
  /** Scopes whose attributes are released: those granted. */
  usersV2ReleasedScopes: { value: string[]; env: { usersScope: string } };
  usersV2ErrorDescription: { value: string; env: undefined };
  usersV2Anonymous: { value: "refuse" | "serve"; env: undefined };
  usersV2ScopeEnforcement: { value: "enforce" | "skip"; env: undefined };
  /** The ListResponse body of a search, before it is sent. */
  usersV2ListResponse: { value: Claims; env: { found: readonly Persona[] } };
  /** Headers of a search's 200 answer (Content-Type among them). */
  usersV2ResponseHeaders: { value: Record<string, string>; env: undefined };
  /** The assertion algorithms the jwt-bearer grant accepts (the federation grant keeps its own). */
  usersV2AssertionAlgorithms: { value: readonly string[]; env: undefined };
  /** The `error` code a refused jwt-bearer token request is answered with. */
  usersV2TokenErrorCode: { value: string; env: undefined };
  /** The scope a jwt-bearer request without `scope` is read as; undefined refuses it (invalid_request). */
  usersV2MissingScope: { value: string | undefined; env: { approved: readonly string[] } };
  /** Whether the SCIM `attributes` query parameter narrows the resources (T14: scopes alone decide). */
  usersV2AttributesParameter: { value: "ignore" | "honour"; env: undefined };
  /** A body to answer a search with as HTTP 500 instead of searching; undefined searches. */
  usersV2ServerError: { value: Claims | undefined; env: { filter: string } };
  // Users V2 consumer faults, armed per request (lib/simulator/users-v2/consumer-faults.ts)
  /** An answer sent to an authenticated search instead of searching (undefined: search). */
  usersV2SearchAnswer: {
    value: UsersV2Answer | undefined;
    env: { usersScope: string; requested: readonly string[]; approved: readonly string[] };
  };
  /** The personas a search found. */
  usersV2Found: { value: Persona[]; env: { personas: readonly Persona[] } };
  /** One User resource of a ListResponse, before it is sent. */
  usersV2UserResource: { value: Claims; env: undefined };
  /** An OAuth error code to refuse a verified jwt-bearer token request with. */
  usersV2TokenError: { value: string | undefined; env: undefined };
  /** Issue the access token as an opaque string instead of a JWT. */
  usersV2OpaqueToken: { value: boolean; env: undefined };
  // Provision Account (lib/simulator/provision-account/)
  /** Lifetime of a client_credentials access token (s). */
  paTokenLifetime: { value: number; env: undefined };
  paAccessTokenClaims: { value: Claims; env: undefined };
  /** Which provisioning rules are applied, each answering its T11 code when broken. */
  paRules: { value: PaRules; env: undefined };
  /** A success answer's body ({code, description}), before it is sent. */
  paSuccessBody: { value: Claims; env: undefined };
  /** An error answer's body ({code, description}), before it is sent. */
  paErrorBody: { value: Claims; env: undefined };
  // Provision Account consumer faults, armed per call (lib/simulator/provision-account/consumer-faults.ts)
  /** An answer sent to an authenticated provisioning request instead of provisioning (undefined: provision). */
  paAnswer: { value: UsersV2Answer | undefined; env: undefined };
}

/** The provisioning rules (PA T11), each on unless a defect switches it off. */
export interface PaRules {
  /** T7 body rules: 11010. */
  body: boolean;
  /** The ODS code is one the client provisions for: 11021. */
  odsCode: boolean;
  /** The person has no P9 account yet: 11005. */
  alreadyP9: boolean;
  /** The email is not another account's: 11004. */
  emailInUse: boolean;
  /** No request for the person in the last 7 days: 11003. */
  pending: boolean;
}

/** A whole answer to a Users V2 search: status, body (JSON unless a string) and extra headers. */
export interface UsersV2Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Revoke the access token presented (a 401 that a retry with the same token meets again). */
  revokeToken?: boolean;
}

export type HookPoint = keyof HookPoints;

/** A hook: the value the fault or defect sends instead of the conformant one. */
export type Hook<P extends HookPoint> = (value: HookPoints[P]["value"], env: HookPoints[P]["env"]) => HookPoints[P]["value"];

/** The hooks of one fault or defect. */
export type Hooks = { readonly [P in HookPoint]?: Hook<P> };
