/**
 * Run a table of environment checks as conformance tests against the configured target.
 */
import { createPrivateKey } from "node:crypto";
import { afterAll, describe } from "vitest";
import { createEnvironmentContext } from "../../lib/checks/create-environment-context.ts";
import { runEnvironmentCheck, type EnvironmentCheck, type EnvironmentContext } from "../../lib/checks/environment-check.ts";
import { check } from "./check.ts";
import { loadConfig } from "../../lib/config/index.ts";
import { PERSONAS } from "../../lib/simulator/personas.ts";
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
    ...identities(target),
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

/**
 * Test accounts, scopes and vectors for the checks. Against the embedded simulator: its P9 and P5
 * personas; against a real environment: the NHSLOGIN_TEST_* variables.
 */
function identities(target: EnvironmentTarget) {
  const config = loadConfig();
  const n = config.nhslogin;
  const base = { scopes: n.scopes, vtr: n.vtr, ...(n.usersScopes.length > 0 ? { usersScopes: n.usersScopes } : {}) };
  if (target.kind === "simulator") {
    const [first, second] = [PERSONAS.find((p) => p.id === "p9")!, PERSONAS.find((p) => p.id === "p5")!];
    return { ...base, testNhsNumber: first.nhsNumber!, testEmail: first.email, testNhsNumber2: second.nhsNumber!, testEmail2: second.email };
  }
  return {
    ...base,
    ...(n.testNhsNumber ? { testNhsNumber: n.testNhsNumber } : {}),
    ...(n.testEmail ? { testEmail: n.testEmail } : {}),
    ...(n.testNhsNumber2 ? { testNhsNumber2: n.testNhsNumber2 } : {}),
    ...(n.testEmail2 ? { testEmail2: n.testEmail2 } : {}),
  };
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
