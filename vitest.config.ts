import { defineConfig } from "vitest/config";
import { ConformanceSequencer } from "./suites/_support/sequencer.ts";

/** `ts` in this repository; `js` once compiled into the package (dist/vitest.config.js beside dist/suites/). */
const EXT = import.meta.url.endsWith(".js") ? "js" : "ts";

/**
 * Two projects:
 * - `conformance`: the checks partners run. Run them with `npm run conformance`: the runner
 *   (bin/conformance.ts) adds the report reporters (progress, JUnit, allure-vitest, summary; see
 *   lib/report/reporters.ts) and writes `reports/` (or REPORTS_DIR).
 * - `unit`: the project's own tests (`npm test`); they never write into `reports/`.
 *
 * Only the default reporter is configured here, so a plain `vitest` invocation (the project's own
 * tests, or someone running one suite file while developing) leaves the reports of the last
 * conformance run alone.
 */
export default defineConfig({
  test: {
    reporters: ["default"],
    // The service suite's file starts first in a conformance run (suites/_support/sequencer.ts).
    sequence: { sequencer: ConformanceSequencer },
    projects: [
      {
        test: {
          name: "conformance",
          include: [`suites/**/*.conformance.${EXT}`],
          // Checks mostly wait on HTTP. Threads without isolation import the harness once per
          // worker instead of once per suite file (measured on the same code: a full default run
          // 8.7 s, against 10.1-11.9 s with VM-isolated threads, themselves 2.5 s faster than
          // forks). So suite support code keeps no per-file state at module level
          // (suites/_support/environment.ts, service.ts).
          // The runner uses at least two workers even on a two-core machine (bin/conformance.ts).
          pool: "threads",
          isolate: false,
          setupFiles: ["allure-vitest/setup"],
          globalSetup: [`suites/_support/global-setup.${EXT}`],
          // A backstop only: every request is bounded by HTTP_TIMEOUT_MS, and in assisted mode a
          // check may wait up to five minutes for a person to sign in.
          testTimeout: 10 * 60_000,
          hookTimeout: 2 * 60_000,
        },
      },
      {
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          // Most tests wait on HTTP and child processes, so three workers beat the default (one on
          // a two-core machine): the whole suite took 237 s against 396 s, on 2 cores.
          maxWorkers: 3,
          // Test files share their worker's module cache instead of a new process each, as in the
          // conformance project: 333 s and 594 s of CPU against 362 s and 650 s (one run each). So
          // tests leave no process-wide state behind (no process.env changes, no module mocks but the
          // key pool's, which every file shares).
          isolate: false,
          // RSA keys come from a pool made once per run, not new for each simulator (test/_support/key-pool.ts).
          globalSetup: ["test/_support/key-pool.global.ts"],
          setupFiles: ["test/_support/key-pool.setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
