import { defineConfig } from "vitest/config";

/**
 * The tests Stryker runs against each mutant of the rule files (`npm run mutation`,
 * stryker.config.json): the crafted-input tests of the rules, the check model and the artefact
 * checks, which run in milliseconds each. Left out are the tests that start the simulator or the
 * reference service and run whole suites (seconds to minutes per mutant): they judge the same
 * rules end to end in `npm test`, through the breakers of every (check, requirement) pair.
 */
export default defineConfig({
  test: {
    include: [
      "test/checks/findings.test.ts",
      "test/checks/grade.test.ts",
      "test/checks/run-check.test.ts",
      "test/checks/rules/*.test.ts",
      "test/checks/code-flow/rules.test.ts",
      "test/checks/code-flow/userinfo.test.ts",
      "test/checks/discovery/*.test.ts",
      "test/checks/provision-account/rules.test.ts",
      "test/checks/token-endpoint/rules.test.ts",
      "test/checks/tokens/*.test.ts",
      "test/checks/users-v2/*.test.ts",
      "test/checks/service/authorization-request.test.ts",
      "test/checks/service/client-authentication.test.ts",
      "test/checks/service/outcome-findings.test.ts",
      "test/checks/service/provision-account-consumer.test.ts",
      "test/checks/service/script-exposure.test.ts",
      "test/checks/service/session.test.ts",
      "test/checks/service/tolerance.test.ts",
      "test/checks/service/users-v2-consumer.test.ts",
      "test/artefacts/checks.test.ts",
      "test/artefacts/breakers.test.ts",
      "test/artefacts/parsers.test.ts",
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
