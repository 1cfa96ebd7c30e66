/**
 * The fault-scenario catalogue: every way the simulator can be asked to misbehave.
 *
 * - *Faults* are armed per sign-in (the next `/authorize` of a client takes one) and change what
 *   that sign-in returns: the authorization response, the token response, the ID token, userinfo.
 * - *Defects* are simulator-wide and model a non-conformant NHS login environment; they exist so
 *   that every environment check can be shown to fail.
 *
 * Each entry names the requirement IDs (requirements catalogue) it lets a check exercise.
 */

import { AUTHORIZE_ERROR_CODES, TOKEN_ERROR_CODES, type AuthorizeErrorCode, type TokenErrorCode } from "../nhs/error-codes.ts";

export { AUTHORIZE_ERROR_CODES, TOKEN_ERROR_CODES, type AuthorizeErrorCode, type TokenErrorCode };

export interface FaultInfo {
  /** Where the fault shows. */
  kind: "id-token" | "userinfo" | "authorize" | "token";
  title: string;
  /** Requirement IDs a check of the service under this fault verifies. */
  requirements: readonly string[];
}

const ID_TOKEN_FAULTS = {
  "id-token-bad-signature": { title: "ID token signature does not verify", requirements: ["FED-IDT-17", "FED-DISC-06"] },
  "id-token-alg-none": { title: "ID token with alg none and no signature", requirements: ["FED-JWT-01"] },
  "id-token-hs256-public-key": { title: "ID token HS256-signed with the public key as secret", requirements: ["FED-JWT-01"] },
  "id-token-rs256": { title: "ID token signed RS256 instead of RS512", requirements: ["FED-JWT-01"] },
  "id-token-embedded-jwk": { title: "ID token signed by an attacker key embedded in a jwk header", requirements: ["FED-JWT-03"] },
  "id-token-jku": { title: "ID token signed by an attacker key named by a jku header", requirements: ["FED-JWT-03"] },
  "id-token-x5u": { title: "ID token signed by an attacker key named by an x5u header", requirements: ["FED-JWT-03"] },
  "id-token-unknown-kid": { title: "ID token signed by a key absent from the JWKS", requirements: ["FED-DISC-06", "FED-IDT-17"] },
  "id-token-wrong-iss": { title: "ID token from another issuer", requirements: ["FED-IDT-01"] },
  "id-token-wrong-aud": { title: "ID token for another client", requirements: ["FED-IDT-03"] },
  "id-token-extra-aud": { title: "ID token with an extra untrusted audience", requirements: ["FED-IDT-03"] },
  "id-token-expired": { title: "ID token expired ten minutes ago", requirements: ["FED-IDT-04"] },
  "id-token-iat-future": { title: "ID token issued an hour in the future", requirements: ["FED-IDT-05"] },
  "id-token-nbf-future": { title: "ID token not valid for another hour", requirements: ["FED-IDT-04"] },
  "id-token-nonce-missing": { title: "ID token without nonce", requirements: ["FED-IDT-08"] },
  "id-token-nonce-wrong": { title: "ID token with another nonce", requirements: ["FED-IDT-08"] },
  "id-token-sub-missing": { title: "ID token without sub", requirements: ["FED-IDT-02"] },
  "id-token-vot-outside-vtr": { title: "ID token vot matching no requested vector", requirements: ["VOT-06"] },
  "id-token-vot-missing": { title: "ID token without vot", requirements: ["FED-IDT-10", "VOT-06"] },
  "id-token-vtm-missing": { title: "ID token without vtm", requirements: ["FED-IDT-11"] },
} as const;

const OTHER_FAULTS = {
  "userinfo-other-sub": { kind: "userinfo", title: "userinfo answers with another sub", requirements: ["FED-UI-05"] },
  "authorize-state-wrong": { kind: "authorize", title: "authorization response with a different state", requirements: ["FED-ARESP-03"] },
  "authorize-state-missing": { kind: "authorize", title: "authorization response without state", requirements: ["FED-ARESP-03"] },
} as const;

