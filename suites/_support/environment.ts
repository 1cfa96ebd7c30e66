/**
 * Run a table of environment checks as conformance tests against the configured target.
 */
import { createPrivateKey } from "node:crypto";
import { madeUpTestPatient } from "../../lib/checks/provision-account/requests.ts";
import { afterAll, describe } from "vitest";
import { createEnvironmentContext } from "../../lib/checks/environment/create-environment-context.ts";
import {
  environmentGate,
  type EnvironmentCheck,
  type EnvironmentContext,
  type ProvisionAccountAccess,
} from "../../lib/checks/environment/environment-check.ts";
import { runCheck } from "../../lib/checks/run-check.ts";
import { check } from "./check.ts";
import { loadConfig } from "../../lib/config/index.ts";
import { PERSONAS } from "../../lib/simulator/personas.ts";
import { USERS_V2_OPTIONAL_SCOPES } from "../../lib/nhs/scopes.ts";
import { createAssistedSignIn } from "../../lib/checks/environment/assisted-sign-in.ts";

/** How long a person has to sign in, per sign-in, in assisted mode. */
const ASSISTED_TIMEOUT_MS = 5 * 60_000;
import { environmentTarget, type EnvironmentTarget } from "./target.ts";
import { createControlClient } from "../../lib/checks/service/control-client.ts";

/**
 * A new environment context (one per suite file: suite files share a worker's module cache, so
 * nothing here may be kept between them; each file closes its own HTTP client).
 */
export function environmentContext(target: EnvironmentTarget = environmentTarget()): EnvironmentContext {
  let ctx: EnvironmentContext | undefined;
  // Against a real environment a person signs in (assisted mode); under CI those checks skip.
  const assisted =
    target.kind === "remote" && target.harness?.redirectUri
      ? createAssistedSignIn({
          redirectUri: target.harness.redirectUri,
          timeoutMs: ASSISTED_TIMEOUT_MS,
          print: (line) => process.stderr.write(`${line}\n`),
          authorizationEndpoint: async () => {
            const e = (await ctx!.discovery()).authorization_endpoint;
            if (typeof e !== "string") throw new Error("discovery names no authorization_endpoint");
            return e;
          },
        })
      : undefined;
  const control = target.control;
  ctx = createEnvironmentContext({
    ...(assisted ? { signIn: assisted.signIn } : {}),
    ...(control && target.harness
      ? {
          choosePerson: (persona: string) => createControlClient(control, ctx!.http).arm({ persona, clientId: target.harness!.clientId }),
        }
      : {}),
    ...(control ? { ageGrant: (request) => createControlClient(control, ctx!.http).age(request) } : {}),
    issuer: target.issuer,
    simulator: target.kind === "simulator",
    ...(target.harness
      ? {
          harness: {
            clientId: target.harness.clientId,
            privateKey: createPrivateKey(target.harness.privateKeyPem),
            redirectUri: target.harness.redirectUri,
          },
        }
      : {}),
    ...(target.usersScope ? { usersScope: target.usersScope } : {}),
    ...provisionAccess(target),
    ...identities(target),
    http: {
      timeoutMs: target.http.timeoutMs,
      maxResponseBytes: target.http.maxResponseBytes,
      ...(target.http.ca ? { ca: target.http.ca } : {}),
    },
    unavailable: {
      ...assisted?.unavailable,
      ...(target.environment === "production"
        ? { "pa-test-patient": "the harness never provisions anyone in production, where every account is a real person's" }
        : {}),
      ...Object.fromEntries(
        (["harness-client", "code-flow", "users-v2", "provision-account"] as const).flatMap((cap) => {
          const vars = target.missing.filter((m) => m.features.some((f) => (cap === "harness-client" ? f === "token" : f === cap)));
          return vars.length > 0 ? [[cap, `missing configuration: ${vars.map((v) => `${v.variable} (${v.why})`).join("; ")}`]] : [];
        }),
      ),
    },
  });
  return ctx;
}

/**
 * Provision Account access: the configured one, or the simulator's, with a test patient made up
 * for this context there (a checksum-valid 999 number no persona has: a create).
 */
function provisionAccess(target: EnvironmentTarget): { provisionAccount?: ProvisionAccountAccess } {
  const pa = target.provisionAccount;
  if (!pa) return {};
  // Never in production: every account there is a real person's.
  const testPatient =
    target.environment === "production" ? undefined : (pa.testPatient ?? (target.kind === "simulator" ? madeUpTestPatient() : undefined));
  return {
    provisionAccount: {
      url: pa.url,
      clientId: pa.clientId,
      privateKey: createPrivateKey(pa.privateKeyPem),
      odsCode: pa.odsCode,
      ...(testPatient ? { testPatient } : {}),
    },
  };
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
    // The simulator approves every scope for the harness: add client_metadata so the PATCH checks run too,
    // and request every T14 Users V2 scope unless NHSLOGIN_USERS_SCOPES says otherwise (UEV2-RESP-12/13/18).
    const scopes = base.scopes.includes("client_metadata") ? base.scopes : [...base.scopes, "client_metadata"];
    return {
      ...base,
      scopes,
      usersScopes: n.usersScopes.length > 0 ? n.usersScopes : USERS_V2_OPTIONAL_SCOPES,
      testNhsNumber: first.nhsNumber!,
      testEmail: first.email,
      testNhsNumber2: second.nhsNumber!,
      testEmail2: second.email,
    };
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
      check(
        {
          ids: c.ids,
          title: c.title,
          epic: "Environment",
          area: c.area,
          exchanges: () => env.http.exchanges,
          parameters: { issuer: env.issuer },
        },
        () => runCheck(c, env, environmentGate),
      );
    }
  });
}
