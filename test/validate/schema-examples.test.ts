/**
 * Positive and negative examples for every payload schema. Each negative example breaks exactly
 * one rule of a valid base document, and the test checks the violation is reported at the
 * instance path of that rule (and nowhere unrelated).
 */
import { describe, expect, it } from "vitest";
import { hasLenientVariant, validatePayload, type SchemaName } from "../../lib/validate/index.ts";

const JWT = "eyJhbGciOiJSUzUxMiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
const N = `pQ0aYb3x0nV2${"A".repeat(330)}`;
const ISS = "https://auth.login.nhs.uk";
const USERS_RETRIEVE = "https://auth.sandpit.signin.nhs.uk/Users.retrieve";
const EXT = "uk:nhs:login:auth:1.0:User";
const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

const DELETE = Symbol("delete");
type Edit = [pointer: string, value: unknown];

/** A deep copy of `base` with each edit applied (`DELETE` removes the member). */
function edit(base: unknown, ...edits: Edit[]): unknown {
  const copy = structuredClone(base);
  for (const [pointer, value] of edits) {
    const parts = pointer
      .split("/")
      .slice(1)
      .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
    const last = parts.pop()!;
    let node = copy as Record<string, unknown>;
    for (const p of parts) node = node[p] as Record<string, unknown>;
    if (value === DELETE) delete node[last];
    else node[last] = value;
  }
  return copy;
}

interface Negative {
  /** What rule the example breaks. */
  why: string;
  data: unknown;
  /** Instance path the violation must be reported at ("" for the root). */
  path: string;
  /** The failing keyword, when it matters. */
  keyword?: string;
  /** True when the lenient variant must accept it (a catalogue ambiguity). */
  lenientAccepts?: boolean;
}

interface Case {
  positives: [string, unknown][];
  negatives: Negative[];
}

// ---------- base documents ----------

const discovery = {
  issuer: ISS,
  authorization_endpoint: `${ISS}/authorize`,
  token_endpoint: `${ISS}/token`,
  userinfo_endpoint: `${ISS}/userinfo`,
  jwks_uri: `${ISS}/.well-known/jwks.json`,
  scopes_supported: ["openid", "profile", "email"],
  response_types_supported: ["code"],
  subject_types_supported: ["public"],
  id_token_signing_alg_values_supported: ["RS512"],
  token_endpoint_auth_methods_supported: ["private_key_jwt"],
  claims_parameter_supported: false,
  fido_uaf_registration_request_endpoint: "https://uaf.prod.signin.nhs.uk/regRequest",
};

const rsaKey = { kty: "RSA", use: "sig", alg: "RS512", kid: "k1", n: N, e: "AQAB" };
const jwks = { keys: [rsaKey] };

const tokenResponse = {
  access_token: JWT,
  token_type: "Bearer",
  expires_in: 300,
  scope: "openid profile",
  id_token: JWT,
  refresh_token: "dS4tfWD",
};
const tokenError = { error: "invalid_grant", error_description: "the authorization code has expired" };
const header = { alg: "RS512", typ: "JWT", kid: "k1" };

const idToken = {
  iss: ISS,
  sub: "24400320",
  aud: "s6BhdRkqt3",
  iat: 1311280970,
  exp: 1311284570,
  jti: "a1b2c3",
  auth_time: 1311280969,
  nonce: "n-0S6_WzA2Mj",
  vot: "P9.Cp.Cd",
  vtm: `${ISS}/trustmark/auth.login.nhs.uk`,
  nhs_number: "9990010005",
  birthdate: "2001-12-30",
  family_name: "Johnson",
  identity_proofing_level: "P9",
};

const accessToken = {
  iss: ISS,
  sub: "24400320",
  aud: "s6BhdRkqt3",
  iat: 1311280970,
  exp: 1311281270,
  jti: "z9",
  scope: "openid profile",
  auth_time: 1311280969,
  vot: "P9.Cp.Cd",
  vtm: `${ISS}/trustmark/auth.login.nhs.uk`,
  nhs_number: "9990010005",
  reason_for_request: "patientaccess",
  requesting_system: "https://fhir.nhs.uk/Id/accredited-system|200000000123",
  requesting_patient: "http://fhir.nhs.net/Id/nhs-number|9990010005",
};

const uev2AccessToken = {
  iss: `${ISS}/`,
  sub: "myClientIdentifier1",
  aud: "myClientIdentifier1",
  iat: 1311280970,
  exp: 1311281270,
  scope: `${USERS_RETRIEVE} profile`,
  version: 0,
  client_id: "myClientIdentifier1",
  reason_for_request: "directcare",
  requesting_system: "myClientIdentifier1",
  token_use: "access",
};