export type IdTokenFaultId = keyof typeof ID_TOKEN_FAULTS;
export type FaultId =
  | IdTokenFaultId
  | keyof typeof OTHER_FAULTS
  | `authorize-error:${AuthorizeErrorCode}`
  | `token-error:${TokenErrorCode}`;

/** Every fault, by id. */
export const FAULTS: Readonly<Record<FaultId, FaultInfo>> = Object.freeze({
  ...Object.fromEntries(Object.entries(ID_TOKEN_FAULTS).map(([id, f]) => [id, { kind: "id-token", ...f } satisfies FaultInfo])),
  ...OTHER_FAULTS,
  ...Object.fromEntries(
    AUTHORIZE_ERROR_CODES.map((code) => [
      `authorize-error:${code}`,
      {
        kind: "authorize",
        title: `authorization response error=${code}`,
        requirements:
          code === "access_denied"
            ? ["FED-ARESP-09", "FED-ARESP-11", "CONSENT-02"]
            : code === "sso_login_required"
              ? ["FED-ARESP-09", "FED-ARESP-10"]
              : code === "server_error" || code === "temporarily_unavailable"
                ? ["FED-ARESP-09", "FED-ARESP-12"]
                : code === "invalid_scope"
                  ? ["FED-ARESP-09", "FED-AUTHZ-04"]
                  : ["FED-ARESP-09"],
      } satisfies FaultInfo,
    ]),
  ),
  ...Object.fromEntries(
    TOKEN_ERROR_CODES.map((code) => [
      `token-error:${code}`,
      { kind: "token", title: `token response error=${code}`, requirements: ["FED-TRESP-10"] } satisfies FaultInfo,
    ]),
  ),
}) as unknown as Record<FaultId, FaultInfo>;

export const FAULT_IDS = Object.freeze(Object.keys(FAULTS) as FaultId[]);
export const ID_TOKEN_FAULT_IDS = Object.freeze(Object.keys(ID_TOKEN_FAULTS) as IdTokenFaultId[]);

/** True when `value` names a fault in the catalogue. */
export function isFaultId(value: unknown): value is FaultId {
  return typeof value === "string" && Object.hasOwn(FAULTS, value);
}

