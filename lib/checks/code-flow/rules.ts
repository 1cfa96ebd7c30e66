/**
 * Checks of the code flow's protocol messages (EIS §3.4.5, §3.5.3): the authorization response
 * and its errors (FED-ARESP-01/02/04/07/08/09, FED-AUTHZ-*), and the token response of the code
 * and refresh grants (FED-TRESP-01..04/07/08, FED-REFRESH-01/03/05). Pure functions on what came
 * back; `code-flow/*.ts` produces those messages.
 *
 * @example
 * ```ts
 * authorizationSuccessFindings(new URL(location), { redirectUri, state })
 * tokenResponseFindings({ status: 200, headers, body }, { grant: "authorization_code" })
 * ```
 */
import { finding, type Finding } from "../../requirements/index.ts";
import { gradedSchemaFindings } from "../../validate/index.ts";
import { noStoreHeaderProblems } from "../rules/no-store-headers.ts";
import { splitScope } from "../../nhs/scopes.ts";
import { AUTHORIZE_ERROR_CODES } from "../../nhs/error-codes.ts";
import { Findings } from "../findings.ts";
import { isObject } from "../../json/is-object.ts";
import { show } from "../show.ts";

/** Characters an OAuth error_description may use (RFC 6749 §4.1.2.1; EIS T4 "ASCII"). */
const DESCRIPTION_PATTERN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
/** Parameters an error response may carry besides those of the registered redirect URI itself. */
const ERROR_RESPONSE_PARAMS = new Set(["error", "error_description", "error_uri", "state"]);

/** True when `url` is the redirect URI (scheme, host, port and path; its own query kept). */
export function isAtRedirectUri(url: URL, redirectUri: string): boolean {
  const expected = new URL(redirectUri);
  if (url.origin !== expected.origin || url.pathname !== expected.pathname) return false;
  for (const [k, v] of expected.searchParams) if (url.searchParams.get(k) !== v) return false;
  return true;
}

/** Parse a Location header against the URL it answered, or undefined. */
export function parseLocation(location: string | undefined, base: string): URL | undefined {
  if (!location) return undefined;
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}

/**
 * FED-ARESP-01 (the browser is sent to exactly the redirect URI with a non-empty `code`, in the
 * query, no fragment) and FED-ARESP-02 (`state` byte-identical to the one sent, once decoded).
 */
export function authorizationSuccessFindings(redirect: URL, x: { redirectUri: string; state: string }): Finding[] {
  const c = new Findings();
  if (!isAtRedirectUri(redirect, x.redirectUri))
    c.deviation(
      "FED-ARESP-01",
      `the response went to ${show(`${redirect.origin}${redirect.pathname}`)}, expected exactly ${show(x.redirectUri)}`,
    );
  const error = redirect.searchParams.get("error");
  if (error !== null)
    c.deviation(
      "FED-ARESP-01",
      `the sign-in ended with error=${error}` +
        `${redirect.searchParams.get("error_description") ? ` (${redirect.searchParams.get("error_description")})` : ""}`,
    );
  const code = redirect.searchParams.get("code");
  if (!code) c.deviation("FED-ARESP-01", "the redirect has no code in its query");
  if (redirect.hash) c.deviation("FED-ARESP-01", "the redirect carries a fragment; the response must be in the query only");
  const state = redirect.searchParams.get("state");
  if (state === null) c.deviation("FED-ARESP-02", `the redirect has no state; ${show(x.state)} was sent`);
  else if (state !== x.state) c.deviation("FED-ARESP-02", `state came back as ${show(state)}, expected exactly ${show(x.state)}`);
  c.pass("FED-ARESP-01", "redirected to the exact redirect_uri with a code in the query and no fragment");
  c.pass("FED-ARESP-02", `state came back byte-identical (${x.state.length} characters, reserved characters included)`);
  return c.list();
}

/** What an unattended authorization request got back. */
export interface AuthorizeAnswer {
  status: number;
  location?: string;
  /** The cookies the answer set, as a Cookie header would send them back (name=value; ...). */
  setCookie?: string;
  /** The URL requested (to resolve a relative Location). */
  url: string;
}

export interface ErrorExpectation {
  redirectUri: string;
  /** The state sent, if any. */
  state?: string;
  /** Requirement the refusal itself is reported under (e.g. FED-AUTHZ-02). */
  requirement: string;
  /** Error codes that count as the right answer; other Table 5 codes only warn. */
  expected: readonly string[];
  /** What was wrong with the request, for messages. */
  what: string;
}

