/**
 * Allure has five statuses; a conformance check has six. Map them so a reader sees the difference
 * (the check labels itself `conformance=<status>` in suites/_support/check.ts):
 *
 * - inconclusive (vitest skipped it) → `broken`, with the reason as the status message;
 * - manual (a scenario for a person) → `unknown`, apart from checks skipped for configuration;
 * - warning (the check passes) → stays `passed`, with the deviations as the status message and
 *   the "Warnings" category (lib/report/allure-html.ts), so it is not a plain green pass.
 */
import type { TestResult } from "allure-js-commons";

export function withConformanceStatus(result: TestResult): TestResult {
  const labels = result.labels ?? [];
  const conformance = labels.find((l) => l.name === "conformance")?.value;
  if (conformance === "inconclusive") {
    const message = result.statusDetails?.message?.replace(/^inconclusive: /, "") ?? "";
    return { ...result, status: "broken" as TestResult["status"], statusDetails: { message: `inconclusive: ${message}` } };
  }
  if (conformance === "manual") {
    return { ...result, status: "unknown" as TestResult["status"], statusDetails: { message: "manual scenario: walk it through by hand" } };
  }
  if (conformance === "warning") {
    const warnings = labels.filter((l) => l.name === "warning").map((l) => l.value);
    return { ...result, statusDetails: { ...(result.statusDetails ?? {}), message: `warning: ${warnings.join("; ")}` } };
  }
  return result;
}

/** Allure categories: where each kind of outcome is grouped in the report. */
export const CONFORMANCE_CATEGORIES = [
  { name: "Non-conformance (a received answer breaks a rule)", matchers: { statuses: ["failed"] } },
  { name: "Inconclusive (nothing could be observed)", matchers: { statuses: ["broken"], labels: { conformance: "inconclusive" } } },
  { name: "Harness errors (a check or suite file broke)", matchers: { statuses: ["broken"] } },
  { name: "Warnings (SHOULD or DERIVED deviations; the check passes)", matchers: { labels: { conformance: "warning" } } },
  { name: "Manual scenarios (walk through by hand)", matchers: { labels: { conformance: "manual" } } },
  { name: "Skipped (not configured or not applicable)", matchers: { statuses: ["skipped"] } },
];
