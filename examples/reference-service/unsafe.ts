/**
 * TEST ONLY. Never set REFERENCE_SERVICE_UNSAFE outside the harness's own tests.
 *
 * `REFERENCE_SERVICE_UNSAFE=<switch>` turns exactly one safeguard of the reference service off,
 * so that the project's tests can show each conformance check failing on a service that lacks the
 * safeguard it checks. The variants are data (this table), not copies of the service. A few
 * change only the registration the harness checks (suites/_support/reference-service.ts plans it).
 *
 * openid-client itself enforces some of the safeguards (nonce, iss, aud, exp, alg). To switch one
 * of those off, the ID token is hidden from the library and validated here by hand with jose,
 * with every check except the one switched off. Partners: copy oidc.ts, not this file.
 *
 * @example
 * ```ts
 * parseUnsafeSwitch("nonce-check")            // "nonce-check"
 * testOnlyOverrides("nonce-check", settings)  // hooks createNhsLogin applies
 * ```
 */
import { createHmac, createPublicKey, generateKeyPairSync, randomUUID, timingSafeEqual, type KeyObject } from "node:crypto";
import {
  compactVerify,
  decodeJwt,
  decodeProtectedHeader,
  importJWK,
  type JWK,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from "jose";
import { SCOPE_RULES } from "../../lib/nhs/scopes.ts";
import type * as client from "openid-client";
import type { Transaction } from "./session.ts";

/** The query string the redirect-uri-query switch puts on the redirect URI (settings.ts and the harness's plan). */
export const REDIRECT_URI_QUERY = "next=account";

/** Each switch and the safeguard it removes. */
export const UNSAFE_SWITCHES = {
  "state-check": "the callback's state is not compared with the one bound to the browser",
  "nonce-check": "the ID token's nonce is not compared with the one sent",
  "alg-pinning": "the ID token is verified with whatever alg its header names, not only RS512",
  "signature-check": "the ID token's signature is not verified against the JWKS",
  "iss-check": "the ID token's iss is not checked",
  "aud-check": "the ID token's aud is not checked",
  "exp-check": "the ID token's exp is not checked",
  "vot-check": "the returned vot is not checked against the requested vtr",
  "userinfo-sub-check": "the UserInfo sub is not compared with the ID token's",
  "fresh-state": "every sign-in sends the same state",
  "fresh-nonce": "every sign-in sends the same nonce",
  "rs512-assertion": "client assertions are signed RS256",
  "short-assertion": "client assertions live 30 minutes",
  "unique-jti": "every client assertion has the same jti",
  "https-redirect-uri": "a plain-http, non-loopback base URL (and so redirect URI) is accepted",
  "no-consent-page": "access_denied answers 500 instead of the no-consent page",
  "session-limits": "sessions never end: no 30-minute idle or 12-hour limit",
  "logout-keeps-session": "sign-out clears the browser's cookie but leaves the session alive at the service",
  "nhs-number-as-number": "the account page shows the NHS number after converting it to a number (a leading zero is lost)",
  "p9-feature-for-p5": "the feature for P9 users is served to a P5 session, with no step-up",
  "step-up-upgrades-other-person": "a step-up that returns another person raises the current session to that person's level",
  "step-up-keeps-level": "after the same person's step-up to P9 the session keeps its old level (P5)",
  "step-up-trusts-request": "a step-up's vot is checked against every registered vector, and the level asked for is taken as the level got",
  "httponly-cookies": "the session cookies are readable by page scripts (no HttpOnly)",
  "single-use-transaction": "a sign-in transaction survives its callback, so a replayed callback redeems the code again",
  "other-client-id": "the authorization request names a client_id other than the registered one",
  "unregistered-redirect-uri": "the authorization request names a redirect_uri that is not registered (a trailing slash added)",
  "unregistered-vtr": "the authorization request asks for a vtr the service is not registered for",
  // Mistakes in the requests the service sends (openid-client alone never makes them).
  "hybrid-response-type": "the authorization request asks for response_type=code id_token (the hybrid flow)",
  "scope-without-openid": "the authorization request's scope leaves out openid",
  "scope-combinations": "the scope adds basic_demographics beside profile, and both GP scopes",
  "unsupported-parameters": "the authorization request sends max_age and response_mode=form_post",
  "invalid-optional-parameters": "the authorization request sends prompt=consent, display=popup and allow_registration=no",
  "token-request-json": "the token request is sent as JSON, not form-encoded",
  "token-request-mangled": "the code exchange sends grant_type=code, no code, another redirect_uri and a scope",
  "client-auth-mixed": "the code exchange adds HTTP Basic credentials, another client_id and a misspelt client_assertion_type",
  "assertion-wrong-claims": "client assertions name another sub and another aud",
  "assertion-iat-future": "client assertions are dated an hour ahead (iat)",
  "code-redeemed-twice": "every authorization code is sent to the token endpoint twice",
  "userinfo-token-in-query": "the UserInfo request carries the access token in the query string",
  "tokens-on-page": "the account page shows the ID token",
  "error-pages-500": "every authorization error answers 500",
  // ID token checks switched off one at a time (validated by hand without them).
  "nbf-check": "the ID token's nbf is not checked",
  "iat-check": "an ID token issued in the future is accepted",
  "sub-check": "an ID token without sub is accepted",
  "alg-confusion": "the ID token header's alg is trusted, none and HS256 (keyed with the public key) included",
  "vtm-check": "an ID token without vtm is accepted",
  "first-jwks-key": "the ID token is verified with the first key of the JWKS, whatever its kid names",
  // What NHS login may add, refused instead of ignored (one part of the sign-in at a time).
  "strict-id-token": "an ID token with a header parameter or a claim the service does not know is refused",
  "strict-access-token": "the access token is decoded, and one with a claim the service does not know is refused",
  "strict-userinfo": "UserInfo with a claim the service does not know is refused",
  "requires-refresh-token": "a token response without a refresh_token is refused (the service assumes every client gets one)",
  "no-userinfo": "UserInfo is never called: the service shows only what the ID token carries",
  // The registration the harness checks, and the key pair (suites/_support/reference-service.ts plans them); the code is unchanged.
  "registration-without-openid": "the registration's approved scopes leave out openid",
  "wildcard-redirect-uri": "the registration adds a wildcard redirect URI (<base URL>/*) beside /callback",
  "many-redirect-uris": "the registration lists 11 redirect URIs (one per landing page) instead of routing on state",
  "rsa-4096-key": "the client key pair is RSA 4096, not the 2048 bits NHS login asks for",
  // More mistakes in the requests and pages of the service.
  "redirect-uri-query": "the redirect URI (registered and sent) carries a query string (?next=account) instead of routing on state",
  "authorize-params-in-fragment": "the authorization request's parameters go in the URL fragment (#), which the browser never sends",
  "repeated-parameter": "the authorization request sends scope twice (the library's and an appended copy)",
  "vtr-not-json": "the vtr is written Python-style (['P9.Cp.Cd', ...]), not as a JSON array",
  "unsupported-vtr": "the vtr adds the vector P9.Cp.Cd.Ck, which is none of the EIS profiles",
  "vtr-without-level": "the vtr asks for credentials only (Cp.Cd), naming no proofing level",
  "unagreed-client-metadata": "the scope adds client_metadata, a bespoke scope NHS login never agreed for the service",
  "capitalised-scope": "the scope writes Email with a capital, as a typeset specification might",
  "gp-credentials-weak-vtr": "gp_integration_credentials is asked for with a one-factor vector (P9.Cp) and one below P9 (P5.Cp.Cd)",
  "no-client-assertion": "the code exchange sends client_id only, no client assertion (client authentication none)",
  "generic-no-consent-page": "access_denied shows the generic sign-in-failed page, not the no-consent screen",
  "no-consent-links": "the no-consent screen gives 111 and 999 as plain text, not as links",
  "unescaped-error-description": "the sign-in-failed page echoes NHS login's error_description unescaped",
  "front-channel-id-token": "an id_token in the callback's query is trusted, unverified, and the code never redeemed",
  "replayed-callback-session": "a callback opened again restores the session it completed, in any browser (remembered by code)",
  "reauth-without-prompt": "the re-authentication after a session ends sends no prompt=login (a silent SSO could skip it)",
  // The Users V2 consumer (users-v2.ts), one safeguard off at a time.
  "users-rs256-assertion": "the Users V2 token request's assertion is signed RS256",
  "users-reused-jti": "every Users V2 assertion has the same jti",
  "users-wrong-aud": "the Users V2 assertion's aud is the issuer, not the token endpoint",
  "users-assertion-identity": "the Users V2 assertion names another client (iss and sub) and lives an hour",
  "users-foreign-key": "the Users V2 assertion is signed by a key NHS login does not know",
  "users-grant-type-typo": "the Users V2 token request uses the spec example's misprinted grant type and sends client_assertion",
  "users-token-request-json": "the Users V2 token request is sent as JSON",
  "users-scope-altered": "the Users V2 token request asks for users.retrieve (lower case) instead of the Users.retrieve URL",
  "users-token-per-search": "every Users V2 search gets a new access token",
  "users-ignores-expires-in": "a Users V2 access token is kept until a 401, whatever its expires_in",
  "users-no-renewal-on-401": "a 401 from Users V2 is reported as an error, without a new token and a retry",
  "users-unencoded-filter": "the Users V2 filter is put in the URL as it is (a + in an email reaches NHS login as a space)",
  "users-scim-request": "Users V2 searches add SCIM attributes/count parameters, repeat the filter and put the token in the query too",
  "users-unquoted-filter": "Users V2 filter values are sent without double quotes",
  "users-upper-case-operators": "Users V2 filters join terms with upper-case AND",
  "users-retry-on-4xx": "a Users V2 400 or 403 is retried like a server error",
  "users-no-retry-on-500": "a Users V2 500 is reported at once, without a retry",
  "users-unbounded-retries": "every Users V2 failure is retried 20 times without backoff",
  "users-errors-as-not-found": "a Users V2 400, 500 or timeout is reported as no match",
  "users-decodes-token": "the Users V2 access token is decoded as a JWT to read its expiry",
  "users-first-resource-only": "only the first User resource of a Users V2 answer is read",
  "users-strict-attributes": "a User resource with an attribute the service does not know makes the lookup fail (500)",
  "users-nhs-number-as-number": "NHS numbers from Users V2 are turned into numbers",
  "users-no-input-validation": "NHS numbers (a wrong check digit, not 10 digits) and emails are sent to Users V2 unchecked",
  "users-scim-filter": "Users V2 filters use SCIM habits: emails.value, the co operator, and brackets around terms",
  "users-no-match-as-error": "a Users V2 answer with no Resources (nobody matched) is reported as an error",
  // The Provision Account consumer (provision-account.ts), one safeguard off at a time.
  "pa-hs256-assertion": "the Provision Account assertion is HS256 with a shared secret, as in the spec's example",
  "pa-iss-not-sub": "the Provision Account assertion's sub is not the client id (the spec example's iss and sub differ)",
  "pa-reused-jti": "every Provision Account assertion has the same jti",
  "pa-no-assertion-type": "the Provision Account token request leaves out client_assertion_type",
  "pa-form-body": "provisioning requests are sent form-encoded, not as JSON",
  "pa-other-ods-code": "provisioning requests name an ODS code other than the organisation's (its last digit changed)",
  "pa-non-iso-date": "the date of birth is sent as staff typed it (30/12/2001), unchecked",
  "pa-local-mobile": "the mobile number is sent as staff typed it (07..., no country code), unchecked",
  "pa-no-input-validation": "NHS numbers and emails are sent to Provision Account unchecked",
  "pa-tight-retry-11011": "11011 (too many requests) is retried at once, up to 10 times",
  "pa-retry-11010": "11010 (data not valid) is retried like a server error",
  "pa-errors-all-unavailable": "every Provision Account error code is read as NHS login being unavailable (retried, then try later)",
  "pa-no-retry-on-unavailable": "11000, a 5xx and a timeout are reported at once, without a retry",
  "pa-raw-description": "NHS login's error description is shown to staff as it came",
  "pa-token-per-call": "every provisioning request gets a new access token",
  "pa-ignores-expires-in": "a Provision Account access token is kept until NHS login refuses it, whatever its expires_in",
  "pa-uplift-as-created": "an uplift is reported to staff as a new account",
} as const;
export type UnsafeSwitch = keyof typeof UNSAFE_SWITCHES;

/** The switch named by REFERENCE_SERVICE_UNSAFE, if any; throws on an unknown name. */
export function parseUnsafeSwitch(value: string | undefined): UnsafeSwitch | undefined {
  if (value === undefined || value === "") return undefined;
  if (!Object.hasOwn(UNSAFE_SWITCHES, value)) {
    throw new Error(`REFERENCE_SERVICE_UNSAFE must be one of ${Object.keys(UNSAFE_SWITCHES).join(", ")} (test only)`);
  }
  return value as UnsafeSwitch;
}

/** The hooks oidc.ts applies; each one is off unless a switch turns it on. */
export interface TestOnlyOverrides {
  assertionHash?: "SHA-256";
  modifyAssertion?: (header: Record<string, unknown>, payload: Record<string, unknown>) => void;
  skipSignatureCheck?: boolean;
  skipStateCheck?: boolean;
  skipVotCheck?: boolean;
  skipUserinfoSubCheck?: boolean;
  /** Never call UserInfo: show what the ID token carries (FED-IDT-19). */
  skipUserinfo?: boolean;
  /** Accept an ID token issued in the future (FED-IDT-05). */
  skipIatCheck?: boolean;
  /** Accept an ID token without a valid vtm (FED-IDT-11). */
  skipVtmCheck?: boolean;
  /** Look at the tokens of a completed code exchange; throwing refuses the sign-in. */
  inspectTokens?: (tokens: { idToken: string | undefined; accessToken: string; refreshToken?: string | undefined }) => void;
  /** Look at the UserInfo answer; throwing refuses the sign-in. */
  inspectUserinfo?: (claims: Record<string, unknown>) => void;
  /** Show the raw ID token on the account page (FED-GEN-04). */
  exposeIdToken?: boolean;
  transaction?: (txn: Transaction) => Transaction;
  /** Changes the authorization request's parameters after they are built. */
  authorizationParams?: (params: Record<string, string>) => void;
  /** Changes the authorization URL itself, last (to repeat a parameter, or move the query). */
  authorizationUrl?: (url: URL) => void;
  /** Wraps openid-client's fetch (used to hide the ID token from the library). */
  customFetch?: (tokenEndpoint: string) => client.CustomFetch;
  /** Validates the hidden ID token by hand instead of the library. */
  validateIdToken?: (txn: Transaction, server: { issuer: string; jwksUri: string }) => Promise<JWTPayload & { sub: string }>;
}

export interface HandValidationContext {
  clientId: string;
}

const HAND_VALIDATED = new Set<UnsafeSwitch>([
  "nonce-check",
  "alg-pinning",
  "iss-check",
  "aud-check",
  "exp-check",
  "nbf-check",
  "iat-check",
  "sub-check",
  "alg-confusion",
  "first-jwks-key",
]);

/** The JWS header parameters and claims the strict-* variants know; anything else is refused. */
const KNOWN_HEADER = new Set(["alg", "typ", "kid"]);
const KNOWN_CLAIMS = new Set([
  ...["iss", "sub", "aud", "exp", "iat", "nbf", "jti", "nonce", "auth_time", "vot", "vtm", "scope", "at_hash", "azp"],
  ...["reason_for_request", "requesting_system", "requesting_patient"],
  ...Object.values(SCOPE_RULES).flatMap((r) => r.claims),
]);

function refuseUnknown(what: string, names: readonly string[], known: ReadonlySet<string>): void {
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) throw new Error(`unknown ${what}${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}`);
}

