/**
 * allure-vitest's reporter with the conformance run's writer (see _allure-results-writer.ts):
 * results stay in memory for the HTML report and reach the results folder in the background.
 * allure-vitest 3.12 otherwise writes through allure-js-commons' FileSystemWriter, which writes
 * each file under a temporary name, fsyncs and renames it, on the main thread: for a default
 * run's ~1,300 results and attachments that cost 0.4–0.9 s of the run on this machine. Labels,
 * steps, attachments and file names stay allure-vitest's own.
 *
 * @example
 * ```ts
 * const allure = new AllureReporter({ resultsDir: "reports/allure-results" })
 * await startVitest("test", [], { reporters: [allure] })
 * await generateAllureReport({ resultsDir: "reports/allure-results", results: allure.writer, ... })
 * await allure.writer.flush()
 * ```
 */
import AllureVitestReporter, { type AllureVitestReporterConfig } from "allure-vitest/reporter";
import type { Writer } from "allure-js-commons/sdk/reporter";
import type { Vitest } from "vitest/node";
import { AllureResultsWriter } from "./_allure-results-writer.ts";

export type { AllureResultsSource } from "./_allure-results-writer.ts";

export type AllureReporterOptions = AllureVitestReporterConfig & { resultsDir: string };

export class AllureReporter extends AllureVitestReporter {
  /** Holds the run's results; `flush()` it before the process exits. */
  readonly writer: AllureResultsWriter;

  constructor(options: AllureReporterOptions) {
    super(options);
    this.writer = new AllureResultsWriter(options.resultsDir);
  }

  override onInit(vitest: Vitest): void {
    super.onInit(vitest);
    // allure-vitest builds its runtime here with no option for the writer: replace it. If a new
    // allure-vitest keeps it elsewhere, fail loudly rather than lose results or silently fall
    // back (test/report/allure-reporter.test.ts pins this).
    type Runtime = { writer?: Writer; writeCategoriesDefinitions?(): void; writeEnvironmentInfo?(): void };
    const runtime = (this as unknown as { allureReporterRuntime?: Runtime }).allureReporterRuntime;
    if (
      !runtime ||
      typeof runtime.writer?.writeResult !== "function" ||
      !runtime.writeCategoriesDefinitions ||
      !runtime.writeEnvironmentInfo
    ) {
      throw new Error("allure-vitest's reporter no longer keeps its writer where lib/report/allure-reporter.ts expects it");
    }
    runtime.writer = this.writer;
    // What onInit wrote through the old writer, again through this one (so the report has it too).
    runtime.writeCategoriesDefinitions();
    runtime.writeEnvironmentInfo();
  }
}
