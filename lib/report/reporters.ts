/**
 * The vitest reporters of a conformance run, in one place: the default console output, a progress
 * line per suite file, JUnit for CI, allure-vitest results (allure-reporter.ts), and the summary
 * (JSON, Markdown, and the text printed at the end). The runner passes them to vitest; `npm test`
 * never gets them, so the project's own tests do not write into `reports/`.
 *
 * @example
 * ```ts
 * const { reporters, allure } = conformanceReporters("reports")
 * await startVitest("test", filters, { project: ["conformance"], reporters })
 * await allure.writer.flush()
 * ```
 */
import { join } from "node:path";
import type { Reporter } from "vitest/node";
import { AllureReporter } from "./allure-reporter.ts";
import ProgressReporter from "./progress-reporter.ts";
import SummaryReporter from "./summary-reporter.ts";

export interface ConformanceReporterOptions {
  /** Keep whole tokens in messages (REPORT_INCLUDE_TOKENS). */
  includeTokens?: boolean;
  /** Extra target description for summary.json. */
  target?: Record<string, unknown>;
}

export interface ConformanceReporters {
  /** For vitest's `reporters` option. */
  reporters: (Reporter | string | [string, Record<string, unknown>])[];
  /** The Allure reporter: its writer holds the results for the HTML report; flush it before exiting. */
  allure: AllureReporter;
}

export function conformanceReporters(reportsDir: string, options: ConformanceReporterOptions = {}): ConformanceReporters {
  const allure = new AllureReporter({ resultsDir: join(reportsDir, "allure-results") });
  const summary = new SummaryReporter({
    outputDir: reportsDir,
    allureWriter: allure.writer,
    includeTokens: options.includeTokens === true,
    ...(options.target ? { target: options.target } : {}),
  });
  return {
    reporters: [
      "default",
      new ProgressReporter(),
      ["junit", { outputFile: join(reportsDir, "junit.xml"), suiteName: "NHS login conformance" }],
      allure,
      summary,
    ],
    allure,
  };
}
