/**
 * Refresh-grant probes on the primary sign-in's refresh token (FED-REFRESH-01/03/05,
 * FED-TRESP-08). The session keeps the newest refresh token, so a rotation made by one probe
 * is seen by the next.
 *
 * @example
 * ```ts
 * const findings = await refreshRotationProbe(env)
 * ```
 */
import { finding, type Finding } from "../../requirements/index.ts";
import { FEDERATION_SCOPES } from "../../nhs/scopes.ts";
import type { EnvironmentContext } from "../environment/environment-check.ts";
import { refreshFindings, refreshWideningFindings, supersededRefreshFindings } from "./rules.ts";
import { isObject } from "../../json/is-object.ts";
import { endpointOf, harnessOf, refreshRequest } from "./requests.ts";
import { refusalFindings, tokenReplyOf } from "../token-endpoint/rules.ts";
import { codeFlowSession, UNKNOWN_SCOPE, type CodeFlowSession } from "./sessions.ts";

/** Scopes never worth asking for on refresh (bespoke, or exclusive with profile). */
const NOT_FOR_WIDENING = new Set(["openid", "basic_demographics", "gp_integration_credentials", "client_metadata"]);

/** The scope a widening refresh adds: a documented one not granted, else an unknown one. */
export function wideningScope(granted: readonly string[]): string {
  return FEDERATION_SCOPES.find((s) => !granted.includes(s) && !NOT_FOR_WIDENING.has(s)) ?? UNKNOWN_SCOPE;
}

function noRefreshToken(id: string, s: CodeFlowSession): Finding[] | undefined {
  if (s.latestRefreshToken) return undefined;
  return [finding(id, "skipped", `the code exchange issued no refresh_token (optional, FED-TRESP-05; HTTP ${s.exchange.status})`)];
}

/** FED-REFRESH-03: asking for a scope never granted is refused with invalid_scope. */
export async function refreshWideningProbe(env: EnvironmentContext): Promise<Finding[]> {
  const s = await codeFlowSession(env, "primary");
  const none = noRefreshToken("FED-REFRESH-03", s);
  if (none) return none;
  const extra = wideningScope(s.grantedScopes);
  const res = await refreshRequest(env, s.latestRefreshToken!, [...s.grantedScopes, extra].join(" "));
  if (res.status === 200 && isObject(res.body) && typeof res.body.refresh_token === "string") s.latestRefreshToken = res.body.refresh_token;
  return refreshWideningFindings(res, { extraScope: extra });
}

/**
 * FED-REFRESH-01 and FED-TRESP-08: the refresh grant gives a new access token and no id_token;
 * FED-REFRESH-05 (recorded, A46): after rotation, the superseded refresh token is refused.
 */
export async function refreshRotationProbe(env: EnvironmentContext): Promise<Finding[]> {
  const s = await codeFlowSession(env, "primary");
  const none = noRefreshToken("FED-REFRESH-01", s);
  if (none) return none;
  const used = s.latestRefreshToken!;
  const res = await refreshRequest(env, used);
  const out = refreshFindings(res, { ...(s.accessToken ? { previousAccessToken: s.accessToken.raw } : {}) });
  if (res.status !== 200 || !isObject(res.body)) return out;
  const next = res.body.refresh_token;
  if (typeof next === "string" && next !== used) {
    s.latestRefreshToken = next;
    out.push(...supersededRefreshFindings(await refreshRequest(env, used)));
  } else out.push(...supersededRefreshFindings(undefined));
  return out;
}

/**
 * FED-REFRESH-02 (OP): a refresh request is authenticated like every token request. One without a
 * client assertion (client_id only) is refused with invalid_client. Made with the second
 * sign-in's refresh token, so the primary's rotation chain is never disturbed.
 */
export async function refreshWithoutAssertionProbe(env: EnvironmentContext): Promise<Finding[]> {
  const s = await codeFlowSession(env, "second");
  const none = noRefreshToken("FED-REFRESH-02", s);
  if (none) return none;
  const res = await env.http.request({
    method: "POST",
    url: await endpointOf(env, "token_endpoint"),
    form: { grant_type: "refresh_token", refresh_token: s.latestRefreshToken!, client_id: harnessOf(env).clientId },
  });
  return refusalFindings({ id: "FED-REFRESH-02", expected: ["invalid_client"], pastRuleCode: null }, [
    { label: "a refresh request with client_id and no client_assertion", reply: tokenReplyOf(res) },
  ]);
}