/** A fetch that lets `change` rewrite each request to the token endpoint before it is sent. */
function rewriteTokenRequest(
  change: (body: URLSearchParams, headers: Headers) => { body: string; headers: Headers } | undefined,
): TestOnlyOverrides["customFetch"] {
  return (tokenEndpoint) => async (url, options) => {
    if (url !== tokenEndpoint) return fetch(url, options as RequestInit);
    const headers = new Headers(options.headers as HeadersInit);
    const body = new URLSearchParams(String(options.body ?? ""));
    const sent = change(body, headers) ?? { body: body.toString(), headers };
    return fetch(url, { ...(options as RequestInit), body: sent.body, headers: sent.headers });
  };
}

/** The hooks for one switch (undefined for a switch handled outside oidc.ts). */
export function testOnlyOverrides(sw: UnsafeSwitch | undefined, ctx: HandValidationContext): TestOnlyOverrides | undefined {
  const fixed = `static-${randomUUID()}`;
  switch (sw) {
    case undefined:
    case "https-redirect-uri":
    case "no-consent-page":
    case "session-limits":
    case "httponly-cookies":
    case "single-use-transaction":
    case "generic-no-consent-page":
    case "no-consent-links":
    case "unescaped-error-description":
    case "front-channel-id-token":
    case "replayed-callback-session":
    case "logout-keeps-session":
    case "nhs-number-as-number":
    case "p9-feature-for-p5":
    case "step-up-upgrades-other-person":
    case "step-up-trusts-request":
    case "step-up-keeps-level":
      return undefined; // handled in settings.ts or app.ts
    case "registration-without-openid":
    case "wildcard-redirect-uri":
    case "many-redirect-uris":
    case "rsa-4096-key":
      return undefined; // the registration only (suites/_support/reference-service.ts)
    case "redirect-uri-query":
      // settings.ts adds the query to the redirect URI; openid-client strips it from the code exchange's redirect_uri.
      return {
        customFetch: rewriteTokenRequest((body) => {
          if (body.has("redirect_uri")) body.set("redirect_uri", `${body.get("redirect_uri")}?${REDIRECT_URI_QUERY}`);
          return undefined;
        }),
      };
    case "authorize-params-in-fragment":
      return {
        authorizationUrl: (url) => {
          url.hash = url.search.slice(1);
          url.search = "";
        },
      };
    case "repeated-parameter":
      return { authorizationUrl: (url) => url.searchParams.append("scope", url.searchParams.get("scope") ?? "openid") };
    case "vtr-not-json":
      return { authorizationParams: (q) => void (q.vtr = `[${(JSON.parse(q.vtr ?? "[]") as string[]).map((v) => `'${v}'`).join(", ")}]`) };
    case "unsupported-vtr":
      return { authorizationParams: (q) => void (q.vtr = JSON.stringify([...(JSON.parse(q.vtr ?? "[]") as string[]), "P9.Cp.Cd.Ck"])) };
    case "no-client-assertion":
      return {
        customFetch: rewriteTokenRequest((body) => {
          body.delete("client_assertion");
          body.delete("client_assertion_type");
          return undefined;
        }),
      };
    case "reauth-without-prompt":
      return { authorizationParams: (q) => void delete q.prompt };
    case "capitalised-scope":
      return { authorizationParams: (q) => void (q.scope = (q.scope ?? "openid").replace(/\bemail\b/, "Email")) };
    case "unagreed-client-metadata":
      return { authorizationParams: (q) => void (q.scope = `${q.scope ?? "openid"} client_metadata`) };
    case "vtr-without-level":
      return { authorizationParams: (q) => void (q.vtr = JSON.stringify(["Cp.Cd"])) };
    case "gp-credentials-weak-vtr":
      return {
        authorizationParams: (q) => {
          q.scope = `${q.scope ?? "openid"} gp_integration_credentials`;
          q.vtr = JSON.stringify(["P9.Cp", "P5.Cp.Cd"]);
        },
      };
    case "state-check":
      return { skipStateCheck: true };
    case "signature-check":
      return { skipSignatureCheck: true };
    case "vot-check":
      return { skipVotCheck: true };
    case "userinfo-sub-check":
      return { skipUserinfoSubCheck: true };
    case "fresh-state":
      return { transaction: (txn) => ({ ...txn, state: fixed }) };
    case "fresh-nonce":
      return { transaction: (txn) => ({ ...txn, nonce: fixed }) };
    case "rs512-assertion":
      return { assertionHash: "SHA-256" };
    case "short-assertion":
      return { modifyAssertion: (_h, p) => void (p.exp = Number(p.iat) + 30 * 60) };
    case "unique-jti":
      return { modifyAssertion: (_h, p) => void (p.jti = fixed) };
    case "other-client-id":
      return { authorizationParams: (q) => void (q.client_id = `${q.client_id}-other`) };
    case "unregistered-redirect-uri":
      return { authorizationParams: (q) => void (q.redirect_uri = `${q.redirect_uri}/`) };
    case "unregistered-vtr":
      return { authorizationParams: (q) => void (q.vtr = JSON.stringify(["P0.Cp"])) };
    case "hybrid-response-type":
      return { authorizationParams: (q) => void (q.response_type = "code id_token") };
    case "scope-without-openid":
      return {
        authorizationParams: (q) =>
          void (q.scope = (q.scope ?? "")
            .split(" ")
            .filter((x) => x !== "openid")
            .join(" ")),
      };
    case "scope-combinations":
      return {
        authorizationParams: (q) => void (q.scope = `${q.scope} basic_demographics gp_registration_details gp_integration_credentials`),
      };
    case "unsupported-parameters":
      return { authorizationParams: (q) => void Object.assign(q, { max_age: "0", response_mode: "form_post" }) };
    case "invalid-optional-parameters":
      return { authorizationParams: (q) => void Object.assign(q, { prompt: "consent", display: "popup", allow_registration: "no" }) };
    case "token-request-json":
      return {
        customFetch: rewriteTokenRequest((body, headers) => {
          headers.set("content-type", "application/json");
          return { body: JSON.stringify(Object.fromEntries(body)), headers };
        }),
      };
    case "token-request-mangled":
      return {
        customFetch: rewriteTokenRequest((body) => {
          if (body.get("grant_type") !== "authorization_code") return undefined;
          body.set("grant_type", "code");
          body.delete("code");
          body.set("redirect_uri", `${body.get("redirect_uri")}/elsewhere`);
          body.set("scope", "openid");
          return undefined;
        }),
      };
    case "client-auth-mixed":
      return {
        customFetch: rewriteTokenRequest((body, headers) => {
          headers.set("authorization", `Basic ${Buffer.from(`${body.get("client_id") ?? "client"}:secret`).toString("base64")}`);
          body.set("client_id", "some-other-client");
          body.set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt_bearer");
          return undefined;
        }),
      };
    case "assertion-wrong-claims":
      return { modifyAssertion: (_h, p) => void Object.assign(p, { sub: "some-other-client", aud: "https://elsewhere.invalid/token" }) };
    case "assertion-iat-future":
      return { modifyAssertion: (_h, p) => void Object.assign(p, { iat: Number(p.iat) + 3600, exp: Number(p.exp) + 3600 }) };
    case "code-redeemed-twice":
      return {
        customFetch: (tokenEndpoint) => async (url, options) => {
          const first = await fetch(url, options as RequestInit);
          if (url === tokenEndpoint) await fetch(url, options as RequestInit);
          return first;
        },
      };
    case "userinfo-token-in-query":
      return {
        customFetch: (tokenEndpoint) => async (url, options) => {
          const headers = new Headers(options.headers as HeadersInit);
          const bearer = /^Bearer (.+)$/.exec(headers.get("authorization") ?? "");
          if (url === tokenEndpoint || !bearer) return fetch(url, options as RequestInit);
          headers.delete("authorization");
          const moved = new URL(url);
          moved.searchParams.set("access_token", bearer[1]!);
          return fetch(moved, { ...(options as RequestInit), headers });
        },
      };
    case "tokens-on-page":
      return { exposeIdToken: true };
    case "strict-id-token":
      return {
        inspectTokens: ({ idToken }) => {
          if (!idToken) return;
          refuseUnknown("ID token header parameter", Object.keys(decodeProtectedHeader(idToken)), KNOWN_HEADER);
          refuseUnknown("ID token claim", Object.keys(decodeJwt(idToken)), KNOWN_CLAIMS);
        },
      };
    case "strict-access-token":
      return { inspectTokens: ({ accessToken }) => refuseUnknown("access token claim", Object.keys(decodeJwt(accessToken)), KNOWN_CLAIMS) };
    case "strict-userinfo":
      return { inspectUserinfo: (claims) => refuseUnknown("UserInfo claim", Object.keys(claims), KNOWN_CLAIMS) };
    case "no-userinfo":
      return { skipUserinfo: true };
    case "requires-refresh-token":
      return {
        inspectTokens: ({ refreshToken }) => {
          if (refreshToken === undefined) throw new Error("the token response has no refresh_token");
        },
      };
    case "error-pages-500":
      return undefined; // handled in app.ts
    case "vtm-check":
      return { skipVtmCheck: true };
    default:
      if (sw.startsWith("users-") || sw.startsWith("pa-")) return undefined; // the consumers: usersV2TestOnly, provisionTestOnly
      if (HAND_VALIDATED.has(sw)) {
        // The service's own iat check and the UserInfo sub comparison would refuse what these accept.
        const extra = sw === "iat-check" ? { skipIatCheck: true } : sw === "sub-check" ? { skipUserinfoSubCheck: true } : {};
        return { ...handValidation(sw, ctx), ...extra };
      }
      throw new Error(`unhandled switch ${String(sw)}`);
  }
}

