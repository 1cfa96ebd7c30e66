/**
 * The identities a check has in Allure, computed the same way by the check that labels itself
 * (suites/_support/check.ts) and by the reporters that link to it (summary, conformance statement):
 *
 * - the test case ID (also the history ID): the suite file and the check's name, never its
 *   describe titles, which may carry a port that changes from run to run;
 * - the test result ID the Allure 3 report opens at `allure-report/index.html#<id>`: Allure derives
 *   it from the result's uuid (an MD5 of it, as `@allurereport/core` converts results).
 *
 * @example
 * ```ts
 * const caseId = allureTestCaseId("suites/environment/discovery.conformance.ts", "FED-DISC-01: discovery document")
 * const href = `allure-report/index.html#${allureTestResultId(result.uuid)}`
 * ```
 */
import { createHash } from "node:crypto";
import { getPosixPath, getRelativePath } from "allure-js-commons/sdk/reporter";

const md5 = (text: string) => createHash("md5").update(text).digest("hex");

/** The stable test case ID of a check: its suite file (from the project root) and its name. */
export function allureTestCaseId(file: string | undefined, name: string): string {
  // As allure-vitest names the file: relative to the project around the current directory.
  const rel = file ? getPosixPath(getRelativePath(file)) : "";
  return md5(`${rel}#${name}`);
}

/** The ID under which the Allure 3 report shows the result with this uuid. */
export function allureTestResultId(uuid: string): string {
  return md5(uuid);
}
