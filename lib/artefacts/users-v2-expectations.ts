/**
 * What a captured Users V2 answer is judged against: the Users.retrieve scope, the scopes the
 * token request asked for, and those the token was granted. Taken from, in order: the capture's
 * envelope (`request.scope`), `expected.json` (`users_v2.users_scope`, `users_v2.scopes`) and the
 * captured token response (`scope`). The Users.retrieve scope, when not given, is the requested
 * or granted scope ending in `/Users.retrieve`. Undefined members are unknown.
 *
 * @example
 * ```ts
 * const x = usersV2Expectations(set, capture)
 * if (x.usersScope && x.requestedScopes) tokenResponseFindings(capture, { usersScope: x.usersScope, requestedScopes: x.requestedScopes })
 * ```
 */
import { splitScope } from "../nhs/scopes.ts";
import type { ArtefactSet, UsersV2Capture } from "./types.ts";

export interface UsersV2Expectations {
  usersScope?: string;
  requestedScopes?: readonly string[];
  grantedScopes?: readonly string[];
  /** The granted scope as the token response said it. */
  grantedScope?: string;
}

export function usersV2Expectations(set: ArtefactSet, capture?: UsersV2Capture): UsersV2Expectations {
  const expected = set.expected.state === "ok" ? set.expected.value.usersV2 : undefined;
  const tokenCapture =
    capture?.kind === "token-response"
      ? capture
      : set.usersV2.flatMap((a) => (a.state === "ok" && a.value.kind === "token-response" ? [a.value] : []))[0];
  const body = tokenCapture?.body as { scope?: unknown } | undefined;
  const grantedScope = typeof body?.scope === "string" ? body.scope : undefined;
  const fromTokenRequest = tokenCapture?.request?.scope !== undefined ? splitScope(tokenCapture.request.scope) : undefined;
  const requestedScopes = (capture?.kind === "token-response" ? fromTokenRequest : undefined) ?? expected?.scopes ?? fromTokenRequest;
  const grantedScopes = grantedScope !== undefined ? splitScope(grantedScope) : (expected?.scopes ?? fromTokenRequest);
  const usersScope =
    expected?.usersScope ?? [...(requestedScopes ?? []), ...(grantedScopes ?? [])].find((s) => s.endsWith("/Users.retrieve"));
  return {
    ...(usersScope !== undefined ? { usersScope } : {}),
    ...(requestedScopes !== undefined ? { requestedScopes } : {}),
    ...(grantedScopes !== undefined ? { grantedScopes } : {}),
    ...(grantedScope !== undefined ? { grantedScope } : {}),
  };
}
