/**
 * Decide and start the service under test for a conformance run (called by targets.ts):
 *
 * - SERVICE_START_URL unset: a simulator (free port, lenient client-assertion policy) with the
 *   reference service's client registered (a key pair generated now), and beside it the
 *   reference service as a child process on a free port;
 * - SERVICE_START_URL set: a simulator on SIMULATOR_PORT (and SIMULATOR_ISSUER) with the SERVICE_*
 *   registration, then a bounded wait for the partner's service to answer.
 *
 * It never throws for a service problem: the target then carries `unavailable` with the reason,
 * and every service check fails with it (the environment suite is unaffected).
 *
 * @example
 * ```ts
 * const { target, teardown } = await setUpServiceTarget(config, http)
 * project.provide("serviceTarget", target)
 * // ... later
 * await teardown()
 * ```
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { HarnessConfig } from "../../lib/config/index.ts";
import { createHttpClient } from "../../lib/http/index.ts";
import { DEFAULT_VTR } from "../../lib/nhs/vot.ts";
import { simulatorOptionsFromConfig } from "../../lib/simulator/from-config.ts";
import { simulatorTls } from "../../lib/simulator/tls/simulator-tls.ts";
import { startSimulator, type Simulator } from "../../lib/simulator/start-simulator.ts";
import type { ServiceTarget } from "../../lib/checks/service/service-target.ts";
import { readJournal } from "../../lib/journal/read-journal.ts";
import { freePort } from "../../lib/http/free-port.ts";
import { SERVICE_SUITE_LENIENCY, launchReferenceService, planReferenceService, referenceServiceTarget } from "./reference-service.ts";

/** How long to wait for a partner's service to answer its start URL. */
export const SERVICE_WAIT_MS = 60_000;

export interface ServiceSetup {
  target: ServiceTarget;
  teardown(): Promise<void>;
}

type Http = ServiceTarget["http"];

export async function setUpServiceTarget(config: HarnessConfig, http: Http): Promise<ServiceSetup> {
  const lockDir = mkdtempSync(join(tmpdir(), "nhslogin-service-lock-"));
  const cleanups: (() => Promise<void>)[] = [async () => rmSync(lockDir, { recursive: true, force: true })];
  const teardown = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  };
  try {
    const named = config.service.startUrl ?? config.service.usersLookupUrl ?? config.service.provisionUrl;
    const target = config.service.journal
      ? journalTarget(config, http)
      : named
        ? await external(config, http, cleanups)
        : await reference(config, http, cleanups);
    // Browser mode drives chromium (SERVICE_DRIVER=browser); a journal has nothing to drive.
    const s = config.service;
    const steps = s.browserSteps ? { steps: { steps: s.browserSteps.steps } } : {};
    const browser = s.driver === "browser" && s.chromiumPath ? { browser: { chromiumPath: s.chromiumPath, ...steps } } : {};
    return { target: { ...target, lockDir, ...(target.kind === "journal" ? {} : browser) }, teardown };
  } catch (err) {
    await teardown();
    throw err;
  }
}

async function reference(config: HarnessConfig, http: Http, cleanups: (() => Promise<void>)[]): Promise<ServiceTarget> {
  if (config.simulator.tls)
    process.stderr.write(
      "simulator: SIMULATOR_TLS applies to a service named by SERVICE_START_URL; the bundled reference service is checked over http\n",
    );
  const [plan, simPort] = await Promise.all([planReferenceService(), freePort()]);
  cleanups.push(async () => rmSync(plan.dir, { recursive: true, force: true }));
  // The service discovers NHS login on first use, so it starts beside its simulator (whose
  // address is fixed now), rather than after it.
  const [sim, service] = await Promise.allSettled([
    startSimulator({
      port: simPort,
      clients: [plan.registration],
      ...SERVICE_SUITE_LENIENCY,
      defaultPersona: config.simulator.persona,
    }),
    launchReferenceService(plan, `http://127.0.0.1:${simPort}`),
  ]);
  if (service.status === "fulfilled") cleanups.push(() => service.value.stop());
  if (sim.status === "rejected") throw sim.reason;
  cleanups.push(() => sim.value.stop());
  return service.status === "fulfilled"
    ? referenceServiceTarget(plan, sim.value, http, service.value)
    : { ...referenceServiceTarget(plan, sim.value, http), unavailable: (service.reason as Error).message };
}

