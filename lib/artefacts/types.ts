/**
 * The shapes of a folder of captured artefacts once loaded: every file either parsed, missing,
 * or unreadable with the reason. Nothing here throws; checks decide what a missing or unreadable
 * file means (a skip or a failure).
 *
 * @example
 * ```ts
 * const set: ArtefactSet = await loadArtefacts("/captures/run-1")
 * if (set.idToken.state === "ok") set.idToken.value.payload.nonce
 * else set.idToken.reason // "id_token.jwt is not in /captures/run-1"
 * ```
 */
import type { JWTPayload, ProtectedHeaderParameters } from "jose";
import type { CapturedResponse } from "../checks/users-v2/response.ts";
import type { Exchange } from "../http/index.ts";

/** One file of the folder: parsed, absent, or present but unusable. */
export type Artefact<T> =
  | { state: "ok"; file: string; value: T }
  | { state: "missing"; file: string; reason: string }
  | { state: "unreadable"; file: string; reason: string };

/** A compact JWT as captured, decoded but not verified. */
export interface CapturedToken {
  raw: string;
  header: ProtectedHeaderParameters;
  payload: JWTPayload;
}

/**
 * An HTTP answer as captured: a bare body (status inferred from its shape, headers unknown) or
 * an envelope `{ status, headers, body }` (see docs/artefacts.md).
 */
export interface CapturedAnswer extends CapturedResponse {
  /** Header names in lower case (empty for a bare body). */
  headers: Record<string, string>;
  /** The body parsed as JSON (undefined when it is not JSON). */
  body: unknown;
  /** "envelope" when status and headers were recorded; "bare" when only the body was. */
  form: "envelope" | "bare";
  /** What the envelope says about the request that got this answer, when it says anything. */
  request?: { filter?: string; scope?: string };
}

/** What a `users-v2-*.json` capture is, told from its body. */
export type UsersV2Kind = "token-response" | "list-response" | "error";

export interface UsersV2Capture extends CapturedAnswer {
  kind: UsersV2Kind;
}

/** What the flow asked for (`expected.json`). */
export interface ArtefactExpectations {
  issuer: string;
  clientId: string;
  nonce?: string;
  /** The vtr sent; undefined when none was sent (the default vtr then applies). */
  vtr?: readonly string[];
  /** Scopes of the authentication request. */
  scopes: readonly string[];
  /** When the artefacts were captured, epoch seconds: expiry is judged against it when given. */
  capturedAt?: number;
  /** The Users V2 token request: the Users.retrieve scope and the scopes requested. */
  usersV2?: { usersScope?: string; scopes?: readonly string[] };
}

/** The JWKS the signatures are checked with, or why there is none. */
export type SigningKeys = { ok: true; jwks: unknown; from: string } | { ok: false; reason: string };

export interface ArtefactSet {
  /** The folder read, or undefined when there is none to read (then `unavailable` says why). */
  dir?: string;
  unavailable?: string;
  idToken: Artefact<CapturedToken>;
  accessToken: Artefact<CapturedToken>;
  userinfo: Artefact<CapturedAnswer>;
  /** One entry per `users-v2-*.json`, in file-name order. */
  usersV2: readonly Artefact<UsersV2Capture>[];
  jwks: Artefact<unknown>;
  expected: Artefact<ArtefactExpectations>;
  /** `public_key.pem`, as text: the public key the partner submits to NHS login. */
  publicKey: Artefact<string>;
  /** `jwks.json`, else the issuer's JWKS fetched through its discovery document (once). */
  signingKeys(): Promise<SigningKeys>;
  /** HTTP exchanges made to fetch the JWKS, for reports. */
  readonly exchanges: readonly Exchange[];
}
