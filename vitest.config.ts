import { defineConfig } from "vitest/config";

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
    projects: [
      {
        test: {
          name: "conformance",
          include: ["suites/**/*.conformance.ts"],
          // Checks mostly wait on HTTP: threads start faster than forks, and the runner uses at
          // least two workers even on a two-core machine (see bin/conformance.ts).
          pool: "threads",
          setupFiles: ["allure-vitest/setup"],
          globalSetup: ["suites/_support/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