/**
 * A request that must be refused: `requirement` (refused rather than accepted for sign-in),
 * FED-ARESP-07 (the refusal is a redirect to the redirect URI with `error` and the `state`, no
 * `code`, an ASCII `error_description`) and FED-ARESP-09 (`error` is a Table 5 code).
 */
export function authorizationErrorFindings(res: AuthorizeAnswer, x: ErrorExpectation): Finding[] {
  const c = new Findings();
  const target = res.status >= 300 && res.status < 400 ? parseLocation(res.location, res.url) : undefined;
  if (!target || !isAtRedirectUri(target, x.redirectUri)) {
    if (res.status >= 400) {
      c.pass(x.requirement, `${x.what}: refused with HTTP ${res.status}`);
      c.deviation("FED-ARESP-07", `${x.what}: answered HTTP ${res.status} instead of redirecting the error to the valid redirect_uri`);
    } else {
      const where = target ? `a redirect to ${show(`${target.origin}${target.pathname}`)}` : `HTTP ${res.status}`;
      c.deviation(x.requirement, `${x.what}: not refused before sign-in (${where}, the sign-in would go ahead)`);
    }
    return c.list();
  }
  const q = target.searchParams;
  const error = q.get("error");
  const leaked = ["code", "access_token", "id_token"].filter((k) => new URLSearchParams(target.hash.slice(1)).has(k));
  if (leaked.length > 0)
    c.deviation(x.requirement, `${x.what}: accepted, ${leaked.join(" and ")} in the fragment (implicit or hybrid flow)`);
  if (q.has("code")) {
    c.deviation(x.requirement, `${x.what}: accepted, a code was issued`);
    c.deviation("FED-ARESP-07", `${x.what}: the response carries a code`);
  }
  if (error === null || error.length === 0) {
    if (!q.has("code")) c.deviation(x.requirement, `${x.what}: redirected without an error parameter`);
    return c.list();
  }
  if (!(AUTHORIZE_ERROR_CODES as readonly string[]).includes(error))
    c.deviation("FED-ARESP-09", `${x.what}: error=${show(error)} is not a Table 5 code`);
  if (x.expected.includes(error)) c.pass(x.requirement, `${x.what}: refused with error=${error}`);
  else c.add(x.requirement, "warning", `${x.what}: refused, but with error=${error} where ${x.expected.join(" or ")} was expected`);
  if (x.state !== undefined) {
    const state = q.get("state");
    if (state === null) c.deviation("FED-ARESP-07", `${x.what}: the error response has no state; ${show(x.state)} was sent`);
    else if (state !== x.state) c.deviation("FED-ARESP-07", `${x.what}: state came back as ${show(state)}, expected ${show(x.state)}`);
  }
  const description = q.get("error_description");
  if (description !== null && !DESCRIPTION_PATTERN.test(description))
    c.deviation("FED-ARESP-07", `${x.what}: error_description ${show(description)} has characters outside printable ASCII (or " or \\)`);
  if (target.hash) c.deviation("FED-ARESP-07", `${x.what}: the error response carries a fragment`);
  const own = new Set(new URL(x.redirectUri).searchParams.keys());
  const extra = [...new Set(q.keys())].filter((k) => !ERROR_RESPONSE_PARAMS.has(k) && !own.has(k) && k !== "code");
  if (extra.length > 0) c.add("FED-ARESP-07", "warning", `${x.what}: the error response has other parameters too: ${extra.join(", ")}`);
  c.pass("FED-ARESP-07", `${x.what}: error and state at the redirect_uri, no code, ASCII description`);
  c.pass("FED-ARESP-09", `${x.what}: error=${error} is a Table 5 code`);
  return c.list();
}

/**
 * A request whose redirect URI (or client) is not to be trusted must not be redirected to it
 * (FED-ARESP-08, FED-AUTHZ-06/07): any 3xx to `forbidden` (scheme, host, port, path) fails.
 */
export function noRedirectFindings(res: AuthorizeAnswer, x: { forbidden: string; requirement: string; what: string }): Finding[] {
  const target = res.status >= 300 && res.status < 400 ? parseLocation(res.location, res.url) : undefined;
  const bad = new URL(x.forbidden);
  if (target && target.origin === bad.origin && target.pathname === bad.pathname) {
    return [
      finding(
        x.requirement,
        "failed",
        `${x.what}: redirected to ${show(`${target.origin}${target.pathname}`)}` +
          `${target.searchParams.has("code") ? " with a code" : ""}; expected an error page and no redirect`,
      ),
    ];
  }
  return [
    finding(
      x.requirement,
      "passed",
      `${x.what}: not redirected there (HTTP ${res.status}${target ? ` to ${target.origin}${target.pathname}` : ""})`,
    ),
  ];
}

