/**
 * Checks of how the environment receives a jwt-bearer token request (UEV2 §3.2.1 T1, §3.2.3.2 T4):
 * only a form-encoded POST is issued a token (UEV2-TOKEN-01); `scope` is mandatory (UEV2-TOKEN-04);
 * and every refusal carries a Table 4 code, `invalid_client` with 401 only together with a
 * `WWW-Authenticate` challenge, which a client that sent an `Authorization` header must get
 * (UEV2-TOKEN-18).
 *
 * @example
 * ```ts
 * formEncodingFindings(res, "the token request sent as JSON")
 * tokenErrorCodeFindings(res, { what: "an unknown grant_type" })
 * missingScopeFindings(res, searchWithTheIssuedToken)
 * ```
 */
import type { Finding } from "../../requirements/index.ts";
import { TOKEN_ERROR_CODES } from "../../nhs/error-codes.ts";
import { Findings } from "../findings.ts";
import { asObject, excerpt, headerOf, jsonBodyOf, type CapturedResponse } from "./response.ts";

/** The `error` code of a token response, or undefined. */
export function tokenErrorCodeOf(res: CapturedResponse): string | undefined {
  const parsed = jsonBodyOf(res);
  const code = parsed.ok ? asObject(parsed.value)?.error : undefined;
  return typeof code === "string" ? code : undefined;
}

/** The access token a response issued (2xx with a string `access_token`), or undefined. */
export function issuedAccessToken(res: CapturedResponse): string | undefined {
  if (res.status < 200 || res.status >= 300) return undefined;
  const parsed = jsonBodyOf(res);
  const token = parsed.ok ? asObject(parsed.value)?.access_token : undefined;
  return typeof token === "string" ? token : undefined;
}

const refusal = (res: CapturedResponse) => {
  const code = tokenErrorCodeOf(res);
  return `HTTP ${res.status}${code ? ` ${code}` : ""}`;
};

/** UEV2-TOKEN-01: a token request that is not a form-encoded POST (`what` says how) is not issued a token. */
export function formEncodingFindings(res: CapturedResponse, what: string): Finding[] {
  const out = new Findings();
  if (issuedAccessToken(res) !== undefined)
    out.fail("UEV2-TOKEN-01", `${what}: HTTP ${res.status} with an access token; only a form-encoded POST may be issued one`);
  else if (res.status >= 500)
    out.fail(
      "UEV2-TOKEN-01",
      `${what}: the token endpoint failed with HTTP ${res.status}, expected a 4xx refusal (body: ${excerpt(res.text)})`,
    );
  else out.pass("UEV2-TOKEN-01", `${what}: no token issued (${refusal(res)})`);
  return out.list();
}

/** The codes UEV2-TOKEN-04 expects for a token request without `scope` (catalogue: record which). */
const MISSING_SCOPE_CODES = ["invalid_request", "invalid_scope"];

/**
 * UEV2-TOKEN-04: a token request without `scope` is refused (400 invalid_request or invalid_scope).
 * If a token is issued anyway, `search` is what /v2/Users answered to it: refused there (it grants
 * nothing) is a lenient reading, recorded as a warning; answered is a failure.
 */
export function missingScopeFindings(res: CapturedResponse, search?: CapturedResponse): Finding[] {
  const out = new Findings();
  const id = "UEV2-TOKEN-04";
  const what = "a token request without scope";
  const token = issuedAccessToken(res);
  if (token === undefined && res.status >= 200 && res.status < 300)
    out.fail(id, `${what}: HTTP ${res.status} without an access_token, expected a 400 refusal (body: ${excerpt(res.text)})`);
  else if (token === undefined) {
    const code = tokenErrorCodeOf(res);
    if (res.status >= 500) out.fail(id, `${what}: the token endpoint failed with HTTP ${res.status}, expected 400 invalid_request`);
    else if (res.status === 400 && code !== undefined && MISSING_SCOPE_CODES.includes(code))
      out.pass(id, `${what} was refused: HTTP 400 ${code} (recorded)`);
    else out.warn(id, `${what} was refused with ${refusal(res)}, expected 400 ${MISSING_SCOPE_CODES.join(" or ")} (recorded)`);
  } else if (!search) out.fail(id, `${what}: a token was issued (HTTP ${res.status}); scope is mandatory`);
  else if (search.status >= 200 && search.status < 300)
    out.fail(id, `${what}: a token was issued, and /v2/Users answered it HTTP ${search.status}; scope is mandatory`);
  else
    out.warn(
      id,
      `${what}: a token was issued, which /v2/Users refuses (HTTP ${search.status}: ${excerpt(search.text, 120)}), ` +
        "so it grants nothing; the catalogue expects 400 at /token (recorded)",
    );
  return out.list();
}

export interface TokenErrorProbe {
  /** What was sent, for messages. */
  what: string;
  /** The request carried an `Authorization` header (then invalid_client MUST be 401 with WWW-Authenticate). */
  authorizationHeader?: boolean;
}

/** UEV2-TOKEN-18: the refusal's `error` is a Table 4 code, and invalid_client is told the RFC 6749 §5.2 way. */
export function tokenErrorCodeFindings(res: CapturedResponse, probe: TokenErrorProbe): Finding[] {
  const out = new Findings();
  const id = "UEV2-TOKEN-18";
  const { what } = probe;
  if (res.status >= 200 && res.status < 300) {
    out.fail(id, `${what}: the token endpoint answered HTTP ${res.status}: it must be refused with a Table 4 error`);
    return out.list();
  }
  const code = tokenErrorCodeOf(res);
  const challenge = headerOf(res, "www-authenticate");
  if (code === undefined) out.fail(id, `${what}: HTTP ${res.status} without an error code (body: ${excerpt(res.text)})`);
  else if (!(TOKEN_ERROR_CODES as readonly string[]).includes(code))
    out.fail(id, `${what}: error ${JSON.stringify(code)} is not one of Table 4: ${TOKEN_ERROR_CODES.join(", ")}`);
  if (res.status >= 500) out.fail(id, `${what}: HTTP ${res.status}, expected a 4xx refusal for a request that can be judged`);
  if (code === "invalid_client" && res.status === 401 && !challenge)
    out.fail(id, `${what}: 401 invalid_client without a WWW-Authenticate header`);
  if (code === "invalid_client" && probe.authorizationHeader && res.status !== 401)
    out.fail(
      id,
      `${what}: invalid_client with HTTP ${res.status}; a client that used the Authorization header must get 401 and WWW-Authenticate`,
    );
  out.pass(id, `${what}: refused with ${refusal(res)}${challenge ? ` and WWW-Authenticate ${challenge}` : ""}`);
  return out.list();
}
