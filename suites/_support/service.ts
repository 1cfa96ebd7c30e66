/**
 * Run the tables of service checks as conformance tests against the service under test. Scenarios
 * run one at a time (one browser, one armed simulator), in the order of the checks, in one suite
 * file (a cross-worker lock guards the simulator all the same).
 */
import { afterAll, describe } from "vitest";
import { createServiceContext, serviceGate, type ServiceCheck, type ServiceContext } from "../../lib/checks/service/index.ts";
import { runCheck } from "../../lib/checks/run-check.ts";
import { check } from "./check.ts";
import { serviceTarget } from "./target.ts";

/**
 * A new service context (one per suite file: suite files share a worker's module cache, so nothing
 * here may be kept between them; each file closes its own).
 */
export function serviceContext(): ServiceContext {
  return createServiceContext(serviceTarget());
}

/**
 * Declare one conformance test per check, each group under a sequential describe block, all on one
 * service context: the scenarios then run in the order of `groups`, one at a time, in every run.
 */
export function serviceSuites(
  driven: readonly (readonly [name: string, checks: readonly ServiceCheck[]])[],
  /** The checks of recorded traffic, run instead when the target is a journal (--journal). */
  recorded: readonly (readonly [name: string, checks: readonly ServiceCheck[]])[] = [],
): void {
  const ctx = serviceContext();
  const groups = ctx.target.journal ? recorded : driven;
  const parameters = { service: ctx.target.startUrl, "NHS login (simulator)": ctx.target.simulator.issuer };
  afterAll(() => ctx.close());
  for (const [name, checks] of groups) {
    describe.sequential(`${name}: ${ctx.target.startUrl}`, () => {
      for (const c of checks) {
        check({ ids: c.ids, title: c.title, epic: "Service", area: c.area, exchanges: () => ctx.http.exchanges, parameters }, () =>
          runCheck(c, ctx, serviceGate),
        );
      }
    });
  }
}