const userinfo = {
  iss: ISS,
  aud: "s6BhdRkqt3",
  sub: "24400320",
  email: "janedoe@example.com",
  email_verified: true,
  phone_number: "01234567891",
  phone_number_verified: true,
  phone_number_pds_matched: true,
  nhs_number: "9990010005",
  birthdate: "2001-12-30",
  family_name: "Doe",
  given_name: "Jane",
  identity_proofing_level: "P9",
  gp_integration_credentials: { gp_user_id: "32498239048-3248734", gp_linkage_key: "dfje2rkjdfkjdfm", gp_ods_code: "A12344" },
  gp_registration_details: { gp_ods_code: "A12344" },
  client_user_metadata: "U2e3rsdjwd",
  landline_number: "+441632960109",
  landline_number_verified: true,
};

const userinfoError = { error: "invalid_request", error_description: "Invalid parameter content" };
const trustmark = { idp: `${ISS}/`, trustmark_provider: `${ISS}/`, P: ["P0", "P5", "P9"], C: ["Cp", "Cd", "Ck", "Cm"] };
const assertion = {
  iss: "client1",
  sub: "client1",
  aud: `${ISS}/token`,
  iat: 1548701645,
  exp: 1548701705,
  jti: "reioteotijdvorijevoihroi",
};
const uev2TokenResponse = { access_token: JWT, token_type: "Bearer", expires_in: 300, scope: `profile email ${USERS_RETRIEVE}` };

const user = {
  schemas: [CORE_USER, EXT],
  id: "3a9c2e3a-7659-4ce2-a5c8-40e2e2414f13",
  active: true,
  [EXT]: {
    vectorsOfTrust: { IdentityProofing: "P9" },
    nhsNumber: "9990010005",
    birthdate: "1991-07-26",
    gpOdsCode: "C83615",
    gpUserId: "1294029928",
    gpLinkageKey: "YCRPyPSEUARu9",
  },
  name: { familyName: "KEHOE-CID", givenName: "Lesley" },
  userName: "someone@example.org",
  emails: [{ value: "someone@example.org", type: "home", primary: true }],
  phoneNumbers: [
    { type: "mobile", value: "+447940497586" },
    { type: "landline", value: "+441132583752" },
  ],
};
const minimalUser = {
  schemas: [CORE_USER, EXT],
  id: "10d3ff50-67c8-4c8a-bea7-1fc93f99dc8b",
  active: true,
  [EXT]: { vectorsOfTrust: { IdentityProofing: "P5" } },
};
const list = { schemas: [LIST], totalResults: 1, Resources: [user] };

const e = (description: string, code: string) => ({ Errors: [{ description, code }] });
const usersError = e("Invalid syntax", "400");

// ---------- cases ----------

