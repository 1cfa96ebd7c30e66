/**
 * The vitest reporters of a conformance run, in one place: a progress line per suite file
 * (against a fixed total), allure-vitest results (allure-reporter.ts), and the summary (JSON,
 * Markdown, and the text printed at the end). vitest's own console output joins them only with
 * `verbose`. JUnit and the conformance statement are written by the runner from the summary.
 * `npm test` never gets these, so the project's own tests do not write into `reports/`.
 *
 * @example
 * ```ts
 * const { reporters, allure } = conformanceReporters("reports", { files: 7 })
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
  /** The suite files the run will report (the progress line's total). */
  files: number;
  /** Keep whole tokens in messages (REPORT_INCLUDE_TOKENS). */
  includeTokens?: boolean;
  /** Extra target description for summary.json. */
  target?: Record<string, unknown>;
  /** Run metadata for summary.json. */
  run?: Record<string, unknown>;
  /** Add vitest's default console reporter (`--verbose`). */
  verbose?: boolean;
  /** Where progress and the printed summary go (default stdout; stderr when stdout carries JSON). */
  write?: (text: string) => void;
}

export interface ConformanceReporters {
  /** For vitest's `reporters` option. */
  reporters: (Reporter | string | [string, Record<string, unknown>])[];
  /** The Allure reporter: its writer holds the results for the HTML report; flush it before exiting. */
  allure: AllureReporter;
}

export function conformanceReporters(reportsDir: string, options: ConformanceReporterOptions): ConformanceReporters {
  const allure = new AllureReporter({ resultsDir: join(reportsDir, "allure-results") });
  const summary = new SummaryReporter({
    outputDir: reportsDir,
    allureWriter: allure.writer,
    includeTokens: options.includeTokens === true,
    ...(options.target ? { target: options.target } : {}),
    ...(options.run ? { run: options.run } : {}),
    ...(options.write ? { write: options.write } : {}),
  });
  const progress = new ProgressReporter({
    files: options.files,
    ...(options.write ? { write: (line: string) => options.write!(`${line}\n`), live: false } : {}),
  });
  return {
    reporters: [...(options.verbose ? ["default"] : []), progress, allure, summary],
    allure,
  };
}
