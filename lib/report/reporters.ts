/**
 * The vitest reporters of a conformance run, in one place: the default console output, a progress
 * line per suite file, JUnit for CI, allure-vitest results, and the summary (JSON, Markdown, and
 * the text printed at the end). The runner passes them to vitest; `npm test` never gets them, so
 * the project's own tests do not write into `reports/`.
 *
 * @example
 * ```ts
 * await startVitest("test", filters, { project: ["conformance"], reporters: conformanceReporters("reports") })
 * ```
 */
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import type { SummaryReporterOptions } from "./summary-reporter.ts";

export interface ConformanceReporterOptions {
  /** Keep whole tokens in messages (REPORT_INCLUDE_TOKENS). */
  includeTokens?: boolean;
  /** Extra target description for summary.json. */
  target?: Record<string, unknown>;
}

type ReporterEntry = string | [string, Record<string, unknown>];

export function conformanceReporters(reportsDir: string, options: ConformanceReporterOptions = {}): ReporterEntry[] {
  const summary: SummaryReporterOptions = {
    outputDir: reportsDir,
    allureResultsDir: join(reportsDir, "allure-results"),
    includeTokens: options.includeTokens === true,
    ...(options.target ? { target: options.target } : {}),
  };
  return [
    "default",
    [fileURLToPath(new URL("./progress-reporter.ts", import.meta.url)), {}],
    ["junit", { outputFile: join(reportsDir, "junit.xml"), suiteName: "NHS login conformance" }],
    ["allure-vitest/reporter", { resultsDir: join(reportsDir, "allure-results") }],
    [fileURLToPath(new URL("./summary-reporter.ts", import.meta.url)), { ...summary }],
  ];
}