/**
 * Hide the ID token from openid-client (it would enforce all its checks) and validate it here by
 * hand with every check but the one `sw` switches off.
 */
function handValidation(sw: UnsafeSwitch, ctx: HandValidationContext): TestOnlyOverrides {
  let hidden: string | undefined;
  return {
    customFetch: (tokenEndpoint) => async (url, options) => {
      const res = await fetch(url, options as RequestInit);
      if (url !== tokenEndpoint || !res.ok) return res;
      const body = (await res.json()) as Record<string, unknown>;
      hidden = typeof body.id_token === "string" ? body.id_token : undefined;
      delete body.id_token;
      return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
    },
    validateIdToken: async (txn, server) => {
      const token = hidden;
      hidden = undefined;
      if (!token) throw new Error("no ID token");
      return validateByHand(token, txn, sw, { ...ctx, ...server });
    },
  };
}

async function validateByHand(
  token: string,
  txn: Transaction,
  sw: UnsafeSwitch,
  ctx: HandValidationContext & { issuer: string; jwksUri: string },
): Promise<JWTPayload & { sub: string }> {
  const jwks = (await (await fetch(ctx.jwksUri)).json()) as { keys: JWK[] };
  const pinned = sw !== "alg-pinning" && sw !== "alg-confusion";
  const { payload } =
    sw === "alg-confusion"
      ? await confusedVerify(token, jwks.keys)
      : await compactVerify(
          token,
          async (header: ProtectedHeaderParameters) => {
            const jwk = sw === "first-jwks-key" ? jwks.keys[0] : jwks.keys.find((k) => k.kid === header.kid);
            if (!jwk) throw new Error("no JWKS key with that kid");
            // Unpinned, the header's own alg is trusted: the classic mistake this variant models.
            return importJWK(jwk, pinned ? "RS512" : header.alg);
          },
          pinned ? { algorithms: ["RS512"] } : {},
        );
  const claims = JSON.parse(new TextDecoder().decode(payload)) as JWTPayload & Record<string, unknown>;
  const now = Math.floor(Date.now() / 1000);
  const skew = 30;
  const fail = (what: string) => {
    throw new Error(`ID token ${what}`);
  };
  if (sw !== "iss-check" && claims.iss !== ctx.issuer) fail("iss mismatch");
  if (sw !== "iat-check" && typeof claims.iat === "number" && claims.iat > now + skew) fail("issued in the future");
  if (sw !== "aud-check") {
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.includes(ctx.clientId)) fail("aud mismatch");
    if (aud.length !== 1 && claims.azp === undefined) fail("has untrusted extra audiences");
  }
  if (sw !== "exp-check" && (typeof claims.exp !== "number" || claims.exp <= now - skew)) fail("expired");
  if (typeof claims.iat !== "number") fail("has no iat");
  if (sw !== "nbf-check" && typeof claims.nbf === "number" && claims.nbf > now + skew) fail("not yet valid");
  if (sw !== "nonce-check" && claims.nonce !== txn.nonce) fail("nonce mismatch");
  if (sw !== "sub-check" && (typeof claims.sub !== "string" || claims.sub === "")) fail("has no sub");
  return { ...claims, sub: typeof claims.sub === "string" ? claims.sub : "" } as JWTPayload & { sub: string };
}

