/**
 * What each unsafe variant of the reference service must break: the checks (by key) it fails,
 * with the status they must then have. Every other check must keep the status it has on the
 * reference service. The loopback-http warnings of the reference service are the baseline.
 */
import type { UnsafeSwitch } from "../../../examples/reference-service/unsafe.ts";

/** Status of every check on the reference service, when not "passed". */
export const BASELINE: Readonly<Record<string, "warning" | "skipped">> = {
  registration: "warning", // its redirect URI is http on 127.0.0.1 (tolerated on loopback)
  "redirect-uri-scheme": "warning",
  // Only browser mode can observe these (browser-mode.test.ts runs them).
  "script-readable-tokens": "skipped",
  "api-cross-origin": "skipped",
  "browser-back-channel": "skipped",
};

/** The Users V2 consumer variants and what they break (targeted: only the consumer checks run). */
const USERS_V2_CONSUMER_BREAKS = {
  "users-rs256-assertion": { "users-assertion": "failed" },
  "users-reused-jti": { "users-assertion-jti": "failed" },
  "users-wrong-aud": { "users-assertion": "failed" },
  "users-assertion-identity": { "users-assertion": "failed" },
  "users-foreign-key": { "users-assertion": "failed" },
  "users-grant-type-typo": { "users-assertion": "failed" },
  "users-token-request-json": { "users-assertion": "failed" },
  "users-scope-altered": { "users-scope": "failed" },
  "users-token-per-search": { "users-token-reuse": "warning" },
  "users-ignores-expires-in": { "users-token-expiry": "failed" },
  "users-no-renewal-on-401": { "users-token-401": "warning" },
  "users-unencoded-filter": { "users-filter-encoding": "failed" },
  "users-scim-request": { "users-search-request": "failed" },
  "users-unquoted-filter": { "users-filter-grammar": "failed" },
  "users-upper-case-operators": { "users-filter-operators": "warning" },
  "users-retry-on-4xx": { "users-error-400": "warning", "users-error-403": "warning" },
  "users-no-retry-on-500": { "users-error-500": "warning" },
  "users-unbounded-retries": {
    "users-error-500": "warning",
    "users-error-not-json": "warning",
    "users-token-refused": "warning",
  },
  "users-errors-as-not-found": { "users-error-400": "failed", "users-error-500": "failed", "users-error-timeout": "warning" },
  "users-decodes-token": { "users-opaque-token": "warning" },
  "users-first-resource-only": { "users-several": "failed" },
  "users-strict-attributes": { "users-tolerant-reading": "failed" },
  "users-nhs-number-as-number": { "users-found": "failed" },
  "users-no-input-validation": { "users-nhs-number-check": "warning", "users-input-validation": "failed" },
  "users-scim-filter": { "users-filter-grammar": "failed" },
  "users-no-match-as-error": { "users-not-found": "failed" },
} as const satisfies Partial<Record<UnsafeSwitch, Readonly<Record<string, "failed" | "warning">>>>;

/** The consumer variants, for the targeted set and their test shards. */
export const USERS_V2_CONSUMER_VARIANTS = Object.keys(USERS_V2_CONSUMER_BREAKS) as (keyof typeof USERS_V2_CONSUMER_BREAKS)[];

/** The Provision Account consumer variants and what they break (targeted: only these checks run). */
const PROVISION_CONSUMER_BREAKS = {
  "pa-hs256-assertion": { "pa-token-request": "failed" },
  "pa-iss-not-sub": { "pa-token-request": "failed" },
  "pa-no-assertion-type": { "pa-token-request": "failed" },
  "pa-reused-jti": { "pa-assertion-jti": "failed" },
  "pa-token-per-call": { "pa-token-reuse": "warning" },
  "pa-ignores-expires-in": { "pa-token-reuse": "failed" },
  "pa-form-body": { "pa-request": "failed" },
  "pa-no-input-validation": { "pa-body": "failed" },
  "pa-non-iso-date": { "pa-body": "failed" },
  "pa-other-ods-code": { "pa-body": "failed" },
  "pa-local-mobile": { "pa-body": "failed" },
  "pa-uplift-as-created": { "pa-outcomes": "failed" },
  "pa-no-retry-on-unavailable": { "pa-on-unavailable": "warning" },
  "pa-retry-11010": { "pa-on-11010": "failed" },
  "pa-tight-retry-11011": { "pa-on-11011": "failed" },
  "pa-errors-all-unavailable": {
    "pa-on-11010": "failed",
    "pa-on-11021": "failed",
    "pa-on-11011": "failed",
    "pa-on-cannot-provision": "failed",
    "pa-on-11005": "failed",
    "pa-on-11004": "failed",
    "pa-on-11003": "failed",
  },
  "pa-raw-description": { "pa-raw-description": "failed" },
} as const satisfies Partial<Record<UnsafeSwitch, Readonly<Record<string, "failed" | "warning">>>>;

