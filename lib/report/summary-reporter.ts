/**
 * A vitest reporter that collects the checks of a conformance run and writes
 * `reports/summary.json` and `reports/summary.md`, then prints the summary (failures first).
 * It stays silent when the run held no conformance check (e.g. `npm test`).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { Reporter, TestModule } from "vitest/node";
import { buildSummary, summaryMarkdown, type CheckResult } from "./build-summary.ts";
import type { CheckRecord } from "../../suites/_support/check.ts";
import { redactText } from "../http/index.ts";

export interface SummaryReporterOptions {
  outputDir?: string;
  /** Extra target description for summary.json. */
  target?: Record<string, unknown>;
}

export default class SummaryReporter implements Reporter {
  private readonly outputDir: string;
  constructor(private readonly options: SummaryReporterOptions = {}) {
    this.outputDir = options.outputDir ?? "reports";
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const results: CheckResult[] = [];
    for (const mod of modules) {
      const suite = suiteOf(mod.moduleId);
      for (const t of mod.children.allTests()) {
        const meta = t.meta().check as CheckRecord | undefined;
        const result = t.result();
        if (!meta) {
          if (suite && result.state === "failed") {
            results.push({ ids: [], title: t.name, suite, status: "failed", findings: [], error: result.errors?.[0]?.message ?? "failed" });
          }
          continue;
        }
        const crashed = result.state === "failed" && meta.status !== "failed";
        results.push({
          ids: meta.ids,
          title: meta.title,
          suite: suite ?? "unknown",
          status: crashed ? "failed" : meta.status,
          findings: meta.findings,
          ...(crashed ? { error: result.errors?.[0]?.message ?? "the check crashed" } : {}),
        });
      }
    }
    if (results.length === 0 && !modules.some((m) => suiteOf(m.moduleId))) return;
    const summary = buildSummary(results, this.options.target ?? {});
    mkdirSync(this.outputDir, { recursive: true });
    const json = redactText(JSON.stringify(summary, null, 2));
    writeFileSync(join(this.outputDir, "summary.json"), `${json}\n`);
    const md = redactText(summaryMarkdown(summary));
    writeFileSync(join(this.outputDir, "summary.md"), md);
    process.stdout.write(`\n${md}\nSummary written to ${join(this.outputDir, "summary.json")}\n`);
  }
}

function suiteOf(moduleId: string): string | undefined {
  const rel = relative(process.cwd(), moduleId).split(sep);
  return rel[0] === "suites" && rel.length > 2 ? rel[1] : undefined;
}
