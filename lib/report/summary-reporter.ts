/**
 * A vitest reporter that collects the checks of a conformance run and writes
 * `reports/summary.json` and `reports/summary.md`, then prints the summary (failures first).
 * A suite file that failed to load, and a check that never ran, become failed entries: a run
 * must not pass because part of it silently did not happen. Such files are also written to the
 * Allure results as broken tests, so the report shows them. It stays silent when the run held no
 * conformance suite (e.g. `npm test`).
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { Reporter, TestModule, Vitest } from "vitest/node";
import { buildSummary, summaryMarkdown, summaryText, type CheckResult, type FileResult } from "./build-summary.ts";
import type { CheckRecord } from "../../suites/_support/check.ts";
import { redactText } from "../http/index.ts";
import { allureTestCaseId, allureTestResultId } from "./allure-ids.ts";

export interface SummaryReporterOptions {
  outputDir?: string;
  /** Where allure-vitest writes its results (default `<outputDir>/allure-results`). */
  allureResultsDir?: string;
  /** The Allure results writer of the run, when the runner has one (then allureResultsDir is unused). */
  allureWriter?: { writeResult(result: never): void; uuidOf?(testCaseId: string): string | undefined };
  /** Run metadata for summary.json (lib/report/run-metadata.ts). */
  run?: Record<string, unknown>;
  /** Extra target description for summary.json. */
  target?: Record<string, unknown>;
  /** Keep whole tokens in messages (REPORT_INCLUDE_TOKENS); private keys are removed regardless. */
  includeTokens?: boolean;
  /** Print the summary at the end (default true). */
  print?: boolean;
  /** Where the printed summary goes (default stdout). */
  write?: (text: string) => void;
}

const EPIC: Record<string, string> = { environment: "Environment", service: "Service", artefacts: "Artefacts" };

