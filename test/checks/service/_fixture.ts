/**
 * Test helper: a fixture service (test/_support/fixture-services/: server-rendered, or single-page
 * with `kind: "single-page"`), shaped like a real public NHS login example, registered with its own
 * simulator (lenient client-assertion policy, as in the service suite), and the service context
 * the checks run with, driven over HTTP or, with `chromiumPath`, in browser mode.
 */
import { createServiceContext, type ServiceContext, type ServiceTarget } from "../../../lib/checks/service/index.ts";
import { startSimulator, type Simulator } from "../../../lib/simulator/start-simulator.ts";
import type { BrowserSteps } from "../../../lib/driver/browser-steps.ts";
import { SERVICE_SUITE_LENIENCY } from "../../../suites/_support/reference-service.ts";
import {
  type FixtureService,
  type FixtureServiceOptions,
  launchFixtureService,
  planFixtureService,
} from "../../_support/fixture-services/launch.ts";

export interface FixtureUnderTest {
  sim: Simulator;
  service: FixtureService;
  target: ServiceTarget;
  ctx: ServiceContext;
  stop(): Promise<void>;
}

/** The fixture with `options`, and the SERVICE_* view of it (`protectedUrl: false` leaves SERVICE_PROTECTED_URL unset). */
export async function startFixtureUnderTest(
  options: FixtureServiceOptions = {},
  settings: {
    protectedUrl?: boolean;
    /** SERVICE_STEP_UP_URL: this path of the fixture, as its feature for P9 users. */
    stepUpPath?: string;
    signedInText?: string | RegExp;
    signInLink?: string;
    restartCommand?: string;
    /** Drive it in browser mode (SERVICE_DRIVER=browser) with this chromium. */
    chromiumPath?: string;
    /** Browser mode: SERVICE_BROWSER_STEPS. */
    browserSteps?: BrowserSteps;
  } = {},
): Promise<FixtureUnderTest> {
  // A port chosen free can be taken before the fixture listens (a busy machine): a new plan is tried then.
  let plan: Awaited<ReturnType<typeof planFixtureService>>;
  let sim: Simulator;
  let service: FixtureService;
  for (let attempt = 1; ; attempt++) {
    plan = await planFixtureService(options);
    sim = await startSimulator({ clients: [plan.registration], ...SERVICE_SUITE_LENIENCY });
    try {
      service = await launchFixtureService(plan, sim.issuer);
      break;
    } catch (err) {
      await sim.stop();
      if (attempt >= 3 || !/EADDRINUSE/.test((err as Error).message)) throw err;
    }
  }
  const protectedUrl = settings.protectedUrl === false ? undefined : (service.protectedUrl ?? `${service.url}/account`);
  const target: ServiceTarget = {
    kind: "external",
    startUrl: service.startUrl,
    ...(protectedUrl ? { protectedUrl } : {}),
    ...(settings.stepUpPath !== undefined ? { stepUpUrl: `${service.url}${settings.stepUpPath}` } : {}),
    ...(settings.signedInText !== undefined ? { signedInText: settings.signedInText } : {}),
    ...(settings.signInLink !== undefined ? { signInLink: settings.signInLink } : {}),
    ...(settings.restartCommand !== undefined ? { restartCommand: settings.restartCommand } : {}),
    clientId: plan.clientId,
    redirectUris: [plan.redirectUri],
    publicKeyPem: plan.publicKeyPem,
    scopes: [...plan.options.scopes],
    vtr: [...plan.options.vtr],
    usesUserinfo: true,
    simulator: { url: sim.url, issuer: sim.issuer, controlSecret: sim.controlSecret },
    http: { timeoutMs: 3000, maxResponseBytes: 1024 * 1024 },
    ...(settings.chromiumPath
      ? { browser: { chromiumPath: settings.chromiumPath, ...(settings.browserSteps ? { steps: settings.browserSteps } : {}) } }
      : {}),
  };
  const ctx = createServiceContext(target);
  return {
    sim,
    service,
    target,
    ctx,
    stop: async () => {
      await ctx.close();
      await service.stop();
      await sim.stop();
    },
  };
}
