/**
 * Authenticate a protected-resource request by its bearer token (RFC 6750 §2.1): the
 * `Authorization: Bearer <token>` header, a token this simulator issued for `kind` (a JWT it
 * signed, or an opaque token a fault issued), not revoked and not expired. Every failure is an
 * OAuthError with status 401 and the `WWW-Authenticate` challenge of RFC 6750 §3.
 *
 * @example
 * ```ts
 * const record = await authenticateBearer(ctx, req.headers.authorization, { kind: "provision-account", realm: "provision-account" })
 * record.clientId // the client the token was issued to
 * ```
 */
import { errors as joseErrors, type JWTPayload } from "jose";
import type { SimulatorContext } from "../context.ts";
import type { AccessTokenRecord } from "../state.ts";
import { OAuthError } from "../errors.ts";
import { verifyOwnToken } from "./sign.ts";

export interface BearerOptions {
  /** The kind of access token the resource takes. */
  kind: AccessTokenRecord["kind"];
  /** The realm of the challenge. */
  realm: string;
  /**
   * A record for a token the simulator signed but no longer remembers (its stores were reset
   * between scenarios, which NHS login never does): undefined refuses it.
   */
  recover?: (payload: JWTPayload) => AccessTokenRecord | undefined;
}

export async function authenticateBearer(
  ctx: SimulatorContext,
  header: string | undefined,
  options: BearerOptions,
): Promise<AccessTokenRecord & { jti?: string }> {
  const refuse = (error: string | undefined, description: string) => bearerError(options.realm, error, description);
  if (header === undefined) throw refuse(undefined, "no access token in the Authorization header");
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header);
  if (!match) throw refuse("invalid_token", "the Authorization header must be Bearer followed by the access token");
  let jti: unknown = await ctx.ops.get("opaqueAccessTokens", match[1]!);
  let payload: JWTPayload | undefined;
  try {
    // A JWT of this simulator, unless the token is one of the opaque ones a fault issued.
    if (jti === undefined) {
      payload = await verifyOwnToken(ctx, match[1]!);
      jti = payload.jti;
    }
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw refuse("invalid_token", "the access token has expired");
    throw refuse("invalid_token", "the access token is not valid");
  }
  const stored = typeof jti === "string" ? await ctx.ops.get("accessTokens", jti) : undefined;
  const record = stored ? { ...stored, jti: jti as string } : payload && options.recover?.(payload);
  if (record?.kind !== options.kind) throw refuse("invalid_token", "the access token is not valid for this endpoint");
  if (record.revoked) throw refuse("invalid_token", "the access token has been revoked");
  if (record.expiresAt <= ctx.now()) throw refuse("invalid_token", "the access token has expired");
  return record;
}

/** A 401 with the RFC 6750 challenge; with no credentials at all, the challenge carries no error code (§3.1). */
export function bearerError(realm: string, error: string | undefined, description: string): OAuthError {
  const challenge =
    error === undefined ? `Bearer realm="${realm}"` : `Bearer realm="${realm}", error="${error}", error_description="${description}"`;
  return new OAuthError(error ?? "invalid_request", description, 401, { "www-authenticate": challenge });
}

/** The shape of an Authorization header: its scheme and whether a token follows (the token is never recorded). */
export function describeAuthorization(header: string | undefined): { present: boolean; scheme?: string; bearer?: boolean } {
  if (header === undefined) return { present: false };
  const scheme = header.split(" ")[0] ?? "";
  return { present: true, scheme, bearer: /^Bearer [A-Za-z0-9\-._~+/]+=*$/.test(header) };
}
