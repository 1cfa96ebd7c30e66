/**
 * Run a table of service checks as conformance tests against the service under test. Scenarios
 * run one at a time (one browser, one armed simulator): in order within a file, and under a
 * cross-worker lock between files.
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

/** Declare one conformance test per check, grouped under a sequential describe block. */
export function serviceSuite(name: string, checks: readonly ServiceCheck[]): void {
  const ctx = serviceContext();
  const parameters = { service: ctx.target.startUrl, "NHS login (simulator)": ctx.target.simulator.issuer };
  describe.sequential(`${name}: ${ctx.target.startUrl}`, () => {
    afterAll(() => ctx.close());
    for (const c of checks) {
      check({ ids: c.ids, title: c.title, epic: "Service", area: c.area, exchanges: () => ctx.http.exchanges, parameters }, () =>
        runCheck(c, ctx, serviceGate),
      );
    }
  });
}