/** A token endpoint answer as the checks see it. */
export interface TokenAnswer {
  status: number;
  headers: Record<string, string>;
  /** The parsed JSON body, or undefined when it was not JSON. */
  body: unknown;
}

/**
 * A successful token response: FED-TRESP-01 (200 JSON), FED-TRESP-02 (Cache-Control no-store,
 * Pragma no-cache), FED-TRESP-03 (a compact JWS access token), FED-TRESP-04 (token_type bearer,
 * any case; catalogue A1) with the `token-response` schema, and FED-TRESP-08 (an id_token for
 * the code grant, none for the refresh grant).
 */
export function tokenResponseFindings(res: TokenAnswer, x: { grant: "authorization_code" | "refresh_token" }): Finding[] {
  const c = new Findings();
  const type = res.headers["content-type"];
  if (res.status !== 200) return [finding("FED-TRESP-01", "failed", `the ${x.grant} grant answered HTTP ${res.status}: ${show(res.body)}`)];
  if (!type?.toLowerCase().startsWith("application/json"))
    c.deviation("FED-TRESP-01", `Content-Type is ${show(type)}, expected application/json`);
  if (!isObject(res.body)) return [...c.list(), finding("FED-TRESP-01", "failed", "the body is not a JSON object")];
  for (const p of noStoreHeaderProblems(res.headers)) {
    c.deviation("FED-TRESP-02", p.message, { expected: `${p.header}: ${p.expected}`, actual: p.actual ?? "absent" });
  }
  const body = res.body;
  if (typeof body.access_token !== "string" || body.access_token.split(".").length !== 3)
    c.deviation("FED-TRESP-03", `access_token is ${show(body.access_token, 40)}, expected a signed JWT`);
  if (typeof body.token_type !== "string") c.deviation("FED-TRESP-04", `token_type is ${show(body.token_type)}, expected "bearer"`);
  else if (body.token_type.toLowerCase() !== "bearer")
    c.add("FED-TRESP-04", "warning", `token_type is ${show(body.token_type)}, expected "bearer" in any letter case (catalogue A1)`);
  // token_type is judged above, case-insensitively (A1); the schema judges everything else.
  const shape = typeof body.token_type === "string" ? { ...body, token_type: "bearer" } : body;
  for (const f of gradedSchemaFindings("FED-TRESP-04", "token-response", shape))
    if (f.status !== "passed") c.add(f.requirement, f.status, `token response ${f.message}`);
  if (x.grant === "authorization_code" && typeof body.id_token !== "string")
    c.deviation("FED-TRESP-08", "the code grant returned no id_token");
  if (x.grant === "refresh_token" && body.id_token !== undefined)
    c.deviation("FED-TRESP-08", "the refresh grant returned an id_token; only the code grant may");
  c.pass("FED-TRESP-01", "HTTP 200 with a JSON object");
  c.pass("FED-TRESP-02", "Cache-Control: no-store and Pragma: no-cache");
  c.pass("FED-TRESP-03", "access_token is a compact JWS");
  c.pass("FED-TRESP-04", `token_type is ${show(body.token_type)}`);
  c.pass(
    "FED-TRESP-08",
    x.grant === "authorization_code" ? "the code grant returned an id_token" : "the refresh grant returned no id_token",
  );
  return c.list();
}

/**
 * FED-AUTHZ-03 (an unknown scope value is ignored: the sign-in works and nothing grants it) and
 * FED-TRESP-07 (the token response then names the granted scope, since it differs from the request).
 */
export function unknownScopeFindings(res: TokenAnswer, accessTokenScope: unknown, x: { unknownScope: string }): Finding[] {
  const c = new Findings();
  if (res.status !== 200 || !isObject(res.body))
    return [finding("FED-AUTHZ-03", "failed", `the code exchange after a request with ${x.unknownScope} answered HTTP ${res.status}`)];
  const scope = res.body.scope;
  if (scope === undefined)
    c.deviation(
      "FED-TRESP-07",
      "the token response has no scope although the granted scope differs from the request " +
        `(${x.unknownScope} was ignored, or should have been)`,
    );
  else if (typeof scope !== "string") c.deviation("FED-TRESP-07", `scope is ${show(scope)}, expected a space-separated string`);
  else if (splitScope(scope).includes(x.unknownScope))
    c.deviation("FED-AUTHZ-03", `the token response grants the unknown scope: scope=${show(scope)}`);
  if (typeof accessTokenScope === "string" && splitScope(accessTokenScope).includes(x.unknownScope))
    c.deviation("FED-AUTHZ-03", `the access token grants the unknown scope: scope=${show(accessTokenScope)}`);
  c.pass("FED-AUTHZ-03", `the sign-in with ${x.unknownScope} succeeded and nothing granted it`);
  c.pass("FED-TRESP-07", `the token response names the granted scope ${show(scope)}`);
  return c.list();
}

