/**
 * FED-ARESP-06 (OP): a code is bound to the redirect URI of its authorization request. A fresh
 * code presented with another redirect_uri (the registered one with a path added) is refused with
 * invalid_grant. The other half of the rule, the binding to the client, needs a second client of
 * the harness at the environment and is not probed.
 *
 * @example
 * ```ts
 * const findings = await codeRedirectBindingProbe(env)
 * ```
 */
import type { Finding } from "../../requirements/index.ts";
import type { EnvironmentContext } from "../environment/environment-check.ts";
import { refusalFindings, tokenReplyOf } from "../token-endpoint/rules.ts";
import { harnessOf, tokenRequest } from "./requests.ts";
import { signInOnce } from "./sessions.ts";

export async function codeRedirectBindingProbe(env: EnvironmentContext): Promise<Finding[]> {
  const outcome = await signInOnce(env, "binding");
  const code = outcome.redirect.searchParams.get("code");
  if (!code) throw new Error(`the sign-in gave no code (error=${outcome.redirect.searchParams.get("error") ?? "none"})`);
  const other = `${harnessOf(env).redirectUri.replace(/\/$/, "")}/elsewhere`;
  const res = await tokenRequest(env, { grant_type: "authorization_code", code, redirect_uri: other });
  return refusalFindings({ id: "FED-ARESP-06", expected: ["invalid_grant"], tolerated: ["invalid_request"], pastRuleCode: null }, [
    { label: `a fresh code presented with another redirect_uri (${other})`, reply: tokenReplyOf(res) },
  ]);
}