async function external(config: HarnessConfig, http: Http, cleanups: (() => Promise<void>)[]): Promise<ServiceTarget> {
  const s = config.service;
  // Without SERVICE_START_URL the service is checked as a consumer only (Users V2, Provision Account): no sign-in, no redirect URI.
  const signsIn = s.startUrl !== undefined;
  const missing = [
    ["SERVICE_CLIENT_ID", s.clientId],
    ...(signsIn ? [["SERVICE_REDIRECT_URIS", s.redirectUris]] : []),
    ["SERVICE_PUBLIC_KEY_FILE", s.publicKey],
  ]
    .filter(([, v]) => v === undefined)
    .map(([k]) => k as string);
  if (config.simulator.port === 0)
    missing.push("SIMULATOR_PORT (a fixed port, so that the service can be configured with the simulator's issuer)");
  const testClockUrl = s.testClockUrl;
  const placeholder: ServiceTarget = {
    kind: "external",
    startUrl: s.startUrl ?? s.usersLookupUrl ?? s.provisionUrl!,
    ...(signsIn ? {} : { signsIn: false }),
    ...(s.usersLookupUrl ? { usersLookupUrl: s.usersLookupUrl } : {}),
    ...(s.provisionUrl ? { provisionUrl: s.provisionUrl } : {}),
    ...(s.odsCode ? { odsCode: s.odsCode } : {}),
    ...(s.protectedUrl ? { protectedUrl: s.protectedUrl } : {}),
    ...(s.stepUpUrl ? { stepUpUrl: s.stepUpUrl } : {}),
    ...(s.signInLink !== undefined ? { signInLink: s.signInLink } : {}),
    ...(s.readyUrl !== undefined ? { readyUrl: s.readyUrl } : {}),
    ...(s.restartCommand !== undefined ? { restartCommand: s.restartCommand } : {}),
    ...(s.signedInText !== undefined ? { signedInText: s.signedInText } : {}),
    clientId: s.clientId ?? "",
    redirectUris: [...(s.redirectUris ?? [])],
    publicKeyPem: s.publicKey?.key.export({ type: "spki", format: "pem" }).toString() ?? "",
    scopes: [...(s.scopes ?? ["openid"])],
    vtr: [...(s.vtr ?? DEFAULT_VTR)],
    usesUserinfo: s.usesUserinfo,
    simulator: { url: "", issuer: "", controlSecret: "" },
    ...(testClockUrl ? { testClockUrl } : {}),
    http,
  };
  const named = signsIn ? "SERVICE_START_URL" : s.usersLookupUrl ? "SERVICE_USERS_LOOKUP_URL" : "SERVICE_PROVISION_URL";
  if (missing.length > 0) return { ...placeholder, unavailable: `missing configuration for ${named}: ${missing.join(", ")}` };

  const tls = await simulatorTls(config.simulator);
  const { options } = await simulatorOptionsFromConfig(config, { ...SERVICE_SUITE_LENIENCY, ...(tls ? { tls } : {}) });
  const sim = await startSimulator(options);
  cleanups.push(() => sim.stop());
  if (tls?.caFile)
    process.stderr.write(`simulator: serving ${sim.url}; the service must trust the CA in ${tls.caFile} (docs/checking-your-service.md)\n`);
  const trusted = tls ? { ...http, ca: [...(http.ca ?? []), ...tls.ca] } : http;
  const target = { ...placeholder, http: trusted, simulator: simulatorOf(sim), usersScopes: [sim.usersScope, ...s.usersScopes] };
  const answered = await waitForService(placeholder.startUrl, http, named);
  return answered === true ? target : { ...target, unavailable: answered };
}

/** The service as seen in a journal of recorded traffic: nothing is started, nothing is driven. */
function journalTarget(config: HarnessConfig, http: Http): ServiceTarget {
  const s = config.service;
  const file = s.journal!;
  const { header, events } = readJournal(file);
  const clientId = s.clientId ?? "";
  const missing = [
    ["SERVICE_CLIENT_ID", s.clientId],
    ["SERVICE_PUBLIC_KEY_FILE", s.publicKey],
  ].filter(([, v]) => v === undefined);
  const target: ServiceTarget = {
    kind: "journal",
    startUrl: `journal:${file}`,
    signsIn: false,
    clientId,
    redirectUris: [...(s.redirectUris ?? [])],
    publicKeyPem: s.publicKey?.key.export({ type: "spki", format: "pem" }).toString() ?? "",
    scopes: [...(s.scopes ?? ["openid"])],
    vtr: [...(s.vtr ?? DEFAULT_VTR)],
    usesUserinfo: s.usesUserinfo,
    usersScopes: [header.usersScope, ...s.usersScopes],
    ...(s.odsCode ? { odsCode: s.odsCode } : {}),
    simulator: { url: "", issuer: header.issuer, controlSecret: "" },
    // The service's own events, and those that name no client (a request the simulator could not attribute).
    journal: { file, ...header, events: events.filter((e) => e.clientId === undefined || e.clientId === clientId) },
    http,
  };
  if (missing.length > 0)
    return {
      ...target,
      unavailable: `missing configuration for --journal: ${missing.map(([k]) => k).join(", ")} (the client whose traffic it judges)`,
    };
  return target;
}

function simulatorOf(sim: Simulator): ServiceTarget["simulator"] {
  return { url: sim.url, issuer: sim.issuer, controlSecret: sim.controlSecret };
}

/** Poll the start URL until it answers anything (redirects are not followed); the reason otherwise. */
async function waitForService(url: string, http: Http, variable: string): Promise<true | string> {
  const client = createHttpClient({
    timeoutMs: Math.min(http.timeoutMs, 5000),
    maxResponseBytes: http.maxResponseBytes,
    ...(http.ca ? { ca: http.ca } : {}),
  });
  const deadline = Date.now() + SERVICE_WAIT_MS;
  let last = "";
  try {
    while (Date.now() < deadline) {
      try {
        await client.request({ method: "GET", url });
        return true;
      } catch (err) {
        last = (err as Error).message;
      }
      await sleep(500);
    }
  } finally {
    await client.close();
  }
  return `the service at ${variable} ${url} did not answer within ${SERVICE_WAIT_MS / 1000} s (${last})`;
}
