/**
 * FED-ARESP-06 (OP): a code is bound to the client and to the redirect URI of its authorization
 * request. A fresh code presented with another redirect_uri (the registered one with a path added)
 * is refused with invalid_grant; so is a fresh code redeemed by another client of the harness (its
 * Provision Account client, when that is a client of its own), with the right redirect_uri. Without
 * a second client that half is skipped, with the reason.
 *
 * @example
 * ```ts
 * const findings = await codeBindingProbe(env)
 * ```
 */
import { finding, type Finding } from "../../requirements/index.ts";
import type { EnvironmentContext } from "../environment/environment-check.ts";
import { refusalFindings, tokenReplyOf } from "../token-endpoint/rules.ts";
import { harnessOf, tokenRequest } from "./requests.ts";
import { signInOnce } from "./sessions.ts";

const RULE = { id: "FED-ARESP-06", expected: ["invalid_grant"], tolerated: ["invalid_request"], pastRuleCode: null } as const;

/** A fresh code of the harness's client, from a sign-in of its own (`label` keeps sign-ins apart). */
async function freshCode(env: EnvironmentContext, label: "binding" | "client-binding"): Promise<string> {
  const outcome = await signInOnce(env, label);
  const code = outcome.redirect.searchParams.get("code");
  if (!code) throw new Error(`the sign-in gave no code (error=${outcome.redirect.searchParams.get("error") ?? "none"})`);
  return code;
}

export async function codeBindingProbe(env: EnvironmentContext): Promise<Finding[]> {
  const harness = harnessOf(env);
  const other = `${harness.redirectUri.replace(/\/$/, "")}/elsewhere`;
  const redirect = await tokenRequest(env, {
    grant_type: "authorization_code",
    code: await freshCode(env, "binding"),
    redirect_uri: other,
  });
  const out = refusalFindings(RULE, [
    { label: `a fresh code presented with another redirect_uri (${other})`, reply: tokenReplyOf(redirect) },
  ]);
  const second = env.provisionAccount;
  if (!second || second.clientId === harness.clientId)
    return [
      ...out,
      finding(
        "FED-ARESP-06",
        "skipped",
        "the binding to the client needs a second client of the harness at the environment (NHSLOGIN_PA_CLIENT_ID, a client of its own)",
      ),
    ];
  const code = await freshCode(env, "client-binding");
  const stolen = await tokenRequest(env, { grant_type: "authorization_code", code, redirect_uri: harness.redirectUri }, second);
  return [
    ...out,
    ...refusalFindings(RULE, [
      { label: `a fresh code of ${harness.clientId} redeemed by another client (${second.clientId})`, reply: tokenReplyOf(stolen) },
    ]),
  ];
}
