/**
 * The fault table: every way the simulator can be asked to misbehave, each entry with the
 * requirement IDs it lets a check exercise and its behaviour, as hooks at the points of
 * lib/simulator/hooks/hook-points.ts that the routes apply through `applyHook`.
 *
 * - *Faults* are armed per sign-in (the next `/authorize` of a client takes one) and change what
 *   that sign-in returns: the authorization response, the token response, the ID token, userinfo.
 * - *Defects* are simulator-wide and model a non-conformant NHS login environment; they exist so
 *   that every environment check can be shown to fail.
 *
 * @example
 * ```ts
 * FAULTS["id-token-nonce-wrong"].hooks.idTokenClaims?.({ nonce: "n" }, env) // { nonce: "wrong-…" }
 * ```
 */
import { randomBytes, randomUUID } from "node:crypto";
import { AUTHORIZE_ERROR_CODES, TOKEN_ERROR_CODES, type AuthorizeErrorCode, type TokenErrorCode } from "../nhs/error-codes.ts";
import { USERS_V2_OPTIONAL_SCOPES } from "../nhs/scopes.ts";
import { EIS_PROFILES, votSatisfiesVtr } from "../nhs/vot.ts";
import type { Claims, Hooks } from "./hooks/hook-points.ts";
import { slowAnswer } from "./hooks/slow-answer.ts";
import { matchesWithOrFirst } from "./users-v2/or-binds-first.ts";
import { USERS_V2_RESPONSE_DEFECTS } from "./users-v2/response-defects.ts";
import { USERS_V2_CONSUMER_FAULTS, type UsersV2ConsumerFaultId } from "./users-v2/consumer-faults.ts";
import { PA_CONSUMER_FAULTS, type PaConsumerFaultId } from "./provision-account/consumer-faults.ts";
import { PA_DEFECTS } from "./provision-account/defects.ts";

export { AUTHORIZE_ERROR_CODES, TOKEN_ERROR_CODES, type AuthorizeErrorCode, type TokenErrorCode };

/** One row of the table. */
export interface FaultEntry {
  title: string;
  /** Requirement IDs a check under this fault or defect verifies. */
  requirements: readonly string[];
  /** What it changes, by hook point. */
  hooks: Hooks;
}

export interface FaultInfo extends FaultEntry {
  /** Where the fault shows. */
  kind: "id-token" | "userinfo" | "authorize" | "token" | "users-v2-search" | "users-v2-token" | "pa-provision" | "pa-token" | "tolerated";
}

/** `claims` without `names`. */
const omit = (claims: Claims, ...names: string[]): Claims => Object.fromEntries(Object.entries(claims).filter(([k]) => !names.includes(k)));

