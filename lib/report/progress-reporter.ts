/**
 * A vitest reporter that says where a conformance run is: which suite and target, and how many
 * checks are done, e.g.
 *
 *   [environment] target http://127.0.0.1:40443 (simulator)
 *   [environment] token-endpoint.conformance.ts: 15 checks (15 passed) · 18/18 checks done
 *
 * One line per suite (when it starts) and one per suite file (when it ends), plus a line every
 * 25 checks of a suite, so the default reporter's output stays readable. Files of different
 * suites run in parallel, so the "done" figures count checks collected so far.
 */
import { relative, sep } from "node:path";
import type { Reporter, TestCase, TestModule, Vitest } from "vitest/node";

const EVERY = 25;

export default class ProgressReporter implements Reporter {
  private vitest: Vitest | undefined;
  private collected = 0;
  private done = 0;
  private readonly perSuite = new Map<string, { collected: number; done: number }>();
  private readonly suitesAnnounced = new Set<string>();
  private readonly perModule = new Map<
    string,
    { passed: number; failed: number; warning: number; inconclusive: number; skipped: number; manual: number }
  >();

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  private log(line: string): void {
    if (this.vitest) this.vitest.logger.log(line);
    else process.stdout.write(`${line}\n`);
  }

  onTestModuleCollected(mod: TestModule): void {
    const suite = suiteOf(mod.moduleId);
    if (!suite) return;
    const counts = this.perSuite.get(suite) ?? { collected: 0, done: 0 };
    for (const t of mod.children.allTests()) {
      if (t.options.mode !== "run") continue;
      this.collected += 1;
      counts.collected += 1;
    }
    this.perSuite.set(suite, counts);
    if (!this.suitesAnnounced.has(suite)) {
      this.suitesAnnounced.add(suite);
      this.log(`[${suite}] ${describeTarget(mod, suite)}`);
    }
  }

  onTestCaseResult(t: TestCase): void {
    const suite = suiteOf(t.module.moduleId);
    if (!suite) return;
    const result = t.result();
    if (result.state === "skipped" && t.options.mode !== "run") return; // filtered out by --grep
    this.done += 1;
    const s = this.perSuite.get(suite) ?? { collected: 0, done: 0 };
    s.done += 1;
    this.perSuite.set(suite, s);
    const counts = this.perModule.get(t.module.moduleId) ?? { passed: 0, failed: 0, warning: 0, inconclusive: 0, skipped: 0, manual: 0 };
    const status = (t.meta().check?.status ?? result.state) as keyof typeof counts | "pending";
    if (status !== "pending" && status in counts) counts[status] += 1;
    this.perModule.set(t.module.moduleId, counts);
    if (s.done % EVERY === 0)
      this.log(
        `[${suite}] ${s.done}/${Math.max(s.collected, s.done)} checks (all suites ${this.done}/${Math.max(this.collected, this.done)})`,
      );
  }

  onTestModuleEnd(mod: TestModule): void {
    const suite = suiteOf(mod.moduleId);
    if (!suite) return;
    const c = this.perModule.get(mod.moduleId);
    const name = relative(`suites/${suite}`, relative(process.cwd(), mod.moduleId)).split(sep).join("/");
    const errors = mod.errors();
    if (errors.length > 0) {
      this.log(`[${suite}] ${name}: FAILED TO LOAD (${errors[0]?.message ?? "error"}) · ${this.done}/${this.collected} checks done`);
      return;
    }
    const parts = c
      ? Object.entries(c)
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${n} ${k}`)
      : [];
    const total = c ? Object.values(c).reduce((a, b) => a + b, 0) : 0;
    this.log(
      `[${suite}] ${name}: ${total} checks${parts.length ? ` (${parts.join(", ")})` : ""} · ` +
        `${this.done}/${Math.max(this.collected, this.done)} checks done`,
    );
  }
}

function suiteOf(moduleId: string): string | undefined {
  const rel = relative(process.cwd(), moduleId).split(sep);
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
  } catch {
    // no provided context
  }
  return "starting";
}
