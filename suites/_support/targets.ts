/**
 * Start what a conformance run checks: the NHS login environment (the embedded simulator when no
 * environment is configured) and the service under test (the bundled reference service and its
 * own simulator, or a simulator for the partner's service named by SERVICE_*; see
 * service-setup.ts). The two are independent and start side by side. On a failure everything
 * already started is stopped before the error is thrown.
 *
 * The runner (bin/conformance.ts) calls it while vitest loads and hands the targets to the suites
 * with `provide`; the global setup calls it when vitest runs the suites without the runner.
 *
 * @example
 * ```ts
 * const targets = await startTargets(loadConfig())
 * // ... provide targets.environment and targets.service to the suites
 * await targets.stop()
 * ```
 */
import { simulatorTls } from "../../lib/simulator/tls/simulator-tls.ts";
import { describeMissing, type HarnessConfig } from "../../lib/config/index.ts";
import { simulatorOptionsFromConfig } from "../../lib/simulator/from-config.ts";
import { startSimulator, type Simulator } from "../../lib/simulator/start-simulator.ts";
import type { EnvironmentTarget, ServiceTarget } from "./target.ts";
import { setUpServiceTarget } from "./service-setup.ts";
import { PROVISION_ACCOUNT_PATH } from "../../lib/nhs/provision-account/codes.ts";

export interface TargetsOptions {
  /** Start the environment under test (default true). */
  environment?: boolean;
  /** Start the service under test (default true). */
  service?: boolean;
}

export interface Targets {
  /** Unset when not asked for. */
  environment?: EnvironmentTarget;
  /** Unset when not asked for. */
  service?: ServiceTarget;
  /** Stop everything started (never throws). */
  stop(): Promise<void>;
}

export async function startTargets(config: HarnessConfig, options: TargetsOptions = {}): Promise<Targets> {
  const http = {
    timeoutMs: config.http.timeoutMs,
    maxResponseBytes: config.http.maxResponseBytes,
    ...(config.http.ca ? { ca: [...config.http.ca] } : {}),
  };
  const [environment, service] = await Promise.allSettled([
    options.environment === false ? undefined : environmentSetup(config, http),
    options.service === false ? undefined : setUpServiceTarget(config, http),
  ]);
  if (environment.status === "rejected" || service.status === "rejected") {
    await Promise.allSettled([
      environment.status === "fulfilled" ? environment.value?.sim?.stop() : undefined,
      service.status === "fulfilled" ? service.value?.teardown() : undefined,
    ]);
    throw environment.status === "rejected" ? environment.reason : (service as PromiseRejectedResult).reason;
  }
  const [env, svc] = [environment.value, service.value];
  return {
    ...(env ? { environment: env.target } : {}),
    ...(svc ? { service: svc.target } : {}),
    async stop() {
      await Promise.allSettled([env?.sim?.stop(), svc?.teardown()]);
    },
  };
}

/** The environment under test: the embedded simulator, or the configured NHS login environment. */
async function environmentSetup(
  config: HarnessConfig,
  http: EnvironmentTarget["http"],
): Promise<{ target: EnvironmentTarget; sim?: Simulator }> {
  if (config.environment === "simulator" && !config.nhslogin.issuer) {
    // SIMULATOR_PORT and SIMULATOR_ISSUER belong to the service's simulator when a partner's
    // service is configured (SERVICE_START_URL): this one then takes a free port.
    // SIMULATOR_TLS serves this one https too (the TLS checks then judge its handshakes).
    const tls = await simulatorTls(config.simulator);
    const { options, harness, provisionAccount } = await simulatorOptionsFromConfig(config, {
      ...(config.service.startUrl || config.service.usersLookupUrl || config.service.provisionUrl ? { port: 0, issuer: undefined } : {}),
      ...(tls ? { tls } : {}),
    });
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
        provisionAccount: {
          url: `${sim.issuer}${PROVISION_ACCOUNT_PATH}`,
          clientId: provisionAccount.clientId,
          privateKeyPem: provisionAccount.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
          odsCode: provisionAccount.odsCode,
        },
        missing: [],
        http: tls ? { ...http, ca: [...(http.ca ?? []), ...tls.ca] } : http,
        control: { url: sim.url, controlSecret: sim.controlSecret },
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
        ? {
            harness: {
              clientId: n.clientId,
              privateKeyPem: n.privateKey.key.export({ type: "pkcs8", format: "pem" }).toString(),
              redirectUri: n.redirectUri ?? "",
            },
          }
        : {}),
      ...(n.usersScope ? { usersScope: n.usersScope } : {}),
      ...remoteProvisionAccount(n),
      missing: describeMissing(config, ["token", "code-flow", "users-v2", "provision-account"]),
      http,
    },
  };
}

/** The Provision Account settings of a real environment, when every part is configured. */
function remoteProvisionAccount(n: HarnessConfig["nhslogin"]): Pick<EnvironmentTarget, "provisionAccount"> {
  const pa = n.provisionAccount;
  const clientId = pa.clientId ?? n.clientId;
  const key = (pa.privateKey ?? n.privateKey)?.key;
  if (!pa.url || !pa.odsCode || !clientId || !key) return {};
  return {
    provisionAccount: {
      url: pa.url,
      clientId,
      privateKeyPem: key.export({ type: "pkcs8", format: "pem" }).toString(),
      odsCode: pa.odsCode,
      ...(pa.testPatient ? { testPatient: pa.testPatient } : {}),
    },
  };
}