export default class SummaryReporter implements Reporter {
  private readonly outputDir: string;
  /** vitest's root, where suites/ is (the harness's own files); known once vitest starts. */
  private root = process.cwd();
  constructor(private readonly options: SummaryReporterOptions = {}) {
    this.outputDir = options.outputDir ?? "reports";
  }

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown> = []): void {
    const conformance = modules.filter((m) => suiteOf(m.moduleId, this.root));
    if (conformance.length === 0) return;
    const results: CheckResult[] = [];
    const files: FileResult[] = [];
    const broken: { file: string; suite: string; message: string }[] = [];
    let target: Record<string, unknown> = {};
    for (const mod of conformance) {
      const suite = suiteOf(mod.moduleId, this.root)!;
      const file = relative(this.root, mod.moduleId).split(sep).join("/");
      target = { ...target, ...targetOf(mod) };
      const loadErrors = mod.errors();
      let checks = 0;
      let ran = 0;
      for (const t of mod.children.allTests()) {
        const meta = t.meta().check as CheckRecord | undefined;
        const result = t.result();
        if (!meta) {
          if (result.state === "failed") {
            checks += 1;
            ran += 1;
            results.push({
              ids: idsOf(t.name),
              title: t.name,
              suite,
              status: "failed",
              findings: [],
              error: result.errors?.[0]?.message ?? "failed",
            });
          } else if (result.state === "pending" && t.options.mode === "run") {
            checks += 1;
            results.push({
              ids: idsOf(t.name),
              title: t.name,
              suite,
              status: "failed",
              findings: [],
              error: "the check never ran (its test worker stopped early)",
            });
          }
          continue;
        }
        checks += 1;
        const uuid = this.options.allureWriter?.uuidOf?.(allureTestCaseId(mod.moduleId, t.name));
        const crashed = result.state === "failed" && meta.status !== "failed";
        const status = crashed ? "failed" : meta.status;
        if (status === "passed" || status === "failed" || status === "warning" || status === "inconclusive") ran += 1;
        results.push({
          ids: meta.ids,
          title: meta.title,
          suite,
          area: meta.feature,
          status,
          findings: meta.findings,
          ...(uuid ? { allureId: allureTestResultId(uuid) } : {}),
          durationMs: Math.round(t.diagnostic()?.duration ?? 0),
          ...(crashed ? { error: result.errors?.[0]?.message ?? "the check crashed" } : {}),
          ...(meta.manual ? { manual: meta.manual } : {}),
        });
      }
      const d = mod.diagnostic();
      const entry: FileResult = {
        file,
        suite,
        checks,
        ran,
        collectMs: Math.round(d.collectDuration),
        durationMs: Math.round(d.duration),
        state: mod.state(),
      };
      if (loadErrors.length > 0) {
        const message = `suite file ${file} failed to load, so its checks never ran: ${loadErrors.map((e) => e.message).join("; ")}`;
        entry.error = message;
        broken.push({ file, suite, message });
        results.push({ ids: [], title: `suite file ${file} loads`, suite, status: "failed", findings: [], error: message });
      }
      files.push(entry);
    }
    for (const err of unhandledErrors) {
      const e = err as { message?: string; name?: string };
      results.push({
        ids: [],
        title: `the run had no error outside the checks (${e.name ?? "Error"})`,
        suite: "harness",
        status: "failed",
        findings: [],
        error: `an error outside the checks: ${e.message ?? String(err)}`,
      });
    }
    const summary = buildSummary(results, { ...target, ...(this.options.target ?? {}) }, files, this.options.run);
    const redact = (s: string) => redactText(s, { includeTokens: this.options.includeTokens === true });
    mkdirSync(this.outputDir, { recursive: true });
    writeFileSync(join(this.outputDir, "summary.json"), `${redact(JSON.stringify(summary, null, 2))}\n`);
    writeFileSync(join(this.outputDir, "summary.md"), redact(summaryMarkdown(summary)));
    this.writeBrokenFiles(broken, redact);
    if (this.options.print !== false) {
      const text = `${redact(summaryText(summary))}Summary: ${join(this.outputDir, "summary.json")} and summary.md\n`;
      if (this.options.write) this.options.write(text);
      else process.stdout.write(text);
    }
  }

  /** Allure results for suite files that did not load (allure-vitest has no test to report). */
  private writeBrokenFiles(broken: { file: string; suite: string; message: string }[], redact: (s: string) => string): void {
    if (broken.length === 0) return;
    const dir = this.options.allureResultsDir ?? join(this.outputDir, "allure-results");
    if (!this.options.allureWriter) mkdirSync(dir, { recursive: true });
    const now = Date.now();
    for (const b of broken) {
      const uuid = randomUUID();
      const id = createHash("md5").update(`load#${b.file}`).digest("hex");
      const result = {
        uuid,
        historyId: id,
        testCaseId: id,
        name: `suite file ${b.file} loads`,
        fullName: `${b.file}#load`,
        status: "broken",
        statusDetails: { message: redact(b.message) },
        stage: "finished",
        steps: [],
        attachments: [],
        parameters: [],
        labels: [
          { name: "epic", value: EPIC[b.suite] ?? b.suite },
          { name: "feature", value: "Suite files" },
          { name: "story", value: b.file },
          { name: "severity", value: "critical" },
          { name: "tag", value: "harness-error" },
        ],
        links: [],
        start: now,
        stop: now,
      };
      if (this.options.allureWriter) this.options.allureWriter.writeResult(result as never);
      else writeFileSync(join(dir, `${uuid}-result.json`), JSON.stringify(result));
    }
  }
}

/** The suite a module belongs to, from its path below vitest's root (where suites/ is). */
function suiteOf(moduleId: string, root: string): string | undefined {
  const rel = relative(root, moduleId).split(sep);
  return rel[0] === "suites" && rel.length > 2 && rel[1] !== "_support" ? rel[1] : undefined;
}

/** Requirement IDs at the start of a check's test name ("FED-DISC-01 FED-JWT-01: title"). */
function idsOf(name: string): string[] {
  const head = name.split(":")[0] ?? "";
  return head.split(" ").filter((w) => /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d+$/.test(w));
}

/** The targets under test, without keys or the simulator's control secret. */
function targetOf(mod: TestModule): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  try {
    const ctx = mod.project.getProvidedContext() as unknown as Record<string, unknown>;
    const t = ctx.environmentTarget as { kind?: string; environment?: string; issuer?: string } | undefined;
    if (t) Object.assign(out, { environment: t.environment, kind: t.kind, issuer: t.issuer });
    const svc = ctx.serviceTarget as { kind?: string; startUrl?: string } | undefined;
    if (svc) out.service = { kind: svc.kind, startUrl: svc.startUrl };
  } catch {
    // no provided context (a run without the runner or the conformance global setup)
  }
  return out;
}
