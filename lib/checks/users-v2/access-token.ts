/**
 * Checks of the Users V2 access token (UEV2 §4.2 T13, §4.3; UEV2-AT-01..12, TTL-06): the claims
 * of Table 13 with their values, a 300 s lifetime, and an RS512 signature that verifies with the
 * environment's JWKS. The claims part is pure (usable on a captured token); the signature part
 * needs the JWKS document.
 *
 * @example
 * ```ts
 * const ctx = { issuer: discovery.issuer, clientId, usersScope, requestedScopes }
 * accessTokenClaimsFindings(token, ctx)
 * await accessTokenSignatureFindings(token, jwksDocument)
 * ```
 */
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from "jose";
import { finding, type Finding } from "../../requirements/index.ts";
import { decodeJwtSafely } from "../../jose/decode-jwt.ts";
import { Findings } from "../findings.ts";
import { schemaGrade } from "./response.ts";
import { USERS_V2_TOKEN_LIFETIME } from "./token-response.ts";

/** The requirements the Users V2 access-token rules judge (Table 13, its signature and lifetime). */
export const USERS_V2_ACCESS_TOKEN_IDS = [
  "UEV2-AT-01",
  "UEV2-AT-02",
  "UEV2-AT-03",
  "UEV2-AT-04",
  "UEV2-AT-05",
  "UEV2-AT-06",
  "UEV2-AT-07",
  "UEV2-AT-08",
  "UEV2-AT-09",
  "UEV2-AT-10",
  "UEV2-AT-11",
  "UEV2-AT-12",
  "TTL-06",
] as const;

export interface AccessTokenContext {
  /** The discovery `issuer`, compared byte for byte (catalogue A4). */
  issuer: string;
  /** The client the token was issued to. */
  clientId: string;
  /** The environment's Users.retrieve scope. */
  usersScope: string;
  /** The scopes the token request asked for. */
  requestedScopes: readonly string[];
  /** The `scope` of the token response, when known, to compare with the claim. */
  grantedScope?: string;
  /** Now, in epoch seconds (default the clock); a captured token is judged at its capture time. */
  now?: number;
  /** Accepted clock skew for `iat`, in seconds (default 60). */
  skewSeconds?: number;
}

const CLIENT_CLAIMS = [
  ["sub", "UEV2-AT-02"],
  ["client_id", "UEV2-AT-08"],
  ["requesting_system", "UEV2-AT-10"],
] as const;

/** UEV2-AT-01..11 and TTL-06, from the decoded claims (no signature check). */
export function accessTokenClaimsFindings(token: string, ctx: AccessTokenContext): Finding[] {
  const out = new Findings();
  const decoded = decodeJwtSafely(token);
  if (!decoded.ok) return [finding("UEV2-AT-01", "failed", `the access token is not a JWT: ${decoded.error}`)];
  const c = decoded.payload as Record<string, unknown>;
  out.addAll(schemaGrade("UEV2-AT-01", "users-v2-access-token-payload", c));
  const show = (v: unknown) => (v === undefined ? "absent" : JSON.stringify(v));

  if (c.iss === ctx.issuer) out.pass("UEV2-AT-01", "iss is the discovery issuer");
  else out.fail("UEV2-AT-01", `iss is ${show(c.iss)}, expected exactly the discovery issuer ${show(ctx.issuer)}`);

  for (const [claim, id] of CLIENT_CLAIMS) {
    if (c[claim] === ctx.clientId) out.pass(id, `${claim} is the client identifier`);
    else out.fail(id, `${claim} is ${show(c[claim])}, expected the client identifier ${show(ctx.clientId)}`);
  }
  if (c.aud === ctx.clientId) out.pass("UEV2-AT-03", "aud is the client identifier");
  else if (Array.isArray(c.aud) && c.aud.length === 1 && c.aud[0] === ctx.clientId) {
    out.warn("UEV2-AT-03", "aud is an array holding only the client identifier; T13 shows a single string");
  } else out.fail("UEV2-AT-03", `aud is ${show(c.aud)}, expected the client identifier ${show(ctx.clientId)}`);

  const now = ctx.now ?? Math.floor(Date.now() / 1000);
  const skew = ctx.skewSeconds ?? 60;
  const iat = c.iat;
  if (!Number.isInteger(iat)) out.fail("UEV2-AT-04", `iat is ${show(iat)}, expected whole epoch seconds`);
  else if ((iat as number) > now + skew) out.fail("UEV2-AT-04", `iat is ${(iat as number) - now} s in the future`);
  else out.pass("UEV2-AT-04", "iat is the creation time in epoch seconds");

  out.addAll(scopeClaimFindings(c.scope, ctx));

  const exp = c.exp;
  if (!Number.isInteger(exp) || !Number.isInteger(iat)) {
    out.fail("UEV2-AT-06", `exp is ${show(exp)} and iat ${show(iat)}, expected whole epoch seconds`);
    out.fail("TTL-06", "the lifetime cannot be read without numeric exp and iat");
  } else {
    const life = (exp as number) - (iat as number);
    for (const id of ["UEV2-AT-06", "TTL-06"]) {
      if (life === USERS_V2_TOKEN_LIFETIME) out.pass(id, `the token lives ${USERS_V2_TOKEN_LIFETIME} s (exp - iat)`);
      else out.fail(id, `the token lives ${life} s (exp - iat), expected ${USERS_V2_TOKEN_LIFETIME}`);
    }
  }

  if (c.version === 0) out.pass("UEV2-AT-07", "version is 0");
  else if (c.version === "0") out.warn("UEV2-AT-07", 'version is the string "0"; T13 shows the number 0');
  else out.fail("UEV2-AT-07", `version is ${show(c.version)}, expected 0`);

  if (c.reason_for_request === "directcare") out.pass("UEV2-AT-09", "reason_for_request is directcare");
  else out.fail("UEV2-AT-09", `reason_for_request is ${show(c.reason_for_request)}, expected "directcare"`);

  if (c.token_use === "access") out.pass("UEV2-AT-11", "token_use is access");
  else out.fail("UEV2-AT-11", `token_use is ${show(c.token_use)}, expected "access"`);
  return out.list();
}

