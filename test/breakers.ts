/**
 * The breakers: for every (check, requirement ID) pair, what breaks the rule and how the check
 * must then report that ID (failed or warning, with a reason matching the pattern). Each entry is
 * run by the breaker test of its target kind (test/checks/environment/breakers.test.ts for the environment,
 * the variant suite for the service, test/artefacts/breakers.test.ts for artefacts), and
 * test/breakers-coverage.test.ts holds the table to the check lists: a pair without a breaker
 * must be listed in UNBREAKABLE (with why it cannot be broken) or NOT_YET_BROKEN (a known gap).
 * `npm run where <ID>` lists them.
 */
import type { UnsafeSwitch } from "../examples/reference-service/unsafe.ts";
import type { TargetKind } from "../lib/checks/check.ts";
import type { DefectId, FaultId } from "../lib/simulator/faults.ts";

export type EnvironmentBreaker = (
  | { defect: DefectId }
  | { fault: FaultId }
  /** A persona the simulator signs in instead (e.g. one with an invalid NHS number). */
  | { persona: string }
  /** A stand-in endpoint that accepts everything (no simulator defect models it). */
  | { stub: "authorization_endpoint" | "userinfo_endpoint" }
) & {
  scopes?: string[];
  /** Run against the simulator's https mode (SIMULATOR_TLS), for the TLS checks. */
  tls?: boolean;
};

/**
 * An unsafe variant of the reference service (REFERENCE_SERVICE_UNSAFE), or a faulty variant of
 * the single-page fixture service driven in browser mode (SINGLE_PAGE_VARIANTS in
 * test/checks/service/browser-mode.test.ts, which runs these).
 */
export type ServiceBreaker = { variant: UnsafeSwitch } | { singlePage: SinglePageVariant };

/** The single-page fixture's faulty variants a breaker can name (their options are in browser-mode.test.ts). */
export type SinglePageVariant = "tokens-to-page" | "permissive-cors-tokens" | "browser-token-exchange";

/**
 * A named tampering of a good artefact capture (test/artefacts/_tampers.ts), or a capture made
 * against a simulator with a defect (the flow a partner would record from a broken environment).
 */
export type ArtefactBreaker = { tamper: string } | { defect: DefectId };

export type BreakerEntry =
  | { kind: "environment"; check: string; breaker: EnvironmentBreaker; expect: Readonly<Record<string, RegExp>> }
  | { kind: "service"; check: string; breaker: ServiceBreaker; expect: Readonly<Record<string, RegExp>> }
  | { kind: "artefacts"; check: string; breaker: ArtefactBreaker; expect: Readonly<Record<string, RegExp>> };

/** `kind:check:ID` for a pair. */
export const pairKey = (kind: TargetKind, check: string, id: string) => `${kind}:${check}:${id}`;