export const PROVISION_CONSUMER_VARIANTS = Object.keys(PROVISION_CONSUMER_BREAKS) as (keyof typeof PROVISION_CONSUMER_BREAKS)[];

export const VARIANT_BREAKS: Readonly<Record<UnsafeSwitch, Readonly<Record<string, "failed" | "warning">>>> = {
  ...USERS_V2_CONSUMER_BREAKS,
  ...PROVISION_CONSUMER_BREAKS,
  "state-check": { "error:state-missing": "failed", "error:state-wrong": "failed" },
  "nonce-check": { "id-token-nonce-missing": "failed", "id-token-nonce-wrong": "failed" },
  "alg-pinning": { "id-token-rs256": "failed" },
  "signature-check": {
    "id-token-bad-signature": "failed",
    "id-token-embedded-jwk": "failed",
    "id-token-jku": "failed",
    "id-token-x5u": "failed",
    "id-token-unknown-kid": "failed",
  },
  "iss-check": { "id-token-wrong-iss": "failed" },
  "aud-check": { "id-token-wrong-aud": "failed", "id-token-extra-aud": "warning" },
  "exp-check": { "id-token-expired": "failed" },
  // The step-up's vot, too, goes unchecked: a P5 answer to a P9-only request raises the session.
  "vot-check": { "id-token-vot-outside-vtr": "failed", "id-token-vot-missing": "failed", "step-up-vot": "warning" },
  "userinfo-sub-check": { "userinfo-sub": "failed" },
  // The step-up request reuses them too (STEPUP-02).
  "fresh-state": { state: "failed", "step-up": "failed" },
  "fresh-nonce": { nonce: "failed", "step-up": "failed" },
  "rs512-assertion": { "assertion-signature": "failed" },
  "short-assertion": { "assertion-lifetime": "warning" },
  // NHS login refuses the step-up's code exchange (its assertion's jti is replayed), so the session cannot move (STEPUP-05).
  "unique-jti": { "assertion-jti": "failed", "step-up": "warning" },
  "https-redirect-uri": { registration: "failed", "redirect-uri-scheme": "failed" },
  "no-consent-page": { "error:access_denied": "failed" },
  "session-limits": { "session-idle": "failed", "session-absolute": "failed" },
  "logout-keeps-session": { "sign-out": "warning" },
  "nhs-number-as-number": { "nhs-number-leading-zero": "failed" },
  "p9-feature-for-p5": { "step-up": "failed" },
  "step-up-upgrades-other-person": { "step-up-other-person": "warning" },
  "step-up-trusts-request": { "step-up-vot": "warning" },
  "step-up-keeps-level": { "step-up": "warning" },
  "httponly-cookies": { "session-cookies": "failed" },
  "single-use-transaction": { "code-replay": "failed" },
  "other-client-id": { "client-id": "failed" },
  "unregistered-redirect-uri": { "redirect-uri-registered": "failed" },
  "unregistered-vtr": { vtr: "failed" },
  "hybrid-response-type": { "request-shape": "failed" },
  "scope-without-openid": { scope: "failed" },
  "scope-combinations": { scope: "failed" },
  "unsupported-parameters": { "unsupported-parameters": "warning" },
  "invalid-optional-parameters": { "optional-parameters": "failed" },
  "token-request-json": { "token-request": "failed" },
  "token-request-mangled": { "token-request": "failed" },
  "client-auth-mixed": { "client-auth-method": "failed" },
  "assertion-wrong-claims": { "assertion-claims": "failed" },
  "assertion-iat-future": { "assertion-lifetime": "failed" },
  "code-redeemed-twice": { "code-single-use": "failed" },
  "userinfo-token-in-query": { "userinfo-bearer-header": "failed" },
  "tokens-on-page": { "token-exposure": "failed" },
  "error-pages-500": {
    "error:access_denied": "failed",
    "error:invalid_scope": "failed",
    "error:sso_login_required": "failed",
    "error:server_error": "failed",
    "error:temporarily_unavailable": "failed",
    "error:unknown-error": "failed",
  },
  "nbf-check": { "id-token-nbf-future": "failed" },
  "iat-check": { "id-token-iat-future": "warning" },
  "sub-check": { "id-token-sub-missing": "failed" },
  "alg-confusion": { "id-token-alg-none": "failed", "id-token-hs256-public-key": "failed" },
  "vtm-check": { "id-token-vtm-missing": "warning" },
  "strict-id-token": { "id-token-unknown-header": "failed", "id-token-unknown-claims": "failed" },
  "strict-access-token": { "access-token-unknown-claims": "failed" },
  "strict-userinfo": { "userinfo-unknown-claims": "failed" },
  "requires-refresh-token": { "token-response-without-refresh-token": "warning" },
  "no-userinfo": { "userinfo-after-token": "warning" },
  "first-jwks-key": { "id-token-second-key": "warning" },
  "registration-without-openid": { registration: "failed" },
  "wildcard-redirect-uri": { registration: "failed" },
  "many-redirect-uris": { registration: "failed" },
  "rsa-4096-key": { "assertion-signature": "warning" },
  "redirect-uri-query": { registration: "failed", "redirect-uri-registered": "failed" },
  "authorize-params-in-fragment": { "request-shape": "failed" },
  "repeated-parameter": { "request-shape": "failed" },
  "vtr-not-json": { vtr: "failed" },
  "unsupported-vtr": { vtr: "failed" },
  "no-client-assertion": { "client-auth-method": "failed" },
  "generic-no-consent-page": { "error:access_denied": "warning" },
  "no-consent-links": { "error:access_denied": "warning" },
  "unescaped-error-description": { "error:unknown-error": "warning" },
  "vtr-without-level": { "vtr-levels": "warning" },
  "unagreed-client-metadata": { scope: "failed" },
  "capitalised-scope": { scope: "failed" },
  "gp-credentials-weak-vtr": { "vtr-levels": "failed" },
  "front-channel-id-token": { "callback-forged-tokens": "warning" },
  "replayed-callback-session": { "code-replay": "failed" },
  "reauth-without-prompt": { "session-idle": "warning", "session-absolute": "warning" },
};

