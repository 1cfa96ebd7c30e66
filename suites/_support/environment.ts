/**
 * Run a table of environment checks as conformance tests against the configured target.
 */
import { createPrivateKey } from "node:crypto";
import { afterAll, describe } from "vitest";
import { createEnvironmentContext } from "../../lib/checks/create-environment-context.ts";
import { runEnvironmentCheck, type EnvironmentCheck, type EnvironmentContext } from "../../lib/checks/environment-check.ts";
import { check } from "./check.ts";
import { environmentTarget, type EnvironmentTarget } from "./target.ts";

let shared: EnvironmentContext | undefined;

/** The environment context for this run (one per suite file). */
export function environmentContext(target: EnvironmentTarget = environmentTarget()): EnvironmentContext {
  shared ??= createEnvironmentContext({
    issuer: target.issuer,
    simulator: target.kind === "simulator",
    ...(target.harness
      ? { harness: { clientId: target.harness.clientId, privateKey: createPrivateKey(target.harness.privateKeyPem), redirectUri: target.harness.redirectUri } }
      : {}),
    ...(target.usersScope ? { usersScope: target.usersScope } : {}),
    http: { timeoutMs: target.http.timeoutMs, maxResponseBytes: target.http.maxResponseBytes, ...(target.http.ca ? { ca: target.http.ca } : {}) },
    unavailable: Object.fromEntries(
      (["harness-client", "code-flow", "users-v2"] as const).flatMap((cap) => {
        const vars = target.missing.filter((m) => m.features.some((f) => (cap === "harness-client" ? f === "token" : f === cap)));
        return vars.length > 0 ? [[cap, `missing configuration: ${vars.map((v) => `${v.variable} (${v.why})`).join("; ")}`]] : [];
      }),
    ),
  });
  return shared;
}

/** Declare one conformance test per check, grouped under a describe block. */
export function environmentSuite(name: string, checks: readonly EnvironmentCheck[]): void {
  const env = environmentContext();
  describe(`${name}: ${env.issuer}`, () => {
    afterAll(() => env.http.close());
    for (const c of checks) {
      check({ ids: c.ids, title: c.title, epic: "Environment", feature: c.feature }, () => runEnvironmentCheck(c, env));
    }
  });
}
