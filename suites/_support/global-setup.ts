/**
 * Runs once per conformance run: loads the configuration and, when no NHS login environment is
 * configured, starts the embedded simulator for the suites to test.
 */
import type { TestProject } from "vitest/node";
import { describeMissing, loadConfig } from "../../lib/config/index.ts";
import { simulatorOptionsFromConfig } from "../../lib/simulator/from-config.ts";
import { startSimulator, type Simulator } from "../../lib/simulator/start-simulator.ts";
import type { EnvironmentTarget } from "./target.ts";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const config = loadConfig();
  let sim: Simulator | undefined;
  let target: EnvironmentTarget;
  const http = {
    timeoutMs: config.http.timeoutMs,
    maxResponseBytes: config.http.maxResponseBytes,
    ...(config.http.ca ? { ca: [...config.http.ca] } : {}),
  };
  if (config.environment === "simulator" && !config.nhslogin.issuer) {
    const { options, harness } = simulatorOptionsFromConfig(config);
    sim = await startSimulator(options);
    target = {
      kind: "simulator",
      environment: "simulator",
      issuer: sim.issuer,
      harness: {
        clientId: harness.clientId,
        privateKeyPem: harness.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        redirectUri: harness.redirectUri,
      },
      usersScope: sim.usersScope,
      missing: [],
      http,
    };
  } else {
    const n = config.nhslogin;
    target = {
      kind: "remote",
      environment: config.environment,
      issuer: n.issuer!,
      ...(n.clientId && n.privateKey
        ? { harness: { clientId: n.clientId, privateKeyPem: n.privateKey.key.export({ type: "pkcs8", format: "pem" }).toString(), redirectUri: n.redirectUri ?? "" } }
        : {}),
      ...(n.usersScope ? { usersScope: n.usersScope } : {}),
      missing: describeMissing(config),
      http,
    };
  }
  project.provide("environmentTarget", target);
  return async () => {
    await sim?.stop();
  };
}
