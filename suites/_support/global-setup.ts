/**
 * Runs once per conformance run: loads the configuration and, when no NHS login environment is
 * configured, starts the embedded simulator for the suites to test. It also starts the service
 * under test (the bundled reference service and its own simulator, or a simulator for the
 * partner's service named by SERVICE_*; see service-setup.ts). The two simulators are separate.
 * Everything started is stopped in teardown, and on a failure during setup.
 */
import type { TestProject } from "vitest/node";
import { describeMissing, loadConfig, type HarnessConfig } from "../../lib/config/index.ts";
import { simulatorOptionsFromConfig } from "../../lib/simulator/from-config.ts";
import { startSimulator, type Simulator } from "../../lib/simulator/start-simulator.ts";
import type { EnvironmentTarget } from "./target.ts";
import { setUpServiceTarget } from "./service-setup.ts";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const config = loadConfig();
  const http = {
    timeoutMs: config.http.timeoutMs,
    maxResponseBytes: config.http.maxResponseBytes,
    ...(config.http.ca ? { ca: [...config.http.ca] } : {}),
  };
  // The two targets are independent: start them side by side (keys, simulators, the service).
  const [environment, service] = await Promise.allSettled([environmentSetup(config, http), setUpServiceTarget(config, http)]);
  if (environment.status === "rejected" || service.status === "rejected") {
    await Promise.allSettled([
      environment.status === "fulfilled" ? environment.value.sim?.stop() : undefined,
      service.status === "fulfilled" ? service.value.teardown() : undefined,
    ]);
    throw environment.status === "rejected" ? environment.reason : (service as PromiseRejectedResult).reason;
  }
  project.provide("environmentTarget", environment.value.target);
  project.provide("serviceTarget", service.value.target);
  return async () => {
    await Promise.allSettled([environment.value.sim?.stop(), service.value.teardown()]);
  };
}

/** The environment under test: the embedded simulator, or the configured NHS login environment. */
async function environmentSetup(config: HarnessConfig, http: EnvironmentTarget["http"]): Promise<{ target: EnvironmentTarget; sim?: Simulator }> {
  if (config.environment === "simulator" && !config.nhslogin.issuer) {
    // SIMULATOR_PORT and SIMULATOR_ISSUER belong to the service's simulator when a partner's
    // service is configured (SERVICE_START_URL): this one then takes a free port.
    const { options, harness } = simulatorOptionsFromConfig(config, config.service.startUrl ? { port: 0, issuer: undefined } : {});
    const sim = await startSimulator(options);
    return {
      sim,
      target: {
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
      },
    };
  }
  const n = config.nhslogin;
  return {
    target: {
      kind: "remote",
      environment: config.environment,
      issuer: n.issuer!,
      ...(n.clientId && n.privateKey
        ? { harness: { clientId: n.clientId, privateKeyPem: n.privateKey.key.export({ type: "pkcs8", format: "pem" }).toString(), redirectUri: n.redirectUri ?? "" } }
        : {}),
      ...(n.usersScope ? { usersScope: n.usersScope } : {}),
      missing: describeMissing(config),
      http,
    },
  };
}