/** Simulator-wide defects modelling a non-conformant environment. */
export const DEFECTS = Object.freeze({
  "discovery-missing-field": { title: "discovery document lacks userinfo_endpoint", requirements: ["FED-DISC-01"] },
  "rs256-signing": { title: "tokens signed and advertised with RS256", requirements: ["FED-JWT-01", "FED-DISC-03", "UEV2-AT-12"] },
  "weak-signing-key": { title: "1024-bit RSA signing key", requirements: ["FED-DISC-02"] },
  "token-no-cache-headers": { title: "token responses without Cache-Control and Pragma", requirements: ["FED-TRESP-02", "UEV2-TOKEN-12"] },
  "uev2-wrong-error-text": { title: "Users V2 error descriptions differ from Table 10", requirements: ["UEV2-ERR-01", "UEV2-ERR-13"] },
  "uev2-six-expressions-accepted": { title: "Users V2 accepts a sixth filter expression", requirements: ["UEV2-FILTER-06", "UEV2-ERR-04"] },
  // Token endpoint
  "token-wrong-error-codes": {
    title: "token errors all reported as invalid_request",
    requirements: ["FED-TRESP-10", "FED-ARESP-04", "FED-TOKEN-02"],
  },
  "token-lax-client-auth": {
    title: "client assertions accepted without verifying signature, claims, type or jti",
    requirements: ["FED-TOKEN-06", "FED-TOKEN-07", "FED-TOKEN-08", "FED-TOKEN-09", "FED-TOKEN-10", "FED-TOKEN-11"],
  },
  "token-error-not-json": { title: "token errors sent as plain text", requirements: ["FED-TRESP-09"] },
  "token-accepts-json-body": { title: "token requests accepted with a JSON body", requirements: ["FED-TOKEN-01"] },
  "authorize-accepts-anything": {
    title: "/authorize issues a code for any request, to any redirect_uri",
    requirements: ["FED-AUTHZ-02", "FED-AUTHZ-05", "FED-AUTHZ-07", "FED-AUTHZ-22", "FED-AUTHZ-23", "FED-ARESP-08"],
  },
  "userinfo-accepts-anything": {
    title: "userinfo answers 200 to any method and any or no token",
    requirements: ["FED-UI-01", "FED-UIP-01"],
  },
  // Code flow, tokens and userinfo
  "token-lifetimes-wrong": {
    title: "ID token lives 2 h, access token 1 h (expires_in 3600)",
    requirements: ["TTL-02", "TTL-03", "FED-IDT-18", "FED-TRESP-06"],
  },
  "id-token-missing-jti": { title: "ID tokens without jti", requirements: ["FED-IDT-06"] },
  "access-token-claims-missing": {
    title: "access tokens without scope, vot and vtm",
    requirements: ["FED-AT-02", "FED-AT-03", "FED-AT-04"],
  },
  "code-reuse-accepted": { title: "an authorization code can be redeemed twice", requirements: ["FED-ARESP-04"] },
  "unknown-scope-granted": { title: "unknown scopes are granted instead of ignored", requirements: ["FED-AUTHZ-03", "FED-AT-03"] },
  "userinfo-no-www-authenticate": { title: "userinfo 401 without WWW-Authenticate", requirements: ["FED-UI-17", "FED-UI-18"] },
  "userinfo-claims-beyond-scope": {
    title: "userinfo releases claims the scopes and level do not allow, with empty values",
    requirements: ["FED-UI-03", "FED-UI-04", "SCOPE-02"],
  },
  "refresh-grant-broken": { title: "the refresh grant refuses valid refresh tokens", requirements: ["FED-REFRESH-01"] },
  // Users Endpoint V2
  "uev2-token-lifetime-wrong": { title: "Users V2 tokens live 3600 s", requirements: ["UEV2-TOKEN-15", "UEV2-AT-06", "TTL-06"] },
  "uev2-access-token-claims-wrong": {
    title: "Users V2 access tokens lack token_use and say reason_for_request patientaccess",
    requirements: ["UEV2-AT-09", "UEV2-AT-11"],
  },
  "uev2-or-binds-first": { title: "Users V2 evaluates or before and", requirements: ["UEV2-FILTER-07"] },
  "uev2-attributes-ignore-scope": {
    title: "Users V2 returns every attribute whatever the scope",
    requirements: ["UEV2-RESP-20", "UEV2-SCOPE-10"],
  },
  "uev2-no-token-accepted": { title: "Users V2 answers searches without a bearer token", requirements: ["UEV2-REQ-02", "UEV2-ERR-14"] },
  "uev2-scope-not-enforced": { title: "Users V2 answers without Users.retrieve", requirements: ["UEV2-SCOPE-01", "UEV2-ERR-10"] },
  "uev2-no-match-404": {
    title: "Users V2 answers a search with no match 404 instead of 200 with totalResults 0",
    requirements: ["UEV2-RESP-04"],
  },
  "uev2-writes-accepted": { title: "Users V2 accepts POST /v2/Users (201)", requirements: ["UEV2-GEN-02"] },
} as const);
export type DefectId = keyof typeof DEFECTS;
export const DEFECT_IDS = Object.freeze(Object.keys(DEFECTS) as DefectId[]);

/** True when `value` names a defect. */
export function isDefectId(value: unknown): value is DefectId {
  return typeof value === "string" && Object.hasOwn(DEFECTS, value);
}