const ID_TOKEN_FAULTS = {
  "id-token-bad-signature": {
    title: "ID token signature does not verify",
    requirements: ["FED-IDT-17", "FED-DISC-06"],
    hooks: { idTokenSigning: (r) => ({ ...r, corrupt: true }) },
  },
  "id-token-alg-none": {
    title: "ID token with alg none and no signature",
    requirements: ["FED-JWT-01"],
    hooks: { idTokenSigning: (r) => ({ ...r, alg: "none" }) },
  },
  "id-token-hs256-public-key": {
    title: "ID token HS256-signed with the public key as secret",
    requirements: ["FED-JWT-01"],
    hooks: { idTokenSigning: (r) => ({ ...r, alg: "HS256" }) },
  },
  "id-token-rs256": {
    title: "ID token signed RS256 instead of RS512",
    requirements: ["FED-JWT-01"],
    hooks: { idTokenSigning: (r) => ({ ...r, alg: "RS256" }) },
  },
  "id-token-embedded-jwk": {
    title: "ID token signed by an attacker key embedded in a jwk header",
    requirements: ["FED-JWT-03"],
    hooks: { idTokenSigning: (r) => ({ ...r, alg: "RS512", key: "attacker", embed: "jwk" }) },
  },
  "id-token-jku": {
    title: "ID token signed by an attacker key named by a jku header",
    requirements: ["FED-JWT-03"],
    hooks: { idTokenSigning: (r) => ({ ...r, alg: "RS512", key: "attacker", embed: "jku" }) },
  },
  "id-token-x5u": {
    title: "ID token signed by an attacker key named by an x5u header",
    requirements: ["FED-JWT-03"],
    hooks: { idTokenSigning: (r) => ({ ...r, alg: "RS512", key: "attacker", embed: "x5u" }) },
  },
  "id-token-unknown-kid": {
    title: "ID token signed by a key absent from the JWKS",
    requirements: ["FED-DISC-06", "FED-IDT-17"],
    hooks: { idTokenSigning: (r) => ({ ...r, alg: "RS512", key: "attacker", kid: "unknown" }) },
  },
  "id-token-wrong-iss": {
    title: "ID token from another issuer",
    requirements: ["FED-IDT-01"],
    hooks: { idTokenClaims: (c) => ({ ...c, iss: "https://auth.attacker.invalid" }) },
  },
  "id-token-wrong-aud": {
    title: "ID token for another client",
    requirements: ["FED-IDT-03"],
    hooks: { idTokenClaims: (c) => ({ ...c, aud: "some-other-client" }) },
  },
  "id-token-extra-aud": {
    title: "ID token with an extra untrusted audience",
    requirements: ["FED-IDT-03"],
    hooks: { idTokenClaims: (c, { grant }) => ({ ...c, aud: [grant.clientId, "untrusted-audience"] }) },
  },
  "id-token-expired": {
    title: "ID token expired ten minutes ago",
    requirements: ["FED-IDT-04"],
    hooks: { idTokenClaims: (c, { now, ttl }) => ({ ...c, exp: now - 600, iat: now - 600 - ttl }) },
  },
  "id-token-iat-future": {
    title: "ID token issued an hour in the future",
    requirements: ["FED-IDT-05"],
    hooks: { idTokenClaims: (c, { now, ttl }) => ({ ...c, iat: now + 3600, exp: now + 3600 + ttl }) },
  },
  "id-token-nbf-future": {
    title: "ID token not valid for another hour",
    requirements: ["FED-IDT-04"],
    hooks: { idTokenClaims: (c, { now }) => ({ ...c, nbf: now + 3600 }) },
  },
  "id-token-nonce-missing": {
    title: "ID token without nonce",
    requirements: ["FED-IDT-08"],
    hooks: { idTokenClaims: (c) => omit(c, "nonce") },
  },
  "id-token-nonce-wrong": {
    title: "ID token with another nonce",
    requirements: ["FED-IDT-08"],
    hooks: { idTokenClaims: (c) => ({ ...c, nonce: `wrong-${randomUUID()}` }) },
  },
  "id-token-sub-missing": {
    title: "ID token without sub",
    requirements: ["FED-IDT-02"],
    hooks: { idTokenClaims: (c) => omit(c, "sub") },
  },
  "id-token-vot-outside-vtr": {
    title: "ID token vot matching no requested vector",
    requirements: ["VOT-06"],
    // P5.Cp.Cd where P9 was asked for (as a step-up answered at the old level), else the first profile not asked for.
    hooks: {
      idTokenClaims: (c, { grant }) => ({
        ...c,
        vot: ["P5.Cp.Cd", ...EIS_PROFILES].find((v) => !votSatisfiesVtr(v, grant.vtr)) ?? "P0.Cp",
      }),
    },
  },
  "id-token-vot-missing": {
    title: "ID token without vot",
    requirements: ["FED-IDT-10", "VOT-06"],
    hooks: { idTokenClaims: (c) => omit(c, "vot") },
  },
  "id-token-vtm-missing": {
    title: "ID token without vtm",
    requirements: ["FED-IDT-11"],
    hooks: { idTokenClaims: (c) => omit(c, "vtm") },
  },
} as const satisfies Record<string, FaultEntry>;

const OTHER_FAULTS = {
  "userinfo-other-sub": {
    kind: "userinfo",
    title: "userinfo answers with another sub",
    requirements: ["FED-UI-05"],
    hooks: { userinfoSub: (sub) => `${sub}-other` },
  },
  "authorize-state-wrong": {
    kind: "authorize",
    title: "authorization response with a different state",
    requirements: ["FED-ARESP-03"],
    hooks: { authorizeState: () => randomBytes(16).toString("base64url") },
  },
  "authorize-state-missing": {
    kind: "authorize",
    title: "authorization response without state",
    requirements: ["FED-ARESP-03"],
    hooks: { authorizeState: () => undefined },
  },
} as const satisfies Record<string, FaultInfo>;

/** How long a `slow-*` fault holds an answer when the arm request names no `delayMs` (ms). */
export const DEFAULT_SLOW_ANSWER_MS = 2000;

/**
 * Slow answers, for load tests (docs/load-testing.md): NHS login answers the sign-in's
 * authorization request, its code redemption or its UserInfo request late, by the arm request's
 * `delayMs` (default {@link DEFAULT_SLOW_ANSWER_MS}). The answer itself is conformant, so no rule
 * is cited: what a load test sees is how the service's timeouts and its users' wait behave.
 */
