/**
 * Runs once per conformance run: loads the configuration and, when no NHS login environment is
 * configured, starts the embedded simulator for the suites to test. It also starts the service
 * under test (the bundled reference service and its own simulator, or a simulator for the
 * partner's service named by SERVICE_*; see service-setup.ts). The two simulators are separate.
 * Everything started is stopped in teardown, and on a failure during setup.
 */
import type { TestProject } from "vitest/node";
import { describeMissing, loadConfig } from "../../lib/config/index.ts";
import { simulatorOptionsFromConfig } from "../../lib/simulator/from-config.ts";
import { startSimulator, type Simulator } from "../../lib/simulator/start-simulator.ts";
import type { EnvironmentTarget } from "./target.ts";
import { setUpServiceTarget, type ServiceSetup } from "./service-setup.ts";

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
    // SIMULATOR_PORT and SIMULATOR_ISSUER belong to the service's simulator when a partner's
    // service is configured (SERVICE_START_URL): this one then takes a free port.
    const { options, harness } = simulatorOptionsFromConfig(config, config.service.startUrl ? { port: 0, issuer: undefined } : {});
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
  let service: ServiceSetup;
  try {
    service = await setUpServiceTarget(config, http);
  } catch (err) {
    await sim?.stop();
    throw err;
  }
  project.provide("environmentTarget", target);
  project.provide("serviceTarget", service.target);
  return async () => {
    await Promise.allSettled([sim?.stop(), service.teardown()]);
  };
}
