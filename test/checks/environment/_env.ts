/**
 * Test helper: an embedded simulator with the harness client registered, and the environment
 * context the environment checks run with.
 */
import { runCheck } from "../../../lib/checks/run-check.ts";
import { generateKeyPairSync } from "node:crypto";
import { startSimulator, type Simulator, type SimulatorOptions } from "../../../lib/simulator/start-simulator.ts";
import { createEnvironmentContext } from "../../../lib/checks/environment/create-environment-context.ts";
import { environmentGate, type EnvironmentCheck, type EnvironmentContext } from "../../../lib/checks/environment/environment-check.ts";
import { DEFAULT_HARNESS_CLIENT_ID, DEFAULT_PA_ODS_CODE, HARNESS_REDIRECT_URI } from "../../../lib/simulator/from-config.ts";
import { PROVISION_ACCOUNT_PATH } from "../../../lib/nhs/provision-account/codes.ts";
import { madeUpTestPatient } from "../../../lib/checks/provision-account/requests.ts";

/** The harness's Provision Account client (a client of its own, as the run registers it). */
const PA_CLIENT_ID = `${DEFAULT_HARNESS_CLIENT_ID}-provision-account`;
import { FEDERATION_SCOPES } from "../../../lib/nhs/scopes.ts";
import { EIS_PROFILES } from "../../../lib/nhs/vot.ts";
import type { Finding, FindingStatus } from "../../../lib/requirements/index.ts";
import { overallStatus } from "../../../lib/checks/grade.ts";

export interface TestEnvironment {
  sim: Simulator;
  env: EnvironmentContext;
  /** A new context for the same simulator and harness client. */
  fresh(): EnvironmentContext;
  stop(): Promise<void>;
}

/** `ca`: the CA certificate (PEM) the harness trusts, for a simulator started with `tls`. */
export async function startTestEnvironment(options: SimulatorOptions = {}, extra: { ca?: string } = {}): Promise<TestEnvironment> {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const sim = await startSimulator({
    ...options,
    clients: [
      {
        clientId: DEFAULT_HARNESS_CLIENT_ID,
        redirectUris: [HARNESS_REDIRECT_URI],
        publicKey: privateKey,
        scopes: FEDERATION_SCOPES,
        vtr: EIS_PROFILES,
        usersV2Scopes: "all",
        ssoFrom: [DEFAULT_HARNESS_CLIENT_ID],
      },
      {
        clientId: PA_CLIENT_ID,
        redirectUris: [HARNESS_REDIRECT_URI],
        publicKey: privateKey,
        provisionAccount: { odsCodes: [DEFAULT_PA_ODS_CODE] },
      },
      ...(options.clients ?? []),
    ],
  });
  const fresh = () =>
    createEnvironmentContext({
      issuer: sim.issuer,
      simulator: true,
      harness: { clientId: DEFAULT_HARNESS_CLIENT_ID, privateKey, redirectUri: HARNESS_REDIRECT_URI },
      usersScope: sim.usersScope,
      provisionAccount: {
        url: `${sim.issuer}${PROVISION_ACCOUNT_PATH}`,
        clientId: PA_CLIENT_ID,
        privateKey,
        odsCode: DEFAULT_PA_ODS_CODE,
        testPatient: madeUpTestPatient(),
      },
      http: { timeoutMs: 5000, ...(extra.ca ? { ca: extra.ca } : {}) },
      choosePerson: (persona) => sim.arm({ persona, clientId: DEFAULT_HARNESS_CLIENT_ID }),
      ageGrant: async (request) => {
        if (!sim.age(request)) throw new Error("the simulator holds no such grant");
      },
    });
  const env = fresh();
  return {
    sim,
    env,
    fresh,
    stop: async () => {
      await env.http.close();
      await sim.stop();
    },
  };
}

/**
 * Run one check in a fresh context (nothing cached from before a defect was set) and give its
 * overall status with the messages, for assertions.
 */
export async function statusOf(
  check: EnvironmentCheck,
  t: TestEnvironment,
): Promise<{ status: FindingStatus; messages: string; findings: Finding[] }> {
  const env = t.fresh();
  try {
    const findings = await runCheck(check, env, environmentGate);
    return {
      status: overallStatus(findings),
      messages: findings.map((f) => `${f.requirement} ${f.status}: ${f.message}`).join("\n"),
      findings,
    };
  } finally {
    await env.http.close();
  }
}