/**
 * The alg-confusion mistake: trust the header. `none` needs no signature at all, and `HS256` is
 * checked as an HMAC keyed with the published RSA key's PEM text; anything else as RS512.
 */
async function confusedVerify(token: string, keys: JWK[]): Promise<{ payload: Uint8Array }> {
  const [h, p, sig] = token.split(".") as [string, string, string];
  const header = JSON.parse(Buffer.from(h, "base64url").toString("utf8")) as ProtectedHeaderParameters;
  if (header.alg === "none") return { payload: new Uint8Array(Buffer.from(p, "base64url")) };
  const jwk = keys.find((k) => k.kid === header.kid) ?? keys[0];
  if (!jwk) throw new Error("no JWKS key");
  if (header.alg === "HS256") {
    const pem = createPublicKey({ key: jwk as Record<string, string>, format: "jwk" }).export({ type: "spki", format: "pem" });
    const mac = createHmac("sha256", pem).update(`${h}.${p}`).digest();
    if (!timingSafeEqual(mac, Buffer.from(sig, "base64url"))) throw new Error("HS256 signature does not verify");
    return { payload: new Uint8Array(Buffer.from(p, "base64url")) };
  }
  return compactVerify(token, await importJWK(jwk, "RS512"));
}

/** The Users V2 consumer's test-only knobs (users-v2.ts); each is off unless a switch turns it on. */
export interface UsersV2TestOnly {
  assertionAlg?: "RS256";
  fixedJti?: boolean;
  audience?: "issuer";
  assertionIdentity?: string;
  assertionLifetimeSeconds?: number;
  signingKey?: KeyObject;
  grantTypeTypo?: boolean;
  assertionAsClientAssertion?: boolean;
  tokenRequestJson?: boolean;
  scopes?: string[];
  cacheTokens?: boolean;
  ignoreExpiresIn?: boolean;
  renewOn401?: boolean;
  unencodedFilter?: boolean;
  scimRequest?: boolean;
  unquotedValues?: boolean;
  upperCaseOperators?: boolean;
  retryOn4xx?: boolean;
  retryOn500?: boolean;
  retryEverything?: boolean;
  maxAttempts?: number;
  noBackoff?: boolean;
  errorsAsNotFound?: boolean;
  decodeToken?: boolean;
  strictAttributes?: boolean;
  firstResourceOnly?: boolean;
  nhsNumberAsNumber?: boolean;
  skipInputValidation?: boolean;
  scimFilter?: boolean;
  noMatchAsError?: boolean;
}