/** Status and OAuth error of a token answer, for messages. */
function describe(res: TokenAnswer): string {
  const error = isObject(res.body) ? res.body.error : undefined;
  return `HTTP ${res.status}${error !== undefined ? ` error=${show(error)}` : ""}`;
}

/** FED-ARESP-04: redeeming a code a second time gives 400 invalid_grant. */
export function codeReuseFindings(res: TokenAnswer): Finding[] {
  const error = isObject(res.body) ? res.body.error : undefined;
  if (res.status === 200)
    return [finding("FED-ARESP-04", "failed", "the authorization code was redeemed a second time (HTTP 200 with tokens)")];
  if (res.status === 400 && error === "invalid_grant")
    return [finding("FED-ARESP-04", "passed", "the second redemption was refused with 400 invalid_grant")];
  return [finding("FED-ARESP-04", "failed", `the second redemption answered ${describe(res)}, expected 400 invalid_grant`)];
}

/** FED-REFRESH-01 and FED-TRESP-08: a refresh gives a new access token and no id_token. */
export function refreshFindings(res: TokenAnswer, x: { previousAccessToken?: string }): Finding[] {
  if (res.status !== 200 || !isObject(res.body))
    return [
      finding(
        "FED-REFRESH-01",
        "failed",
        `the refresh grant with a valid refresh token answered ${describe(res)}, expected 200 with a new access token`,
      ),
    ];
  const c = new Findings();
  const at = res.body.access_token;
  if (typeof at !== "string" || at.length === 0) c.deviation("FED-REFRESH-01", "the refresh response has no access_token");
  else if (at === x.previousAccessToken) c.deviation("FED-REFRESH-01", "the refresh response repeats the previous access token");
  if (res.body.id_token !== undefined) c.deviation("FED-TRESP-08", "the refresh grant returned an id_token; only the code grant may");
  c.pass("FED-REFRESH-01", "the refresh grant returned a new access token");
  c.pass("FED-TRESP-08", "the refresh grant returned no id_token");
  return c.list();
}

/**
 * FED-REFRESH-05 (DERIVED; catalogue A46 says record): a refresh token superseded by rotation is
 * refused afterwards with invalid_grant. Without rotation there is nothing to test.
 */
export function supersededRefreshFindings(res: TokenAnswer | undefined): Finding[] {
  if (!res)
    return [
      finding(
        "FED-REFRESH-05",
        "passed",
        "recorded (A46): the refresh response kept the same refresh token (no rotation), so there is no superseded token to reuse",
      ),
    ];
  const error = isObject(res.body) ? res.body.error : undefined;
  if (res.status === 400 && error === "invalid_grant")
    return [
      finding("FED-REFRESH-05", "passed", "recorded (A46): after rotation the superseded refresh token is refused with invalid_grant"),
    ];
  return [
    finding(
      "FED-REFRESH-05",
      "warning",
      `recorded (A46): after rotation the superseded refresh token got ${describe(res)}, expected 400 invalid_grant`,
    ),
  ];
}

/** FED-REFRESH-03: a refresh asking for a scope never granted gives 400 invalid_scope. */
export function refreshWideningFindings(res: TokenAnswer, x: { extraScope: string }): Finding[] {
  const error = isObject(res.body) ? res.body.error : undefined;
  if (res.status === 400 && error === "invalid_scope")
    return [finding("FED-REFRESH-03", "passed", `a refresh adding ${x.extraScope} was refused with 400 invalid_scope`)];
  if (res.status === 200 && isObject(res.body)) {
    const scope = typeof res.body.scope === "string" ? splitScope(res.body.scope) : undefined;
    if (scope && !scope.includes(x.extraScope))
      return [
        finding(
          "FED-REFRESH-03",
          "warning",
          `a refresh adding ${x.extraScope} succeeded without granting it (scope=${show(res.body.scope)}); expected 400 invalid_scope`,
        ),
      ];
    return [
      finding(
        "FED-REFRESH-03",
        "failed",
        `a refresh adding ${x.extraScope}, never granted, succeeded` +
          `${scope ? ` with scope=${show(res.body.scope)}` : ""}; expected 400 invalid_scope`,
      ),
    ];
  }
  return [finding("FED-REFRESH-03", "failed", `a refresh adding ${x.extraScope} answered ${describe(res)}, expected 400 invalid_scope`)];
}