/** The Provision Account environment checks' breakers, one row per (check, defect): the IDs it must fail or warn and why. */
const PROVISION_ACCOUNT_BREAKS: readonly (readonly [string, DefectId, Readonly<Record<string, RegExp>>])[] = [
  ["pa-token", "token-no-cache-headers", { "PA-03": /the client_credentials token request: Cache-Control is absent, expected no-store/ }],
  ["pa-token", "pa-token-lifetime-wrong", { "TTL-06": /the access token lives 3600 s \(exp - iat\); expected 300 s/ }],
  ["pa-token", "pa-access-token-claims-wrong", { "PA-03": /the access token's sub and aud must be the client id/ }],
  ["pa-token-refusals", "token-accepts-json-body", { "PA-01": /the token request sent as application\/json was accepted \(HTTP 200\)/ }],
  ["pa-token-refusals", "token-lax-client-auth", { "PA-02": /a client assertion whose jti was used already was accepted \(HTTP 200\)/ }],
  ["pa-token-refusals", "token-error-not-json", { "PA-04": /Content-Type is text\/plain; charset=utf-8, expected application\/json/ }],
  ["pa-unsupported-ods", "pa-ods-unchecked", { "PA-15": /the test patient with ODS code A12346 was provisioned .*expected 11021/ }],
  [
    "pa-invalid-data",
    "pa-body-unchecked",
    {
      "PA-06": /the test patient without nhs_number was provisioned .*expected 11010/,
      "PA-08": /date_of_birth 1993-17-12 \(the spec's example, not a real date\) was provisioned/,
      "PA-14": /date_of_birth 1993-17-12 \(the spec's example, not a real date\) was provisioned .*expected 11010/,
    },
  ],
  ["pa-invalid-data", "pa-error-shape-wrong", { "PA-12": /code is null, not a string; T10 makes it mandatory/ }],
  [
    "pa-already-p9",
    "pa-p9-uplifted",
    { "PA-18": /persona p9's NHS number 9990010005 \(a P9 account\) was provisioned \(HTTP 200 code "uplift"\)/ },
  ],
  ["pa-email-in-use", "pa-email-in-use-ignored", { "PA-19": /with persona p0's email was provisioned .*expected 11004/ }],
  ["pa-provision", "pa-success-code-wrong", { "PA-11": /code "created"; T9 has only create and uplift/ }],
  [
    "pa-pending",
    "pa-pending-ignored",
    { "PA-20": /the test patient a second time was provisioned \(HTTP 200 code "create"\); expected 11003/ },
  ],
];

/** Environment checks against a broken simulator (test/checks/environment/_breaker-env.ts applies them). */
const ENVIRONMENT_BREAKERS: readonly BreakerEntry[] = [
  ...PROVISION_ACCOUNT_BREAKS.map(([check, defect, expect]): BreakerEntry => ({ kind: "environment", check, breaker: { defect }, expect })),
  {
    kind: "environment",
    check: "fed-disc-01",
    breaker: { defect: "discovery-missing-field" },
    expect: { "FED-DISC-01": /discovery lacks userinfo_endpoint/ },
  },
  {
    kind: "environment",
    check: "fed-disc-03",
    breaker: { defect: "rs256-signing" },
    expect: { "FED-DISC-03": /id_token_signing_alg_values_supported is/ },
  },
  {
    kind: "environment",
    check: "fed-disc-02",
    breaker: { defect: "weak-signing-key" },
    expect: { "FED-DISC-02": /key .* is a \d+-bit RSA key, expected \d+ bits or more/ },
  },
  {
    kind: "environment",
    check: "fed-token-13",
    breaker: { defect: "token-wrong-error-codes" },
    expect: {
      "FED-TOKEN-13": /an unknown code with a valid assertion: HTTP/,
      "FED-ARESP-04": /an unknown code with a valid assertion: HTTP/,
      "FED-TRESP-10": /an unknown code with a valid assertion: HTTP/,
    },
  },
  {
    kind: "environment",
    check: "fed-token-13",
    breaker: { defect: "token-error-not-json" },
    expect: {
      "FED-TOKEN-13": /an unknown code with a valid assertion: HTTP/,
      "FED-ARESP-04": /an unknown code with a valid assertion: HTTP/,
      "FED-TRESP-10": /an unknown code with a valid assertion: HTTP/,
    },
  },
  {
    kind: "environment",
    check: "fed-token-08",
    breaker: { defect: "token-wrong-error-codes" },
    expect: { "FED-TOKEN-08": /an assertion with aud = the issuer/ },
  },
  {
    kind: "environment",
    check: "fed-token-08",
    breaker: { defect: "token-lax-client-auth" },
    expect: { "FED-TOKEN-08": /an assertion with aud = the issuer/ },
  },
  {
    kind: "environment",
    check: "fed-token-08",
    breaker: { defect: "token-error-not-json" },
    expect: { "FED-TOKEN-08": /an assertion with aud = the issuer/ },
  },
  {
    kind: "environment",
    check: "fed-token-07",
    breaker: { defect: "token-wrong-error-codes" },
    expect: { "FED-TOKEN-07": /an assertion with/ },
  },
  {
    kind: "environment",
    check: "fed-token-07",
    breaker: { defect: "token-lax-client-auth" },
    expect: { "FED-TOKEN-07": /an assertion with/ },
  },
  {
    kind: "environment",
    check: "fed-token-07",
    breaker: { defect: "token-error-not-json" },
    expect: { "FED-TOKEN-07": /an assertion with/ },
  },
  {
    kind: "environment",
    check: "fed-token-09",
    breaker: { defect: "token-wrong-error-codes" },
    expect: { "FED-TOKEN-09": /an assertion that expired ten minutes ago: HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-token-09",
    breaker: { defect: "token-lax-client-auth" },
    expect: { "FED-TOKEN-09": /an assertion that expired ten minutes ago got past this rule: the endpoint went on to judg/ },
  },
  {
    kind: "environment",
    check: "fed-token-09",
    breaker: { defect: "token-error-not-json" },
    expect: { "FED-TOKEN-09": /an assertion that expired ten minutes ago: HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-token-11",
    breaker: { defect: "token-wrong-error-codes" },
    expect: { "FED-TOKEN-11": /an assertion signed by a key that is not the client's: HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-token-11",
    breaker: { defect: "token-lax-client-auth" },
    expect: { "FED-TOKEN-11": /an assertion signed by a key that is not the client's got past this rule: the endpoint wen/ },
  },
  {
    kind: "environment",
    check: "fed-token-11",
    breaker: { defect: "token-error-not-json" },
    expect: { "FED-TOKEN-11": /an assertion signed by a key that is not the client's: HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-token-11-2",
    breaker: { defect: "token-wrong-error-codes" },
    expect: { "FED-TOKEN-11": /an assertion signed RS/ },
  },
  {
    kind: "environment",
    check: "fed-token-11-2",
    breaker: { defect: "token-lax-client-auth" },
    expect: { "FED-TOKEN-11": /an assertion signed RS/ },
  },
  {
    kind: "environment",
    check: "fed-token-11-2",
    breaker: { defect: "token-error-not-json" },
    expect: { "FED-TOKEN-11": /an assertion signed RS/ },
  },
  {
    kind: "environment",
    check: "fed-token-10",
    breaker: { defect: "token-wrong-error-codes" },
    expect: { "FED-TOKEN-10": /an assertion without jti: HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-token-10",
    breaker: { defect: "token-lax-client-auth" },
    expect: { "FED-TOKEN-10": /the same assertion \(same jti\) sent a second time got past this rule: the endpoint went on / },
  },
  {
    kind: "environment",
    check: "fed-token-10",
    breaker: { defect: "token-error-not-json" },
    expect: { "FED-TOKEN-10": /an assertion without jti: HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-token-06",
    breaker: { defect: "token-lax-client-auth" },
    expect: { "FED-TOKEN-06": /a valid assertion without client_assertion_type got past this rule: the endpoint went on t/ },
  },
  {
    kind: "environment",
    check: "fed-token-06",
    breaker: { defect: "token-error-not-json" },
    expect: { "FED-TOKEN-06": /a valid assertion without client_assertion_type: HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-reg-07",
    breaker: { defect: "token-lax-client-auth" },
    expect: { "FED-REG-07": /a request naming the client by client_id only got past this rule: the endpoint went on to / },
  },
  {
    kind: "environment",
    check: "fed-reg-07",
    breaker: { defect: "token-error-not-json" },
    expect: { "FED-REG-07": /a request naming the client by client_id only: HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-token-02",
    breaker: { defect: "token-wrong-error-codes" },
    expect: { "FED-TOKEN-02": /grant_type=password: HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-token-02",
    breaker: { defect: "token-error-not-json" },
    expect: { "FED-TOKEN-02": /grant_type=password: HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-token-01",
    breaker: { defect: "token-error-not-json" },
    expect: { "FED-TOKEN-01": /a code grant sent as application\/json: HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-token-01",
    breaker: { defect: "token-accepts-json-body" },
    expect: { "FED-TOKEN-01": /a code grant sent as application\/json got past this rule: the endpoint went on to judge th/ },
  },
  {
    kind: "environment",
    check: "fed-token-14",
    breaker: { defect: "token-lax-client-auth" },
    expect: { "FED-TOKEN-14": /a valid assertion plus an HTTP Basic Authorization header got past this rule: the endpoint/ },
  },
  {
    kind: "environment",
    check: "fed-token-14",
    breaker: { defect: "token-error-not-json" },
    expect: { "FED-TOKEN-14": /a valid assertion plus an HTTP Basic Authorization header: HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-tresp-09",
    breaker: { defect: "token-error-not-json" },
    expect: {
      "FED-TRESP-09": /an unknown authorization code: Content-Type is text\/plain; charset=utf-/,
      "FED-TRESP-10": /an unknown authorization code: no error code to judge \(HTTP/,
    },
  },
  {
    kind: "environment",
    check: "fed-tresp-02",
    breaker: { defect: "token-no-cache-headers" },
    expect: { "FED-TRESP-02": /an unknown authorization code \(HTTP/ },
  },
  {
    kind: "environment",
    check: "uev2-token-headers",
    breaker: { defect: "token-no-cache-headers" },
    expect: {
      "UEV2-TOKEN-12": /the jwt-bearer grant for the Users\.retrieve scope: Cache-Control is absent, expected no-st/,
      "FED-TRESP-02": /the jwt-bearer grant for the Users\.retrieve scope: Cache-Control is absent, expected no-st/,
    },
  },
  {
    kind: "environment",
    check: "fed-authz-02",
    breaker: { defect: "authorize-accepts-anything" },
    expect: {
      "FED-AUTHZ-02": /scope .* without openid: accepted, a code was issued/,
      "FED-ARESP-07": /scope .* without openid: the response carries a code/,
    },
  },
  {
    kind: "environment",
    check: "fed-authz-02",
    breaker: { stub: "authorization_endpoint" },
    expect: {
      "FED-AUTHZ-02": /scope .* without openid: accepted, a code was issued/,
      "FED-ARESP-07": /scope .* without openid: the response carries a code/,
    },
  },
  {
    kind: "environment",
    check: "fed-authz-05",
    breaker: { defect: "authorize-accepts-anything" },
    expect: {
      "FED-AUTHZ-05": /response_type=token: accepted, a code was issued/,
      "FED-GEN-02": /response_type=id_token: accepted, a code was issued/,
      "FED-ARESP-07": /response_type=token: the response carries a code/,
    },
  },
  {
    kind: "environment",
    check: "fed-authz-05",
    breaker: { stub: "authorization_endpoint" },
    expect: {
      "FED-AUTHZ-05": /response_type=token: accepted, a code was issued/,
      "FED-GEN-02": /response_type=id_token: accepted, a code was issued/,
      "FED-ARESP-07": /response_type=token: the response carries a code/,
    },
  },
  {
    kind: "environment",
    check: "fed-authz-23",
    breaker: { defect: "authorize-accepts-anything" },
    expect: {
      "FED-AUTHZ-23": /profile with basic_demographics: accepted, a code was issued/,
      "SCOPE-04": /profile with basic_demographics: accepted, a code was issued/,
      "FED-ARESP-07": /profile with basic_demographics: the response carries a code/,
    },
  },
  {
    kind: "environment",
    check: "fed-authz-23",
    breaker: { stub: "authorization_endpoint" },
    expect: {
      "FED-AUTHZ-23": /profile with basic_demographics: accepted, a code was issued/,
      "SCOPE-04": /profile with basic_demographics: accepted, a code was issued/,
      "FED-ARESP-07": /profile with basic_demographics: the response carries a code/,
    },
  },
  {
    kind: "environment",
    check: "fed-authz-22",
    breaker: { defect: "authorize-accepts-anything" },
    expect: {
      "FED-AUTHZ-22": /state repeated: accepted, a code was issued/,
      "FED-ARESP-07": /state repeated: the response carries a code/,
    },
  },
  {
    kind: "environment",
    check: "fed-authz-22",
    breaker: { stub: "authorization_endpoint" },
    expect: {
      "FED-AUTHZ-22": /state repeated: accepted, a code was issued/,
      "FED-ARESP-07": /state repeated: the response carries a code/,
    },
  },
  {
    kind: "environment",
    check: "fed-aresp-08",
    breaker: { defect: "authorize-accepts-anything" },
    expect: { "FED-ARESP-08": /redirect_uri/, "FED-AUTHZ-07": /redirect_uri/, "FED-AUTHZ-06": /unknown client_id/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-08",
    breaker: { stub: "authorization_endpoint" },
    expect: { "FED-ARESP-08": /redirect_uri/, "FED-AUTHZ-07": /redirect_uri/, "FED-AUTHZ-06": /unknown client_id/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-01",
    breaker: { fault: "authorize-state-wrong" },
    expect: { "FED-ARESP-02": /state came back as/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-01",
    breaker: { fault: "authorize-state-missing" },
    expect: { "FED-ARESP-02": /the redirect has no state/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-01",
    breaker: { fault: "authorize-error:invalid_request" },
    expect: { "FED-ARESP-01": /the sign-in ended with error=invalid_request \(simulated error \(fault scenario\)\)/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-01",
    breaker: { fault: "authorize-error:unauthorized_client" },
    expect: { "FED-ARESP-01": /the sign-in ended with error=unauthorized_client \(simulated error \(fault scenario\)\)/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-01",
    breaker: { fault: "authorize-error:access_denied" },
    expect: { "FED-ARESP-01": /the sign-in ended with error=access_denied \(simulated error \(fault scenario\)\)/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-01",
    breaker: { fault: "authorize-error:unsupported_response_type" },
    expect: { "FED-ARESP-01": /the sign-in ended with error=unsupported_response_type \(simulated error \(fault scenario\)\)/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-01",
    breaker: { fault: "authorize-error:invalid_scope" },
    expect: { "FED-ARESP-01": /the sign-in ended with error=invalid_scope \(simulated error \(fault scenario\)\)/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-01",
    breaker: { fault: "authorize-error:sso_login_required" },
    expect: { "FED-ARESP-01": /the sign-in ended with error=sso_login_required \(simulated error \(fault scenario\)\)/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-01",
    breaker: { fault: "authorize-error:server_error" },
    expect: { "FED-ARESP-01": /the sign-in ended with error=server_error \(simulated error \(fault scenario\)\)/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-01",
    breaker: { fault: "authorize-error:temporarily_unavailable" },
    expect: { "FED-ARESP-01": /the sign-in ended with error=temporarily_unavailable \(simulated error \(fault scenario\)\)/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-01",
    breaker: { fault: "authorize-error:interaction_required" },
    expect: { "FED-ARESP-01": /the sign-in ended with error=interaction_required \(simulated error \(fault scenario\)\)/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-01",
    breaker: { fault: "authorize-error:login_required" },
    expect: { "FED-ARESP-01": /the sign-in ended with error=login_required \(simulated error \(fault scenario\)\)/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-01",
    breaker: { fault: "authorize-error:account_selection_required" },
    expect: { "FED-ARESP-01": /the sign-in ended with error=account_selection_required \(simulated error \(fault scenario\)\)/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-01",
    breaker: { fault: "authorize-error:consent_required" },
    expect: { "FED-ARESP-01": /the sign-in ended with error=consent_required \(simulated error \(fault scenario\)\)/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-01",
    breaker: { fault: "authorize-error:invalid_request_uri" },
    expect: { "FED-ARESP-01": /the sign-in ended with error=invalid_request_uri \(simulated error \(fault scenario\)\)/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-01",
    breaker: { fault: "authorize-error:invalid_request_object" },
    expect: { "FED-ARESP-01": /the sign-in ended with error=invalid_request_object \(simulated error \(fault scenario\)\)/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-01",
    breaker: { fault: "authorize-error:request_not_supported" },
    expect: { "FED-ARESP-01": /the sign-in ended with error=request_not_supported \(simulated error \(fault scenario\)\)/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-01",
    breaker: { fault: "authorize-error:request_uri_not_supported" },
    expect: { "FED-ARESP-01": /the sign-in ended with error=request_uri_not_supported \(simulated error \(fault scenario\)\)/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-01",
    breaker: { fault: "authorize-error:registration_not_supported" },
    expect: { "FED-ARESP-01": /the sign-in ended with error=registration_not_supported \(simulated error \(fault scenario\)\)/ },
  },
  {
    kind: "environment",
    check: "fed-jwt-01",
    breaker: { fault: "id-token-alg-none" },
    expect: {
      "FED-JWT-01": /ID token header alg is/,
      "FED-JWT-02": /ID token header typ is absent, expected/,
      "FED-DISC-02": /ID token header has no kid, so the verifying key cannot be chosen from the JWKS by kid/,
    },
  },
  {
    kind: "environment",
    check: "fed-jwt-01",
    breaker: { fault: "id-token-embedded-jwk" },
    expect: {
      "FED-JWT-01": /ID token header does not match the jwt-header schema: \/jwk: boolean schema is false \(this /,
      "FED-JWT-03": /ID token header carries jwk: keys must come only from the JWKS/,
      "FED-DISC-02": /ID token kid/,
    },
  },
  {
    kind: "environment",
    check: "fed-jwt-01",
    breaker: { fault: "id-token-jku" },
    expect: {
      "FED-JWT-01": /ID token header does not match the jwt-header schema: \/jku: boolean schema is false \(this /,
      "FED-JWT-03": /ID token header carries jku: keys must come only from the JWKS/,
      "FED-DISC-02": /ID token kid/,
    },
  },
  {
    kind: "environment",
    check: "fed-jwt-01",
    breaker: { fault: "id-token-x5u" },
    expect: {
      "FED-JWT-01": /ID token header does not match the jwt-header schema: \/x/,
      "FED-JWT-03": /ID token header carries x/,
      "FED-DISC-02": /ID token kid/,
    },
  },
  { kind: "environment", check: "fed-jwt-01", breaker: { defect: "rs256-signing" }, expect: { "FED-JWT-01": /ID token header alg is/ } },
  {
    kind: "environment",
    check: "fed-jwt-01",
    breaker: { fault: "id-token-hs256-public-key" },
    expect: { "FED-JWT-01": /ID token header alg is/ },
  },
  { kind: "environment", check: "fed-jwt-01", breaker: { fault: "id-token-rs256" }, expect: { "FED-JWT-01": /ID token header alg is/ } },
  { kind: "environment", check: "fed-jwt-01", breaker: { fault: "id-token-unknown-kid" }, expect: { "FED-DISC-02": /ID token kid/ } },
  {
    kind: "environment",
    check: "id-token-signature",
    breaker: { defect: "rs256-signing" },
    expect: {
      "FED-DISC-02": /the ID token signature does not verify with the JWKS as RS/,
      "FED-IDT-17": /the ID token signature does not verify with the JWKS as RS/,
    },
  },
  {
    kind: "environment",
    check: "id-token-signature",
    breaker: { defect: "weak-signing-key" },
    expect: {
      "FED-DISC-02": /the ID token signature does not verify with the JWKS as RS/,
      "FED-IDT-17": /the ID token signature does not verify with the JWKS as RS/,
    },
  },
  {
    kind: "environment",
    check: "id-token-signature",
    breaker: { fault: "id-token-bad-signature" },
    expect: {
      "FED-DISC-02": /the ID token signature does not verify with the JWKS as RS/,
      "FED-IDT-17": /the ID token signature does not verify with the JWKS as RS/,
    },
  },
  {
    kind: "environment",
    check: "id-token-signature",
    breaker: { fault: "id-token-alg-none" },
    expect: {
      "FED-DISC-02": /the ID token signature does not verify with the JWKS as RS/,
      "FED-IDT-17": /the ID token signature does not verify with the JWKS as RS/,
    },
  },
  {
    kind: "environment",
    check: "id-token-signature",
    breaker: { fault: "id-token-hs256-public-key" },
    expect: {
      "FED-DISC-02": /the ID token signature does not verify with the JWKS as RS/,
      "FED-IDT-17": /the ID token signature does not verify with the JWKS as RS/,
    },
  },
  {
    kind: "environment",
    check: "id-token-signature",
    breaker: { fault: "id-token-rs256" },
    expect: {
      "FED-DISC-02": /the ID token signature does not verify with the JWKS as RS/,
      "FED-IDT-17": /the ID token signature does not verify with the JWKS as RS/,
    },
  },
  {
    kind: "environment",
    check: "id-token-signature",
    breaker: { fault: "id-token-embedded-jwk" },
    expect: {
      "FED-DISC-02": /the ID token signature does not verify with the JWKS as RS/,
      "FED-IDT-17": /the ID token signature does not verify with the JWKS as RS/,
    },
  },
  {
    kind: "environment",
    check: "id-token-signature",
    breaker: { fault: "id-token-jku" },
    expect: {
      "FED-DISC-02": /the ID token signature does not verify with the JWKS as RS/,
      "FED-IDT-17": /the ID token signature does not verify with the JWKS as RS/,
    },
  },
  {
    kind: "environment",
    check: "id-token-signature",
    breaker: { fault: "id-token-x5u" },
    expect: {
      "FED-DISC-02": /the ID token signature does not verify with the JWKS as RS/,
      "FED-IDT-17": /the ID token signature does not verify with the JWKS as RS/,
    },
  },
  {
    kind: "environment",
    check: "id-token-signature",
    breaker: { fault: "id-token-unknown-kid" },
    expect: {
      "FED-DISC-02": /the ID token signature does not verify with the JWKS as RS/,
      "FED-IDT-17": /the ID token signature does not verify with the JWKS as RS/,
    },
  },
  {
    kind: "environment",
    check: "fed-idt-01",
    breaker: { fault: "id-token-expired" },
    expect: { "FED-IDT-04": /exp \d+ is \d+ s in the past: the token was already expired when issued t/, "FED-IDT-07": /auth_time is/ },
  },
  {
    kind: "environment",
    check: "fed-idt-01",
    breaker: { fault: "id-token-sub-missing" },
    expect: {
      "FED-IDT-01": /ID token does not match the id-token-payload schema: \/: must have required property '/,
      "FED-IDT-02": /sub is absent, expected a string/,
    },
  },
  {
    kind: "environment",
    check: "fed-idt-01",
    breaker: { defect: "id-token-missing-jti" },
    expect: { "FED-IDT-01": /ID token valid only against the lenient id-token-payload schema; needed: A/ },
  },
  {
    kind: "environment",
    check: "fed-idt-01",
    breaker: { fault: "id-token-wrong-iss" },
    expect: { "FED-IDT-01": /iss is .*, expected exactly .*/ },
  },
  { kind: "environment", check: "fed-idt-01", breaker: { fault: "id-token-wrong-aud" }, expect: { "FED-IDT-03": /ID token aud is/ } },
  { kind: "environment", check: "fed-idt-01", breaker: { fault: "id-token-extra-aud" }, expect: { "FED-IDT-03": /ID token aud/ } },
  {
    kind: "environment",
    check: "fed-idt-01",
    breaker: { fault: "id-token-iat-future" },
    expect: { "FED-IDT-05": /iat \d+ is \d+ s in the future/ },
  },
  {
    kind: "environment",
    check: "fed-idt-01",
    breaker: { fault: "id-token-nbf-future" },
    expect: { "FED-IDT-04": /nbf is \d+: the token is not yet valid/ },
  },
  {
    kind: "environment",
    check: "fed-idt-01",
    breaker: { fault: "id-token-vot-missing" },
    expect: { "FED-IDT-01": /ID token does not match the id-token-payload schema: \/: must have required property 'vot'/ },
  },
  {
    kind: "environment",
    check: "fed-idt-01",
    breaker: { fault: "id-token-vtm-missing" },
    expect: { "FED-IDT-01": /ID token does not match the id-token-payload schema: \/: must have required property 'vtm'/ },
  },
  {
    kind: "environment",
    check: "ttl-02",
    breaker: { defect: "token-lifetimes-wrong" },
    expect: { "TTL-02": /the ID token lives/, "FED-IDT-18": /exp − iat is/ },
  },
  {
    kind: "environment",
    check: "fed-idt-08",
    breaker: { fault: "id-token-nonce-missing" },
    expect: { "FED-IDT-08": /the ID token has no nonce/ },
  },
  {
    kind: "environment",
    check: "fed-idt-08",
    breaker: { fault: "id-token-nonce-wrong" },
    expect: { "FED-IDT-08": /nonce is .*, expected exactly .*/ },
  },
  {
    kind: "environment",
    check: "fed-idt-10",
    breaker: { fault: "id-token-vot-missing" },
    expect: { "FED-IDT-10": /ID token vot is absent, expected a vector string such as/, "VOT-06": /there is no vot to match against/ },
  },
  {
    kind: "environment",
    check: "fed-idt-10",
    breaker: { fault: "id-token-vot-outside-vtr" },
    expect: { "VOT-06": /ID token vot "[^"]+" satisfies none of the requested vectors/ },
  },
  {
    kind: "environment",
    check: "fed-idt-11",
    breaker: { fault: "id-token-vtm-missing" },
    expect: { "FED-IDT-11": /ID token vtm is absent, expected the https URL of the trust mark/ },
  },
  { kind: "environment", check: "scope-02", breaker: { persona: "bad-nhs-number" }, expect: { "FED-IDT-14": /nhs_number is/ } },
  {
    kind: "environment",
    check: "fed-tresp-01",
    breaker: { defect: "token-no-cache-headers" },
    expect: { "FED-TRESP-02": /Cache-Control is absent, expected no-store/ },
  },
  {
    kind: "environment",
    check: "fed-tresp-01",
    breaker: { defect: "authorize-accepts-anything" },
    expect: { "FED-TRESP-01": /the authorization_code grant answered HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-tresp-01",
    breaker: { fault: "id-token-alg-none" },
    expect: { "FED-TRESP-04": /token response does not match the token-response schema: \/id_token: must match pattern/ },
  },
  {
    kind: "environment",
    check: "fed-tresp-01",
    breaker: { fault: "token-error:invalid_request" },
    expect: { "FED-TRESP-01": /the authorization_code grant answered HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-tresp-01",
    breaker: { fault: "token-error:invalid_client" },
    expect: { "FED-TRESP-01": /the authorization_code grant answered HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-tresp-01",
    breaker: { fault: "token-error:invalid_grant" },
    expect: { "FED-TRESP-01": /the authorization_code grant answered HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-tresp-01",
    breaker: { fault: "token-error:unauthorized_client" },
    expect: { "FED-TRESP-01": /the authorization_code grant answered HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-tresp-01",
    breaker: { fault: "token-error:unsupported_grant_type" },
    expect: { "FED-TRESP-01": /the authorization_code grant answered HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-tresp-01",
    breaker: { fault: "token-error:invalid_scope" },
    expect: { "FED-TRESP-01": /the authorization_code grant answered HTTP/ },
  },
  {
    kind: "environment",
    check: "ttl-03",
    breaker: { defect: "token-lifetimes-wrong" },
    expect: { "TTL-03": /the access token lives/, "FED-TRESP-06": /expires_in is/ },
  },
  { kind: "environment", check: "fed-at-01", breaker: { defect: "rs256-signing" }, expect: { "FED-AT-01": /access token header alg is/ } },
  {
    kind: "environment",
    check: "fed-at-01",
    breaker: { defect: "weak-signing-key" },
    expect: { "FED-AT-01": /the access token signature does not verify with the JWKS as RS/ },
  },
  {
    kind: "environment",
    check: "fed-at-02",
    breaker: { defect: "access-token-claims-missing" },
    expect: {
      "FED-AT-02": /access token does not match the access-token-payload schema: \/: must have required propert/,
      "FED-AT-03": /access token scope is absent, expected a space-separated list/,
      "FED-AT-04": /access token vot is absent, expected a vector string/,
    },
  },
  { kind: "environment", check: "fed-at-02", breaker: { fault: "id-token-vot-outside-vtr" }, expect: { "VOT-05": /access token vot/ } },
  {
    kind: "environment",
    check: "claims-by-level",
    breaker: { defect: "userinfo-claims-beyond-scope" },
    expect: {
      "SCOPE-05": /UserInfo \(P0, scope "[^"]*"\) carries given_name, which the scope rules do not release there/,
      "FED-UI-11": /UserInfo \(P0, scope "[^"]*"\) carries given_name/,
      "SCOPE-08": /UserInfo \(P5, scope "[^"]*"\) sends landline_number empty/,
      "SCOPE-09": /UserInfo \(P0, scope "[^"]*"\) carries gp_registration_details/,
      "FED-UI-14": /UserInfo \(P0, scope "[^"]*"\) carries gp_registration_details/,
      "SCOPE-10": /UserInfo \(P[05], scope "[^"]*"\) carries gp_integration_credentials/,
      "FED-UI-13": /UserInfo \(P[05], scope "[^"]*"\) carries gp_integration_credentials/,
      "STEPUP-03": /UserInfo \(P5, scope "[^"]*"\) identity_proofing_level is "P9", expected P5/,
    },
  },
  {
    kind: "environment",
    check: "claims-by-level",
    breaker: { defect: "vot-outside-tables" },
    expect: {
      "VOT-01": /the ID token vot "P7\.Cp\.Cx" \(P0, scope "[^"]*"\) names the level "P7", not one of P0, P5, P9/,
      "VOT-02": /the ID token vot "P7\.Cp\.Cx" \(P0, scope "[^"]*"\) has credentials Cx, not among Cp, Cd, Ck, Cm/,
    },
  },
  {
    kind: "environment",
    check: "claims-by-level",
    breaker: { defect: "userinfo-claims-thinned" },
    expect: {
      "SCOPE-01": /UserInfo \(P0, scope "[^"]*"\) has no iss/,
      "SCOPE-06": /UserInfo \(P0, scope "[^"]*"\) lacks email_verified/,
      "SCOPE-07": /UserInfo \(P0, scope "[^"]*"\) lacks phone_number_pds_matched/,
      "SCOPE-12": /UserInfo \(P0, scope "[^"]*"\) carries gender, which NHS login never gives/,
    },
  },
  {
    kind: "environment",
    check: "sso",
    breaker: { defect: "sso-never-reused" },
    expect: {
      "SSO-01": /no prompt, with the session: auth_time \d+, not the session's \d+: the person signed in again/,
      "SSO-02": /prompt=none, with the session: error=sso_login_required, expected a code from the session/,
    },
  },
  { kind: "environment", check: "sso", breaker: { defect: "prompt-login-ignored" }, expect: { "SSO-03": /it was reused without asking/ } },
  {
    kind: "environment",
    check: "sso",
    breaker: { defect: "sso-session-meets-any-vtr" },
    expect: { "VOT-10": /prompt=none for P9\.Cm, with a P9\.Cp\.Cd session: a code \(vot P9\.Cm\) without signing in again/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-06",
    breaker: { defect: "code-not-bound-to-redirect-uri" },
    expect: { "FED-ARESP-06": /a fresh code presented with another redirect_uri \(.*\/elsewhere\) was accepted \(HTTP 200\)/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-06",
    breaker: { defect: "code-not-bound-to-client" },
    expect: { "FED-ARESP-06": /a fresh code of \S+ redeemed by another client \(\S+-provision-account\) was accepted \(HTTP 200\)/ },
  },
  {
    kind: "environment",
    check: "asserted-login-identity",
    breaker: { defect: "asserted-identity-reusable" },
    expect: {
      "SSO-09": /the same asserted_login_identity presented a second time: a code with the first sign-in's auth_time \d+ \(silent/,
      "TTL-05": /the same asserted_login_identity presented a second time: a code with the first sign-in's auth_time \d+ \(silent/,
    },
  },
  {
    kind: "environment",
    check: "asserted-login-identity",
    breaker: { defect: "asserted-identity-long-lived" },
    expect: {
      "SSO-06": /a fresh asserted_login_identity whose exp is 120 s after its iat: a code with the first sign-in's auth_time/,
      "TTL-05": /a fresh asserted_login_identity whose exp is 120 s after its iat: a code with the first sign-in's auth_time/,
    },
  },
  {
    kind: "environment",
    check: "asserted-login-identity",
    breaker: { defect: "asserted-identity-any-client" },
    expect: {
      "SSO-11": /presented by another client \(\S+-provision-account\), a pair not configured: a code with the first sign-in's auth_time/,
    },
  },
  {
    kind: "environment",
    check: "asserted-login-identity",
    breaker: { defect: "sso-never-reused" },
    expect: { "SSO-11": /presented by the same client \(its uplift journey, configured\): not honoured \(error=sso_login_required\)/ },
  },
  {
    kind: "environment",
    check: "fed-uip-01",
    breaker: { defect: "metadata-length-unchecked" },
    expect: { "FED-UIP-02": /a value of 1025 characters was stored \(HTTP 204\), expected 400 invalid_request/ },
  },
  {
    kind: "environment",
    check: "fed-uip-01",
    breaker: { defect: "metadata-scope-unchecked" },
    expect: { "FED-UIP-07": /a PATCH with a token granted no client_metadata was accepted \(HTTP 204\), expected 403/ },
  },
  {
    kind: "environment",
    check: "scope-11",
    breaker: { defect: "metadata-p9-only" },
    expect: {
      "SCOPE-11":
        /a P5 person signed in with openid client_metadata: after storing "scope-11-P5-\S+", UserInfo gave client_user_metadata absent/,
    },
  },
  {
    kind: "environment",
    check: "fed-disc-04",
    breaker: { defect: "discovery-fido-partial" },
    expect: { "FED-DISC-04": /discovery offers FIDO UAF \(.*\) but lacks fido_uaf_registration_response_endpoint/ },
  },
  {
    kind: "environment",
    check: "vot-08",
    breaker: { defect: "trustmark-incomplete" },
    expect: { "VOT-08": /the trust mark at http:\/\/127\.0\.0\.1:\d+\/trustmark\/\S+: C lacks Cm/ },
  },
  {
    kind: "environment",
    check: "fed-idt-09",
    breaker: { defect: "id-token-acr-amr" },
    expect: { "FED-IDT-09": /ID token carries acr "P9", amr \["pwd","otp"\], which the EIS says NHS login does not support/ },
  },
  {
    kind: "environment",
    check: "tls-versions",
    breaker: { defect: "tls-legacy-versions", tls: true },
    expect: {
      "FED-GEN-01":
        /https:\/\/127\.0\.0\.1:\d+ \(issuer, .*\) completed a handshake offering only TLSv1 \(negotiated TLSv1\), expected a refusal/,
      "UEV2-GEN-01": /https:\/\/127\.0\.0\.1:\d+ \(.*\/v2\/Users\) completed a handshake offering only TLSv1\.1 \(negotiated TLSv1\.1\)/,
    },
  },
  {
    kind: "environment",
    check: "code-lifetime",
    breaker: { defect: "code-lives-an-hour" },
    expect: {
      "FED-ARESP-05": /a fresh code made 11 minutes old was accepted \(HTTP 200\), expected invalid_grant/,
      "TTL-01": /a fresh code made 11 minutes old was accepted \(HTTP 200\), expected invalid_grant/,
    },
  },
  {
    kind: "environment",
    check: "refresh-lifetime",
    breaker: { defect: "refresh-token-lives-a-week" },
    expect: {
      "FED-REFRESH-04": /a refresh token made 29 days old was not honoured: HTTP 400 error=invalid_grant/,
      "TTL-04": /a refresh token made 29 days old was not honoured: HTTP 400 error=invalid_grant/,
    },
  },
  {
    kind: "environment",
    check: "refresh-lifetime",
    breaker: { defect: "refresh-token-never-expires" },
    expect: {
      "FED-REFRESH-04": /the newest refresh token of the chain made 30 days and 1 hour old was accepted \(HTTP 200\)/,
      "TTL-04": /the newest refresh token of the chain made 30 days and 1 hour old was accepted \(HTTP 200\)/,
    },
  },
  {
    kind: "environment",
    check: "fed-refresh-02",
    breaker: { defect: "token-lax-client-auth" },
    expect: {
      "FED-REFRESH-02": /a refresh request with client_id and no client_assertion was accepted \(HTTP 200\), expected invalid_client/,
    },
  },
  {
    kind: "environment",
    check: "fed-at-06",
    breaker: { defect: "access-token-conditional-claims-wrong" },
    expect: {
      "FED-AT-06": /access token reason_for_request is "directcare", expected "patientaccess"/,
      "FED-AT-07": /access token requesting_system is "myClientIdentifier1", expected an identifier after https:\/\/fhir\.nhs\.uk/,
      "FED-AT-08": /access token requesting_patient is "\d{10}", expected http:\/\/fhir\.nhs\.net\/Id\/nhs-number/,
    },
  },
  {
    kind: "environment",
    check: "fed-at-02",
    breaker: { persona: "bad-nhs-number" },
    expect: { "FED-AT-05": /access token nhs_number is/ },
  },
  {
    kind: "environment",
    check: "fed-ui-02",
    breaker: { defect: "userinfo-accepts-anything" },
    expect: {
      "FED-UI-05": /UserInfo sub is .*, but the ID token's is .*/,
      "FED-UI-07": /UserInfo valid only against the lenient userinfo schema; needed: A/,
    },
  },
  {
    kind: "environment",
    check: "fed-ui-02",
    breaker: { stub: "userinfo_endpoint" },
    expect: {
      "FED-UI-05": /UserInfo sub is .*, but the ID token's is .*/,
      "FED-UI-07": /UserInfo valid only against the lenient userinfo schema; needed: A/,
    },
  },
  {
    kind: "environment",
    check: "fed-ui-02",
    breaker: { defect: "userinfo-claims-beyond-scope" },
    expect: { "FED-UI-07": /UserInfo does not match the userinfo schema: \/client_user_metadata: must NOT have fewer th/ },
  },
  {
    kind: "environment",
    check: "fed-ui-02",
    breaker: { fault: "userinfo-other-sub" },
    expect: { "FED-UI-05": /UserInfo sub is .*, but the ID token's is .*/ },
  },
  {
    kind: "environment",
    check: "fed-ui-02",
    breaker: { persona: "bad-nhs-number" },
    expect: { "FED-UI-07": /nhs_number .* fails the modulus \d+ check/ },
  },
  {
    kind: "environment",
    check: "fed-ui-03",
    breaker: { defect: "userinfo-accepts-anything" },
    expect: {
      "FED-UI-08": /email is absent although/,
      "FED-UI-09": /phone_number is absent although/,
      "FED-UI-12": /nhs_number is absent although/,
      "FED-UI-16": /identity_proofing_level is absent although/,
      "SCOPE-02": /family_name is absent although/,
    },
  },
  {
    kind: "environment",
    check: "fed-ui-03",
    breaker: { stub: "userinfo_endpoint" },
    expect: {
      "FED-UI-08": /email is absent although/,
      "FED-UI-09": /phone_number is absent although/,
      "FED-UI-12": /nhs_number is absent although/,
      "FED-UI-16": /identity_proofing_level is absent although/,
      "SCOPE-02": /family_name is absent although/,
    },
  },
  {
    kind: "environment",
    check: "fed-ui-03",
    breaker: { defect: "userinfo-claims-beyond-scope" },
    expect: {
      "FED-UI-03": /null or empty values at \/client_user_metadata; claims without a value must be left out/,
      "FED-UI-04": /claims released beyond/,
    },
  },
  {
    kind: "environment",
    check: "fed-ui-01",
    breaker: { defect: "userinfo-accepts-anything" },
    expect: { "FED-UI-01": /the access token sent only in the query was accepted \(HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-ui-01",
    breaker: { stub: "userinfo_endpoint" },
    expect: { "FED-UI-01": /the access token sent only in the query was accepted \(HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-uip-01",
    breaker: { stub: "userinfo_endpoint" },
    expect: {
      "FED-UIP-01": /a form-encoded PATCH was accepted \(HTTP/,
      "FED-UIP-04": /after .*, client_user_metadata is absent, expected a new generated value/,
      "FED-UIP-05": /after setting/,
      "FED-UIP-06": /setting a value: PATCH \/userinfo answered HTTP/,
    },
  },
  {
    kind: "environment",
    check: "fed-uip-01",
    breaker: { defect: "userinfo-accepts-anything" },
    expect: {
      "FED-UIP-01": /a form-encoded PATCH was accepted \(HTTP/,
      "FED-UIP-04": /after .*, client_user_metadata is absent, expected a new generated value/,
      "FED-UIP-05": /after setting/,
    },
  },
  {
    kind: "environment",
    check: "fed-uip-01",
    breaker: { defect: "userinfo-claims-beyond-scope" },
    expect: { "FED-UIP-03": /after clearing, client_user_metadata is still/ },
  },
  {
    kind: "environment",
    check: "fed-ui-17",
    breaker: { defect: "userinfo-accepts-anything" },
    expect: { "FED-UI-17": /no access token: answered HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-ui-17",
    breaker: { defect: "userinfo-no-www-authenticate" },
    expect: { "FED-UI-17": /no access token: HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-ui-17",
    breaker: { stub: "userinfo_endpoint" },
    expect: { "FED-UI-17": /no access token: answered HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-refresh-03",
    breaker: { defect: "token-wrong-error-codes" },
    expect: { "FED-REFRESH-03": /a refresh adding profile_extended answered HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-refresh-03",
    breaker: { defect: "token-error-not-json" },
    expect: { "FED-REFRESH-03": /a refresh adding profile_extended answered HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-refresh-03",
    breaker: { defect: "refresh-grant-broken" },
    expect: { "FED-REFRESH-03": /a refresh adding profile_extended answered HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-refresh-01",
    breaker: { defect: "token-wrong-error-codes" },
    expect: { "FED-REFRESH-05": /recorded \(A\d+\): after rotation the superseded refresh token got HTTP \d+ error=.*/ },
  },
  {
    kind: "environment",
    check: "fed-refresh-01",
    breaker: { defect: "token-error-not-json" },
    expect: { "FED-REFRESH-05": /recorded \(A\d+\): after rotation the superseded refresh token got HTTP \d+, expect/ },
  },
  {
    kind: "environment",
    check: "fed-refresh-01",
    breaker: { defect: "refresh-grant-broken" },
    expect: { "FED-REFRESH-01": /the refresh grant with a valid refresh token answered HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-idt-06",
    breaker: { defect: "id-token-missing-jti" },
    expect: { "FED-IDT-06": /ID token \d+ of \d+ has jti absent, expected a non-empty string/ },
  },
  {
    kind: "environment",
    check: "fed-authz-16",
    breaker: { fault: "id-token-vot-outside-vtr" },
    expect: { "FED-AUTHZ-16": /ID token vot/ },
  },
  {
    kind: "environment",
    check: "fed-authz-16",
    breaker: { fault: "id-token-vot-missing" },
    expect: { "FED-AUTHZ-16": /there is no vot to match against/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-04",
    breaker: { defect: "token-wrong-error-codes" },
    expect: { "FED-ARESP-04": /the second redemption answered HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-04",
    breaker: { defect: "token-error-not-json" },
    expect: { "FED-ARESP-04": /the second redemption answered HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-04",
    breaker: { defect: "authorize-accepts-anything" },
    expect: { "FED-ARESP-04": /the first redemption of the code already failed \(HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-04",
    breaker: { defect: "code-reuse-accepted" },
    expect: { "FED-ARESP-04": /the authorization code was redeemed a second time \(HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-04",
    breaker: { fault: "token-error:invalid_request" },
    expect: { "FED-ARESP-04": /the first redemption of the code already failed \(HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-04",
    breaker: { fault: "token-error:invalid_client" },
    expect: { "FED-ARESP-04": /the first redemption of the code already failed \(HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-04",
    breaker: { fault: "token-error:invalid_grant" },
    expect: { "FED-ARESP-04": /the first redemption of the code already failed \(HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-04",
    breaker: { fault: "token-error:unauthorized_client" },
    expect: { "FED-ARESP-04": /the first redemption of the code already failed \(HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-04",
    breaker: { fault: "token-error:unsupported_grant_type" },
    expect: { "FED-ARESP-04": /the first redemption of the code already failed \(HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-aresp-04",
    breaker: { fault: "token-error:invalid_scope" },
    expect: { "FED-ARESP-04": /the first redemption of the code already failed \(HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-authz-03",
    breaker: { defect: "authorize-accepts-anything" },
    expect: { "FED-AUTHZ-03": /the code exchange after a request with x_unknown_scope answered HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-authz-03",
    breaker: { defect: "unknown-scope-granted" },
    expect: { "FED-AUTHZ-03": /the token response grants the unknown scope: scope=/ },
  },
  {
    kind: "environment",
    check: "fed-authz-03",
    breaker: { fault: "authorize-error:invalid_request" },
    expect: { "FED-AUTHZ-03": /a sign-in that adds the unknown scope x_unknown_scope was refused with error=invalid_reque/ },
  },
  {
    kind: "environment",
    check: "fed-authz-03",
    breaker: { fault: "authorize-error:unauthorized_client" },
    expect: { "FED-AUTHZ-03": /a sign-in that adds the unknown scope x_unknown_scope was refused with error=unauthorized_/ },
  },
  {
    kind: "environment",
    check: "fed-authz-03",
    breaker: { fault: "authorize-error:access_denied" },
    expect: { "FED-AUTHZ-03": /a sign-in that adds the unknown scope x_unknown_scope was refused with error=access_denied/ },
  },
  {
    kind: "environment",
    check: "fed-authz-03",
    breaker: { fault: "authorize-error:unsupported_response_type" },
    expect: { "FED-AUTHZ-03": /a sign-in that adds the unknown scope x_unknown_scope was refused with error=unsupported_r/ },
  },
  {
    kind: "environment",
    check: "fed-authz-03",
    breaker: { fault: "authorize-error:invalid_scope" },
    expect: { "FED-AUTHZ-03": /a sign-in that adds the unknown scope x_unknown_scope was refused with error=invalid_scope/ },
  },
  {
    kind: "environment",
    check: "fed-authz-03",
    breaker: { fault: "authorize-error:sso_login_required" },
    expect: { "FED-AUTHZ-03": /a sign-in that adds the unknown scope x_unknown_scope was refused with error=sso_login_req/ },
  },
  {
    kind: "environment",
    check: "fed-authz-03",
    breaker: { fault: "authorize-error:server_error" },
    expect: { "FED-AUTHZ-03": /a sign-in that adds the unknown scope x_unknown_scope was refused with error=server_error/ },
  },
  {
    kind: "environment",
    check: "fed-authz-03",
    breaker: { fault: "authorize-error:temporarily_unavailable" },
    expect: { "FED-AUTHZ-03": /a sign-in that adds the unknown scope x_unknown_scope was refused with error=temporarily_u/ },
  },
  {
    kind: "environment",
    check: "fed-authz-03",
    breaker: { fault: "authorize-error:interaction_required" },
    expect: { "FED-AUTHZ-03": /a sign-in that adds the unknown scope x_unknown_scope was refused with error=interaction_r/ },
  },
  {
    kind: "environment",
    check: "fed-authz-03",
    breaker: { fault: "authorize-error:login_required" },
    expect: { "FED-AUTHZ-03": /a sign-in that adds the unknown scope x_unknown_scope was refused with error=login_require/ },
  },
  {
    kind: "environment",
    check: "fed-authz-03",
    breaker: { fault: "authorize-error:account_selection_required" },
    expect: { "FED-AUTHZ-03": /a sign-in that adds the unknown scope x_unknown_scope was refused with error=account_selec/ },
  },
  {
    kind: "environment",
    check: "fed-authz-03",
    breaker: { fault: "authorize-error:consent_required" },
    expect: { "FED-AUTHZ-03": /a sign-in that adds the unknown scope x_unknown_scope was refused with error=consent_requi/ },
  },
  {
    kind: "environment",
    check: "fed-authz-03",
    breaker: { fault: "authorize-error:invalid_request_uri" },
    expect: { "FED-AUTHZ-03": /a sign-in that adds the unknown scope x_unknown_scope was refused with error=invalid_reque/ },
  },
  {
    kind: "environment",
    check: "fed-authz-03",
    breaker: { fault: "authorize-error:invalid_request_object" },
    expect: { "FED-AUTHZ-03": /a sign-in that adds the unknown scope x_unknown_scope was refused with error=invalid_reque/ },
  },
  {
    kind: "environment",
    check: "fed-authz-03",
    breaker: { fault: "authorize-error:request_not_supported" },
    expect: { "FED-AUTHZ-03": /a sign-in that adds the unknown scope x_unknown_scope was refused with error=request_not_s/ },
  },
  {
    kind: "environment",
    check: "fed-authz-03",
    breaker: { fault: "authorize-error:request_uri_not_supported" },
    expect: { "FED-AUTHZ-03": /a sign-in that adds the unknown scope x_unknown_scope was refused with error=request_uri_n/ },
  },
  {
    kind: "environment",
    check: "fed-authz-03",
    breaker: { fault: "authorize-error:registration_not_supported" },
    expect: { "FED-AUTHZ-03": /a sign-in that adds the unknown scope x_unknown_scope was refused with error=registration_/ },
  },
  {
    kind: "environment",
    check: "fed-authz-03",
    breaker: { fault: "token-error:invalid_request" },
    expect: { "FED-AUTHZ-03": /the code exchange after a request with x_unknown_scope answered HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-authz-03",
    breaker: { fault: "token-error:invalid_client" },
    expect: { "FED-AUTHZ-03": /the code exchange after a request with x_unknown_scope answered HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-authz-03",
    breaker: { fault: "token-error:invalid_grant" },
    expect: { "FED-AUTHZ-03": /the code exchange after a request with x_unknown_scope answered HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-authz-03",
    breaker: { fault: "token-error:unauthorized_client" },
    expect: { "FED-AUTHZ-03": /the code exchange after a request with x_unknown_scope answered HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-authz-03",
    breaker: { fault: "token-error:unsupported_grant_type" },
    expect: { "FED-AUTHZ-03": /the code exchange after a request with x_unknown_scope answered HTTP/ },
  },
  {
    kind: "environment",
    check: "fed-authz-03",
    breaker: { fault: "token-error:invalid_scope" },
    expect: { "FED-AUTHZ-03": /the code exchange after a request with x_unknown_scope answered HTTP/ },
  },
  {
    kind: "environment",
    check: "uev2-token-12",
    breaker: { defect: "token-no-cache-headers" },
    expect: { "UEV2-TOKEN-12": /Cache-Control is absent, expected no-store/ },
  },
  {
    kind: "environment",
    check: "uev2-token-12",
    breaker: { defect: "uev2-token-lifetime-wrong" },
    expect: { "UEV2-TOKEN-15": /expires_in is/ },
  },
  {
    kind: "environment",
    check: "uev2-at-01",
    breaker: { defect: "uev2-access-token-claims-wrong" },
    expect: {
      "UEV2-AT-01": /does not match the users-v/,
      "UEV2-AT-09": /reason_for_request is/,
      "UEV2-AT-11": /token_use is absent, expected/,
    },
  },
  {
    kind: "environment",
    check: "uev2-at-01",
    breaker: { defect: "uev2-token-lifetime-wrong" },
    expect: { "UEV2-AT-06": /the token lives/, "TTL-06": /the token lives/ },
  },
  {
    kind: "environment",
    check: "uev2-at-01",
    breaker: { defect: "rs256-signing" },
    expect: { "UEV2-AT-12": /the access token is signed/ },
  },
  {
    kind: "environment",
    check: "uev2-at-01",
    breaker: { defect: "weak-signing-key" },
    expect: { "UEV2-AT-12": /the RS\d+ signature does not verify with the JWKS: RS\d+ requires key modulusLen/ },
  },
  {
    kind: "environment",
    check: "uev2-token-10",
    breaker: { defect: "token-no-cache-headers" },
    expect: { "UEV2-TOKEN-17": /the error response: Cache-Control is absent, expected no-store/ },
  },
  {
    kind: "environment",
    check: "uev2-token-10",
    breaker: { defect: "token-lax-client-auth" },
    expect: { "UEV2-TOKEN-10": /the token endpoint answered HTTP/ },
  },
  {
    kind: "environment",
    check: "uev2-token-10",
    breaker: { defect: "token-error-not-json" },
    expect: { "UEV2-TOKEN-17": /the error Content-Type is text\/plain, expected application\/json/ },
  },
  {
    kind: "environment",
    check: "uev2-token-09",
    breaker: { defect: "token-no-cache-headers" },
    expect: { "UEV2-TOKEN-17": /the error response: Cache-Control is absent, expected no-store/ },
  },
  {
    kind: "environment",
    check: "uev2-token-09",
    breaker: { defect: "token-lax-client-auth" },
    expect: { "UEV2-TOKEN-09": /the token endpoint answered HTTP/ },
  },
  {
    kind: "environment",
    check: "uev2-token-09",
    breaker: { defect: "token-error-not-json" },
    expect: { "UEV2-TOKEN-17": /the error Content-Type is text\/plain, expected application\/json/ },
  },
  {
    kind: "environment",
    check: "uev2-token-08",
    breaker: { defect: "token-no-cache-headers" },
    expect: { "UEV2-TOKEN-17": /the error response: Cache-Control is absent, expected no-store/ },
  },
  {
    kind: "environment",
    check: "uev2-token-08",
    breaker: { defect: "token-lax-client-auth" },
    expect: { "UEV2-TOKEN-08": /the token endpoint answered HTTP/ },
  },
  {
    kind: "environment",
    check: "uev2-token-08",
    breaker: { defect: "token-error-not-json" },
    expect: { "UEV2-TOKEN-17": /the error Content-Type is text\/plain, expected application\/json/ },
  },
  {
    kind: "environment",
    check: "uev2-token-02",
    breaker: { defect: "token-no-cache-headers" },
    expect: { "UEV2-TOKEN-17": /the error response: Cache-Control is absent, expected no-store/ },
  },
  {
    kind: "environment",
    check: "uev2-token-02",
    breaker: { defect: "token-wrong-error-codes" },
    expect: { "UEV2-TOKEN-02": /grant_type urn:ietf:params:oauth:grant-assertion-type:jwt-bearer was refused with/ },
  },
  {
    kind: "environment",
    check: "uev2-token-02",
    breaker: { defect: "token-error-not-json" },
    expect: { "UEV2-TOKEN-17": /the error Content-Type is text\/plain, expected application\/json/ },
  },
  {
    kind: "environment",
    check: "uev2-resp-04",
    breaker: { defect: "uev2-no-match-404" },
    expect: { "UEV2-RESP-04": /filter nhsnumber eq/ },
  },
  {
    kind: "environment",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-attributes-ignore-scope" },
    expect: { "UEV2-SCOPE-10": /filter nhsnumber eq/ },
  },
  {
    kind: "environment",
    check: "uev2-resp-01-2",
    breaker: { defect: "uev2-attributes-ignore-scope" },
    expect: { "UEV2-SCOPE-10": /filter email eq/ },
  },
  {
    kind: "environment",
    check: "uev2-filter-07",
    breaker: { defect: "uev2-or-binds-first" },
    expect: { "UEV2-FILTER-07": /precedence with one account: filter nhsnumber eq/ },
  },
  {
    kind: "environment",
    check: "uev2-resp-20",
    breaker: { defect: "uev2-wrong-error-text" },
    expect: {
      "UEV2-SCOPE-02": /email without profile: description is/,
      "UEV2-ERR-13": /email without profile: does not match the users-v/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-20",
    breaker: { defect: "uev2-attributes-ignore-scope" },
    expect: {
      "UEV2-RESP-20": /http:\/\/\d+\.\d+\.\d+\.\d+:\d+\/Users\.retrieve only, filter nhsnumber eq .*: Resources\[\d+\]:/,
      "UEV2-SCOPE-10": /http:\/\/\d+\.\d+\.\d+\.\d+:\d+\/Users\.retrieve only, filter nhsnumber eq .*: Resources\[\d+\]:/,
    },
  },
  {
    kind: "environment",
    check: "uev2-filter-06",
    breaker: { defect: "uev2-wrong-error-text" },
    expect: { "UEV2-ERR-04": /filter email eq/, "UEV2-ERR-13": /filter email eq/ },
  },
  {
    kind: "environment",
    check: "uev2-filter-06",
    breaker: { defect: "uev2-six-expressions-accepted" },
    expect: { "UEV2-ERR-04": /filter email eq/ },
  },
  {
    kind: "environment",
    check: "uev2-filter-06",
    breaker: { defect: "uev2-no-match-404" },
    expect: { "UEV2-FILTER-06": /five or-joined expressions: HTTP/ },
  },
  {
    kind: "environment",
    check: "uev2-err-01",
    breaker: { defect: "uev2-wrong-error-text" },
    expect: {
      "UEV2-ERR-01": /filter email eq: description is/,
      "UEV2-FILTER-04": /filter email eq/,
      "UEV2-FILTER-05": /filter email eq a@b\.c: description is/,
      "UEV2-ERR-13": /filter email eq: does not match the users-v/,
      "UEV2-FILTER-11": /filter email "a@b\.c": description is "INVALID SYNTAX"/,
    },
  },
  {
    kind: "environment",
    check: "uev2-err-02",
    breaker: { defect: "uev2-wrong-error-text" },
    expect: {
      "UEV2-ERR-02": /filter userName eq/,
      "UEV2-ERR-07": /filter surname eq/,
      "UEV2-ERR-13": /filter userName eq/,
      "UEV2-FILTER-01": /filter userName eq "x@y\.z": description is "INVALID ATTRIBUTE"/,
    },
  },
  {
    kind: "environment",
    check: "uev2-err-03",
    breaker: { defect: "uev2-wrong-error-text" },
    expect: { "UEV2-ERR-03": /filter email co/, "UEV2-FILTER-02": /filter nhsnumber ne/, "UEV2-ERR-13": /filter email co/ },
  },
  {
    kind: "environment",
    check: "uev2-err-05",
    breaker: { defect: "uev2-wrong-error-text" },
    expect: { "UEV2-ERR-05": /filter nhsnumber eq/, "UEV2-FILTER-09": /filter nhsnumber eq/, "UEV2-ERR-13": /filter nhsnumber eq/ },
  },
  {
    kind: "environment",
    check: "uev2-err-06",
    breaker: { defect: "uev2-wrong-error-text" },
    expect: { "UEV2-ERR-06": /filter email eq/, "UEV2-FILTER-10": /filter email eq/, "UEV2-ERR-13": /filter email eq/ },
  },
  {
    kind: "environment",
    check: "uev2-err-08",
    breaker: { defect: "uev2-wrong-error-text" },
    expect: {
      "UEV2-ERR-08": /no filter: description is/,
      "UEV2-REQ-03": /no filter: description is/,
      "UEV2-ERR-13": /no filter: does not match the users-v/,
    },
  },
  {
    kind: "environment",
    check: "uev2-err-10",
    breaker: { defect: "uev2-wrong-error-text" },
    expect: { "UEV2-ERR-10": /description is/, "UEV2-ERR-13": /does not match the users-v/ },
  },
  {
    kind: "environment",
    check: "uev2-err-10",
    breaker: { defect: "uev2-scope-not-enforced" },
    expect: {
      "UEV2-ERR-10": /HTTP \d+: the request was answered, expected \d+ \(body: \{.*:\[.*\],.*:\d+,.*:\[\]\}\)/,
      "UEV2-SCOPE-01": /a token without/,
    },
  },
  {
    kind: "environment",
    check: "uev2-req-02",
    breaker: { defect: "uev2-no-token-accepted" },
    expect: { "UEV2-REQ-02": /a search without Authorization header was answered HTTP/, "UEV2-ERR-14": /no token: HTTP/ },
  },
  {
    kind: "environment",
    check: "uev2-gen-02",
    breaker: { defect: "uev2-writes-accepted" },
    expect: { "UEV2-GEN-02": /requests other than GET \/v/ },
  },
  // Users V2 answers garbled one part at a time (lib/simulator/users-v2/response-defects.ts).
  {
    kind: "environment",
    check: "uev2-token-12",
    breaker: { defect: "uev2-token-response-garbled" },
    expect: {
      "UEV2-TOKEN-13": /access_token is not a signed JWT/,
      "UEV2-TOKEN-14": /token_type is "MAC", expected "Bearer"/,
      "UEV2-TOKEN-16": /scope grants openid, which was not requested/,
    },
  },
  {
    kind: "environment",
    check: "uev2-at-01",
    breaker: { defect: "uev2-access-token-claims-other-client" },
    expect: {
      "UEV2-AT-02": /sub is "some-other-client", expected the client identifier/,
      "UEV2-AT-08": /client_id is "some-other-client", expected the client identifier/,
      "UEV2-AT-10": /requesting_system is "some-other-client", expected the client identifier/,
      "UEV2-AT-03": /aud is "some-other-client", expected the client identifier/,
      "UEV2-AT-04": /iat is \d+ s in the future/,
      "UEV2-AT-05": /the scope claim holds openid, which was not requested/,
      "UEV2-AT-07": /version is 1, expected 0/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-eq-matches-nothing" },
    expect: {
      "UEV2-FILTER-08": /(found|finds) no account/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01-2",
    breaker: { defect: "uev2-eq-matches-nothing" },
    expect: {
      "UEV2-FILTER-08": /(found|finds) no account/,
    },
  },
  {
    kind: "environment",
    check: "uev2-filter-07",
    breaker: { defect: "uev2-eq-matches-nothing" },
    expect: {
      "UEV2-FILTER-08": /(found|finds) no account/,
    },
  },
  {
    kind: "environment",
    check: "uev2-filter-07",
    breaker: { defect: "uev2-and-as-or" },
    expect: {
      "UEV2-FILTER-03": /and with a term that matches nobody: filter .* returned .*, expected nobody/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-list-text-html" },
    expect: {
      "UEV2-RESP-01": /Content-Type is text\/html, expected application\/scim\+json or application\/json/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01-2",
    breaker: { defect: "uev2-list-text-html" },
    expect: {
      "UEV2-RESP-01": /Content-Type is text\/html, expected application\/scim\+json or application\/json/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-20",
    breaker: { defect: "uev2-list-text-html" },
    expect: {
      "UEV2-RESP-01": /Content-Type is text\/html, expected application\/scim\+json or application\/json/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-04",
    breaker: { defect: "uev2-list-text-html" },
    expect: {
      "UEV2-RESP-01": /Content-Type is text\/html, expected application\/scim\+json or application\/json/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-list-schemas-wrong" },
    expect: {
      "UEV2-RESP-02":
        /schemas is \["urn:ietf:params:scim:schemas:core:2\.0:User"\], expected \["urn:ietf:params:scim:api:messages:2\.0:ListResponse"\]/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01-2",
    breaker: { defect: "uev2-list-schemas-wrong" },
    expect: {
      "UEV2-RESP-02":
        /schemas is \["urn:ietf:params:scim:schemas:core:2\.0:User"\], expected \["urn:ietf:params:scim:api:messages:2\.0:ListResponse"\]/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-20",
    breaker: { defect: "uev2-list-schemas-wrong" },
    expect: {
      "UEV2-RESP-02":
        /schemas is \["urn:ietf:params:scim:schemas:core:2\.0:User"\], expected \["urn:ietf:params:scim:api:messages:2\.0:ListResponse"\]/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-04",
    breaker: { defect: "uev2-list-schemas-wrong" },
    expect: {
      "UEV2-RESP-02":
        /schemas is \["urn:ietf:params:scim:schemas:core:2\.0:User"\], expected \["urn:ietf:params:scim:api:messages:2\.0:ListResponse"\]/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-list-total-string" },
    expect: {
      "UEV2-RESP-03": /totalResults is "\d+", expected a non-negative integer/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01-2",
    breaker: { defect: "uev2-list-total-string" },
    expect: {
      "UEV2-RESP-03": /totalResults is "\d+", expected a non-negative integer/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-20",
    breaker: { defect: "uev2-list-total-string" },
    expect: {
      "UEV2-RESP-03": /totalResults is "\d+", expected a non-negative integer/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-04",
    breaker: { defect: "uev2-list-total-string" },
    expect: {
      "UEV2-RESP-03": /totalResults is "\d+", expected a non-negative integer/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-list-resources-object" },
    expect: {
      "UEV2-RESP-05": /Resources is \{"count":\d+\}, expected an array/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01-2",
    breaker: { defect: "uev2-list-resources-object" },
    expect: {
      "UEV2-RESP-05": /Resources is \{"count":\d+\}, expected an array/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-20",
    breaker: { defect: "uev2-list-resources-object" },
    expect: {
      "UEV2-RESP-05": /Resources is \{"count":\d+\}, expected an array/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-04",
    breaker: { defect: "uev2-list-resources-object" },
    expect: {
      "UEV2-RESP-05": /Resources is \{"count":\d+\}, expected an array/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-user-schemas-core-only" },
    expect: {
      "UEV2-RESP-07": /Resources\[0\]: schemas is \["urn:ietf:params:scim:schemas:core:2\.0:User"\], expected/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01-2",
    breaker: { defect: "uev2-user-schemas-core-only" },
    expect: {
      "UEV2-RESP-07": /Resources\[0\]: schemas is \["urn:ietf:params:scim:schemas:core:2\.0:User"\], expected/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-20",
    breaker: { defect: "uev2-user-schemas-core-only" },
    expect: {
      "UEV2-RESP-07": /Resources\[0\]: schemas is \["urn:ietf:params:scim:schemas:core:2\.0:User"\], expected/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-user-id-missing" },
    expect: {
      "UEV2-RESP-08": /Resources\[0\]: id is absent, expected the NHS login account identifier/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01-2",
    breaker: { defect: "uev2-user-id-missing" },
    expect: {
      "UEV2-RESP-08": /Resources\[0\]: id is absent, expected the NHS login account identifier/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-20",
    breaker: { defect: "uev2-user-id-missing" },
    expect: {
      "UEV2-RESP-08": /Resources\[0\]: id is absent, expected the NHS login account identifier/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-user-active-string" },
    expect: {
      "UEV2-RESP-09": /active is "true", expected a boolean/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01-2",
    breaker: { defect: "uev2-user-active-string" },
    expect: {
      "UEV2-RESP-09": /active is "true", expected a boolean/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-20",
    breaker: { defect: "uev2-user-active-string" },
    expect: {
      "UEV2-RESP-09": /active is "true", expected a boolean/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-user-proofing-missing" },
    expect: {
      "UEV2-RESP-10": /vectorsOfTrust\.IdentityProofing is absent, expected one of P0, P5, P9/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01-2",
    breaker: { defect: "uev2-user-proofing-missing" },
    expect: {
      "UEV2-RESP-10": /vectorsOfTrust\.IdentityProofing is absent, expected one of P0, P5, P9/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-20",
    breaker: { defect: "uev2-user-proofing-missing" },
    expect: {
      "UEV2-RESP-10": /vectorsOfTrust\.IdentityProofing is absent, expected one of P0, P5, P9/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-user-nhs-number-spaced" },
    expect: {
      "UEV2-RESP-11": /nhsNumber is "999 001 0005", expected a string of 10 digits/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01-2",
    breaker: { defect: "uev2-user-nhs-number-spaced" },
    expect: {
      "UEV2-RESP-11": /nhsNumber is "999 001 0005", expected a string of 10 digits/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-20",
    breaker: { defect: "uev2-user-nhs-number-spaced" },
    expect: {
      "UEV2-RESP-11": /nhsNumber is "999 001 0005", expected a string of 10 digits/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-user-gp-ods-code-empty" },
    expect: {
      "UEV2-RESP-12": /gpOdsCode is "", expected a non-empty string/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01-2",
    breaker: { defect: "uev2-user-gp-ods-code-empty" },
    expect: {
      "UEV2-RESP-12": /gpOdsCode is "", expected a non-empty string/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-20",
    breaker: { defect: "uev2-user-gp-ods-code-empty" },
    expect: {
      "UEV2-RESP-12": /gpOdsCode is "", expected a non-empty string/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-user-gp-user-id-number" },
    expect: {
      "UEV2-RESP-13": /gpUserId is 12345, expected a non-empty string/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01-2",
    breaker: { defect: "uev2-user-gp-user-id-number" },
    expect: {
      "UEV2-RESP-13": /gpUserId is 12345, expected a non-empty string/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-20",
    breaker: { defect: "uev2-user-gp-user-id-number" },
    expect: {
      "UEV2-RESP-13": /gpUserId is 12345, expected a non-empty string/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-user-family-name-empty" },
    expect: {
      "UEV2-RESP-14": /name\.familyName is "", expected a non-empty string/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01-2",
    breaker: { defect: "uev2-user-family-name-empty" },
    expect: {
      "UEV2-RESP-14": /name\.familyName is "", expected a non-empty string/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-20",
    breaker: { defect: "uev2-user-family-name-empty" },
    expect: {
      "UEV2-RESP-14": /name\.familyName is "", expected a non-empty string/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-user-email-not-an-address" },
    expect: {
      "UEV2-RESP-15": /emails\[0\]\.value is "not an address", expected an email address/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01-2",
    breaker: { defect: "uev2-user-email-not-an-address" },
    expect: {
      "UEV2-RESP-15": /emails\[0\]\.value is "not an address", expected an email address/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-20",
    breaker: { defect: "uev2-user-email-not-an-address" },
    expect: {
      "UEV2-RESP-15": /emails\[0\]\.value is "not an address", expected an email address/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-user-email-type-work" },
    expect: {
      "UEV2-RESP-16": /emails\[0\]\.type is "work", expected "home"/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01-2",
    breaker: { defect: "uev2-user-email-type-work" },
    expect: {
      "UEV2-RESP-16": /emails\[0\]\.type is "work", expected "home"/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-20",
    breaker: { defect: "uev2-user-email-type-work" },
    expect: {
      "UEV2-RESP-16": /emails\[0\]\.type is "work", expected "home"/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-user-two-primary-emails" },
    expect: {
      "UEV2-RESP-17": /2 email addresses are marked primary, expected at most one/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01-2",
    breaker: { defect: "uev2-user-two-primary-emails" },
    expect: {
      "UEV2-RESP-17": /2 email addresses are marked primary, expected at most one/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-20",
    breaker: { defect: "uev2-user-two-primary-emails" },
    expect: {
      "UEV2-RESP-17": /2 email addresses are marked primary, expected at most one/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-user-phone-type-cell" },
    expect: {
      "UEV2-RESP-18": /phoneNumbers\[0\]\.type is "cell", expected mobile or landline/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01-2",
    breaker: { defect: "uev2-user-phone-type-cell" },
    expect: {
      "UEV2-RESP-18": /phoneNumbers\[0\]\.type is "cell", expected mobile or landline/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-20",
    breaker: { defect: "uev2-user-phone-type-cell" },
    expect: {
      "UEV2-RESP-18": /phoneNumbers\[0\]\.type is "cell", expected mobile or landline/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-user-username-empty" },
    expect: {
      "UEV2-RESP-19": /userName is "", expected a non-empty string/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01-2",
    breaker: { defect: "uev2-user-username-empty" },
    expect: {
      "UEV2-RESP-19": /userName is "", expected a non-empty string/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-20",
    breaker: { defect: "uev2-user-username-empty" },
    expect: {
      "UEV2-RESP-19": /userName is "", expected a non-empty string/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-user-null-title" },
    expect: {
      "UEV2-RESP-20": /title sent as null instead of being left out/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-01-2",
    breaker: { defect: "uev2-user-null-title" },
    expect: {
      "UEV2-RESP-20": /title sent as null instead of being left out/,
    },
  },
  {
    kind: "environment",
    check: "uev2-resp-20",
    breaker: { defect: "uev2-user-null-title" },
    expect: {
      "UEV2-RESP-20": /title sent as null instead of being left out/,
    },
  },
  // Narrow unsafe variants of the reference service (TARGETED_VARIANTS of test/checks/service/_variants.ts).
  {
    kind: "service",
    check: "request-shape",
    breaker: { variant: "hybrid-response-type" },
    expect: {
      "FED-AUTHZ-05": /response_type is "code id_token"; expected exactly "code"/,
      "FED-GEN-02": /response_type is "code id_token": not the authorization code flow/,
    },
  },
  {
    kind: "service",
    check: "scope",
    breaker: { variant: "scope-without-openid" },
    expect: {
      "FED-AUTHZ-02": /scope "[^"]*" lacks openid/,
    },
  },
  {
    kind: "service",
    check: "scope",
    breaker: { variant: "scope-combinations" },
    expect: {
      "FED-REG-08": /scopes not in the approved list .*: basic_demographics/,
      "FED-AUTHZ-23": /profile and basic_demographics are requested together/,
      "FED-AUTHZ-24": /gp_registration_details is unnecessary alongside gp_integration_credentials/,
    },
  },
  {
    kind: "service",
    check: "unsupported-parameters",
    breaker: { variant: "unsupported-parameters" },
    expect: {
      "FED-AUTHZ-11": /response_mode=form_post sent; NHS login supports only the default query/,
      "FED-AUTHZ-14": /unsupported parameters sent: max_age/,
    },
  },
  {
    kind: "service",
    check: "optional-parameters",
    breaker: { variant: "invalid-optional-parameters" },
    expect: {
      "FED-AUTHZ-13": /prompt="consent"; allowed: blank, none, login/,
      "FED-AUTHZ-12": /display="popup"; allowed: page, touch/,
      "FED-AUTHZ-20": /allow_registration="no" has no effect/,
    },
  },
  {
    kind: "service",
    check: "token-request",
    breaker: { variant: "token-request-json" },
    expect: {
      "FED-TOKEN-01": /POST with content type "application\/json"; expected POST application\/x-www-form-urlencoded/,
    },
  },
  {
    kind: "service",
    check: "token-request",
    breaker: { variant: "token-request-mangled" },
    expect: {
      "FED-TOKEN-02": /grant_type="code"; expected authorization_code/,
      "FED-TOKEN-03": /no code in the token request/,
      "FED-TOKEN-04": /redirect_uri \S+\/elsewhere differs from the authorization request's/,
      "FED-TOKEN-15": /scope sent on the authorization_code exchange/,
    },
  },
  {
    kind: "service",
    check: "client-auth-method",
    breaker: { variant: "client-auth-mixed" },
    expect: {
      "FED-TOKEN-06": /client_assertion_type "urn:ietf:params:oauth:client-assertion-type:jwt_bearer"; expected/,
      "FED-TOKEN-14": /also carries an Authorization header: use exactly one client authentication method/,
      "FED-TOKEN-05": /client_id "some-other-client" differs from the registered/,
    },
  },
  {
    kind: "service",
    check: "assertion-claims",
    breaker: { variant: "assertion-wrong-claims" },
    expect: {
      "FED-TOKEN-07": /sub "some-other-client"; both must be the client_id/,
      "FED-TOKEN-08": /aud "https:\/\/elsewhere\.invalid\/token"; expected the token endpoint/,
    },
  },
  {
    kind: "service",
    check: "assertion-lifetime",
    breaker: { variant: "assertion-iat-future" },
    expect: {
      "FED-TOKEN-12": /iat \d+ is in the future/,
    },
  },
  {
    kind: "service",
    check: "code-single-use",
    breaker: { variant: "code-redeemed-twice" },
    expect: {
      "FED-ARESP-04": /an authorization code was sent to \/token 2 times; a code is single-use/,
    },
  },
  {
    kind: "service",
    check: "userinfo-bearer-header",
    breaker: { variant: "userinfo-token-in-query" },
    expect: {
      "FED-UI-01": /the access token was sent in the query; only the Authorization header is allowed/,
    },
  },
  {
    kind: "service",
    check: "token-exposure",
    breaker: { variant: "tokens-on-page" },
    expect: {
      "FED-GEN-04": /a token appears in the page at \/account/,
    },
  },
  {
    kind: "service",
    check: "error:invalid_scope",
    breaker: { variant: "error-pages-500" },
    expect: {
      "FED-AUTHZ-04": /the service answered 500 at \S+; expected a page explaining the problem/,
      "FED-ARESP-09": /the service answered 500/,
    },
  },
  {
    kind: "service",
    check: "error:sso_login_required",
    breaker: { variant: "error-pages-500" },
    expect: {
      "FED-ARESP-10": /the service answered 500/,
      "FED-ARESP-09": /the service answered 500/,
    },
  },
  {
    kind: "service",
    check: "error:server_error",
    breaker: { variant: "error-pages-500" },
    expect: {
      "FED-ARESP-12": /the service answered 500/,
      "FED-ARESP-09": /the service answered 500/,
    },
  },
  {
    kind: "service",
    check: "error:temporarily_unavailable",
    breaker: { variant: "error-pages-500" },
    expect: {
      "FED-ARESP-12": /the service answered 500/,
      "FED-ARESP-09": /the service answered 500/,
    },
  },
  {
    kind: "service",
    check: "error:unknown-error",
    breaker: { variant: "error-pages-500" },
    expect: {
      "FED-ARESP-09": /the service answered 500/,
    },
  },
  {
    kind: "service",
    check: "error:access_denied",
    breaker: { variant: "error-pages-500" },
    expect: {
      "FED-ARESP-11": /the service answered 500/,
      "FED-ARESP-09": /the service answered 500/,
    },
  },
  {
    kind: "service",
    check: "id-token-nbf-future",
    breaker: { variant: "nbf-check" },
    expect: {
      "FED-IDT-04": /signed the user in although NHS login sent: ID token not valid for another hour/,
    },
  },
  {
    kind: "service",
    check: "id-token-alg-none",
    breaker: { variant: "alg-confusion" },
    expect: {
      "FED-JWT-01": /signed the user in although NHS login sent: ID token with alg none/,
    },
  },
  {
    kind: "service",
    check: "id-token-hs256-public-key",
    breaker: { variant: "alg-confusion" },
    expect: {
      "FED-JWT-01": /signed the user in although NHS login sent: ID token HS256-signed with the public key/,
    },
  },
  {
    kind: "service",
    check: "id-token-unknown-header",
    breaker: { variant: "strict-id-token" },
    expect: { "FED-JWT-04": /refused an otherwise good sign-in when NHS login sent: ID token header with a parameter/ },
  },
  {
    kind: "service",
    check: "id-token-unknown-claims",
    breaker: { variant: "strict-id-token" },
    expect: { "FED-IDT-16": /refused an otherwise good sign-in when NHS login sent: ID token with claims the service does not know/ },
  },
  {
    kind: "service",
    check: "id-token-second-key",
    breaker: { variant: "first-jwks-key" },
    expect: { "FED-JWT-05": /refused an otherwise good sign-in when NHS login sent: ID token signed by the second key of the JWKS/ },
  },
  {
    kind: "service",
    check: "access-token-unknown-claims",
    breaker: { variant: "strict-access-token" },
    expect: { "FED-AT-09": /refused an otherwise good sign-in when NHS login sent: access token with claims/ },
  },
  {
    kind: "service",
    check: "userinfo-after-token",
    breaker: { variant: "no-userinfo" },
    expect: { "FED-IDT-19": /3 of 3 code exchange\(s\) were not followed by a UserInfo call/ },
  },
  {
    kind: "service",
    check: "token-response-without-refresh-token",
    breaker: { variant: "requires-refresh-token" },
    expect: { "FED-TRESP-05": /refused an otherwise good sign-in when NHS login sent: token response without a refresh_token/ },
  },
  {
    kind: "service",
    check: "userinfo-unknown-claims",
    breaker: { variant: "strict-userinfo" },
    expect: { "FED-UI-06": /refused an otherwise good sign-in when NHS login sent: UserInfo with claims/ },
  },
  {
    kind: "service",
    check: "id-token-vtm-missing",
    breaker: { variant: "vtm-check" },
    expect: {
      "FED-IDT-11": /signed the user in although NHS login sent: ID token without vtm/,
    },
  },
  {
    kind: "service",
    check: "id-token-iat-future",
    breaker: { variant: "iat-check" },
    expect: {
      "FED-IDT-05": /signed the user in although NHS login sent: ID token issued an hour in the future/,
    },
  },
  {
    kind: "service",
    check: "id-token-sub-missing",
    breaker: { variant: "sub-check" },
    expect: {
      "FED-IDT-02": /signed the user in although NHS login sent: ID token without sub/,
    },
  },
  ...["fed-authz-02", "fed-authz-05", "fed-authz-23", "fed-authz-22"].map(
    (check): BreakerEntry => ({
      kind: "environment",
      check,
      breaker: { defect: "authorize-nonstandard-error-codes" },
      expect: { "FED-ARESP-09": /error="request_refused" is not a Table 5 code/ },
    }),
  ),
  {
    kind: "environment",
    check: "fed-idt-11",
    breaker: { defect: "id-token-vtm-other-host" },
    expect: { "VOT-07": /vtm is on host "trustmark\.elsewhere\.invalid", expected the issuer host/ },
  },
  {
    kind: "environment",
    check: "scope-02",
    breaker: { defect: "id-token-profile-claims-garbled" },
    expect: {
      "FED-IDT-12": /family_name is "", expected a non-empty string/,
      "FED-IDT-13": /birthdate is "2001-02-30", expected a real date/,
      "FED-IDT-15": /identity_proofing_level is "P7", expected P0, P5 or P9/,
    },
  },
  {
    kind: "environment",
    check: "scope-02",
    breaker: { defect: "id-token-nhs-number-always", scopes: ["openid"] },
    expect: { "SCOPE-02": /the ID token carries nhs_number although neither profile nor basic_demographics was granted/ },
  },
  {
    kind: "environment",
    check: "scope-02",
    breaker: { defect: "id-token-nhs-number-always", scopes: ["openid", "basic_demographics"] },
    expect: { "SCOPE-03": /the ID token carries nhs_number although basic_demographics releases no NHS number/ },
  },
  {
    kind: "environment",
    check: "fed-tresp-01",
    breaker: { defect: "token-response-opaque-access-token" },
    expect: { "FED-TRESP-03": /access_token is "[\w-]+", expected a signed JWT/ },
  },
  {
    kind: "environment",
    check: "fed-tresp-01",
    breaker: { defect: "token-response-id-token-misplaced" },
    expect: { "FED-TRESP-08": /the code grant returned no id_token/ },
  },
  {
    kind: "environment",
    check: "fed-refresh-01",
    breaker: { defect: "token-response-id-token-misplaced" },
    expect: { "FED-TRESP-08": /the refresh grant returned an id_token; only the code grant may/ },
  },
  {
    kind: "environment",
    check: "fed-authz-03",
    breaker: { defect: "token-response-scope-missing" },
    expect: { "FED-TRESP-07": /the token response has no scope although the granted scope differs from the request/ },
  },
  {
    kind: "environment",
    check: "fed-at-01",
    breaker: { defect: "access-token-unknown-kid" },
    expect: { "FED-DISC-02": /access token kid "unknown-[0-9a-f]+" names no key of the JWKS/ },
  },
  {
    kind: "environment",
    check: "fed-ui-02",
    breaker: { defect: "userinfo-as-jwt" },
    expect: { "FED-UI-02": /Content-Type is "application\/jwt", expected application\/json/ },
  },
  {
    kind: "environment",
    check: "fed-ui-17",
    breaker: { defect: "userinfo-errors-400" },
    expect: { "FED-UI-18": /a garbage access token: answered HTTP 400, expected 401/ },
  },
  {
    kind: "environment",
    check: "fed-uip-01",
    breaker: { defect: "metadata-auto-not-encrypted", scopes: ["openid", "profile", "client_metadata"] },
    expect: {
      "FED-UI-15": /the generated value \(\d+ characters\) does not decrypt with the harness key/,
      "KEY-05": /the generated value is not encrypted to the key pair that signs the harness's client assertions/,
    },
  },
];

/** The ListResponse and User resource breakers of `from`, for checks that judge the same kind of answer (FILTER-08 left out). */
function sameAnswerBreakers(from: string, checks: readonly string[]): BreakerEntry[] {
  return ENVIRONMENT_BREAKERS.filter((b) => b.check === from).flatMap((b) => {
    const expect = Object.fromEntries(Object.entries(b.expect).filter(([id]) => id !== "UEV2-FILTER-08"));
    return Object.keys(expect).length === 0 ? [] : checks.map((check) => ({ ...b, check, expect }));
  });
}

const SCOPE_SET_CHECKS = ["uev2-scope-03", "uev2-scope-04", "uev2-scope-05", "uev2-scope-06", "uev2-scope-07", "uev2-scope-08"];
const SCOPE_SET_ATTRIBUTES: Readonly<Record<string, RegExp>> = {
  "uev2-scope-03": /scope profile email, filter nhsnumber eq .*: email was granted .* but no resource carries emails/,
  "uev2-scope-04": /scope profile phone, filter .*: phone was granted .* but no resource carries a mobile phoneNumbers entry/,
  "uev2-scope-05": /scope profile landline, filter .*: landline was granted .* but no resource carries a landline phoneNumbers entry/,
  "uev2-scope-06": /gp_registration_details was granted .* but no resource carries uk:nhs:login:auth:1\.0:User\.gpOdsCode/,
  "uev2-scope-07": /gp_integration_credentials was granted .* but no resource carries .*gpUserId and gpLinkageKey/,
  "uev2-scope-08": /profile_extended was granted .* but no resource carries name\.givenName/,
};

/** The provider half of Users V2 (issue 12): token request, scope sets, several users, SCIM parameters, https, 500s. */
const USERS_V2_PROVIDER_BREAKERS: readonly BreakerEntry[] = [
  {
    kind: "environment",
    check: "uev2-token-05",
    breaker: { defect: "uev2-assertion-rs256-accepted" },
    expect: { "UEV2-TOKEN-05": /answered HTTP 200 to an assertion signed RS256 \(not RS512\): it must be refused/ },
  },
  {
    kind: "environment",
    check: "uev2-token-05",
    breaker: { defect: "token-lax-client-auth" },
    expect: { "UEV2-TOKEN-05": /answered HTTP 200 to an unsigned assertion \(alg none\)/ },
  },
  {
    kind: "environment",
    check: "uev2-token-05",
    breaker: { defect: "token-error-not-json" },
    expect: { "UEV2-TOKEN-17": /the error Content-Type is text\/plain, expected application\/json/ },
  },
  {
    kind: "environment",
    check: "uev2-token-18",
    breaker: { defect: "uev2-token-error-code-unlisted" },
    expect: { "UEV2-TOKEN-18": /a jwt-bearer request without assertion: error "access_denied" is not one of Table 4/ },
  },
  {
    kind: "environment",
    check: "uev2-token-01",
    breaker: { defect: "token-accepts-json-body" },
    expect: { "UEV2-TOKEN-01": /the jwt-bearer request as a JSON body: HTTP 200 with an access token/ },
  },
  {
    kind: "environment",
    check: "uev2-token-04",
    breaker: { defect: "uev2-scope-optional" },
    expect: { "UEV2-TOKEN-04": /a token request without scope: a token was issued, and \/v2\/Users answered it HTTP 200/ },
  },
  ...SCOPE_SET_CHECKS.map(
    (check): BreakerEntry => ({
      kind: "environment",
      check,
      breaker: { defect: "uev2-optional-scopes-ignored" },
      expect: { [check.toUpperCase()]: SCOPE_SET_ATTRIBUTES[check]! },
    }),
  ),
  ...sameAnswerBreakers("uev2-resp-01", [...SCOPE_SET_CHECKS, "uev2-resp-06"]),
  {
    kind: "environment",
    check: "uev2-resp-06",
    breaker: { defect: "uev2-one-user-per-answer" },
    expect: { "UEV2-RESP-06": /filter nhsnumber eq "\d{10}" or nhsnumber eq "\d{10}": the answer holds 1 user, expected 2/ },
  },
  {
    kind: "environment",
    check: "uev2-scope-09",
    breaker: { defect: "uev2-wrong-error-text" },
    expect: {
      "UEV2-SCOPE-09": /only unapproved scopes: description is "REQUESTED SCOPES: /,
      "UEV2-ERR-11": /only unapproved scopes: description is "REQUESTED SCOPES: /,
      "UEV2-ERR-13": /only unapproved scopes: does not match the users-v2-error schema/,
    },
  },
  {
    kind: "environment",
    check: "uev2-err-09",
    breaker: { defect: "uev2-wrong-error-text" },
    expect: {
      "UEV2-ERR-09": /empty scope: description is "NO SCOPE WAS PRESENT IN THE REQUEST"/,
      "UEV2-ERR-13": /empty scope: does not match the users-v2-error schema/,
    },
  },
  {
    kind: "environment",
    check: "uev2-gen-03",
    breaker: { defect: "uev2-attributes-param-honoured" },
    expect: { "UEV2-GEN-03": /filter nhsnumber eq "\d{10}" with attributes=id: the answer leaves out active, / },
  },
  {
    kind: "environment",
    check: "uev2-gen-01",
    breaker: { defect: "uev2-token-endpoint-plain-http" },
    expect: { "UEV2-GEN-01": /the token endpoint http:\/\/auth\.conformance\.invalid\/token is http, not https/ },
  },
  {
    kind: "environment",
    check: "uev2-err-12",
    breaker: { defect: "uev2-500-wrong-body" },
    expect: {
      "UEV2-ERR-12":
        /filter email eq "ünïcode@example\.org": HTTP 500 with \{"Errors":.*\}, expected exactly \{"error":"Internal server error"\}/,
    },
  },
];

/** Artefact checks over a tampered copy of a good capture (test/artefacts/_tampers.ts). */
const ARTEFACT_BREAKERS: readonly BreakerEntry[] = [
  {
    kind: "artefacts",
    check: "key-02",
    breaker: { tamper: "public-key-with-private-key" },
    expect: { "KEY-03": /public_key\.pem holds a PRIVATE KEY block: only the public key is sent to NHS login/ },
  },
  {
    kind: "artefacts",
    check: "key-02",
    breaker: { tamper: "public-key-pkcs1" },
    expect: { "KEY-02": /public_key\.pem has the blocks BEGIN RSA PUBLIC KEY, expected one -----BEGIN PUBLIC KEY----- block/ },
  },
  {
    kind: "artefacts",
    check: "key-02",
    breaker: { tamper: "public-key-1024-bits" },
    expect: { "KEY-01": /the key in public_key\.pem has 1024 bits; at least 2048 required/ },
  },
  {
    kind: "artefacts",
    check: "fed-jwt-01",
    breaker: { tamper: "id-token-header-rs256" },
    expect: { "FED-JWT-01": /ID token header alg is/ },
  },
  {
    kind: "artefacts",
    check: "fed-disc-02",
    breaker: { tamper: "id-token-header-rs256" },
    expect: {
      "FED-DISC-02": /the ID token signature does not verify with the JWKS as RS/,
      "FED-IDT-17": /the ID token signature does not verify with the JWKS as RS/,
    },
  },
  {
    kind: "artefacts",
    check: "fed-disc-02",
    breaker: { tamper: "id-token-signature-flipped" },
    expect: {
      "FED-DISC-02": /the ID token signature does not verify with the JWKS as RS/,
      "FED-IDT-17": /the ID token signature does not verify with the JWKS as RS/,
    },
  },
  {
    kind: "artefacts",
    check: "fed-disc-02",
    breaker: { tamper: "id-token-without-jti" },
    expect: {
      "FED-DISC-02": /the ID token signature does not verify with the JWKS as RS/,
      "FED-IDT-17": /the ID token signature does not verify with the JWKS as RS/,
    },
  },
  {
    kind: "artefacts",
    check: "fed-disc-02",
    breaker: { tamper: "id-token-two-hours" },
    expect: {
      "FED-DISC-02": /the ID token signature does not verify with the JWKS as RS/,
      "FED-IDT-17": /the ID token signature does not verify with the JWKS as RS/,
    },
  },
  {
    kind: "artefacts",
    check: "fed-disc-02",
    breaker: { tamper: "id-token-bad-nhs-number" },
    expect: {
      "FED-DISC-02": /the ID token signature does not verify with the JWKS as RS/,
      "FED-IDT-17": /the ID token signature does not verify with the JWKS as RS/,
    },
  },
  {
    kind: "artefacts",
    check: "fed-idt-01",
    breaker: { tamper: "id-token-auth-time-string" },
    expect: {
      "FED-IDT-01": /ID token does not match the id-token-payload schema: \/auth_time: must be integer/,
      "FED-IDT-07": /auth_time is/,
    },
  },
  {
    kind: "artefacts",
    check: "fed-idt-01",
    breaker: { tamper: "id-token-without-sub" },
    expect: {
      "FED-IDT-01": /ID token does not match the id-token-payload schema: \/: must have required property '/,
      "FED-IDT-02": /sub is absent, expected a string/,
    },
  },
  { kind: "artefacts", check: "fed-idt-01", breaker: { tamper: "expected-other-client-id" }, expect: { "FED-IDT-03": /ID token aud is/ } },
  {
    kind: "artefacts",
    check: "fed-idt-01",
    breaker: { tamper: "id-token-without-jti" },
    expect: { "FED-IDT-01": /ID token valid only against the lenient id-token-payload schema; needed: A/ },
  },
  {
    kind: "artefacts",
    check: "fed-idt-01",
    breaker: { tamper: "expected-issuer-other-host" },
    expect: { "FED-IDT-01": /iss is .*, expected exactly .*/ },
  },
  {
    kind: "artefacts",
    check: "fed-idt-01",
    breaker: { tamper: "id-token-nbf-future" },
    expect: { "FED-IDT-04": /nbf is \d+: the token is not yet valid/ },
  },
  { kind: "artefacts", check: "fed-idt-01", breaker: { tamper: "id-token-auth-time-future" }, expect: { "FED-IDT-07": /auth_time is/ } },
  {
    kind: "artefacts",
    check: "fed-idt-01",
    breaker: { tamper: "id-token-without-vot-vtm" },
    expect: { "FED-IDT-01": /ID token does not match the id-token-payload schema: \/: must have required property 'vot';/ },
  },
  {
    kind: "artefacts",
    check: "fed-idt-01",
    breaker: { tamper: "expected-other-issuer" },
    expect: { "FED-IDT-01": /iss is .*, expected exactly .*/ },
  },
  {
    kind: "artefacts",
    check: "fed-idt-06",
    breaker: { tamper: "id-token-without-jti" },
    expect: { "FED-IDT-06": /ID token \d+ of \d+ has jti absent, expected a non-empty string/ },
  },
  {
    kind: "artefacts",
    check: "ttl-02",
    breaker: { tamper: "id-token-two-hours" },
    expect: { "TTL-02": /the ID token lives/, "FED-IDT-18": /exp − iat is/ },
  },
  {
    kind: "artefacts",
    check: "fed-idt-08",
    breaker: { tamper: "expected-other-nonce" },
    expect: { "FED-IDT-08": /nonce is .*, expected exactly .*/ },
  },
  {
    kind: "artefacts",
    check: "fed-idt-10",
    breaker: { tamper: "id-token-without-vot-vtm" },
    expect: { "FED-IDT-10": /ID token vot is absent, expected a vector string such as/, "VOT-06": /there is no vot to match against/ },
  },
  { kind: "artefacts", check: "fed-idt-10", breaker: { tamper: "expected-vtr-unmet" }, expect: { "VOT-06": /ID token vot/ } },
  {
    kind: "artefacts",
    check: "fed-idt-11",
    breaker: { tamper: "expected-issuer-other-host" },
    expect: { "VOT-07": /ID token vtm is on host/ },
  },
  {
    kind: "artefacts",
    check: "fed-idt-11",
    breaker: { tamper: "id-token-without-vot-vtm" },
    expect: { "FED-IDT-11": /ID token vtm is absent, expected the https URL of the trust mark/ },
  },
  { kind: "artefacts", check: "fed-idt-11", breaker: { tamper: "expected-other-issuer" }, expect: { "VOT-07": /ID token vtm is on host/ } },
  { kind: "artefacts", check: "scope-02", breaker: { tamper: "id-token-bad-nhs-number" }, expect: { "FED-IDT-14": /nhs_number is/ } },
  {
    kind: "artefacts",
    check: "fed-at-01",
    breaker: { tamper: "access-token-signature-flipped" },
    expect: { "FED-AT-01": /the access token signature does not verify with the JWKS as RS/ },
  },
  {
    kind: "artefacts",
    check: "fed-at-01",
    breaker: { tamper: "access-token-one-hour" },
    expect: { "FED-AT-01": /the access token signature does not verify with the JWKS as RS/ },
  },
  {
    kind: "artefacts",
    check: "fed-at-02",
    breaker: { tamper: "access-token-without-scope" },
    expect: {
      "FED-AT-02": /access token does not match the access-token-payload schema: \/: must have required propert/,
      "FED-AT-03": /access token scope is absent, expected a space-separated list/,
      "FED-AT-04": /access token vot is absent, expected a vector string/,
    },
  },
  {
    kind: "artefacts",
    check: "fed-at-02",
    breaker: { tamper: "expected-other-client-id" },
    expect: { "FED-AT-02": /access token aud is/ },
  },
  {
    kind: "artefacts",
    check: "fed-at-02",
    breaker: { tamper: "expected-issuer-other-host" },
    expect: { "FED-AT-02": /access token iss is/ },
  },
  {
    kind: "artefacts",
    check: "fed-at-02",
    breaker: { tamper: "id-token-bad-nhs-number" },
    expect: { "FED-AT-05": /access token nhs_number differs from the ID token's/ },
  },
  {
    kind: "artefacts",
    check: "fed-at-02",
    breaker: { tamper: "expected-scopes-without-phone" },
    expect: { "FED-AT-03": /access token scope has phone, which the request did not ask for \(requested/ },
  },
  { kind: "artefacts", check: "fed-at-02", breaker: { tamper: "expected-other-issuer" }, expect: { "FED-AT-02": /access token iss is/ } },
  { kind: "artefacts", check: "ttl-03", breaker: { tamper: "access-token-one-hour" }, expect: { "TTL-03": /the access token lives/ } },
  {
    kind: "artefacts",
    check: "fed-ui-02",
    breaker: { tamper: "userinfo-other-sub" },
    expect: { "FED-UI-05": /UserInfo sub is .*, but the ID token's is .*/ },
  },
  {
    kind: "artefacts",
    check: "fed-ui-02",
    breaker: { tamper: "userinfo-null-claim" },
    expect: { "FED-UI-07": /UserInfo does not match the userinfo schema: \/email: must be string/ },
  },
  { kind: "artefacts", check: "fed-ui-02", breaker: { tamper: "userinfo-status-500" }, expect: { "FED-UI-02": /UserInfo answered HTTP/ } },
  {
    kind: "artefacts",
    check: "fed-ui-03",
    breaker: { tamper: "expected-scopes-without-phone" },
    expect: { "FED-UI-04": /claims released beyond/ },
  },
  {
    kind: "artefacts",
    check: "fed-ui-03",
    breaker: { tamper: "userinfo-null-claim" },
    expect: { "FED-UI-03": /null or empty values at \/email; claims without a value must be left out/ },
  },
  {
    kind: "artefacts",
    check: "fed-ui-03",
    breaker: { tamper: "userinfo-status-500" },
    expect: { "FED-UI-04": /the captured UserInfo answer is HTTP/ },
  },
  {
    kind: "artefacts",
    check: "uev2-token-12",
    breaker: { tamper: "users-v2-token-no-cache-control" },
    expect: { "UEV2-TOKEN-12": /users-v\d+-token\.json: Cache-Control is absent, expected no-store/ },
  },
  {
    kind: "artefacts",
    check: "uev2-at-01",
    breaker: { tamper: "expected-other-client-id" },
    expect: {
      "UEV2-AT-02": /users-v\d+-token\.json: sub is .*, expected the client identifier .*/,
      "UEV2-AT-03": /users-v\d+-token\.json: aud is .*, expected the client identifier .*/,
      "UEV2-AT-08": /users-v\d+-token\.json: client_id is .*, expected the client identifier .*/,
      "UEV2-AT-10": /users-v\d+-token\.json: requesting_system is .*, expected the client identifier .*/,
    },
  },
  {
    kind: "artefacts",
    check: "uev2-at-01",
    breaker: { tamper: "expected-issuer-other-host" },
    expect: { "UEV2-AT-01": /users-v\d+-token\.json: iss is .*, expected exactly the discovery issuer .*/ },
  },
  {
    kind: "artefacts",
    check: "uev2-at-01",
    breaker: { tamper: "users-v2-access-token-signature-flipped" },
    expect: { "UEV2-AT-12": /users-v\d+-token\.json: the RS\d+ signature does not verify with the JWKS: signatur/ },
  },
  {
    kind: "artefacts",
    check: "uev2-at-01",
    breaker: { tamper: "expected-other-issuer" },
    expect: { "UEV2-AT-01": /users-v\d+-token\.json: iss is .*, expected exactly the discovery issuer .*/ },
  },
  {
    kind: "artefacts",
    check: "uev2-resp-01",
    breaker: { tamper: "users-v2-eight-digit-nhs-number" },
    expect: {
      "UEV2-RESP-02": /users-v\d+-search\.json: does not match the users-v\d+-list-response schema: \/Resourc/,
      "UEV2-RESP-07": /users-v\d+-search\.json: Resources\[\d+\]: does not match the users-v\d+-user schema: \/uk/,
      "UEV2-RESP-11": /users-v\d+-search\.json: Resources\[\d+\]: nhsNumber is .*, expected a string of \d+ digi/,
    },
  },
  {
    kind: "artefacts",
    check: "uev2-err-13",
    breaker: { tamper: "users-v2-error-wrong-text" },
    expect: { "UEV2-ERR-13": /users-v\d+-error\.json: does not match the users-v\d+-error schema: \/Errors\/\d+\/descrip/ },
  },
  {
    kind: "artefacts",
    check: "fed-jwt-01",
    breaker: { tamper: "id-token-typ-at-jwt" },
    expect: {
      "FED-JWT-02": /ID token header typ is "at\+jwt", expected "JWT"/,
    },
  },
  {
    kind: "artefacts",
    check: "fed-jwt-01",
    breaker: { tamper: "id-token-jku-header" },
    expect: {
      "FED-JWT-03": /ID token header carries jku: keys must come only from the JWKS/,
    },
  },
  {
    kind: "artefacts",
    check: "fed-jwt-01",
    breaker: { tamper: "id-token-unknown-kid" },
    expect: {
      "FED-DISC-02": /ID token kid "kid-in-no-jwks" names no key of the JWKS/,
    },
  },
  {
    kind: "artefacts",
    check: "fed-at-01",
    breaker: { tamper: "access-token-unknown-kid" },
    expect: {
      "FED-DISC-02": /access token kid "kid-in-no-jwks" names no key of the JWKS/,
    },
  },
  {
    kind: "artefacts",
    check: "fed-at-02",
    breaker: { tamper: "access-token-other-vot" },
    expect: {
      "VOT-05": /access token vot "P5\.Cp\.Cd" differs from the ID token's "P9\.Cp\.Cd"/,
    },
  },
  {
    kind: "artefacts",
    check: "scope-02",
    breaker: { tamper: "id-token-profile-claims-wrong" },
    expect: {
      "FED-IDT-12": /the ID token lacks family_name, which profile releases for a P9 person/,
      "FED-IDT-13": /birthdate is "30\/12\/2001", expected a real date YYYY-MM-DD/,
      "FED-IDT-15": /identity_proofing_level is "P7", expected P0, P5 or P9/,
    },
  },
  {
    kind: "artefacts",
    check: "scope-02",
    breaker: { tamper: "expected-basic-demographics" },
    expect: {
      "SCOPE-03": /the ID token carries nhs_number although basic_demographics releases no NHS number/,
    },
  },
  {
    kind: "artefacts",
    check: "scope-02",
    breaker: { tamper: "expected-scopes-openid-only" },
    expect: {
      "SCOPE-02": /the ID token carries nhs_number although neither profile nor basic_demographics was granted/,
    },
  },
  {
    kind: "artefacts",
    check: "uev2-at-01",
    breaker: { tamper: "users-v2-access-token-iat-string" },
    expect: {
      "UEV2-AT-04": /users-v2-token\.json: iat is "now", expected whole epoch seconds/,
    },
  },
  {
    kind: "artefacts",
    check: "fed-idt-01",
    breaker: { tamper: "id-token-iat-future-captured-at" },
    expect: {
      "FED-IDT-05": /iat \d+ is 3600 s in the future/,
    },
  },
  // Each Table 10 row's text under the other 4xx status (test/artefacts/_tampers.ts).
  {
    kind: "artefacts",
    check: "uev2-err-13",
    breaker: { tamper: "users-v2-error-status:invalidSyntax" },
    expect: { "UEV2-ERR-01": /users-v2-error\.json: HTTP 403, expected 400/ },
  },
  {
    kind: "artefacts",
    check: "uev2-err-13",
    breaker: { tamper: "users-v2-error-status:invalidAttribute" },
    expect: { "UEV2-ERR-02": /users-v2-error\.json: HTTP 403, expected 400/ },
  },
  {
    kind: "artefacts",
    check: "uev2-err-13",
    breaker: { tamper: "users-v2-error-status:invalidOperator" },
    expect: { "UEV2-ERR-03": /users-v2-error\.json: HTTP 403, expected 400/ },
  },
  {
    kind: "artefacts",
    check: "uev2-err-13",
    breaker: { tamper: "users-v2-error-status:tooManyExpressions" },
    expect: { "UEV2-ERR-04": /users-v2-error\.json: HTTP 403, expected 400/ },
  },
  {
    kind: "artefacts",
    check: "uev2-err-13",
    breaker: { tamper: "users-v2-error-status:invalidNhsNumber" },
    expect: { "UEV2-ERR-05": /users-v2-error\.json: HTTP 403, expected 400/ },
  },
  {
    kind: "artefacts",
    check: "uev2-err-13",
    breaker: { tamper: "users-v2-error-status:invalidEmail" },
    expect: { "UEV2-ERR-06": /users-v2-error\.json: HTTP 403, expected 400/ },
  },
  {
    kind: "artefacts",
    check: "uev2-err-13",
    breaker: { tamper: "users-v2-error-status:unexpectedAttribute" },
    expect: { "UEV2-ERR-07": /users-v2-error\.json: HTTP 403, expected 400/ },
  },
  {
    kind: "artefacts",
    check: "uev2-err-13",
    breaker: { tamper: "users-v2-error-status:filterMissing" },
    expect: { "UEV2-ERR-08": /users-v2-error\.json: HTTP 403, expected 400/ },
  },
  {
    kind: "artefacts",
    check: "uev2-err-13",
    breaker: { tamper: "users-v2-error-status:noScope" },
    expect: { "UEV2-ERR-09": /users-v2-error\.json: HTTP 400, expected 403/ },
  },
  {
    kind: "artefacts",
    check: "uev2-err-13",
    breaker: { tamper: "users-v2-error-status:scopeRequired" },
    expect: { "UEV2-ERR-10": /users-v2-error\.json: HTTP 400, expected 403/ },
  },
  {
    kind: "artefacts",
    check: "uev2-err-13",
    breaker: { tamper: "users-v2-error-status:scopesNotApproved" },
    expect: { "UEV2-ERR-11": /users-v2-error\.json: HTTP 400, expected 403/ },
  },
  // Captures of a real flow against a simulator with a defect (test/artefacts/_capture.ts).
  {
    kind: "artefacts",
    check: "uev2-at-01",
    breaker: { defect: "uev2-access-token-claims-other-client" },
    expect: {
      "TTL-06": /the token lives -?\d+ s \(exp - iat\), expected 300/,
      "UEV2-AT-05": /the scope claim holds openid, which was not requested/,
      "UEV2-AT-06": /the token lives -?\d+ s \(exp - iat\), expected 300/,
      "UEV2-AT-07": /version is 1, expected 0/,
    },
  },
  {
    kind: "artefacts",
    check: "uev2-token-12",
    breaker: { defect: "uev2-access-token-claims-other-client" },
    expect: {
      "UEV2-TOKEN-15": /the access token lives -?\d+ s \(exp - iat\), expected 300/,
    },
  },
  {
    kind: "artefacts",
    check: "uev2-at-01",
    breaker: { defect: "uev2-access-token-claims-wrong" },
    expect: {
      "UEV2-AT-09": /reason_for_request is "patientaccess", expected "directcare"/,
      "UEV2-AT-11": /token_use is absent, expected "access"/,
    },
  },
  {
    kind: "artefacts",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-attributes-ignore-scope" },
    expect: {
      "UEV2-SCOPE-10": /is returned although \S+ was not granted/,
    },
  },
  {
    kind: "artefacts",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-list-resources-object" },
    expect: {
      "UEV2-RESP-05": /Resources is \{"count":\d+\}, expected an array/,
    },
  },
  {
    kind: "artefacts",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-list-text-html" },
    expect: {
      "UEV2-RESP-01": /Content-Type is text\/html, expected application\/scim\+json or application\/json/,
    },
  },
  {
    kind: "artefacts",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-list-total-string" },
    expect: {
      "UEV2-RESP-03": /totalResults is "\d+", expected a non-negative integer/,
    },
  },
  {
    kind: "artefacts",
    check: "uev2-at-01",
    breaker: { defect: "uev2-token-lifetime-wrong" },
    expect: {
      "TTL-06": /the token lives 3600 s \(exp - iat\), expected 300/,
      "UEV2-AT-06": /the token lives 3600 s \(exp - iat\), expected 300/,
    },
  },
  {
    kind: "artefacts",
    check: "uev2-token-12",
    breaker: { defect: "uev2-token-lifetime-wrong" },
    expect: {
      "UEV2-TOKEN-15": /expires_in is 3600, expected the number 300/,
    },
  },
  {
    kind: "artefacts",
    check: "uev2-token-12",
    breaker: { defect: "uev2-token-response-garbled" },
    expect: {
      "UEV2-TOKEN-13": /access_token is not a signed JWT/,
      "UEV2-TOKEN-14": /token_type is "MAC", expected "Bearer"/,
      "UEV2-TOKEN-16": /scope grants openid, which was not requested/,
    },
  },
  {
    kind: "artefacts",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-user-active-string" },
    expect: {
      "UEV2-RESP-09": /active is "true", expected a boolean/,
    },
  },
  {
    kind: "artefacts",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-user-email-not-an-address" },
    expect: {
      "UEV2-RESP-15": /emails\[0\]\.value is "not an address", expected an email address/,
    },
  },
  {
    kind: "artefacts",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-user-email-type-work" },
    expect: {
      "UEV2-RESP-16": /emails\[0\]\.type is "work", expected "home"/,
    },
  },
  {
    kind: "artefacts",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-user-family-name-empty" },
    expect: {
      "UEV2-RESP-14": /name\.familyName is "", expected a non-empty string/,
    },
  },
  {
    kind: "artefacts",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-user-gp-ods-code-empty" },
    expect: {
      "UEV2-RESP-12": /gpOdsCode is "", expected a non-empty string/,
      "UEV2-SCOPE-10": /gpOdsCode is returned although gp_registration_details was not granted/,
    },
  },
  {
    kind: "artefacts",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-user-gp-user-id-number" },
    expect: {
      "UEV2-RESP-13": /gpUserId is 12345, expected a non-empty string/,
      "UEV2-SCOPE-10": /gpUserId is returned although gp_integration_credentials was not granted/,
    },
  },
  {
    kind: "artefacts",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-user-id-missing" },
    expect: {
      "UEV2-RESP-08": /Resources\[0\]: id is absent, expected the NHS login account identifier/,
    },
  },
  {
    kind: "artefacts",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-user-null-title" },
    expect: {
      "UEV2-RESP-20": /title sent as null instead of being left out/,
    },
  },
  {
    kind: "artefacts",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-user-phone-type-cell" },
    expect: {
      "UEV2-RESP-18": /phoneNumbers\[0\]\.type is "cell", expected mobile or landline/,
    },
  },
  {
    kind: "artefacts",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-user-proofing-missing" },
    expect: {
      "UEV2-RESP-10": /vectorsOfTrust\.IdentityProofing is absent, expected one of P0, P5, P9/,
    },
  },
  {
    kind: "artefacts",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-user-two-primary-emails" },
    expect: {
      "UEV2-RESP-17": /2 email addresses are marked primary, expected at most one/,
    },
  },
  {
    kind: "artefacts",
    check: "uev2-resp-01",
    breaker: { defect: "uev2-user-username-empty" },
    expect: {
      "UEV2-RESP-19": /userName is "", expected a non-empty string/,
    },
  },
  {
    kind: "artefacts",
    check: "fed-ui-03",
    breaker: { defect: "userinfo-accepts-anything" },
    expect: {
      "FED-UI-08": /email is absent although .* releases it/,
      "FED-UI-09": /phone_number is absent although .* releases it/,
      "FED-UI-12": /nhs_number is absent although .* releases it/,
      "FED-UI-16": /identity_proofing_level is absent although .* releases it/,
      "SCOPE-02": /family_name is absent although .* releases it/,
    },
  },
];

/** Service checks against unsafe variants of the reference service (the variant suite applies them). */
const SERVICE_BREAKERS: readonly BreakerEntry[] = [
  {
    kind: "service",
    check: "registration",
    breaker: { variant: "https-redirect-uri" },
    expect: { "FED-REG-02": /registered redirect URI/ },
  },
  {
    kind: "service",
    check: "registration",
    breaker: { variant: "registration-without-openid" },
    expect: { "FED-REG-01": /^openid is not among the scopes$/ },
  },
  {
    kind: "service",
    check: "registration",
    breaker: { variant: "wildcard-redirect-uri" },
    expect: { "FED-REG-03": /registered redirect URI http:\/\/127\.0\.0\.1:\d+\/\* contains a wildcard/ },
  },
  {
    kind: "service",
    check: "registration",
    breaker: { variant: "redirect-uri-query" },
    expect: { "FED-REG-04": /registered redirect URI .*\/callback\?next=account has a query string/ },
  },
  {
    kind: "service",
    check: "registration",
    breaker: { variant: "many-redirect-uris" },
    expect: { "FED-REG-05": /11 redirect URIs registered; at most 10 are allowed/ },
  },
  {
    kind: "service",
    check: "request-shape",
    breaker: { variant: "authorize-params-in-fragment" },
    expect: { "FED-AUTHZ-01": /GET \/authorize carried no parameters \(they were in the URL fragment, which the browser never sends\)/ },
  },
  {
    kind: "service",
    check: "request-shape",
    breaker: { variant: "repeated-parameter" },
    expect: { "FED-AUTHZ-22": /parameters sent more than once: scope; NHS login rejects repeated parameters/ },
  },
  {
    kind: "service",
    check: "client-id",
    breaker: { variant: "other-client-id" },
    expect: { "FED-AUTHZ-06": /client_id .*; expected the registered .*/ },
  },
  {
    kind: "service",
    check: "redirect-uri-scheme",
    breaker: { variant: "https-redirect-uri" },
    expect: { "FED-AUTHZ-08": /redirect_uri/, "FED-REG-02": /the redirect URI in use \(redirect_uri\)/ },
  },
  {
    kind: "service",
    check: "redirect-uri-registered",
    breaker: { variant: "unregistered-redirect-uri" },
    expect: { "FED-AUTHZ-07": /redirect_uri/ },
  },
  {
    kind: "service",
    check: "redirect-uri-registered",
    breaker: { variant: "redirect-uri-query" },
    expect: { "FED-REG-04": /redirect_uri .*\/callback\?next=account carries a query string; put dynamic content in state/ },
  },
  {
    kind: "service",
    check: "state",
    breaker: { variant: "fresh-state" },
    expect: { "FED-AUTHZ-09": /state repeats across/, "FED-AUTHZ-27": /state is reused across sign-ins/ },
  },
  {
    kind: "service",
    check: "nonce",
    breaker: { variant: "fresh-nonce" },
    expect: { "FED-AUTHZ-10": /nonce repeats across/, "FED-AUTHZ-27": /nonce is reused across sign-ins/ },
  },
  {
    kind: "service",
    check: "vtr",
    breaker: { variant: "unregistered-vtr" },
    expect: { "FED-REG-06": /vtr \[.*\] differs from the registered \[.*,.*,.*\]; NHS login rejects a mismatch/ },
  },
  {
    kind: "service",
    check: "vtr",
    breaker: { variant: "vtr-not-json" },
    expect: { "FED-AUTHZ-15": /vtr "\['P5\.Cp\.Cd', .*\]" is not a JSON array of vectors: vtr is not valid JSON/ },
  },
  {
    kind: "service",
    check: "vtr",
    breaker: { variant: "unsupported-vtr" },
    expect: { "VOT-04": /vectors P9\.Cp\.Cd\.Ck are not among the twelve profiles of EIS Table 21/ },
  },
  {
    kind: "service",
    check: "client-auth-method",
    breaker: { variant: "no-client-assertion" },
    expect: { "FED-REG-07": /no client_assertion: the token request is not authenticated with private_key_jwt/ },
  },
  {
    kind: "service",
    check: "assertion-signature",
    breaker: { variant: "rs512-assertion" },
    expect: { "FED-TOKEN-11": /client assertion alg/ },
  },
  {
    kind: "service",
    check: "assertion-signature",
    breaker: { variant: "rsa-4096-key" },
    expect: { "KEY-01": /the registered key has 4096 bits; NHS login asks for 2048/ },
  },
  {
    kind: "service",
    check: "assertion-lifetime",
    breaker: { variant: "short-assertion" },
    expect: { "FED-TOKEN-09": /the client assertion lives/ },
  },
  {
    kind: "service",
    check: "assertion-jti",
    breaker: { variant: "unique-jti" },
    expect: { "FED-TOKEN-10": /\d+ client assertions share \d+ jti value\(s\); NHS login refuses a replayed jti/ },
  },
  {
    kind: "service",
    check: "id-token-bad-signature",
    breaker: { variant: "signature-check" },
    expect: {
      "FED-IDT-17": /the service signed the user in although NHS login sent: ID token signature does not verify/,
      "FED-DISC-06": /the service signed the user in although NHS login sent: ID token signature does not verify/,
    },
  },
  {
    kind: "service",
    check: "id-token-rs256",
    breaker: { variant: "alg-pinning" },
    expect: { "FED-JWT-01": /the service signed the user in although NHS login sent: ID token signed RS/ },
  },
  {
    kind: "service",
    check: "id-token-embedded-jwk",
    breaker: { variant: "signature-check" },
    expect: { "FED-JWT-03": /the service signed the user in although NHS login sent: ID token signed by an attacker key/ },
  },
  {
    kind: "service",
    check: "id-token-jku",
    breaker: { variant: "signature-check" },
    expect: { "FED-JWT-03": /the service signed the user in although NHS login sent: ID token signed by an attacker key/ },
  },
  {
    kind: "service",
    check: "id-token-x5u",
    breaker: { variant: "signature-check" },
    expect: { "FED-JWT-03": /the service signed the user in although NHS login sent: ID token signed by an attacker key/ },
  },
  {
    kind: "service",
    check: "id-token-unknown-kid",
    breaker: { variant: "signature-check" },
    expect: {
      "FED-DISC-06": /the service signed the user in although NHS login sent: ID token signed by a key absent fr/,
      "FED-IDT-17": /the service signed the user in although NHS login sent: ID token signed by a key absent fr/,
    },
  },
  {
    kind: "service",
    check: "id-token-wrong-iss",
    breaker: { variant: "iss-check" },
    expect: { "FED-IDT-01": /the service signed the user in although NHS login sent: ID token from another issuer/ },
  },
  {
    kind: "service",
    check: "id-token-wrong-aud",
    breaker: { variant: "aud-check" },
    expect: { "FED-IDT-03": /the service signed the user in although NHS login sent: ID token for another client/ },
  },
  {
    kind: "service",
    check: "id-token-extra-aud",
    breaker: { variant: "aud-check" },
    expect: { "FED-IDT-03": /the service signed the user in although NHS login sent: ID token with an extra untrusted a/ },
  },
  {
    kind: "service",
    check: "id-token-expired",
    breaker: { variant: "exp-check" },
    expect: { "FED-IDT-04": /the service signed the user in although NHS login sent: ID token expired ten minutes ago/ },
  },
  {
    kind: "service",
    check: "id-token-nonce-missing",
    breaker: { variant: "nonce-check" },
    expect: { "FED-IDT-08": /the service signed the user in although NHS login sent: ID token without nonce/ },
  },
  {
    kind: "service",
    check: "id-token-nonce-wrong",
    breaker: { variant: "nonce-check" },
    expect: { "FED-IDT-08": /the service signed the user in although NHS login sent: ID token with another nonce/ },
  },
  {
    kind: "service",
    check: "id-token-vot-outside-vtr",
    breaker: { variant: "vot-check" },
    expect: { "VOT-06": /the service signed the user in although NHS login sent: ID token vot matching no requested/ },
  },
  {
    kind: "service",
    check: "id-token-vot-missing",
    breaker: { variant: "vot-check" },
    expect: {
      "FED-IDT-10": /the service signed the user in although NHS login sent: ID token without vot/,
      "VOT-06": /the service signed the user in although NHS login sent: ID token without vot/,
    },
  },
  {
    kind: "service",
    check: "error:access_denied",
    breaker: { variant: "no-consent-page" },
    expect: { "FED-ARESP-11": /the service answered/, "FED-ARESP-09": /the service answered/ },
  },
  {
    kind: "service",
    check: "error:access_denied",
    breaker: { variant: "generic-no-consent-page" },
    expect: { "CONSENT-02": /the page does not say "You cannot continue without sharing your information"/ },
  },
  {
    kind: "service",
    check: "error:access_denied",
    breaker: { variant: "no-consent-links" },
    expect: { "CONSENT-04": /the no-consent screen lacks working links to https:\/\/111\.nhs\.uk\/, tel:111, tel:999/ },
  },
  {
    kind: "service",
    check: "error:unknown-error",
    breaker: { variant: "unescaped-error-description" },
    expect: { "FED-ARESP-13": /error_description is echoed into the page unescaped \(a script element was injected\)/ },
  },
  {
    kind: "service",
    check: "scope",
    breaker: { variant: "capitalised-scope" },
    expect: { "SCOPE-15": /scope tokens Email differ in case from the documented email/ },
  },
  {
    kind: "service",
    check: "scope",
    breaker: { variant: "unagreed-client-metadata" },
    expect: { "FED-AUTHZ-26": /client_metadata is requested, but it is a bespoke scope NHS login has not agreed for this service/ },
  },
  {
    kind: "service",
    check: "vtr-levels",
    breaker: { variant: "vtr-without-level" },
    expect: { "FED-AUTHZ-17": /vectors Cp\.Cd name no proofing level/ },
  },
  {
    kind: "service",
    check: "vtr-levels",
    breaker: { variant: "gp-credentials-weak-vtr" },
    expect: {
      "FED-AUTHZ-25": /gp_integration_credentials is asked for with vectors P9\.Cp, P5\.Cp\.Cd; it needs P9 and two factors/,
      "VOT-12": /vectors P9\.Cp ask for P9 with one factor/,
    },
  },
  {
    kind: "service",
    check: "callback-forged-tokens",
    breaker: { variant: "front-channel-id-token" },
    expect: {
      "FED-ARESP-14":
        /the service shows the forged person \(FORGEDIDENTITY\) from the callback's id_token|signed someone in without redeeming the code/,
    },
  },
  {
    kind: "service",
    check: "error:state-missing",
    breaker: { variant: "state-check" },
    expect: { "FED-ARESP-03": /the service signed the user in after a response without state/ },
  },
  {
    kind: "service",
    check: "error:state-wrong",
    breaker: { variant: "state-check" },
    expect: { "FED-ARESP-03": /the service signed the user in after a response with another state/ },
  },
  {
    kind: "service",
    check: "code-replay",
    breaker: { variant: "single-use-transaction" },
    expect: { "FED-ARESP-04": /an authorization code was sent to \/token/ },
  },
  {
    kind: "service",
    check: "code-replay",
    breaker: { variant: "replayed-callback-session" },
    expect: { "FED-ARESP-03": /another browser opening the same callback URL was signed in/ },
  },
  {
    kind: "service",
    check: "userinfo-sub",
    breaker: { variant: "userinfo-sub-check" },
    expect: { "FED-UI-05": /the service signed the user in although UserInfo answered with a/ },
  },
  {
    kind: "service",
    check: "session-cookies",
    breaker: { variant: "httponly-cookies" },
    expect: { "SESSION-02": /session cookie nhsl_session is not HttpOnly: page scripts can read it/ },
  },
  {
    kind: "service",
    check: "nhs-number-leading-zero",
    breaker: { variant: "nhs-number-as-number" },
    expect: {
      "NHSNO-03": /the page at \/account shows 123456789 where NHS login sent the NHS number 0123456789: the leading zero was lost/,
    },
  },
  {
    kind: "service",
    check: "step-up",
    breaker: { variant: "p9-feature-for-p5" },
    expect: {
      "VOT-11": /GET \/account\/verified by a person signed in at P5 answered HTTP 200 at \/account\/verified, offering no step-up/,
      "STEPUP-02": /never sent the browser to NHS login: a P5 user reaching a P9 feature must be offered a step-up/,
    },
  },
  {
    kind: "service",
    check: "step-up",
    breaker: { variant: "step-up-keeps-level" },
    expect: {
      "STEPUP-05": /the same person answered at P9 .* did not move to P9: GET \/account\/verified sent the browser to NHS login again/,
    },
  },
  {
    kind: "service",
    check: "step-up-other-person",
    breaker: { variant: "step-up-upgrades-other-person" },
    expect: {
      "STEPUP-05":
        /after a step-up answered by another person .* the feature for P9 users is served to the first person \(Fenella FIVE-SIMULATED\)/,
    },
  },
  {
    kind: "service",
    check: "step-up-vot",
    breaker: { variant: "step-up-trusts-request" },
    expect: { "VOT-13": /answered with a vot outside it .* the feature for P9 users is served: GET \/account\/verified answered HTTP 200/ },
  },
  {
    kind: "service",
    check: "sign-out",
    breaker: { variant: "logout-keeps-session" },
    expect: {
      "SESSION-01": /only cleared the browser's cookies: the session lives on at the service.*GET \/account answered HTTP 200/,
      "FED-GEN-05": /only cleared the browser's cookies/,
    },
  },
  {
    kind: "service",
    check: "session-idle",
    breaker: { variant: "session-limits" },
    expect: { "SESSION-04": /still signed in 31 min idle \(GET \/account answered HTTP 200\)/ },
  },
  {
    kind: "service",
    check: "session-absolute",
    breaker: { variant: "session-limits" },
    expect: { "SESSION-05": /still signed in .* \(GET \/account answered HTTP 200\)/ },
  },
  {
    kind: "service",
    check: "session-idle",
    breaker: { variant: "reauth-without-prompt" },
    expect: { "SESSION-07": /re-authentication after the session ended does not send prompt=login/ },
  },
  {
    kind: "service",
    check: "session-absolute",
    breaker: { variant: "reauth-without-prompt" },
    expect: { "SESSION-07": /re-authentication after the session ended does not send prompt=login/ },
  },
];

/** The Users V2 consumer's breakers, one row per (variant, check): the IDs it must fail or warn and why. */
const USERS_V2_CONSUMER_BREAKS: readonly (readonly [UnsafeSwitch, string, Readonly<Record<string, RegExp>>])[] = [
  ["users-token-request-json", "users-assertion", { "UEV2-TOKEN-01": /POST with content type "application\/json"/ }],
  [
    "users-grant-type-typo",
    "users-assertion",
    {
      "UEV2-TOKEN-02":
        /grant_type "urn:ietf:params:oauth:grant-assertion-type:jwt-bearer"; expected urn:ietf:params:oauth:grant-type:jwt-bearer/,
      "UEV2-TOKEN-03": /the JWT must be in the form parameter assertion; the request sent client_assertion/,
    },
  ],
  ["users-rs256-assertion", "users-assertion", { "UEV2-TOKEN-05": /client assertion alg "RS256"; expected RS512/ }],
  [
    "users-assertion-identity",
    "users-assertion",
    {
      "UEV2-TOKEN-06": /iss "another-client" and sub "another-client"; both must be the client_id/,
      "UEV2-TOKEN-07": /iss "another-client" and sub "another-client"; both must be the client_id/,
      "UEV2-TOKEN-09": /the client assertion lives 3(?:599|600) s after use; expected at most 300 s/,
    },
  ],
  ["users-wrong-aud", "users-assertion", { "UEV2-TOKEN-08": /aud "http:\/\/127\.0\.0\.1:\d+"; expected the token endpoint/ }],
  [
    "users-foreign-key",
    "users-assertion",
    { "UEV2-TOKEN-11": /refused the client assertion \(invalid_client: .*signature does not verify/ },
  ],
  [
    "users-scope-altered",
    "users-scope",
    { "UEV2-TOKEN-04": /does not include http:\/\/127\.0\.0\.1:\d+\/Users\.retrieve \(case-sensitive\)/ },
  ],
  ["users-reused-jti", "users-assertion-jti", { "UEV2-TOKEN-10": /2 client assertions share 1 jti value/ }],
  ["users-token-per-search", "users-token-reuse", { "UEV2-GEN-05": /2 token requests for 2 searches within the token's 300 s/ }],
  [
    "users-ignores-expires-in",
    "users-token-expiry",
    { "UEV2-TOKEN-15": /presented the access token after its expires_in \(2 s\) had passed/ },
  ],
  [
    "users-no-renewal-on-401",
    "users-token-401",
    { "UEV2-ERR-14": /after the 401 the service made 0 token request\(s\) and 0 more search\(es\) and answered error/ },
  ],
  [
    "users-scim-request",
    "users-search-request",
    {
      "UEV2-REQ-01": /2 filter parameters; expected exactly one/,
      "UEV2-REQ-02": /the access token is in the query as well/,
      "UEV2-GEN-03": /sends attributes, count; Users V2 chooses attributes by scope/,
    },
  ],
  [
    "users-unquoted-filter",
    "users-filter-grammar",
    {
      "UEV2-FILTER-04": /filter "nhsnumber eq \d{10}" .* does not read by the grammar: Invalid syntax/,
      "UEV2-FILTER-05": /filter "nhsnumber eq \d{10}" .* has a value not wrapped in ASCII double quotes/,
    },
  ],
  ["users-unencoded-filter", "users-filter-encoding", { "UEV2-FILTER-12": /read the filter as .*simulated conformance@example\.org/ }],
  ["users-upper-case-operators", "users-filter-operators", { "UEV2-FILTER-13": / AND .*has an operator not in lower case/ }],
  ["users-no-input-validation", "users-nhs-number-check", { "NHSNO-02": /\d{10} \(wrong check digit\) was sent to Users V2 unchecked/ }],
  [
    "users-no-input-validation",
    "users-input-validation",
    {
      "UEV2-FILTER-09": /\d{5} \(not 10 digits\) was sent to Users V2 unchecked/,
      "NHSNO-01": /\d{5} \(not 10 digits\) was sent to Users V2 unchecked/,
      "UEV2-FILTER-10": /not-an-email \(not an email address\) was sent to Users V2 unchecked/,
    },
  ],
  [
    "users-scim-filter",
    "users-filter-grammar",
    {
      "UEV2-FILTER-01": /uses emails\.value; only nhsnumber and email exist/,
      "UEV2-FILTER-02": /compares with co; only eq exists/,
      "UEV2-FILTER-03": /uses brackets; only and\/or join terms/,
    },
  ],
  ["users-no-match-as-error", "users-not-found", { "UEV2-RESP-04": /held nobody \(totalResults 0\); the service answered error/ }],
  ["users-nhs-number-as-number", "users-found", { "NHSNO-03": /nhsNumber came back as \[\d{10}\]; expected the string/ }],
  ["users-first-resource-only", "users-several", { "UEV2-RESP-06": /the ListResponse held 2 users; the service answered found 1/ }],
  ["users-strict-attributes", "users-tolerant-reading", { "UEV2-RESP-21": /unknown attributes .*the lookup hook answered HTTP 500/ }],
  ["users-retry-on-4xx", "users-error-400", { "UEV2-ERR-15": /the search was tried 3 times; a 400 \(the input is wrong\) is not retried/ }],
  ["users-errors-as-not-found", "users-error-400", { "UEV2-ERR-01": /Invalid syntax .*answered not-found; expected error \(input\)/ }],
  [
    "users-retry-on-4xx",
    "users-error-403",
    { "UEV2-ERR-15": /tried 3 times; a 403 \(the client's configuration is wrong\) is not retried/ },
  ],
  ["users-no-retry-on-500", "users-error-500", { "UEV2-ERR-15": /the search was not retried; a 5xx calls for bounded retries/ }],
  ["users-unbounded-retries", "users-error-500", { "UEV2-ERR-15": /20 searches; retries must be bounded/ }],
  [
    "users-errors-as-not-found",
    "users-error-500",
    { "UEV2-ERR-12": /Internal server error.*answered not-found; expected error \(unavailable\)/ },
  ],
  [
    "users-errors-as-not-found",
    "users-error-timeout",
    { "UEV2-ERR-15": /answered after 1\.2 s .*answered not-found; expected error \(unavailable\)/ },
  ],
  ["users-decodes-token", "users-opaque-token", { "UEV2-AT-13": /could not use an access token that is not a JWT/ }],
  ["users-unbounded-retries", "users-error-not-json", { "UEV2-ERR-15": /20 searches; retries must be bounded/ }],
  ["users-unbounded-retries", "users-token-refused", { "UEV2-ERR-15": /the token request was tried 20 times; a refused token request/ }],
];

const USERS_V2_CONSUMER_BREAKERS: readonly BreakerEntry[] = USERS_V2_CONSUMER_BREAKS.map(([variant, check, expect]) => ({
  kind: "service",
  check,
  breaker: { variant },
  expect,
}));

/** The Provision Account consumer's breakers, one row per (variant, check): the IDs it must fail or warn and why. */
const PROVISION_CONSUMER_BREAKS: readonly (readonly [UnsafeSwitch, string, Readonly<Record<string, RegExp>>])[] = [
  ["pa-hs256-assertion", "pa-token-request", { "PA-02": /client assertion alg "HS256"; expected RS512/ }],
  ["pa-iss-not-sub", "pa-token-request", { "PA-02": /iss "[^"]+" and sub "John Doe"; both must be the client_id/ }],
  ["pa-no-assertion-type", "pa-token-request", { "PA-01": /client_assertion_type null/ }],
  ["pa-reused-jti", "pa-assertion-jti", { "PA-02": /2 client assertions share 1 jti value/ }],
  ["pa-token-per-call", "pa-token-reuse", { "PA-03": /2 token requests for 2 provisioning requests within the token's 300 s/ }],
  ["pa-ignores-expires-in", "pa-token-reuse", { "PA-03": /presented the access token after its expires_in \(2 s\) had passed/ }],
  ["pa-form-body", "pa-request", { "PA-05": /the body is application\/x-www-form-urlencoded, not a JSON object/ }],
  [
    "pa-no-input-validation",
    "pa-body",
    {
      "PA-06": /nhs_number "9990200026" is not 10 digits with a valid check digit/,
      "PA-07": /email_address "not-an-email" is not an email address/,
    },
  ],
  ["pa-non-iso-date", "pa-body", { "PA-08": /date_of_birth "17\/05\/1990" is not in YYYY-MM-DD format/ }],
  ["pa-other-ods-code", "pa-body", { "PA-09": /ods_code "A12346" is not the organisation's A12345/ }],
  ["pa-local-mobile", "pa-body", { "PA-10": /phone_number "07700 900203" does not start with \+ and a country code/ }],
  ["pa-uplift-as-created", "pa-outcomes", { "PA-11": /NHS login answered uplift; the service reported created/ }],
  [
    "pa-no-retry-on-unavailable",
    "pa-on-unavailable",
    { "PA-13": /code 11000 was not retried; NHS login being unavailable calls for a retry/ },
  ],
  ["pa-retry-11010", "pa-on-11010", { "PA-14": /code 11010 was tried 3 times; it is not retried/ }],
  ["pa-tight-retry-11011", "pa-on-11011", { "PA-16": /10 requests after 11011, 9 of them less than 1000 ms apart/ }],
  ["pa-errors-all-unavailable", "pa-on-11021", { "PA-15": /code 11021 was tried 3 times; it is not retried/ }],
  ["pa-errors-all-unavailable", "pa-on-cannot-provision", { "PA-17": /code 11001 was tried 3 times; it is not retried/ }],
  [
    "pa-errors-all-unavailable",
    "pa-on-11005",
    { "PA-18": /after code 11005 the service reported error class unavailable; expected already-p9/ },
  ],
  [
    "pa-errors-all-unavailable",
    "pa-on-11004",
    { "PA-19": /after code 11004 the service reported error class unavailable; expected email-in-use/ },
  ],
  ["pa-errors-all-unavailable", "pa-on-11003", { "PA-20": /code 11003 was tried 3 times; it is not retried/ }],
  [
    "pa-raw-description",
    "pa-raw-description",
    { "PA-21": /staff were shown NHS login's description of 11010 as it came: "Data in request not valid"/ },
  ],
];

const PROVISION_CONSUMER_BREAKERS: readonly BreakerEntry[] = PROVISION_CONSUMER_BREAKS.map(([variant, check, expect]) => ({
  kind: "service",
  check,
  breaker: { variant },
  expect,
}));

/** Driven service checks whose rules the journal checks apply to recorded traffic: their breakers break both. */
const JOURNALED: Readonly<Record<string, string>> = {
  "pa-token-request": "journal-pa-token-request",
  "pa-request": "journal-pa-request",
  "pa-body": "journal-pa-body",
  "token-request": "journal-token-request",
  "client-auth-method": "journal-client-auth-method",
  "assertion-signature": "journal-assertion-signature",
  "assertion-claims": "journal-assertion-claims",
  "assertion-lifetime": "journal-assertion-lifetime",
  "assertion-jti": "journal-assertion-jti",
  "code-single-use": "journal-code-single-use",
  "users-assertion": "journal-users-assertion",
  "users-scope": "journal-users-scope",
  "users-assertion-jti": "journal-users-jti",
  "users-search-request": "journal-users-search-request",
  "users-filter-grammar": "journal-users-filter-grammar",
  "users-filter-operators": "journal-users-filter-operators",
};

/** Browser mode: the checks only a browser can make, broken by the single-page fixture's variants. */
const BROWSER_MODE_BREAKERS: readonly BreakerEntry[] = [
  {
    kind: "service",
    check: "browser-back-channel",
    breaker: { singlePage: "browser-token-exchange" },
    expect: {
      "FED-GEN-03":
        /sign-in 1 the browser itself sent POST \/token \(NHS login's token endpoint\) from a page script .*: the code exchange must run/,
      "FED-GEN-06": /during sign-in 1 the browser itself sent POST \/token .*only \/authorize may go through the browser/,
    },
  },
  {
    kind: "service",
    check: "script-readable-tokens",
    breaker: { singlePage: "tokens-to-page" },
    expect: { "FED-GEN-04": /a token is in localStorage \(key "id_token"\), readable by page scripts/ },
  },
  {
    kind: "service",
    check: "api-cross-origin",
    breaker: { singlePage: "permissive-cors-tokens" },
    expect: {
      "FED-GEN-04":
        /POST \/api\/session lets https:\/\/foreign-site\.invalid read an answer holding a token: it allows it, by the preflight/,
    },
  },
];

/** The journal checks' breakers: the same variant, the same IDs and reasons, judged from what the run recorded. */
const JOURNAL_BREAKERS: readonly BreakerEntry[] = [
  ...ENVIRONMENT_BREAKERS,
  ...SERVICE_BREAKERS,
  ...USERS_V2_CONSUMER_BREAKERS,
  ...PROVISION_CONSUMER_BREAKERS,
].flatMap((b) => (b.kind === "service" && JOURNALED[b.check] ? [{ ...b, check: JOURNALED[b.check]! }] : []));

export const BREAKERS: readonly BreakerEntry[] = [
  ...ENVIRONMENT_BREAKERS,
  ...USERS_V2_PROVIDER_BREAKERS,
  ...SERVICE_BREAKERS,
  ...USERS_V2_CONSUMER_BREAKERS,
  ...PROVISION_CONSUMER_BREAKERS,
  ...BROWSER_MODE_BREAKERS,
  ...JOURNAL_BREAKERS,
  ...ARTEFACT_BREAKERS,
];

/** Pairs that no fixture can break, and why (each is shown failing on crafted input where it can be). */
export const UNBREAKABLE: Readonly<Record<string, string>> = {};

/** Why a pair of each kind has no breaker yet (the reasons for NOT_YET_BROKEN; none is listed now). */
export const NO_FIXTURE = {
  environment: "no simulator defect, fault, persona or stand-in endpoint breaks it yet",
  service: "no unsafe variant of the reference service breaks it yet (needs a fixture service)",
  artefacts: "no tamper of test/artefacts/_tampers.ts breaks it yet",
} as const;

/** Pairs with no breaker yet: a known gap, held to the truth by the coverage test. */
export const NOT_YET_BROKEN: Readonly<Record<string, string>> = {};
