/**
 * Authenticate a client by its signed JWT (RFC 7523; EIS §3.5.1 T6; UEV2 T11/T12): RS512,
 * `iss` = `sub` = client_id, `aud` the token endpoint, `exp` required and short, `jti` single
 * use, signed by the client's registered key. Every failure is `invalid_client`.
 *
 * With the `token-lax-client-auth` defect nothing is verified: an assertion whose `iss` (or,
 * failing that, the `client_id` parameter) names a registered client authenticates that client,
 * whatever its signature, algorithm, claims or jti ({@link authenticateLaxly}).
 */
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, type JWTPayload, type ProtectedHeaderParameters } from "jose";
import { verifyJwt } from "./tokens/verify-jwt.ts";
import type { RecordedJwt } from "./tokens/decode-for-record.ts";
import type { SimulatorContext } from "./context.ts";
import type { RegisteredClient } from "./clients.ts";
import { OAuthError } from "./errors.ts";
import { applyHook } from "./hooks/apply-hook.ts";

export interface AuthenticatedClient {
  client: RegisteredClient;
  header: ProtectedHeaderParameters;
  payload: JWTPayload;
}

/** The longest client assertion accepted (and decoded for the event log), in characters. */
export const MAX_ASSERTION_LENGTH = 16 * 1024;

function reject(description: string): never {
  throw new OAuthError("invalid_client", description, 400);
}

/**
 * Verify `assertion` for the token endpoint of `ctx`. `clientIdParam` is the optional
 * `client_id` form parameter, which must then equal the assertion's `iss`. `algorithms` replaces
 * the policy's algorithms (the jwt-bearer grant passes its own, which a defect may widen).
 */
export async function verifyClientAssertion(
  ctx: SimulatorContext,
  assertion: string,
  clientIdParam?: string,
  algorithms?: readonly string[],
  /** The assertion as already decoded for the event log (decode-for-record.ts), so it is not decoded twice. */
  recorded?: RecordedJwt,
): Promise<AuthenticatedClient> {
  if (applyHook(ctx, "clientAuthentication", "verify") === "lax") return authenticateLaxly(ctx, assertion, clientIdParam);
  if (assertion.length > MAX_ASSERTION_LENGTH) reject("client assertion is too large");
  let header: ProtectedHeaderParameters;
  let unverified: JWTPayload;
  if (recorded?.header !== undefined && recorded.payload !== undefined) {
    header = recorded.header as ProtectedHeaderParameters;
    unverified = recorded.payload as JWTPayload;
  } else {
    if (recorded?.error !== undefined) reject("client assertion is not a signed JWT");
    try {
      header = decodeProtectedHeader(assertion);
      unverified = decodeJwt(assertion);
    } catch {
      reject("client assertion is not a signed JWT");
    }
  }
  const policy = ctx.clientAssertion;
  const allowed = algorithms ?? policy.algorithms;
  if (typeof header.alg !== "string" || !allowed.includes(header.alg)) {
    reject(`client assertion must be signed with ${allowed.join(" or ")}`);
  }
  if (typeof unverified.iss !== "string") reject("client assertion has no iss");
  const client = ctx.clients.get(unverified.iss);
  if (!client) reject("unknown client");
  if (clientIdParam !== undefined && clientIdParam !== client.clientId) reject("client_id does not match the client assertion iss");

  const now = ctx.now();
  let payload: JWTPayload;
  try {
    payload = await verifyJwt(assertion, client.publicKey, {
      algorithms: [...allowed],
      issuer: client.clientId,
      subject: client.clientId,
      audience: ctx.endpoints.token,
      requiredClaims: ["exp", "jti"],
      currentDate: new Date(now * 1000),
      clockTolerance: policy.clockToleranceSeconds,
    });
  } catch (err) {
    reject(describeJoseError(err));
  }
  if (typeof payload.exp !== "number" || payload.exp - now > policy.maxLifetimeSeconds) {
    reject(`client assertion exp must be at most ${policy.maxLifetimeSeconds} seconds ahead`);
  }
  if (typeof payload.jti !== "string" || payload.jti.length === 0) reject("client assertion jti must be a non-empty string");
  const replayKey = `${client.clientId} ${payload.jti}`;
  if (!(await ctx.ops.claim("assertionJtis", replayKey, payload.exp))) reject("client assertion jti has already been used");
  return { client, header, payload };
}

/**
 * The `token-lax-client-auth` defect: trust whatever client the request names. The assertion (if
 * any) is decoded but never verified; its `iss`, else the `client_id` parameter, picks the client.
 *
 * @example
 * ```ts
 * // an unsigned assertion with iss = a registered client id is accepted
 * const { client } = authenticateLaxly(ctx, unsignedJwt)
 * ```
 */
export function authenticateLaxly(ctx: SimulatorContext, assertion: string | undefined, clientIdParam?: string): AuthenticatedClient {
  let header: ProtectedHeaderParameters = {};
  let payload: JWTPayload = {};
  if (assertion !== undefined && assertion.length <= MAX_ASSERTION_LENGTH) {
    try {
      header = decodeProtectedHeader(assertion);
      payload = decodeJwt(assertion);
    } catch {
      // not a JWT: fall back on client_id
    }
  }
  const named = typeof payload.iss === "string" && ctx.clients.has(payload.iss) ? payload.iss : clientIdParam;
  const client = named === undefined ? undefined : ctx.clients.get(named);
  if (!client) reject("unknown client");
  return { client, header, payload };
}

function describeJoseError(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return "client assertion has expired";
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `client assertion claim check failed: ${err.claim} (${err.reason})`;
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return "client assertion signature does not verify with the registered key";
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return "client assertion algorithm is not allowed";
  if (err instanceof joseErrors.JOSEError) return `client assertion rejected (${err.code})`;
  return "client assertion rejected";
}