const CASES: Record<SchemaName, Case> = {
  discovery: {
    positives: [
      ["a full document", discovery],
      [
        "only the five members of FED-DISC-01, plus an unknown one",
        {
          issuer: ISS,
          authorization_endpoint: `${ISS}/authorize`,
          token_endpoint: `${ISS}/token`,
          userinfo_endpoint: `${ISS}/userinfo`,
          jwks_uri: `${ISS}/.well-known/jwks.json`,
          x_vendor: { a: 1 },
        },
      ],
      ["an issuer with a trailing slash and a path", edit(discovery, ["/issuer", `${ISS}/tenant/`])],
    ],
    negatives: [
      { why: "jwks_uri missing", data: edit(discovery, ["/jwks_uri", DELETE]), path: "", keyword: "required" },
      {
        why: "an http token endpoint",
        data: edit(discovery, ["/token_endpoint", "http://auth.login.nhs.uk/token"]),
        path: "/token_endpoint",
        keyword: "pattern",
      },
      { why: "an issuer with a query", data: edit(discovery, ["/issuer", `${ISS}?tenant=1`]), path: "/issuer", keyword: "pattern" },
      {
        why: "scopes_supported as a string",
        data: edit(discovery, ["/scopes_supported", "openid profile"]),
        path: "/scopes_supported",
        keyword: "type",
      },
      {
        why: "a boolean member as a string",
        data: edit(discovery, ["/claims_parameter_supported", "false"]),
        path: "/claims_parameter_supported",
        keyword: "type",
      },
      {
        why: "an http FIDO endpoint",
        data: edit(discovery, ["/fido_uaf_registration_request_endpoint", "http://uaf.example/regRequest"]),
        path: "/fido_uaf_registration_request_endpoint",
      },
    ],
  },
  jwks: {
    positives: [
      ["one RSA signing key", jwks],
      [
        "an RSA key without use, and an EC encryption key",
        {
          keys: [
            { kty: "RSA", kid: "a", n: N, e: "AQAB" },
            { kty: "EC", use: "enc", crv: "P-256", x: "abc", y: "def" },
          ],
        },
      ],
    ],
    negatives: [
      { why: "no keys member", data: {}, path: "", keyword: "required" },
      { why: "an empty key set", data: { keys: [] }, path: "/keys", keyword: "minItems" },
      { why: "an RSA key without its exponent", data: edit(jwks, ["/keys/0/e", DELETE]), path: "/keys/0", keyword: "required" },
      { why: "a published private exponent", data: edit(jwks, ["/keys/0/d", "secret"]), path: "/keys/0/d", keyword: "false schema" },
      {
        why: "an EC signing key",
        data: { keys: [{ kty: "EC", use: "sig", crv: "P-256", x: "abc", y: "def" }] },
        path: "/keys/0/kty",
        keyword: "const",
      },
      { why: "a modulus that is not base64url", data: edit(jwks, ["/keys/0/n", "ab+cd/=="]), path: "/keys/0/n", keyword: "pattern" },
    ],
  },
  "token-response": {
    positives: [
      ["a code-grant response", tokenResponse],
      ["token_type spelled as in EIS Table 8", edit(tokenResponse, ["/token_type", "bearer"])],
      ["a refresh-grant response without id_token or scope", edit(tokenResponse, ["/id_token", DELETE], ["/scope", DELETE])],
    ],
    negatives: [
      { why: "access_token missing", data: edit(tokenResponse, ["/access_token", DELETE]), path: "", keyword: "required" },
      { why: "another token type", data: edit(tokenResponse, ["/token_type", "mac"]), path: "/token_type", keyword: "enum" },
      {
        why: "token_type in capitals (A1)",
        data: edit(tokenResponse, ["/token_type", "BEARER"]),
        path: "/token_type",
        keyword: "enum",
        lenientAccepts: true,
      },
      { why: "expires_in as a string", data: edit(tokenResponse, ["/expires_in", "300"]), path: "/expires_in", keyword: "type" },
      { why: "an empty scope", data: edit(tokenResponse, ["/scope", ""]), path: "/scope", keyword: "pattern" },
      {
        why: "an id_token that is not a JWS",
        data: edit(tokenResponse, ["/id_token", "SlAV32hkKG"]),
        path: "/id_token",
        keyword: "pattern",
      },
      { why: "a null refresh_token", data: edit(tokenResponse, ["/refresh_token", null]), path: "/refresh_token", keyword: "type" },
    ],
  },
  "token-error": {
    positives: [
      ["error with a description", tokenError],
      ["each Table 10 code", { error: "unsupported_grant_type" }],
      ["error_uri", { error: "invalid_client", error_uri: "https://example.org/errors/invalid_client" }],
    ],
    negatives: [
      { why: "no error", data: { error_description: "x" }, path: "", keyword: "required" },
      { why: "an authorization-endpoint code", data: edit(tokenError, ["/error", "access_denied"]), path: "/error", keyword: "enum" },
      { why: "an error code in capitals", data: edit(tokenError, ["/error", "Invalid_grant"]), path: "/error", keyword: "enum" },
      {
        why: "a description with a non-ASCII character",
        data: edit(tokenError, ["/error_description", "code expiré"]),
        path: "/error_description",
        keyword: "pattern",
      },
      { why: "a member Table 9 does not define", data: edit(tokenError, ["/status", 400]), path: "", keyword: "additionalProperties" },
    ],
  },
  "jwt-header": {
    positives: [
      ["alg, typ and kid", header],
      ["an unknown header parameter", edit(header, ["/foo", "bar"])],
    ],
    negatives: [
      { why: "RS256", data: edit(header, ["/alg", "RS256"]), path: "/alg", keyword: "const" },
      { why: "alg none", data: edit(header, ["/alg", "none"]), path: "/alg", keyword: "const" },
      { why: "typ missing", data: edit(header, ["/typ", DELETE]), path: "", keyword: "required" },
      { why: "an embedded jwk", data: edit(header, ["/jwk", { kty: "RSA", n: N, e: "AQAB" }]), path: "/jwk", keyword: "false schema" },
      { why: "a jku URL", data: edit(header, ["/jku", "https://attacker.example/jwks.json"]), path: "/jku", keyword: "false schema" },
      { why: "an x5c chain", data: edit(header, ["/x5c", ["MIIB"]]), path: "/x5c", keyword: "false schema" },
    ],
  },
  "id-token-payload": {
    positives: [
      ["a P9 token with profile claims", idToken],
      ["aud as an array, and an unknown claim", edit(idToken, ["/aud", ["s6BhdRkqt3", "other"]], ["/x_custom", { a: 1 }])],
      [
        "a P0 token with only the mandatory claims",
        { iss: ISS, sub: "x", aud: "c", iat: 1, exp: 3601, jti: "j", vot: "P0.Cp", vtm: `${ISS}/trustmark/login.nhs.uk` },
      ],
      ["a 255-character sub", edit(idToken, ["/sub", "s".repeat(255)])],
    ],
    negatives: [
      { why: "the EIS example vot P9.Ca.Cc (A6)", data: edit(idToken, ["/vot", "P9.Ca.Cc"]), path: "/vot", keyword: "pattern" },
      { why: "an undefined proofing level in vot", data: edit(idToken, ["/vot", "P7.Cp.Cd"]), path: "/vot", keyword: "pattern" },
      { why: "a vot with no credential component", data: edit(idToken, ["/vot", "P9"]), path: "/vot", keyword: "pattern" },
      {
        why: "an http vtm",
        data: edit(idToken, ["/vtm", "http://auth.login.nhs.uk/trustmark/login.nhs.uk"]),
        path: "/vtm",
        keyword: "pattern",
      },
      { why: "a 9-digit NHS number", data: edit(idToken, ["/nhs_number", "123456789"]), path: "/nhs_number", keyword: "pattern" },
      { why: "an NHS number as a JSON number", data: edit(idToken, ["/nhs_number", 9990010005]), path: "/nhs_number", keyword: "type" },
      { why: "an impossible birthdate", data: edit(idToken, ["/birthdate", "2001-02-30"]), path: "/birthdate", keyword: "format" },
      { why: "a birthdate in another format", data: edit(idToken, ["/birthdate", "30/12/2001"]), path: "/birthdate" },
      { why: "a 256-character sub", data: edit(idToken, ["/sub", "s".repeat(256)]), path: "/sub", keyword: "maxLength" },
      { why: "the EIS example iss with a leading space (A4)", data: edit(idToken, ["/iss", ` ${ISS}`]), path: "/iss" },
      { why: "exp as a string", data: edit(idToken, ["/exp", "1311284570"]), path: "/exp", keyword: "type" },
      {
        why: "identity_proofing_level P7",
        data: edit(idToken, ["/identity_proofing_level", "P7"]),
        path: "/identity_proofing_level",
        keyword: "enum",
      },
      { why: "a null family_name", data: edit(idToken, ["/family_name", null]), path: "/family_name", keyword: "type" },
      { why: "vtm missing", data: edit(idToken, ["/vtm", DELETE]), path: "", keyword: "required" },
      {
        why: "jti missing, as in the EIS example (A7)",
        data: edit(idToken, ["/jti", DELETE]),
        path: "",
        keyword: "required",
        lenientAccepts: true,
      },
    ],
  },
  "access-token-payload": {
    positives: [
      ["a token with every Table 17 claim", accessToken],
      [
        "only the mandatory claims",
        { iss: ISS, sub: "x", aud: "c", iat: 1, exp: 301, jti: "j", scope: "openid", vot: "P0.Cp", vtm: `${ISS}/trustmark/login.nhs.uk` },
      ],
    ],
    negatives: [
      { why: "a scope without openid", data: edit(accessToken, ["/scope", "profile email"]), path: "/scope", keyword: "pattern" },
      { why: "jti missing", data: edit(accessToken, ["/jti", DELETE]), path: "", keyword: "required" },
      {
        why: "the UEV2 reason_for_request",
        data: edit(accessToken, ["/reason_for_request", "directcare"]),
        path: "/reason_for_request",
        keyword: "const",
      },
      {
        why: "requesting_patient without the naming-system prefix",
        data: edit(accessToken, ["/requesting_patient", "9990010005"]),
        path: "/requesting_patient",
        keyword: "pattern",
      },
      { why: "a null vot", data: edit(accessToken, ["/vot", null]), path: "/vot", keyword: "type" },
      {
        why: "an NHS number with a space",
        data: edit(accessToken, ["/nhs_number", "999 001 0005"]),
        path: "/nhs_number",
        keyword: "pattern",
      },
    ],
  },
  "users-v2-access-token-payload": {
    positives: [
      ["the eleven claims of Table 13", uev2AccessToken],
      ["with a jti (not required, A31)", edit(uev2AccessToken, ["/jti", "abc"])],
    ],
    negatives: [
      {
        why: 'version as the string "0" (UEV2-AT-07)',
        data: edit(uev2AccessToken, ["/version", "0"]),
        path: "/version",
        lenientAccepts: true,
      },
      { why: "version 1", data: edit(uev2AccessToken, ["/version", 1]), path: "/version", keyword: "const" },
      { why: "token_use id", data: edit(uev2AccessToken, ["/token_use", "id"]), path: "/token_use", keyword: "const" },
      {
        why: "the federation reason_for_request",
        data: edit(uev2AccessToken, ["/reason_for_request", "patientaccess"]),
        path: "/reason_for_request",
        keyword: "const",
      },
      { why: "client_id missing", data: edit(uev2AccessToken, ["/client_id", DELETE]), path: "", keyword: "required" },
      { why: "an empty scope", data: edit(uev2AccessToken, ["/scope", ""]), path: "/scope", keyword: "pattern" },
      { why: "aud as an array", data: edit(uev2AccessToken, ["/aud", ["myClientIdentifier1"]]), path: "/aud", keyword: "type" },
    ],
  },
  userinfo: {
    positives: [
      ["every Table 11 claim", userinfo],
      ["a P0 user with the email scope", { iss: ISS, aud: "c", sub: "x", email: "a@b.c", email_verified: false }],
      ["unknown claims with values", edit(userinfo, ["/x_custom", { a: [1, "b", false], b: {} }])],
    ],
    negatives: [
      { why: "email_verified as a string", data: edit(userinfo, ["/email_verified", "true"]), path: "/email_verified", keyword: "type" },
      { why: "a 9-digit NHS number", data: edit(userinfo, ["/nhs_number", "123456789"]), path: "/nhs_number", keyword: "pattern" },
      {
        why: "gp_integration_credentials without gp_linkage_key",
        data: edit(userinfo, ["/gp_integration_credentials/gp_linkage_key", DELETE]),
        path: "/gp_integration_credentials",
        keyword: "required",
      },
      {
        why: "gp_user_id as a number",
        data: edit(userinfo, ["/gp_integration_credentials/gp_user_id", 32498239048]),
        path: "/gp_integration_credentials/gp_user_id",
        keyword: "type",
      },
      {
        why: "an extra member in gp_registration_details",
        data: edit(userinfo, ["/gp_registration_details/gp_name", "Practice"]),
        path: "/gp_registration_details",
        keyword: "additionalProperties",
      },
      { why: "a null given_name (FED-UI-03)", data: edit(userinfo, ["/given_name", null]), path: "/given_name", keyword: "type" },
      { why: "an empty family_name (FED-UI-03)", data: edit(userinfo, ["/family_name", ""]), path: "/family_name", keyword: "minLength" },
      { why: 'an unknown claim sent as "" (FED-UI-03)', data: edit(userinfo, ["/x_custom", ""]), path: "/x_custom", keyword: "not" },
      {
        why: "a null nested inside an unknown claim (FED-UI-03)",
        data: edit(userinfo, ["/x_custom", { a: { b: null } }]),
        path: "/x_custom/a/b",
        keyword: "not",
      },
      {
        why: "the EIS example's unquoted birthdate (A15)",
        data: edit(userinfo, ["/birthdate", 1959]),
        path: "/birthdate",
        keyword: "type",
      },
      {
        why: "client_user_metadata over 1024 characters",
        data: edit(userinfo, ["/client_user_metadata", "x".repeat(1025)]),
        path: "/client_user_metadata",
        keyword: "maxLength",
      },
      {
        why: "identity_proofing_level P3",
        data: edit(userinfo, ["/identity_proofing_level", "P3"]),
        path: "/identity_proofing_level",
        keyword: "enum",
      },
      { why: "sub missing", data: edit(userinfo, ["/sub", DELETE]), path: "", keyword: "required" },
      {
        why: "iss and aud missing (A47)",
        data: edit(userinfo, ["/iss", DELETE], ["/aud", DELETE]),
        path: "",
        keyword: "required",
        lenientAccepts: true,
      },
    ],
  },
  "userinfo-error": {
    positives: [
      ["invalid_request with a description", userinfoError],
      [
        "insufficient_scope naming the scope",
        { error: "insufficient_scope", error_description: "the client_metadata scope is required", scope: "client_metadata" },
      ],
    ],
    negatives: [
      { why: "a token-endpoint code", data: edit(userinfoError, ["/error", "invalid_grant"]), path: "/error", keyword: "enum" },
      { why: "no error", data: { error_description: "x" }, path: "", keyword: "required" },
      {
        why: "a description with a double quote",
        data: edit(userinfoError, ["/error_description", 'bad "x"']),
        path: "/error_description",
        keyword: "pattern",
      },
      {
        why: "a member Table 12 does not define",
        data: edit(userinfoError, ["/realm", "userinfo"]),
        path: "",
        keyword: "additionalProperties",
      },
    ],
  },
  trustmark: {
    positives: [
      ["every level and credential", trustmark],
      ["without the optional Ck", edit(trustmark, ["/C", ["Cp", "Cd", "Cm"]])],
    ],
    negatives: [
      { why: "P without P5", data: edit(trustmark, ["/P", ["P0", "P9"]]), path: "/P", keyword: "contains" },
      { why: "an unknown credential", data: edit(trustmark, ["/C", ["Cp", "Cd", "Cm", "Cx"]]), path: "/C/3", keyword: "enum" },
      { why: "an http idp", data: edit(trustmark, ["/idp", "http://auth.login.nhs.uk/"]), path: "/idp", keyword: "pattern" },
      { why: "a repeated level", data: edit(trustmark, ["/P", ["P0", "P5", "P9", "P9"]]), path: "/P", keyword: "uniqueItems" },
      { why: "C missing", data: edit(trustmark, ["/C", DELETE]), path: "", keyword: "required" },
      {
        why: "P3, one of the undefined levels of the EIS example (A18)",
        data: edit(trustmark, ["/P", ["P0", "P3", "P5", "P9"]]),
        path: "/P/1",
        keyword: "enum",
        lenientAccepts: true,
      },
    ],
  },
  "client-assertion-payload": {
    positives: [
      ["iss, sub, aud, iat, exp, jti", assertion],
      ["aud as an array holding the token endpoint", edit(assertion, ["/aud", [`${ISS}/token`]])],
    ],
    negatives: [
      { why: "an http audience", data: edit(assertion, ["/aud", "http://auth.login.nhs.uk/token"]), path: "/aud" },
      { why: "exp missing", data: edit(assertion, ["/exp", DELETE]), path: "", keyword: "required" },
      { why: "an empty iss", data: edit(assertion, ["/iss", ""]), path: "/iss", keyword: "minLength" },
      { why: "exp as a string", data: edit(assertion, ["/exp", "1548701705"]), path: "/exp", keyword: "type" },
      { why: "the PA example's numeric aud", data: edit(assertion, ["/aud", 12345]), path: "/aud" },
      {
        why: "jti missing, as RFC 7523 allows (A39)",
        data: edit(assertion, ["/jti", DELETE]),
        path: "",
        keyword: "required",
        lenientAccepts: true,
      },
    ],
  },
  "users-v2-token-response": {
    positives: [
      ["the Table 2 members", uev2TokenResponse],
      ["without the conditional scope", edit(uev2TokenResponse, ["/scope", DELETE])],
    ],
    negatives: [
      {
        why: "expires_in missing (mandatory in UEV2)",
        data: edit(uev2TokenResponse, ["/expires_in", DELETE]),
        path: "",
        keyword: "required",
      },
      {
        why: "token_type in lower case (A1)",
        data: edit(uev2TokenResponse, ["/token_type", "bearer"]),
        path: "/token_type",
        keyword: "const",
        lenientAccepts: true,
      },
      {
        why: "a scope with a leading space",
        data: edit(uev2TokenResponse, ["/scope", ` ${USERS_RETRIEVE}`]),
        path: "/scope",
        keyword: "pattern",
      },
      {
        why: "the spec example's opaque access token",
        data: edit(uev2TokenResponse, ["/access_token", "SlAV32hkKG"]),
        path: "/access_token",
        keyword: "pattern",
      },
      { why: "token_type Basic", data: edit(uev2TokenResponse, ["/token_type", "Basic"]), path: "/token_type", keyword: "const" },
    ],
  },
  "users-v2-user": {
    positives: [
      ["every attribute (all scopes)", user],
      ["Users.retrieve only", minimalUser],
      [
        "two emails, one primary",
        edit(user, [
          "/emails",
          [
            { value: "a@b.c", type: "home", primary: true },
            { value: "d@e.f", type: "home", primary: false },
          ],
        ]),
      ],
    ],
    negatives: [
      { why: "active as a string", data: edit(user, ["/active", "true"]), path: "/active", keyword: "type" },
      {
        why: "no vectorsOfTrust in the extension",
        data: edit(user, [`/${EXT}/vectorsOfTrust`, DELETE]),
        path: `/${EXT}`,
        keyword: "required",
      },
      {
        why: "an 11-digit NHS number",
        data: edit(user, [`/${EXT}/nhsNumber`, "99900100051"]),
        path: `/${EXT}/nhsNumber`,
        keyword: "pattern",
      },
      { why: "the extension container missing", data: edit(user, [`/${EXT}`, DELETE]), path: "", keyword: "required" },
      {
        why: "IdentityProofing P3",
        data: edit(user, [`/${EXT}/vectorsOfTrust/IdentityProofing`, "P3"]),
        path: `/${EXT}/vectorsOfTrust/IdentityProofing`,
        keyword: "enum",
      },
      {
        why: "gpUserId without gpLinkageKey",
        data: edit(user, [`/${EXT}/gpLinkageKey`, DELETE]),
        path: `/${EXT}`,
        keyword: "dependentRequired",
      },
      { why: "an email of type work", data: edit(user, ["/emails/0/type", "work"]), path: "/emails/0/type", keyword: "const" },
      {
        why: "two primary emails",
        data: edit(user, [
          "/emails",
          [
            { value: "a@b.c", type: "home", primary: true },
            { value: "d@e.f", type: "home", primary: true },
          ],
        ]),
        path: "/emails",
        keyword: "contains",
      },
      { why: "a phone of type fax", data: edit(user, ["/phoneNumbers/0/type", "fax"]), path: "/phoneNumbers/0/type", keyword: "enum" },
      { why: "an extra member in name", data: edit(user, ["/name/middleName", "Q"]), path: "/name", keyword: "additionalProperties" },
      { why: "a null familyName", data: edit(user, ["/name/familyName", null]), path: "/name/familyName", keyword: "type" },
      {
        why: 'primary as the string "true", as in the UEV2 example (A2)',
        data: edit(user, ["/emails/0/primary", "true"]),
        path: "/emails/0/primary",
        keyword: "type",
        lenientAccepts: true,
      },
      {
        why: "a phone in UK national form, as in UEV2 Table 15 (A32)",
        data: edit(user, ["/phoneNumbers/0/value", "07900123456"]),
        path: "/phoneNumbers/0/value",
        keyword: "pattern",
        lenientAccepts: true,
      },
      {
        why: "the schemas URNs in the other order (UEV2-RESP-07)",
        data: edit(user, ["/schemas", [EXT, CORE_USER]]),
        path: "/schemas",
        keyword: "const",
        lenientAccepts: true,
      },
    ],
  },
  "users-v2-list-response": {
    positives: [
      ["one match", list],
      ["two matches", edit(list, ["/totalResults", 2], ["/Resources", [user, minimalUser]])],
      ["no match with Resources: [] (the spec example)", { schemas: [LIST], totalResults: 0, Resources: [] }],
      ["no match without Resources (A34)", { schemas: [LIST], totalResults: 0 }],
    ],
    negatives: [
      { why: "a match but no Resources", data: edit(list, ["/Resources", DELETE]), path: "", keyword: "required" },
      { why: "a match but Resources: []", data: edit(list, ["/Resources", []]), path: "/Resources", keyword: "minItems" },
      { why: "a negative totalResults", data: edit(list, ["/totalResults", -1]), path: "/totalResults", keyword: "minimum" },
      { why: "totalResults as a string", data: edit(list, ["/totalResults", "1"]), path: "/totalResults", keyword: "type" },
      {
        why: "the User schemas URN instead of the ListResponse one",
        data: edit(list, ["/schemas", [CORE_USER]]),
        path: "/schemas",
        keyword: "const",
      },
      { why: "no match but a resource", data: edit(list, ["/totalResults", 0]), path: "/Resources", keyword: "maxItems" },
      { why: "an invalid User resource", data: edit(list, ["/Resources/0/active", 1]), path: "/Resources/0/active", keyword: "type" },
      {
        why: 'a User with primary "true" (A2)',
        data: edit(list, ["/Resources/0/emails/0/primary", "true"]),
        path: "/Resources/0/emails/0/primary",
        keyword: "type",
        lenientAccepts: true,
      },
    ],
  },
  "users-v2-error": {
    positives: [
      ["400 Invalid syntax", usersError],
      ["400 with the quoted filter text", e('Query string "filter" not present', "400")],
      ["403 required scope, quoted as in Table 10", e(`Scope "${USERS_RETRIEVE}" required for access was not present in request`, "403")],
      ["403 scopes not approved", e("Requested scopes: email did not match the clients approved scopes: profile", "403")],
      ["403 no scope", e("No scope was present in the request", "403")],
      ["500 body", { error: "Internal server error" }],
      ["401 bearer failure (not in Table 10, shape only)", e("the access token has expired", "401")],
    ],
    negatives: [
      {
        why: "code as a number",
        data: { Errors: [{ description: "Invalid syntax", code: 400 }] },
        path: "/Errors/0/code",
        keyword: "type",
      },
      { why: "a 400 text not in Table 10", data: e("Bad filter", "400"), path: "/Errors/0/description", keyword: "enum" },
      { why: "a Table 10 text in another case", data: e("INVALID SYNTAX", "400"), path: "/Errors/0/description", keyword: "enum" },
      { why: "an empty Errors array", data: { Errors: [] }, path: "/Errors", keyword: "minItems" },
      { why: "a member beside Errors", data: { ...usersError, status: 400 }, path: "", keyword: "additionalProperties" },
      { why: "code missing", data: { Errors: [{ description: "Invalid syntax" }] }, path: "/Errors/0", keyword: "required" },
      { why: "a 500 body with another text", data: { error: "boom" }, path: "/error", keyword: "const" },
      {
        why: "the SCIM error schema of RFC 7644",
        data: { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "400", detail: "x" },
        path: "",
      },
      {
        why: "the bare object of the §3.3.3 example (A26)",
        data: { description: `Scope "${USERS_RETRIEVE}" required for access was not present in request`, code: "403" },
        path: "",
        lenientAccepts: true,
      },
      {
        why: "the required-scope text without quotes (A27)",
        data: e(`Scope ${USERS_RETRIEVE} required for access was not present in request`, "403"),
        path: "/Errors/0/description",
        keyword: "pattern",
        lenientAccepts: true,
      },
    ],
  },
};

