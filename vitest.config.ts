import { defineConfig } from "vitest/config";

/** Where reports go; tests of the runner point it at a temporary folder. */
const reports = process.env.REPORTS_DIR ?? "reports";

/**
 * Two projects:
 * - `conformance`: the checks partners run (`npm run conformance`), reported to Allure and JUnit.
 * - `unit`: the project's own tests (`npm test`).
 */
export default defineConfig({
  test: {
    reporters: [
      "default",
      ["junit", { outputFile: `${reports}/junit.xml` }],
      ["allure-vitest/reporter", { resultsDir: `${reports}/allure-results` }],
      ["./lib/report/summary-reporter.ts", { outputDir: reports }],
    ],
    projects: [
      {
        test: {
          name: "conformance",
          include: ["suites/**/*.conformance.ts"],
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
