/**
 * Checks of the jwt-bearer token response (UEV2 §3.2.3.1 T2; UEV2-TOKEN-12..16): 200
 * `application/json` with `Cache-Control: no-store` and `Pragma: no-cache`, a JWT `access_token`,
 * `token_type` Bearer, `expires_in` 300 matching the token's `exp - iat`, and a `scope` drawn
 * from the requested Users V2 scopes. The body is graded against `users-v2-token-response`.
 *
 * @example
 * ```ts
 * tokenResponseFindings(res, { requestedScopes: [usersScope, "profile"], usersScope })
 * ```
 */
import type { Finding } from "../../requirements/index.ts";
import { decodeJwtSafely } from "../../jose/decode-jwt.ts";
import { USERS_V2_OPTIONAL_SCOPES } from "../../nhs/scopes.ts";
import { Findings } from "../findings.ts";
import { noStoreHeaderProblems } from "../rules/no-store-headers.ts";
import { asObject, excerpt, jsonBodyOf, mediaTypeOf, schemaGrade, type CapturedResponse } from "./response.ts";

export interface TokenResponseContext {
  /** The scopes the token request asked for. */
  requestedScopes: readonly string[];
  /** The environment's Users.retrieve scope. */
  usersScope: string;
}

/** The access-token lifetime of UEV2 T2/T13, in seconds. */
export const USERS_V2_TOKEN_LIFETIME = 300;

export function tokenResponseFindings(res: CapturedResponse, ctx: TokenResponseContext): Finding[] {
  const out = new Findings();
  if (res.status !== 200) {
    out.fail("UEV2-TOKEN-12", `the token endpoint answered HTTP ${res.status}, expected 200 (body: ${excerpt(res.text)})`);
    return out.list();
  }
  const type = mediaTypeOf(res);
  if (type !== "application/json") out.fail("UEV2-TOKEN-12", `Content-Type is ${type ?? "absent"}, expected application/json`);
  for (const p of noStoreHeaderProblems(res.headers)) {
    out.fail("UEV2-TOKEN-12", p.message, { expected: `${p.header}: ${p.expected}`, actual: p.actual ?? "absent" });
  }
  out.pass("UEV2-TOKEN-12", "200 application/json with Cache-Control no-store and Pragma no-cache");

  const parsed = jsonBodyOf(res);
  const body = parsed.ok ? asObject(parsed.value) : undefined;
  if (!body) {
    out.fail("UEV2-TOKEN-13", parsed.ok ? "the token response is not a JSON object" : parsed.error);
    return out.list();
  }
  out.addAll(schemaGrade("UEV2-TOKEN-13", "users-v2-token-response", body));

  const token = body.access_token;
  const decoded = decodeJwtSafely(token);
  if (typeof token !== "string" || token.length === 0) out.fail("UEV2-TOKEN-13", "access_token is absent or not a string");
  else if (!decoded.ok) out.fail("UEV2-TOKEN-13", `access_token is not a signed JWT: ${decoded.error}`);
  else out.pass("UEV2-TOKEN-13", "access_token is a three-part signed JWT");

  const tokenType = body.token_type;
  if (tokenType === "Bearer") out.pass("UEV2-TOKEN-14", "token_type is Bearer");
  else if (typeof tokenType === "string" && tokenType.toLowerCase() === "bearer") {
    out.warn(
      "UEV2-TOKEN-14",
      `token_type is ${JSON.stringify(tokenType)}: Bearer in another letter case (T2 says "Bearer"; RFC 6749 compares case-insensitively)`,
    );
  } else out.fail("UEV2-TOKEN-14", `token_type is ${JSON.stringify(tokenType ?? null)}, expected "Bearer"`);

  const expiresIn = body.expires_in;
  if (expiresIn !== USERS_V2_TOKEN_LIFETIME) {
    out.fail("UEV2-TOKEN-15", `expires_in is ${JSON.stringify(expiresIn ?? null)}, expected the number ${USERS_V2_TOKEN_LIFETIME}`);
  }
  if (decoded.ok) {
    const { exp, iat } = decoded.payload;
    if (typeof exp === "number" && typeof iat === "number" && exp - iat !== USERS_V2_TOKEN_LIFETIME) {
      out.fail("UEV2-TOKEN-15", `the access token lives ${exp - iat} s (exp - iat), expected ${USERS_V2_TOKEN_LIFETIME}`);
    }
  }
  out.pass("UEV2-TOKEN-15", `expires_in is ${USERS_V2_TOKEN_LIFETIME} and the token's exp - iat agrees`);

  out.addAll(grantedScopeFindings(body.scope, ctx));
  return out.list();
}

/** UEV2-TOKEN-16: the returned scope is a subset of the requested Users V2 scopes and holds Users.retrieve. */
export function grantedScopeFindings(scope: unknown, ctx: TokenResponseContext): Finding[] {
  const out = new Findings();
  const id = "UEV2-TOKEN-16";
  if (scope === undefined) {
    out.warn(id, "the token response has no scope member, so the granted scopes are unknown (T2 returns them)");
    return out.list();
  }
  if (typeof scope !== "string") {
    out.fail(id, `scope is ${JSON.stringify(scope)}, expected a space-separated string`);
    return out.list();
  }
  const granted = scope.split(" ").filter((s) => s.length > 0);
  const allowed = new Set<string>([ctx.usersScope, ...USERS_V2_OPTIONAL_SCOPES]);
  const notRequested = granted.filter((s) => !ctx.requestedScopes.includes(s));
  const unknown = granted.filter((s) => !allowed.has(s));
  if (notRequested.length > 0)
    out.fail(id, `scope grants ${notRequested.join(", ")}, which was not requested (requested: ${ctx.requestedScopes.join(" ")})`);
  if (unknown.length > 0) out.fail(id, `scope holds ${unknown.join(", ")}, not a Users V2 scope (allowed: ${[...allowed].join(" ")})`);
  if (!granted.includes(ctx.usersScope)) {
    out.fail(
      id,
      `scope ${JSON.stringify(scope)} lacks ${ctx.usersScope}: ` +
        "the Users.retrieve scope was requested but not granted (is the client approved for it?)",
    );
  }
  const dropped = ctx.requestedScopes.filter((s) => !granted.includes(s));
  out.pass(
    id,
    `scope ${JSON.stringify(scope)} is a subset of the request` +
      `${dropped.length > 0 ? ` (not granted, presumably not approved for the client: ${dropped.join(" ")})` : ""}`,
  );
  return out.list();
}