const SLOW_FAULTS = {
  "slow-authorize": {
    kind: "authorize",
    title: "the authorization request is answered late (the arm request's delayMs)",
    requirements: [],
    hooks: { answerDelayMs: slowAnswer("authorize", DEFAULT_SLOW_ANSWER_MS) },
  },
  "slow-token": {
    kind: "token",
    title: "the code is redeemed at /token late (the arm request's delayMs)",
    requirements: [],
    hooks: { answerDelayMs: slowAnswer("token", DEFAULT_SLOW_ANSWER_MS) },
  },
  "slow-userinfo": {
    kind: "userinfo",
    title: "UserInfo answers late (the arm request's delayMs)",
    requirements: [],
    hooks: { answerDelayMs: slowAnswer("userinfo", DEFAULT_SLOW_ANSWER_MS) },
  },
} as const satisfies Record<string, FaultInfo>;

/**
 * What NHS login may add (or, for a refresh token, leave out) and a relying party must cope with
 * (EIS §4.1, §4.2, §4.3, §3.6.2.1, §3.5.3.1 T8): the sign-in is otherwise good, and the service
 * must still sign the user in.
 */
const TOLERATED_FAULTS = {
  "id-token-unknown-header": {
    kind: "tolerated",
    title: "ID token header with a parameter the service does not know",
    requirements: ["FED-JWT-04"],
    hooks: { idTokenSigning: (r) => ({ ...r, extraHeader: { "x-nhslogin-extension": "ignore-me" } }) },
  },
  "id-token-unknown-claims": {
    kind: "tolerated",
    title: "ID token with claims the service does not know",
    requirements: ["FED-IDT-16"],
    hooks: { idTokenClaims: (c) => ({ ...c, id_status: "verified", x_nhslogin_extension: { nested: ["value"] } }) },
  },
  "access-token-unknown-claims": {
    kind: "tolerated",
    title: "access token with claims the service does not know",
    requirements: ["FED-AT-09"],
    hooks: { accessTokenClaims: (c) => ({ ...c, token_use: "access", x_nhslogin_extension: { nested: ["value"] } }) },
  },
  "id-token-second-key": {
    kind: "tolerated",
    title: "ID token signed by the second key of the JWKS (as during a key rotation)",
    requirements: ["FED-JWT-05"],
    hooks: { idTokenSigning: (r) => ({ ...r, key: "next" }) },
  },
  "token-response-without-refresh-token": {
    kind: "tolerated",
    title: "token response without a refresh_token (whether there is one depends on the client's configuration)",
    requirements: ["FED-TRESP-05"],
    hooks: {
      tokenResponseBody: (b, { grant }) => {
        if (grant !== "authorization_code") return b;
        const { refresh_token: _dropped, ...rest } = b;
        return rest;
      },
    },
  },
  "userinfo-unknown-claims": {
    kind: "tolerated",
    title: "UserInfo with claims the service does not know",
    requirements: ["FED-UI-06"],
    hooks: { userinfoBody: (b) => ({ ...b, x_nhslogin_extension: { nested: ["value"] }, im1_status: "unknown" }) },
  },
} as const satisfies Record<string, FaultInfo>;

/** Requirement IDs an `authorize-error:<code>` sign-in lets a check of the service exercise. */
function authorizeErrorRequirements(code: AuthorizeErrorCode): string[] {
  if (code === "access_denied") return ["FED-ARESP-09", "FED-ARESP-11", "CONSENT-02"];
  if (code === "sso_login_required") return ["FED-ARESP-09", "FED-ARESP-10"];
  if (code === "server_error" || code === "temporarily_unavailable") return ["FED-ARESP-09", "FED-ARESP-12"];
  if (code === "invalid_scope") return ["FED-ARESP-09", "FED-AUTHZ-04"];
  return ["FED-ARESP-09"];
}

export type IdTokenFaultId = keyof typeof ID_TOKEN_FAULTS;
export type FaultId =
  | IdTokenFaultId
  | keyof typeof OTHER_FAULTS
  | keyof typeof SLOW_FAULTS
  | keyof typeof TOLERATED_FAULTS
  | `authorize-error:${AuthorizeErrorCode}`
  | `token-error:${TokenErrorCode}`
  | UsersV2ConsumerFaultId
  | PaConsumerFaultId;

