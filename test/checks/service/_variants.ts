/**
 * What each unsafe variant of the reference service must break: the checks (by key) it fails,
 * with the status they must then have. Every other check must keep the status it has on the
 * reference service. The loopback-http warnings of the reference service are the baseline.
 */
import type { UnsafeSwitch } from "../../../examples/reference-service/unsafe.ts";

/** Status of every check on the reference service, when not "passed". */
export const BASELINE: Readonly<Record<string, "warning">> = {
  registration: "warning", // its redirect URI is http on 127.0.0.1 (tolerated on loopback)
  "redirect-uri-scheme": "warning",
};

export const VARIANT_BREAKS: Readonly<Record<UnsafeSwitch, Readonly<Record<string, "failed" | "warning">>>> = {
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
  "vot-check": { "id-token-vot-outside-vtr": "failed", "id-token-vot-missing": "failed" },
  "userinfo-sub-check": { "userinfo-sub": "failed" },
  "fresh-state": { state: "failed" },
  "fresh-nonce": { nonce: "failed" },
  "rs512-assertion": { "assertion-signature": "failed" },
  "short-assertion": { "assertion-lifetime": "warning" },
  "unique-jti": { "assertion-jti": "failed" },
  "https-redirect-uri": { registration: "failed", "redirect-uri-scheme": "failed" },
  "no-consent-page": { "error:access_denied": "failed" },
  "session-limits": { "session-idle": "failed", "session-absolute": "failed" },
  "httponly-cookies": { "session-cookies": "failed" },
  "single-use-transaction": { "code-replay": "failed" },
  "other-client-id": { "client-id": "failed" },
  "unregistered-redirect-uri": { "redirect-uri-registered": "failed" },
  "unregistered-vtr": { vtr: "failed" },
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
]);

/**
 * Checks no variant breaks, and why; each is shown failing on crafted input in the unit tests of
 * its finding function instead.
 */
export const BROKEN_BY_CRAFTED_INPUT_ONLY: Readonly<Record<string, string>> = {
  "request-shape": "openid-client always sends response_type=code by GET; see authorization-request.test.ts",
  scope: "the scopes are configuration, not a safeguard; see authorization-request.test.ts",
  "unsupported-parameters": "openid-client sends none; see authorization-request.test.ts",
  "optional-parameters": "openid-client sends none; see authorization-request.test.ts",
  "token-request": "openid-client builds the token request; see client-authentication.test.ts",
  "client-auth-method": "openid-client's PrivateKeyJwt; see client-authentication.test.ts",
  "assertion-claims": "iss, sub and aud are set by openid-client and the aud hook; see client-authentication.test.ts",
  "code-single-use": "one token request per sign-in; see client-authentication.test.ts",
  "id-token-alg-none": "openid-client refuses alg none and HS256 whatever the pinning; see id-token-handling.test.ts",
  "id-token-hs256-public-key": "as id-token-alg-none",
  "id-token-iat-future": "no switch removes the iat check; see id-token-handling.test.ts",
  "id-token-nbf-future": "openid-client enforces nbf in every variant; see id-token-handling.test.ts",
  "id-token-sub-missing": "openid-client requires sub in every variant; see id-token-handling.test.ts",
  "id-token-vtm-missing": "no switch removes the vtm check; see id-token-handling.test.ts",
  "error:invalid_scope": "the same error page as the other codes; see error-handling.test.ts",
  "error:sso_login_required": "see error-handling.test.ts",
  "error:server_error": "see error-handling.test.ts",
  "error:temporarily_unavailable": "see error-handling.test.ts",
  "error:unknown-error": "see error-handling.test.ts",
  "userinfo-bearer-header": "openid-client always uses the Authorization header; see userinfo-usage.test.ts",
  "token-exposure": "the service never exposes tokens; see session.test.ts",
};