/** The Users V2 consumer's knobs for one switch (empty for every other switch). */
export function usersV2TestOnly(sw: UnsafeSwitch | undefined, scopes: readonly string[]): UsersV2TestOnly {
  switch (sw) {
    case "users-rs256-assertion":
      return { assertionAlg: "RS256" };
    case "users-reused-jti":
      return { fixedJti: true };
    case "users-wrong-aud":
      return { audience: "issuer" };
    case "users-assertion-identity":
      return { assertionIdentity: "another-client", assertionLifetimeSeconds: 3600 };
    case "users-foreign-key":
      return { signingKey: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey };
    case "users-first-resource-only":
      return { firstResourceOnly: true };
    case "users-grant-type-typo":
      return { grantTypeTypo: true, assertionAsClientAssertion: true };
    case "users-token-request-json":
      return { tokenRequestJson: true };
    case "users-scope-altered":
      return { scopes: scopes.map((s) => s.replace(/\/Users\.retrieve$/, "/users.retrieve")) };
    case "users-token-per-search":
      return { cacheTokens: false };
    case "users-ignores-expires-in":
      return { ignoreExpiresIn: true };
    case "users-no-renewal-on-401":
      return { renewOn401: false };
    case "users-unencoded-filter":
      return { unencodedFilter: true };
    case "users-scim-request":
      return { scimRequest: true };
    case "users-unquoted-filter":
      return { unquotedValues: true };
    case "users-upper-case-operators":
      return { upperCaseOperators: true };
    case "users-retry-on-4xx":
      return { retryOn4xx: true };
    case "users-no-retry-on-500":
      return { retryOn500: false };
    case "users-unbounded-retries":
      return { retryEverything: true, maxAttempts: 20, noBackoff: true };
    case "users-decodes-token":
      return { decodeToken: true };
    case "users-errors-as-not-found":
      return { errorsAsNotFound: true };
    case "users-strict-attributes":
      return { strictAttributes: true };
    case "users-nhs-number-as-number":
      return { nhsNumberAsNumber: true };
    case "users-no-input-validation":
      return { skipInputValidation: true };
    case "users-scim-filter":
      return { scimFilter: true };
    case "users-no-match-as-error":
      return { noMatchAsError: true };
    default:
      return {};
  }
}