/** Every fault, by id. */
export const FAULTS: Readonly<Record<FaultId, FaultInfo>> = Object.freeze({
  ...Object.fromEntries(Object.entries(ID_TOKEN_FAULTS).map(([id, f]) => [id, { kind: "id-token", ...f } satisfies FaultInfo])),
  ...OTHER_FAULTS,
  ...SLOW_FAULTS,
  ...TOLERATED_FAULTS,
  ...Object.fromEntries(
    AUTHORIZE_ERROR_CODES.map((code) => [
      `authorize-error:${code}`,
      {
        kind: "authorize",
        title: `authorization response error=${code}`,
        requirements: authorizeErrorRequirements(code),
        hooks: { authorizeError: () => code },
      } satisfies FaultInfo,
    ]),
  ),
  ...Object.fromEntries(
    TOKEN_ERROR_CODES.map((code) => [
      `token-error:${code}`,
      {
        kind: "token",
        title: `token response error=${code}`,
        requirements: ["FED-TRESP-10"],
        hooks: { codeGrantError: () => code },
      } satisfies FaultInfo,
    ]),
  ),
  ...USERS_V2_CONSUMER_FAULTS,
  ...PA_CONSUMER_FAULTS,
}) as unknown as Record<FaultId, FaultInfo>;

export const FAULT_IDS = Object.freeze(Object.keys(FAULTS) as FaultId[]);
export const ID_TOKEN_FAULT_IDS = Object.freeze(Object.keys(ID_TOKEN_FAULTS) as IdTokenFaultId[]);
export type ToleratedFaultId = keyof typeof TOLERATED_FAULTS;
/** The additions a service must ignore: each sign-in must still succeed. */
export const TOLERATED_FAULT_IDS = Object.freeze(Object.keys(TOLERATED_FAULTS) as ToleratedFaultId[]);

/** True when `value` names a fault in the catalogue. */
export function isFaultId(value: unknown): value is FaultId {
  return typeof value === "string" && Object.hasOwn(FAULTS, value);
}

const ANSWER_ANYTHING = "accept-anything" as const;