/**
 * Variants whose requests the simulator refuses before any sign-in (an unknown client_id, an
 * unregistered redirect URI or vtr): every check that needs a sign-in then fails or is
 * inconclusive, so for these only the checks in VARIANT_BREAKS and their breakers are asserted.
 */
export const CONFIGURATION_VARIANTS: ReadonlySet<UnsafeSwitch> = new Set([
  "other-client-id",
  "unregistered-redirect-uri",
  "unregistered-vtr",
  "vtr-without-level",
  "gp-credentials-weak-vtr",
  "unagreed-client-metadata",
  "capitalised-scope",
]);

/**
 * Variants that each break the requests or the ID-token handling in one narrow way (many of them
 * also make the simulator refuse the sign-in): only the checks in VARIANT_BREAKS are run and
 * asserted, with their breakers, which keeps each run to a few checks.
 */
export const TARGETED_VARIANTS: ReadonlySet<UnsafeSwitch> = new Set([
  "hybrid-response-type",
  "scope-without-openid",
  "scope-combinations",
  "unsupported-parameters",
  "invalid-optional-parameters",
  "token-request-json",
  "token-request-mangled",
  "client-auth-mixed",
  "assertion-wrong-claims",
  "assertion-iat-future",
  "code-redeemed-twice",
  "userinfo-token-in-query",
  "tokens-on-page",
  "error-pages-500",
  "nbf-check",
  "iat-check",
  "sub-check",
  "alg-confusion",
  "vtm-check",
  "strict-id-token",
  "strict-access-token",
  "strict-userinfo",
  "requires-refresh-token",
  "no-userinfo",
  "first-jwks-key",
  "authorize-params-in-fragment",
  "repeated-parameter",
  "vtr-not-json",
  "unsupported-vtr",
  "no-client-assertion",
  "logout-keeps-session",
  "nhs-number-as-number",
  "p9-feature-for-p5",
  "step-up-upgrades-other-person",
  "step-up-trusts-request",
  "step-up-keeps-level",
  ...USERS_V2_CONSUMER_VARIANTS,
  ...PROVISION_CONSUMER_VARIANTS,
]);

/**
 * Checks no variant breaks, and why; each is shown failing on crafted input in the unit tests of
 * its finding function instead. Empty: every service check is broken by a variant.
 */
export const BROKEN_BY_CRAFTED_INPUT_ONLY: Readonly<Record<string, string>> = {};

/**
 * Checks only browser mode can run, broken by a variant of the single-page fixture service
 * (test/_support/fixture-services/single-page.ts; SINGLE_PAGE_VARIANTS in browser-mode.test.ts),
 * not by the server-rendered reference service, whose pages run no script.
 */
export const BROKEN_BY_SINGLE_PAGE_VARIANT: Readonly<Record<string, string>> = {
  "script-readable-tokens": "tokens-to-page: the API hands the tokens to the page, which keeps them in localStorage",
  "api-cross-origin": "permissive-cors-tokens: the API reflects any Origin with credentials and returns the tokens",
  "browser-back-channel": "browser-token-exchange: the callback page redeems the code at NHS login's token endpoint itself",
};