/** The Provision Account consumer's test-only knobs (provision-account.ts); each is off unless a switch turns it on. */
export interface ProvisionTestOnly {
  hs256?: boolean;
  fixedJti?: boolean;
  noAssertionType?: boolean;
  formBody?: boolean;
  otherOdsCode?: boolean;
  subject?: string;
  dateAsTyped?: boolean;
  mobileAsTyped?: boolean;
  skipInputValidation?: boolean;
  tightRetry11011?: boolean;
  retry11010?: boolean;
  allUnavailable?: boolean;
  noRetry?: boolean;
  rawDescription?: boolean;
  tokenPerCall?: boolean;
  ignoreExpiresIn?: boolean;
  upliftAsCreated?: boolean;
}

/** The Provision Account consumer's knobs for one switch (empty for every other switch). */
export function provisionTestOnly(sw: UnsafeSwitch | undefined): ProvisionTestOnly {
  switch (sw) {
    case "pa-hs256-assertion":
      return { hs256: true };
    case "pa-iss-not-sub":
      return { subject: "John Doe" };
    case "pa-reused-jti":
      return { fixedJti: true };
    case "pa-no-assertion-type":
      return { noAssertionType: true };
    case "pa-form-body":
      return { formBody: true };
    case "pa-other-ods-code":
      return { otherOdsCode: true };
    case "pa-non-iso-date":
      return { dateAsTyped: true };
    case "pa-local-mobile":
      return { mobileAsTyped: true };
    case "pa-no-input-validation":
      return { skipInputValidation: true };
    case "pa-tight-retry-11011":
      return { tightRetry11011: true };
    case "pa-retry-11010":
      return { retry11010: true };
    case "pa-errors-all-unavailable":
      return { allUnavailable: true };
    case "pa-no-retry-on-unavailable":
      return { noRetry: true };
    case "pa-raw-description":
      return { rawDescription: true };
    case "pa-token-per-call":
      return { tokenPerCall: true };
    case "pa-ignores-expires-in":
      return { ignoreExpiresIn: true };
    case "pa-uplift-as-created":
      return { upliftAsCreated: true };
    default:
      return {};
  }
}
