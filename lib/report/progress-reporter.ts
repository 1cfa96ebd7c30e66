/**
 * A vitest reporter that says where a conformance run is, against a total known before it starts
 * (the suite files of the selection), e.g.
 *
 *   [environment] target http://127.0.0.1:40443 (embedded simulator)
 *   [2/7 files] environment/token-endpoint.conformance.ts: 15 checks (15 passed)
 *
 * One line per suite (its target, when its first file is collected) and one per suite file when
 * it ends. On a terminal a single status line between them counts the checks done so far.
 */
import { relative, sep } from "node:path";
import type { Reporter, TestCase, TestModule, Vitest } from "vitest/node";

export interface ProgressReporterOptions {
  /** The number of suite files the run will report: the fixed total of the progress line. */
  files: number;
  /** Where lines go (default: vitest's logger, else stdout). */
  write?: (line: string) => void;
  /** Keep one status line updated in place (default: when stdout is a terminal). */
  live?: boolean;
}

type Counts = Record<"passed" | "failed" | "warning" | "inconclusive" | "skipped" | "manual", number>;
const zero = (): Counts => ({ passed: 0, failed: 0, warning: 0, inconclusive: 0, skipped: 0, manual: 0 });

export default class ProgressReporter implements Reporter {
  private vitest: Vitest | undefined;
  private filesDone = 0;
  private checksDone = 0;
  private failed = 0;
  private statusShown = false;
  private readonly announced = new Set<string>();
  private readonly perModule = new Map<string, Counts>();
  private readonly live: boolean;
  /** vitest's root, where suites/ is (the harness's own files); known once vitest starts. */
  private root = process.cwd();

  constructor(private readonly options: ProgressReporterOptions) {
    this.live = options.live ?? process.stdout.isTTY === true;
  }

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
    this.root = vitest.config.root;
  }

  private log(line: string): void {
    if (this.statusShown) {
      process.stdout.write("\r\x1b[2K");
      this.statusShown = false;
    }
    if (this.options.write) this.options.write(line);
    else if (this.vitest) this.vitest.logger.log(line);
    else process.stdout.write(`${line}\n`);
  }

  private status(): void {
    if (!this.live) return;
    const failed = this.failed > 0 ? `, ${this.failed} failed` : "";
    process.stdout.write(`\r\x1b[2K[${this.filesDone}/${this.options.files} files] ${this.checksDone} checks done${failed}`);
    this.statusShown = true;
  }

  onTestModuleCollected(mod: TestModule): void {
    const suite = suiteOf(mod.moduleId, this.root);
    if (!suite || this.announced.has(suite)) return;
    this.announced.add(suite);
    this.log(`[${suite}] ${describeTarget(mod, suite)}`);
  }

  onTestCaseResult(t: TestCase): void {
    const suite = suiteOf(t.module.moduleId, this.root);
    if (!suite) return;
    const result = t.result();
    if (result.state === "skipped" && t.options.mode !== "run") return; // filtered out by --grep
    const counts = this.perModule.get(t.module.moduleId) ?? zero();
    const status = (t.meta().check?.status ?? (result.state === "failed" ? "failed" : undefined)) as keyof Counts | undefined;
    if (status && status in counts) counts[status] += 1;
    if (status === "failed") this.failed += 1;
    this.perModule.set(t.module.moduleId, counts);
    this.checksDone += 1;
    this.status();
  }

  onTestModuleEnd(mod: TestModule): void {
    const suite = suiteOf(mod.moduleId, this.root);
    if (!suite) return;
    this.filesDone += 1;
    const name = relative("suites", relative(this.root, mod.moduleId)).split(sep).join("/");
    const head = `[${this.filesDone}/${this.options.files} files] ${name}`;
    const errors = mod.errors();
    if (errors.length > 0) {
      this.log(`${head}: FAILED TO LOAD (${errors[0]?.message ?? "error"})`);
      return;
    }
    const c = this.perModule.get(mod.moduleId) ?? zero();
    const parts = Object.entries(c)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${n} ${k}`);
    const total = Object.values(c).reduce((a, b) => a + b, 0);
    this.log(`${head}: ${total} checks${parts.length ? ` (${parts.join(", ")})` : ""}`);
    this.status();
  }

  onTestRunEnd(): void {
    if (this.statusShown) {
      process.stdout.write("\r\x1b[2K");
      this.statusShown = false;
    }
  }
}

/** The suite a module belongs to, from its path below vitest's root (where suites/ is). */
function suiteOf(moduleId: string, root: string): string | undefined {
  const rel = relative(root, moduleId).split(sep);
  return rel[0] === "suites" && rel.length > 2 && rel[1] !== "_support" ? rel[1] : undefined;
}

function describeTarget(mod: TestModule, suite: string): string {
  try {
    const ctx = mod.project.getProvidedContext() as unknown as Record<string, unknown>;
    if (suite === "environment") {
      const t = ctx.environmentTarget as { kind?: string; environment?: string; issuer?: string } | undefined;
      if (t) return `target ${t.issuer} (${t.kind === "simulator" ? "embedded simulator" : t.environment})`;
    }
    if (suite === "service") {
      const t = ctx.serviceTarget as { kind?: string; startUrl?: string } | undefined;
      if (t) return `target ${t.startUrl} (${t.kind === "reference" ? "bundled reference service" : "service under test"})`;
    }
    if (suite === "artefacts") return "captured artefacts (ARTEFACTS_DIR)";
  } catch {
    // no provided context
  }
  return "starting";
}