const SUMMARY_KEYWORDS = new Set(["if", "anyOf"]);

describe.each(Object.entries(CASES) as [SchemaName, Case][])("%s schema", (name, { positives, negatives }) => {
  it("has at least two positive and three negative examples", () => {
    expect(positives.length).toBeGreaterThanOrEqual(2);
    expect(negatives.length).toBeGreaterThanOrEqual(3);
  });

  it.each(positives)("accepts %s", (_why, data) => {
    const result = validatePayload(name, data);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    if (hasLenientVariant(name)) expect(validatePayload(`${name}.lenient`, data).errors).toEqual([]);
  });

  it.each(negatives.map((n) => [n.why, n] as const))("refuses %s, at the right instance path", (_why, n) => {
    const result = validatePayload(name, n.data);
    expect(result.valid).toBe(false);
    const at = result.issues.filter((i) => i.instancePath === n.path && (n.keyword === undefined || i.keyword === n.keyword));
    expect(at, `expected a ${n.keyword ?? "violation"} at "${n.path}", got ${JSON.stringify(result.errors)}`).not.toEqual([]);
    // Nothing unrelated: every violation is at that path or inside it, except the summaries ajv
    // adds at an enclosing object for a failed if/then or anyOf branch.
    for (const issue of result.issues) {
      const inside = issue.instancePath.startsWith(n.path);
      const summary = SUMMARY_KEYWORDS.has(issue.keyword) && n.path.startsWith(issue.instancePath);
      expect(inside || summary, issue.message).toBe(true);
    }
    // The message names the path.
    expect(at[0]!.message.startsWith(`${n.path || "/"}: `)).toBe(true);
    if (hasLenientVariant(name)) {
      expect(validatePayload(`${name}.lenient`, n.data).valid, `lenient ${name}: ${n.why}`).toBe(n.lenientAccepts === true);
    } else {
      expect(n.lenientAccepts).toBeUndefined();
    }
  });
});

describe("shared definitions", () => {
  it("the vot pattern takes exactly one leading P component and at least one C component", () => {
    const ok = ["P0.Cp", "P5.Cp.Cd", "P9.Cm", "P9.Cp.Ck", "P9.Cp.Cp"];
    const bad = ["Cp.P9", "P9", "P9.Cp.P5", "P9.Cx", "p9.cp", "P9.Cp ", "P9..Cp", ""];
    for (const vot of ok) expect(validatePayload("id-token-payload", edit(idToken, ["/vot", vot])).valid, vot).toBe(true);
    for (const vot of bad) expect(validatePayload("id-token-payload", edit(idToken, ["/vot", vot])).valid, vot).toBe(false);
  });

  it("birthdate accepts 29 February only in a leap year", () => {
    expect(validatePayload("userinfo", edit(userinfo, ["/birthdate", "1984-02-29"])).valid).toBe(true);
    expect(validatePayload("userinfo", edit(userinfo, ["/birthdate", "1985-02-29"])).valid).toBe(false);
  });

  it("an NHS number that fails the check digit still matches the schema (the checksum is code)", () => {
    expect(validatePayload("userinfo", edit(userinfo, ["/nhs_number", "8527685222"])).valid).toBe(true);
  });
});
