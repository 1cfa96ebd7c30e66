import { defineConfig } from "vitest/config";

/**
 * The tests Stryker runs against each mutant of the rule files (`npm run mutation`,
 * stryker.config.json): the project's own unit tests that exercise checks and rules, without the
 * conformance suites and without the tests of unrelated parts (config, report, simulator fuzzing).
 * The variant suites are left out: each of their tests starts the reference service and runs
 * every service check, minutes per mutant; the service rules are judged by their unit tests on
 * crafted input (test/checks/service/*.test.ts) and the service breakers by `npm test`.
 */
export default defineConfig({
  test: {
    include: ["test/checks/**/*.test.ts", "test/artefacts/**/*.test.ts", "test/validate/**/*.test.ts", "test/breakers-coverage.test.ts"],
    exclude: ["test/**/_gen-*.test.ts", "test/checks/service/variants-*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
