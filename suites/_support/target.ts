/**
 * What the conformance suites run against, decided once per run by the global setup and handed
 * to every suite file through vitest's provide/inject.
 */
import { inject } from "vitest";
import type { MissingVariable } from "../../lib/config/index.ts";

export interface EnvironmentTarget {
  /** `simulator` when the embedded simulator stands in for NHS login. */
  kind: "simulator" | "remote";
  environment: string;
  issuer: string;
  /** The harness's own client there, when configured (always, for the simulator). */
  harness?: { clientId: string; privateKeyPem: string; redirectUri: string };
  usersScope?: string;
  /** Variables a remote environment still needs, with why. */
  missing: MissingVariable[];
  http: { timeoutMs: number; maxResponseBytes: number; ca?: string[] };
}

declare module "vitest" {
  interface ProvidedContext {
    environmentTarget: EnvironmentTarget;
  }
}

/** The environment under test. */
export function environmentTarget(): EnvironmentTarget {
  return inject("environmentTarget");
}
