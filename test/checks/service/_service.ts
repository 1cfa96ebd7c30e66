/**
 * Test helper: the reference service (or one unsafe variant) as a child process, registered with
 * its own simulator (lenient client-assertion policy, as in the service suite), and the service
 * context the service checks run with; everything on 127.0.0.1 free ports.
 */
import { runCheck } from "../../../lib/checks/run-check.ts";
import { startSimulator, type Simulator } from "../../../lib/simulator/start-simulator.ts";
import {
  createServiceContext,
  serviceGate,
  SERVICE_CHECKS,
  type ServiceCheck,
  type ServiceContext,
  type ServiceTarget,
} from "../../../lib/checks/service/index.ts";
import type { Finding, FindingStatus } from "../../../lib/requirements/index.ts";
import { overallStatus } from "../../../lib/checks/grade.ts";
import {
  SERVICE_SUITE_LENIENCY,
  launchReferenceService,
  planReferenceService,
  referenceServiceTarget,
  type ReferenceService,
} from "../../../suites/_support/reference-service.ts";
import type { UnsafeSwitch } from "../../../examples/reference-service/unsafe.ts";
import type { SimulatorEvent } from "../../../lib/simulator/state.ts";

export interface ServiceUnderTest {
  sim: Simulator;
  service: ReferenceService;
  target: ServiceTarget;
  ctx: ServiceContext;
  /** Everything the simulator recorded since it started, across resets: what a journal of the run would hold. */
  events: SimulatorEvent[];
  /** A context over that journal, as `--journal` would judge it. */
  journalContext(): ServiceContext;
  stop(): Promise<void>;
}

export async function startServiceUnderTest(
  options: { unsafe?: UnsafeSwitch /** Drive it in browser mode with this chromium. */; chromiumPath?: string } = {},
): Promise<ServiceUnderTest> {
  const events: SimulatorEvent[] = [];
  // The service's port is chosen free before it listens; another process (an outgoing connection
  // of a busy machine) can take it in between: a new plan, on a new port, is tried then.
  for (let attempt = 1; ; attempt++) {
    const plan = await planReferenceService(options.unsafe ? { unsafe: options.unsafe } : {});
    const sim = await startSimulator({ clients: [plan.registration], ...SERVICE_SUITE_LENIENCY, onEvent: (e) => events.push(e) });
    try {
      const service = await launchReferenceService(plan, sim.issuer);
      return underTest(plan, sim, service, events, options.chromiumPath);
    } catch (err) {
      await sim.stop();
      if (attempt >= 3 || !/EADDRINUSE/.test((err as Error).message)) throw err;
      events.length = 0;
    }
  }
}

function underTest(
  plan: Awaited<ReturnType<typeof planReferenceService>>,
  sim: Simulator,
  service: ReferenceService,
  events: SimulatorEvent[],
  chromiumPath: string | undefined,
): ServiceUnderTest {
  const target = {
    ...referenceServiceTarget(plan, sim, { timeoutMs: 10_000, maxResponseBytes: 1024 * 1024 }, service),
    ...(chromiumPath ? { browser: { chromiumPath } } : {}),
  };
  const ctx = createServiceContext(target);
  const journals: ServiceContext[] = [];
  return {
    sim,
    service,
    target,
    ctx,
    events,
    journalContext: () => {
      const journal = {
        file: "(this run)",
        issuer: sim.issuer,
        tokenEndpoint: sim.context.endpoints.token,
        usersScope: sim.usersScope,
        events: events.filter((e) => e.clientId === undefined || e.clientId === target.clientId),
      };
      const j = createServiceContext({ ...target, kind: "journal", signsIn: false, journal });
      journals.push(j);
      return j;
    },
    stop: async () => {
      for (const j of journals) await j.close();
      await ctx.close();
      await service.stop();
      await sim.stop();
    },
  };
}

export interface CheckOutcome {
  status: FindingStatus;
  messages: string;
  findings: Finding[];
}

/** Run every service check (or the given ones) and give each one's status, by check key. */
export async function runChecks(ctx: ServiceContext, checks: readonly ServiceCheck[] = SERVICE_CHECKS): Promise<Map<string, CheckOutcome>> {
  const out = new Map<string, CheckOutcome>();
  for (const c of checks) {
    const findings = await runCheck(c, ctx, serviceGate);
    out.set(c.key, {
      status: overallStatus(findings),
      messages: findings.map((f) => `${f.requirement} ${f.status}: ${f.message}`).join("\n"),
      findings,
    });
  }
  return out;
}
