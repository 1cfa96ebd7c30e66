/**
 * What the conformance suites run against, started once per run (targets.ts, by the runner or
 * the global setup) and handed to every suite file through vitest's provide/inject: the NHS
 * login environment, and the service under test (with the simulator playing NHS login for it).
 */
import { inject } from "vitest";
import type { MissingVariable } from "../../lib/config/index.ts";
import type { PaTestPatient } from "../../lib/config/types.ts";
import type { ServiceTarget } from "../../lib/checks/service/service-target.ts";

export type { ServiceTarget };

export interface EnvironmentTarget {
  /** `simulator` when the embedded simulator stands in for NHS login. */
  kind: "simulator" | "remote";
  environment: string;
  issuer: string;
  /** The harness's own client there, when configured (always, for the simulator). */
  harness?: { clientId: string; privateKeyPem: string; redirectUri: string };
  usersScope?: string;
  /** The Provision Account API and the client the harness calls it as, when configured (always, for the simulator). */
  provisionAccount?: {
    url: string;
    clientId: string;
    privateKeyPem: string;
    odsCode: string;
    /** A test patient of the environment (NHSLOGIN_PA_TEST_PATIENT); the simulator makes its own. */
    testPatient?: PaTestPatient;
  };
  /** Variables a remote environment still needs, with why. */
  missing: MissingVariable[];
  http: { timeoutMs: number; maxResponseBytes: number; ca?: string[] };
  /** The embedded simulator's control channel (never a real environment's): who signs in next. */
  control?: { url: string; controlSecret: string };
}

declare module "vitest" {
  interface ProvidedContext {
    environmentTarget: EnvironmentTarget;
    serviceTarget: ServiceTarget;
    /** Set by the runner when it started the targets of its selection (the global setup then does nothing). */
    targetsStarted: boolean;
  }
}

/** The environment under test. */
export function environmentTarget(): EnvironmentTarget {
  return inject("environmentTarget");
}

/** The service under test. */
export function serviceTarget(): ServiceTarget {
  return inject("serviceTarget");
}
