/**
 * The sign-ins the code-flow checks share, made at most once per environment context: a person
 * (or the simulator) signs in through `env.signIn`, the harness redeems the code, and every check
 * reads the same tokens. Three sign-ins cover everything:
 *
 * - `primary`: the configured scopes and vtr, a state with reserved characters and a nonce with
 *   mixed case and symbols. Most checks use only this one.
 * - `second`: the same scopes, without `vtr` when the configured vtr is the default (so the
 *   default is exercised, FED-AUTHZ-16); for jti uniqueness and code reuse.
 * - `unknown-scope`: the configured scopes plus an unknown one (FED-AUTHZ-03).
 * - `binding`: the same as primary, its code presented with another redirect_uri (FED-ARESP-06).
 * - `code-aged`, `code-expired`, `refresh-lifetime`: the same, their code or refresh token aged
 *   with the simulator's clock hook (lifetimes.ts).
 * - `no-metadata`: the configured scopes without client_metadata, whose token must not update it
 *   (FED-UIP-07).
 *
 * @example
 * ```ts
 * const s = await codeFlowSession(env, "primary")
 * s.idToken?.payload.sub
 * ```
 */
import { randomBytes } from "node:crypto";
import type { JWTPayload, ProtectedHeaderParameters } from "jose";
import { decodeJwtSafely } from "../../jose/decode-jwt.ts";
import { DEFAULT_VTR } from "../../nhs/vot.ts";
import { splitScope } from "../../nhs/scopes.ts";
import type { EnvironmentContext } from "../environment/environment-check.ts";
import type { TokenAnswer } from "./rules.ts";
import { isObject } from "../../json/is-object.ts";
import { endpointOf, exchangeCode, harnessOf } from "./requests.ts";

/** The scope value the unknown-scope sign-in adds. */
export const UNKNOWN_SCOPE = "x_unknown_scope";

export type SessionKind =
  | "primary"
  | "second"
  | "unknown-scope"
  | "binding"
  | "client-binding"
  | "code-aged"
  | "code-expired"
  | "refresh-lifetime"
  | "no-metadata";

/** What the authentication request asked for. */
export interface SentRequest {
  params: Record<string, string>;
  scopes: string[];
  /** The vtr sent, or undefined when none was (the default then applies). */
  vtr?: string[];
  /** The vtr in force: the one sent, or the default. */
  vtrInForce: readonly string[];
  state: string;
  nonce: string;
  redirectUri: string;
}

export interface SignInOutcome {
  kind: SessionKind;
  request: SentRequest;
  /** Where the browser was sent back to. */
  redirect: URL;
}

export interface DecodedToken {
  raw: string;
  header: ProtectedHeaderParameters;
  payload: JWTPayload;
}

export interface CodeFlowSession extends SignInOutcome {
  code: string;
  /** The code exchange's answer, whatever it was. */
  exchange: TokenAnswer;
  idToken?: DecodedToken;
  accessToken?: DecodedToken;
  refreshToken?: string;
  /** The token response's scope when present, else the scopes requested. */
  grantedScopes: string[];
  /** The newest refresh token: rotation replaces it (see `refresh.ts`). */
  latestRefreshToken?: string;
}

interface Memo {
  signIns: Map<SessionKind, Promise<SignInOutcome>>;
  sessions: Map<SessionKind, Promise<CodeFlowSession>>;
  jwks?: Promise<unknown>;
}
const MEMO = new WeakMap<EnvironmentContext, Memo>();

function memoOf(env: EnvironmentContext): Memo {
  let m = MEMO.get(env);
  if (!m) {
    m = { signIns: new Map(), sessions: new Map() };
    MEMO.set(env, m);
  }
  return m;
}

/** A state with reserved characters (FED-ARESP-02) and 128 random bits. */
export function probeState(): string {
  return `${randomBytes(16).toString("base64url")}.a+b/c=d~`;
}

/** A nonce with mixed case and symbols (FED-IDT-08) and 128 random bits. */
export function probeNonce(): string {
  return `N0nce-${randomBytes(16).toString("base64url")}+/=~`;
}

/** True when two vtr lists name the same vectors. */
function sameVectors(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v) => b.includes(v));
}

/**
 * The harness's authentication request for `scopes` and `vtr` (none: the default applies), with a
 * fresh probe state and nonce: every code flow of the environment checks starts from it.
 */
export function authorizeParams(env: EnvironmentContext, scopes: readonly string[], vtr?: readonly string[]): Record<string, string> {
  const harness = harnessOf(env);
  return {
    response_type: "code",
    client_id: harness.clientId,
    redirect_uri: harness.redirectUri,
    scope: scopes.join(" "),
    state: probeState(),
    nonce: probeNonce(),
    ...(vtr ? { vtr: JSON.stringify(vtr) } : {}),
  };
}