/** Simulator-wide defects modelling a non-conformant environment. */
export const DEFECTS = Object.freeze({
  // Discovery and keys
  "discovery-missing-field": {
    title: "discovery document lacks userinfo_endpoint",
    requirements: ["FED-DISC-01"],
    hooks: { discoveryDocument: (doc) => omit(doc, "userinfo_endpoint") },
  },
  "rs256-signing": {
    title: "tokens signed and advertised with RS256",
    requirements: ["FED-JWT-01", "FED-DISC-03", "UEV2-AT-12"],
    hooks: { signingAlgorithm: () => "RS256", publishedJwk: (jwk) => ({ ...jwk, alg: "RS256" }) },
  },
  "metadata-p9-only": {
    title: "UserInfo gives client_user_metadata only to P9 people",
    requirements: ["SCOPE-11"],
    hooks: { metadataRelease: (m, { level }) => (level === "P9" ? m : undefined) },
  },
  "metadata-length-unchecked": {
    title: "PATCH /userinfo stores a client_user_metadata of any length",
    requirements: ["FED-UIP-02"],
    hooks: { metadataRules: (r) => ({ ...r, maxLength: Number.POSITIVE_INFINITY }) },
  },
  "metadata-scope-unchecked": {
    title: "PATCH /userinfo accepts a token whose sign-in did not grant client_metadata",
    requirements: ["FED-UIP-07"],
    hooks: { metadataRules: (r) => ({ ...r, scope: "ignore" as const }) },
  },
  "discovery-fido-partial": {
    title: "discovery offers FIDO UAF with two of its four endpoints",
    requirements: ["FED-DISC-04"],
    hooks: {
      discoveryDocument: (doc) => ({
        ...doc,
        fido_uaf_registration_request_endpoint: `${String(doc.issuer)}/fido/reg/request`,
        fido_uaf_authentication_request_endpoint: `${String(doc.issuer)}/fido/auth/request`,
      }),
    },
  },
  "trustmark-incomplete": {
    title: "the trust mark lacks trustmark_provider and lists no Cm credential",
    requirements: ["VOT-08"],
    hooks: { trustmarkDocument: ({ trustmark_provider: _drop, ...doc }) => ({ ...doc, C: ["Cp", "Cd", "Ck"] }) },
  },
  "id-token-acr-amr": {
    title: "ID tokens carry acr and amr, which NHS login does not support",
    requirements: ["FED-IDT-09"],
    hooks: { idTokenClaims: (claims) => ({ ...claims, acr: "P9", amr: ["pwd", "otp"] }) },
  },
  "tls-legacy-versions": {
    title: "the https mode (SIMULATOR_TLS) also negotiates TLS 1.0 and 1.1",
    requirements: ["FED-GEN-01", "UEV2-GEN-01"],
    hooks: { tlsMinimumVersion: () => "TLSv1" as const },
  },
  "weak-signing-key": {
    title: "1024-bit RSA signing key",
    requirements: ["FED-DISC-02"],
    hooks: { signingKeyBits: () => 1024 },
  },
  // Token endpoint
  "token-no-cache-headers": {
    title: "token responses without Cache-Control and Pragma",
    requirements: ["FED-TRESP-02", "UEV2-TOKEN-12", "PA-03"],
    hooks: { tokenResponseHeaders: (h) => omit(h, "cache-control", "pragma") as Record<string, string> },
  },
  "token-wrong-error-codes": {
    title: "token errors all reported as invalid_request",
    requirements: ["FED-TRESP-10", "FED-ARESP-04", "FED-TOKEN-02"],
    hooks: { tokenErrorShape: (s) => ({ ...s, codes: "invalid_request" }) },
  },
  "token-lax-client-auth": {
    title: "client assertions accepted without verifying signature, claims, type or jti",
    requirements: ["FED-TOKEN-06", "FED-TOKEN-07", "FED-TOKEN-08", "FED-TOKEN-09", "FED-TOKEN-10", "FED-TOKEN-11", "PA-02"],
    hooks: { clientAuthentication: () => "lax" },
  },
  "token-error-not-json": {
    title: "token errors sent as plain text",
    requirements: ["FED-TRESP-09", "PA-04"],
    hooks: { tokenErrorShape: (s) => ({ ...s, body: "text" }) },
  },
  "token-accepts-json-body": {
    title: "token requests accepted with a JSON body",
    requirements: ["FED-TOKEN-01", "PA-01"],
    hooks: { tokenRequestTypes: (types) => [...types, "application/json"] },
  },
  "authorize-accepts-anything": {
    title: "/authorize issues a code for any request, to any redirect_uri",
    requirements: ["FED-AUTHZ-02", "FED-AUTHZ-05", "FED-AUTHZ-07", "FED-AUTHZ-22", "FED-AUTHZ-23", "FED-ARESP-08"],
    hooks: { authorizeValidation: () => ANSWER_ANYTHING },
  },
  "authorize-nonstandard-error-codes": {
    title: "/authorize error redirects carry error=request_refused, a code outside Table 5",
    requirements: ["FED-ARESP-09"],
    hooks: { authorizeErrorCode: () => "request_refused" },
  },
  "userinfo-accepts-anything": {
    title: "userinfo answers 200 to any method and any or no token",
    requirements: ["FED-UI-01", "FED-UIP-01"],
    hooks: { userinfoValidation: () => ANSWER_ANYTHING },
  },
  // Code flow, tokens and userinfo
  "token-lifetimes-wrong": {
    title: "ID token lives 2 h, access token 1 h (expires_in 3600)",
    requirements: ["TTL-02", "TTL-03", "FED-IDT-18", "FED-TRESP-06"],
    hooks: { tokenLifetimes: () => ({ idToken: 7200, accessToken: 3600 }) },
  },
  "code-lives-an-hour": {
    title: "authorization codes stay valid for an hour instead of 10 minutes",
    requirements: ["FED-ARESP-05", "TTL-01"],
    hooks: { grantLifetimes: (l) => ({ ...l, code: 3600 }) },
  },
  "refresh-token-lives-a-week": {
    title: "refresh tokens expire after 7 days instead of 30",
    requirements: ["FED-REFRESH-04", "TTL-04"],
    hooks: { grantLifetimes: (l) => ({ ...l, refreshToken: 7 * 24 * 3600 }) },
  },
  "refresh-token-never-expires": {
    title: "refresh tokens stay valid for ten years instead of 30 days",
    requirements: ["FED-REFRESH-04", "TTL-04"],
    hooks: { grantLifetimes: (l) => ({ ...l, refreshToken: 10 * 365 * 24 * 3600 }) },
  },
  "id-token-missing-jti": {
    title: "ID tokens without jti",
    requirements: ["FED-IDT-06"],
    hooks: { idTokenClaims: (c) => omit(c, "jti") },
  },
  "id-token-vtm-other-host": {
    title: "ID tokens whose vtm is on another host than the issuer",
    requirements: ["VOT-07"],
    hooks: { idTokenClaims: (c) => ({ ...c, vtm: "https://trustmark.elsewhere.invalid/trustmark" }) },
  },
  "id-token-profile-claims-garbled": {
    title: "ID tokens with an empty family_name, birthdate 2001-02-30 and identity_proofing_level P7",
    requirements: ["FED-IDT-12", "FED-IDT-13", "FED-IDT-15"],
    hooks: { idTokenClaims: (c) => ({ ...c, family_name: "", birthdate: "2001-02-30", identity_proofing_level: "P7" }) },
  },
  "id-token-nhs-number-always": {
    title: "ID tokens carry the NHS number whatever the scopes",
    requirements: ["SCOPE-02", "SCOPE-03"],
    hooks: { idTokenClaims: (c, { grant }) => ({ ...c, nhs_number: grant.persona.nhsNumber ?? "9000000009" }) },
  },
  "token-response-opaque-access-token": {
    title: "token responses carry an opaque access_token instead of a JWS",
    requirements: ["FED-TRESP-03"],
    hooks: { tokenResponseBody: (b) => ({ ...b, access_token: randomBytes(24).toString("base64url") }) },
  },
  "token-response-id-token-misplaced": {
    title: "the code grant returns no id_token, the refresh grant returns one",
    requirements: ["FED-TRESP-08"],
    hooks: {
      tokenResponseBody: (b, { grant }) =>
        grant === "authorization_code" ? omit(b, "id_token") : { ...b, id_token: "eyJhbGciOiJub25lIn0.e30." },
    },
  },
  "token-response-scope-missing": {
    title: "token responses never name the granted scope",
    requirements: ["FED-TRESP-07"],
    hooks: { tokenResponseBody: (b) => omit(b, "scope") },
  },
  "access-token-unknown-kid": {
    title: "access tokens signed by a key absent from the JWKS",
    requirements: ["FED-AT-01", "FED-DISC-02"],
    hooks: { accessTokenSigning: (r) => ({ ...r, key: "attacker", kid: "unknown" }) },
  },
  "access-token-claims-missing": {
    title: "access tokens without scope, vot and vtm",
    requirements: ["FED-AT-02", "FED-AT-03", "FED-AT-04"],
    hooks: { accessTokenClaims: (c) => omit(c, "scope", "vot", "vtm") },
  },
  "vot-outside-tables": {
    title: "ID tokens whose vot names the level P7 and the credential Cx, and UserInfo with identity_proofing_level P7",
    requirements: ["VOT-01", "VOT-02"],
    hooks: {
      idTokenClaims: (c) => ({ ...c, vot: "P7.Cp.Cx" }),
      userinfoBody: (b) => (b.identity_proofing_level === undefined ? b : { ...b, identity_proofing_level: "P7" }),
    },
  },
  "userinfo-claims-thinned": {
    title: "UserInfo without iss, email_verified and phone_number_pds_matched, and with gender",
    requirements: ["SCOPE-01", "SCOPE-06", "SCOPE-07", "SCOPE-12"],
    hooks: { userinfoBody: (b) => ({ ...omit(b, "iss", "email_verified", "phone_number_pds_matched"), gender: "not-known" }) },
  },
  "access-token-conditional-claims-wrong": {
    title: "access tokens whose optional claims take the Users V2 token's values and a bare patient number",
    requirements: ["FED-AT-06", "FED-AT-07", "FED-AT-08"],
    hooks: {
      accessTokenClaims: (c) => ({
        ...c,
        reason_for_request: "directcare",
        requesting_system: "myClientIdentifier1",
        requesting_patient: typeof c.nhs_number === "string" ? c.nhs_number : "9990010005",
      }),
    },
  },
  "sso-never-reused": {
    title: "a live NHS login session is never reused: every sign-in asks again, prompt=none always fails",
    requirements: ["SSO-01", "SSO-02"],
    hooks: { ssoReuse: () => "ignore" },
  },
  "prompt-login-ignored": {
    title: "prompt=login reuses the live session instead of asking again",
    requirements: ["SSO-03"],
    hooks: { promptLogin: () => "ignore" },
  },
  "sso-session-meets-any-vtr": {
    title: "a live session is reused for any vectors of trust, even ones it does not meet",
    requirements: ["VOT-10"],
    hooks: { ssoVtrCheck: () => "ignore" },
  },
  "asserted-identity-reusable": {
    title: "an asserted_login_identity is honoured every time it is presented, not once",
    requirements: ["SSO-09", "TTL-05"],
    hooks: { assertedIdentityRules: (r) => ({ ...r, singleUse: false }) },
  },
  "asserted-identity-long-lived": {
    title: "an asserted_login_identity is honoured for up to an hour (exp up to an hour after iat, iat ahead of now), not 60 s",
    requirements: ["SSO-06", "TTL-05"],
    hooks: { assertedIdentityRules: (r) => ({ ...r, maxLifetime: 3600, futureIat: "accept" as const }) },
  },
  "asserted-identity-any-client": {
    title: "an asserted_login_identity is honoured for any client, whether or not SSO is configured for the pair",
    requirements: ["SSO-11"],
    hooks: { assertedIdentityRules: (r) => ({ ...r, pairs: "ignore" as const }) },
  },
  "code-not-bound-to-redirect-uri": {
    title: "codes redeemed whatever redirect_uri the token request names",
    requirements: ["FED-ARESP-06"],
    hooks: { codeRedirectBinding: () => "ignore" },
  },
  "code-not-bound-to-client": {
    title: "codes redeemed by any authenticated client, not only the one they were issued to",
    requirements: ["FED-ARESP-06"],
    hooks: { codeClientBinding: () => "ignore" },
  },
  "code-reuse-accepted": {
    title: "an authorization code can be redeemed twice",
    requirements: ["FED-ARESP-04"],
    hooks: { codeReuse: () => "accept" },
  },
  "unknown-scope-granted": {
    title: "unknown scopes are granted instead of ignored",
    requirements: ["FED-AUTHZ-03", "FED-AT-03"],
    hooks: { grantedScopes: (_known, { requested }) => requested },
  },
  "userinfo-no-www-authenticate": {
    title: "userinfo 401 without WWW-Authenticate",
    requirements: ["FED-UI-17", "FED-UI-18"],
    hooks: { userinfoChallenge: () => "json-body" },
  },
  "userinfo-as-jwt": {
    title: "userinfo answers with a signed JWT (application/jwt) instead of JSON",
    requirements: ["FED-UI-02"],
    hooks: { userinfoFormat: () => "jwt" },
  },
  "userinfo-errors-400": {
    title: "userinfo answers every bearer-token error with HTTP 400",
    requirements: ["FED-UI-18"],
    hooks: { userinfoErrorStatus: () => 400 },
  },
  "metadata-auto-not-encrypted": {
    title: 'client_user_metadata "auto" stores a random value that is not encrypted for the client',
    requirements: ["FED-UI-15"],
    hooks: { generatedMetadata: () => randomBytes(32).toString("base64url") },
  },
  "userinfo-claims-beyond-scope": {
    title: "userinfo releases claims the scopes and level do not allow, with empty values",
    requirements: ["FED-UI-03", "FED-UI-04", "SCOPE-02"],
    hooks: { userinfoRelease: () => "beyond-scope" },
  },
  "refresh-grant-broken": {
    title: "the refresh grant refuses valid refresh tokens",
    requirements: ["FED-REFRESH-01"],
    hooks: { refreshGrant: () => "refuse" },
  },
  // Users Endpoint V2
  "uev2-wrong-error-text": {
    title: "Users V2 error descriptions differ from Table 10",
    requirements: ["UEV2-ERR-01", "UEV2-ERR-13"],
    hooks: { usersV2ErrorDescription: (d) => d.toUpperCase() },
  },
  "uev2-six-expressions-accepted": {
    title: "Users V2 accepts a sixth filter expression",
    requirements: ["UEV2-FILTER-06", "UEV2-ERR-04"],
    hooks: { usersV2MaxExpressions: () => Number.POSITIVE_INFINITY },
  },
  "uev2-token-lifetime-wrong": {
    title: "Users V2 tokens live 3600 s",
    requirements: ["UEV2-TOKEN-15", "UEV2-AT-06", "TTL-06"],
    hooks: { usersV2TokenLifetime: () => 3600 },
  },
  "uev2-access-token-claims-wrong": {
    title: "Users V2 access tokens lack token_use and say reason_for_request patientaccess",
    requirements: ["UEV2-AT-09", "UEV2-AT-11"],
    hooks: { usersV2AccessTokenClaims: (c) => ({ ...omit(c, "token_use"), reason_for_request: "patientaccess" }) },
  },
  "uev2-or-binds-first": {
    title: "Users V2 evaluates or before and",
    requirements: ["UEV2-FILTER-07"],
    hooks: { usersV2Matcher: () => matchesWithOrFirst },
  },
  "uev2-attributes-ignore-scope": {
    title: "Users V2 returns every attribute whatever the scope",
    requirements: ["UEV2-RESP-20", "UEV2-SCOPE-10"],
    hooks: { usersV2ReleasedScopes: (_granted, { usersScope }) => [usersScope, ...USERS_V2_OPTIONAL_SCOPES] },
  },
  "uev2-no-token-accepted": {
    title: "Users V2 answers searches without a bearer token",
    requirements: ["UEV2-REQ-02", "UEV2-ERR-14"],
    hooks: { usersV2Anonymous: () => "serve" },
  },
  "uev2-scope-not-enforced": {
    title: "Users V2 answers without Users.retrieve",
    requirements: ["UEV2-SCOPE-01", "UEV2-ERR-10"],
    hooks: { usersV2ScopeEnforcement: () => "skip" },
  },
  "uev2-no-match-404": {
    title: "Users V2 answers a search with no match 404 instead of 200 with totalResults 0",
    requirements: ["UEV2-RESP-04"],
    hooks: { usersV2NoMatch: () => "not-found" },
  },
  "uev2-writes-accepted": {
    title: "Users V2 accepts POST /v2/Users (201)",
    requirements: ["UEV2-GEN-02"],
    hooks: { usersV2Writes: () => "accept" },
  },
  "uev2-assertion-rs256-accepted": {
    title: "Users V2 jwt-bearer grant accepts RS256-signed assertions (the federation grant stays RS512 only)",
    requirements: ["UEV2-TOKEN-05"],
    hooks: { usersV2AssertionAlgorithms: (algorithms) => [...algorithms, "RS256"] },
  },
  "uev2-token-error-code-unlisted": {
    title: "Users V2 token refusals answered with error access_denied, a code Table 4 does not list",
    requirements: ["UEV2-TOKEN-18", "UEV2-TOKEN-17"],
    hooks: { usersV2TokenErrorCode: () => "access_denied" },
  },
  "uev2-scope-optional": {
    title: "Users V2 token requests without scope are granted every approved scope",
    requirements: ["UEV2-TOKEN-04"],
    hooks: { usersV2MissingScope: (_scope, { approved }) => approved.join(" ") },
  },
  "uev2-optional-scopes-ignored": {
    title: "Users V2 releases only the Users.retrieve and profile attributes, whatever else is granted",
    requirements: ["UEV2-SCOPE-03", "UEV2-SCOPE-04", "UEV2-SCOPE-05", "UEV2-SCOPE-06", "UEV2-SCOPE-07", "UEV2-SCOPE-08"],
    hooks: { usersV2ReleasedScopes: (granted, { usersScope }) => granted.filter((s) => s === usersScope || s === "profile") },
  },
  "uev2-one-user-per-answer": {
    title: "Users V2 answers at most one user, even when several match",
    requirements: ["UEV2-RESP-06"],
    hooks: {
      usersV2ListResponse: (body) =>
        Array.isArray(body.Resources) && body.Resources.length > 1
          ? { ...body, totalResults: 1, Resources: body.Resources.slice(0, 1) }
          : body,
    },
  },
  "uev2-attributes-param-honoured": {
    title: "Users V2 narrows each User resource to the SCIM attributes= query parameter",
    requirements: ["UEV2-GEN-03"],
    hooks: { usersV2AttributesParameter: () => "honour" },
  },
  "uev2-token-endpoint-plain-http": {
    title: "discovery names a plain-http token endpoint on a public host, so Users V2 would be used without TLS",
    requirements: ["UEV2-GEN-01"],
    hooks: { discoveryDocument: (doc) => ({ ...doc, token_endpoint: "http://auth.conformance.invalid/token" }) },
  },
  "uev2-500-wrong-body": {
    title: 'Users V2 fails with HTTP 500 on a non-ASCII filter, with a body other than {"error": "Internal server error"}',
    requirements: ["UEV2-ERR-12"],
    hooks: {
      usersV2ServerError: (body, { filter }) =>
        /[^\x20-\x7e]/.test(filter) ? { Errors: [{ description: "Internal error", code: "500" }] } : body,
    },
  },
  ...USERS_V2_RESPONSE_DEFECTS,
  ...PA_DEFECTS,
} as const satisfies Record<string, FaultEntry>);
export type DefectId = keyof typeof DEFECTS;
export const DEFECT_IDS = Object.freeze(Object.keys(DEFECTS) as DefectId[]);

/** True when `value` names a defect. */
export function isDefectId(value: unknown): value is DefectId {
  return typeof value === "string" && Object.hasOwn(DEFECTS, value);
}