/** UEV2-AT-05: the scope claim lists granted scopes, a subset of the request, holding Users.retrieve. */
function scopeClaimFindings(scope: unknown, ctx: AccessTokenContext): Finding[] {
  const id = "UEV2-AT-05";
  if (typeof scope !== "string")
    return [finding(id, "failed", `scope is ${JSON.stringify(scope ?? null)}, expected a space-separated string`)];
  const out = new Findings();
  const scopes = scope.split(" ").filter((s) => s.length > 0);
  const extra = scopes.filter((s) => !ctx.requestedScopes.includes(s));
  if (extra.length > 0) out.fail(id, `the scope claim holds ${extra.join(", ")}, which was not requested`);
  if (!scopes.includes(ctx.usersScope)) out.fail(id, `the scope claim ${JSON.stringify(scope)} lacks ${ctx.usersScope}`);
  if (ctx.grantedScope !== undefined) {
    const granted = new Set(ctx.grantedScope.split(" ").filter((s) => s.length > 0));
    if (granted.size !== new Set(scopes).size || scopes.some((s) => !granted.has(s))) {
      out.warn(id, `the scope claim ${JSON.stringify(scope)} differs from the token response scope ${JSON.stringify(ctx.grantedScope)}`);
    }
  }
  out.pass(id, `the scope claim ${JSON.stringify(scope)} is a subset of the request and holds Users.retrieve`);
  return out.list();
}

/** UEV2-AT-12: the header says RS512 and the signature verifies with a key of the JWKS. */
export async function accessTokenSignatureFindings(token: string, jwks: unknown): Promise<Finding[]> {
  const id = "UEV2-AT-12";
  const decoded = decodeJwtSafely(token);
  if (!decoded.ok) return [finding(id, "failed", `the access token is not a JWT: ${decoded.error}`)];
  if (decoded.header.alg !== "RS512")
    return [finding(id, "failed", `the access token is signed ${JSON.stringify(decoded.header.alg ?? null)}, expected RS512`)];
  const keys = jwks as JSONWebKeySet | undefined;
  if (!keys || !Array.isArray(keys.keys)) return [finding(id, "failed", "the JWKS has no keys array to verify the access token with")];
  try {
    await compactVerify(token, createLocalJWKSet(keys), { algorithms: ["RS512"] });
    return [finding(id, "passed", `RS512 signature verifies with the JWKS (kid ${JSON.stringify(decoded.header.kid ?? null)})`)];
  } catch (err) {
    return [finding(id, "failed", `the RS512 signature does not verify with the JWKS: ${(err as Error).message}`)];
  }
}