/** The authentication request of each kind of sign-in. */
export function requestFor(env: EnvironmentContext, kind: SessionKind): SentRequest {
  const scopes =
    kind === "unknown-scope"
      ? [...env.scopes, UNKNOWN_SCOPE]
      : kind === "no-metadata"
        ? env.scopes.filter((s) => s !== "client_metadata")
        : [...env.scopes];
  const omitVtr = kind === "second" && sameVectors(env.vtr, DEFAULT_VTR);
  const vtr = omitVtr ? undefined : [...env.vtr];
  const params = authorizeParams(env, scopes, vtr);
  return {
    params,
    scopes,
    ...(vtr ? { vtr } : {}),
    vtrInForce: vtr ?? DEFAULT_VTR,
    state: params.state!,
    nonce: params.nonce!,
    redirectUri: params.redirect_uri!,
  };
}

/** The sign-in of `kind`, made once per context: the redirect, whatever it carries. */
export function signInOnce(env: EnvironmentContext, kind: SessionKind): Promise<SignInOutcome> {
  const memo = memoOf(env);
  let p = memo.signIns.get(kind);
  if (!p) {
    p = (async () => {
      if (!env.signIn) throw new Error(env.unavailable["code-flow"] ?? "no way to sign a person in");
      const request = requestFor(env, kind);
      const redirect = await env.signIn(request.params);
      return { kind, request, redirect };
    })();
    memo.signIns.set(kind, p);
  }
  return p;
}

/**
 * The sign-in of `kind` with its code redeemed, made once per context. Throws with the reason
 * when the sign-in gave no code; an unsuccessful exchange is kept in `exchange` for checks to judge.
 */
export function codeFlowSession(env: EnvironmentContext, kind: SessionKind): Promise<CodeFlowSession> {
  const memo = memoOf(env);
  let p = memo.sessions.get(kind);
  if (!p) {
    p = (async () => {
      const outcome = await signInOnce(env, kind);
      const q = outcome.redirect.searchParams;
      const code = q.get("code");
      if (!code) {
        const error = q.get("error");
        throw new Error(
          `the ${kind} sign-in gave no code` +
            `${error ? ` (error=${error}${q.get("error_description") ? `: ${q.get("error_description")}` : ""})` : ""}`,
        );
      }
      const exchange = await exchangeCode(env, code);
      const body = isObject(exchange.body) ? exchange.body : {};
      const idToken = decoded(body.id_token);
      const accessToken = decoded(body.access_token);
      const refreshToken = typeof body.refresh_token === "string" ? body.refresh_token : undefined;
      const grantedScopes = typeof body.scope === "string" ? splitScope(body.scope) : outcome.request.scopes;
      return {
        ...outcome,
        code,
        exchange: { status: exchange.status, headers: exchange.headers, body: exchange.body },
        ...(idToken ? { idToken } : {}),
        ...(accessToken ? { accessToken } : {}),
        ...(refreshToken ? { refreshToken, latestRefreshToken: refreshToken } : {}),
        grantedScopes,
      };
    })();
    memo.sessions.set(kind, p);
  }
  return p;
}

/** The session's ID token, or an error naming what the exchange answered. */
export function requireIdToken(s: CodeFlowSession): DecodedToken {
  if (!s.idToken) throw new Error(`the ${s.kind} code exchange gave no decodable id_token (HTTP ${s.exchange.status})`);
  return s.idToken;
}

/** The session's access token, or an error naming what the exchange answered. */
export function requireAccessToken(s: CodeFlowSession): DecodedToken {
  if (!s.accessToken) throw new Error(`the ${s.kind} code exchange gave no decodable access_token (HTTP ${s.exchange.status})`);
  return s.accessToken;
}

/** The JWKS body, fetched once per context; throws with the reason when unavailable. */
export function jwksOnce(env: EnvironmentContext): Promise<unknown> {
  const memo = memoOf(env);
  memo.jwks ??= (async () => {
    const res = await env.fetchJson(await endpointOf(env, "jwks_uri"));
    if (res.error || res.status !== 200) throw new Error(`JWKS unavailable (${res.error ?? `HTTP ${res.status}`})`);
    return res.body;
  })();
  return memo.jwks;
}

function decoded(token: unknown): DecodedToken | undefined {
  if (typeof token !== "string") return undefined;
  const d = decodeJwtSafely(token);
  return d.ok ? { raw: token, header: d.header, payload: d.payload } : undefined;
}
