/**
 * `npm run conformance`: run the conformance suites against the configured targets, write
 * `reports/` (summary.json, summary.md, junit.xml, allure-results, allure-report/index.html) and
 * exit non-zero when a check failed, when the selection ran no check at all, or when a suite file
 * of the selection did not load or did not report.
 *
 *   npm run conformance -- --suite environment --grep FED-DISC-01
 *
 * Exit codes: 0 no check failed and none was inconclusive; 1 a check failed, nothing ran, part of
 * the selection did not run, or the HTML report could not be produced safely; 2 the configuration
 * or an option was refused, a target could not be started, or the runner itself broke; 3 no check
 * failed but some were inconclusive (something could not be observed).
 */
import { Command, CommanderError, Option } from "commander";
import type { Reporter } from "vitest/node";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { availableParallelism } from "node:os";
import type { Summary } from "../lib/report/build-summary.ts";
import { conformanceReporters } from "../lib/report/reporters.ts";
import { generateAllureReport, preloadAllureEngine } from "../lib/report/allure-html.ts";
import { describeMissing, loadConfig, type HarnessConfig } from "../lib/config/index.ts";
import { HarnessErrorBase } from "../lib/errors/index.ts";
import { isRequirementId } from "../lib/requirements/index.ts";
import { MANUAL_SCENARIOS } from "../lib/requirements/manual-scenarios.ts";
import { startTargets, type Targets } from "../suites/_support/targets.ts";

const SUITES = ["environment", "service", "artefacts"] as const;

const program = new Command("conformance")
  .description("Check an NHS login environment, an integrated service and captured artefacts")
  .addOption(new Option("--suite <name...>", "suites to run (default: all)").choices([...SUITES]))
  .option("--grep <text>", "only checks whose name contains this text or requirement ID")
  .option("--journal <file>", "judge the traffic recorded by `npm run simulator -- --journal <file>` instead of driving the service")
  .option("--no-html", "skip the Allure HTML report (summary, JUnit and Allure results are still written)")
  .showHelpAfterError()
  // Usage errors exit 2 like a refused configuration (commander prints the message itself).
  .exitOverride();

async function main(): Promise<number> {
  const started = performance.now();
  try {
    program.parse();
  } catch (err) {
    if (err instanceof CommanderError) return err.code === "commander.helpDisplayed" || err.code === "commander.version" ? 0 : 2;
    throw err;
  }
  const opts = program.opts<{ suite?: string[]; grep?: string; html: boolean; journal?: string }>();
  let config: HarnessConfig;
  try {
    config = loadConfig(opts.journal ? { env: { ...process.env, SERVICE_JOURNAL: opts.journal } } : {});
  } catch (err) {
    if (err instanceof HarnessErrorBase) {
      process.stderr.write(`conformance: configuration refused\n${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const suites = opts.suite ?? [...SUITES];
  printTarget(config, suites, opts.grep);
  const reports = process.env.REPORTS_DIR ?? "reports";
  // The summary reporter runs inside vitest; read what it wrote rather than sharing memory with it.
  const summaryPath = join(reports, "summary.json");
  rmSync(summaryPath, { force: true });
  // Results of earlier runs must not leak into this report; their trend lives in history.jsonl.
  rmSync(join(reports, "allure-results"), { recursive: true, force: true });
  rmSync(join(reports, "allure-report"), { recursive: true, force: true });
  const filters = suites.map((s) => `suites/${s}/`);
  const pattern = namePattern(opts.grep);
  // Start the targets of the selection (simulators, the reference service) while vitest loads:
  // key generation and the service's process run beside the import.
  const targetsStarted = performance.now();
  const starting = startTargets(config, { environment: suites.includes("environment"), service: suites.includes("service") });
  starting.catch(() => {}); // awaited below; this only keeps an early rejection from going unhandled
  const { startVitest } = await import("vitest/node");
  let targets: Targets;
  try {
    targets = await starting;
  } catch (err) {
    process.stderr.write(`conformance: the targets could not be started: ${(err as Error)?.message ?? String(err)}\n`);
    return 2;
  }
  const targetsMs = Math.round(performance.now() - targetsStarted);
  const { reporters, allure } = conformanceReporters(reports, { includeTokens: config.report.includeTokens });
  try {
    // Load the report engine while the checks run (they mostly wait on HTTP).
    const phases = phaseTimer(opts.html ? preloadAllureEngine : undefined);
    const vitestStarted = performance.now();
    const vitest = await startVitest("test", filters, {
      project: ["conformance"],
      run: true,
      watch: false,
      passWithNoTests: true,
      // Suite files wait on HTTP far more than they compute: two workers even on two cores.
      maxWorkers: Math.max(2, availableParallelism() - 1),
      reporters: [...reporters, phases.reporter] as never,
      provide: {
        reportIncludeTokens: config.report.includeTokens,
        targetsStarted: true,
        ...(targets.environment ? { environmentTarget: targets.environment } : {}),
        ...(targets.service ? { serviceTarget: targets.service } : {}),
      },
      ...(pattern ? { testNamePattern: pattern } : {}),
    });
    await vitest.close();
    const timings: Record<string, number> = {
      setupMs: Math.round(vitestStarted - started),
      targetsMs,
      vitestMs: Math.round(performance.now() - vitestStarted),
      ...phases.result(vitestStarted, performance.now()),
    };
    const summary = existsSync(summaryPath) ? (JSON.parse(readFileSync(summaryPath, "utf8")) as Summary) : undefined;
    const ran = summary ? summary.totals.passed + summary.totals.failed + summary.totals.warnings + summary.totals.inconclusive : 0;
    if (!summary || ran === 0) {
      process.stderr.write("conformance: no check ran for this selection; that is a failure, not a pass\n");
      return 1;
    }
    let code = summary.totals.failed > 0 ? 1 : summary.totals.inconclusive > 0 ? 3 : 0;
    if ((process.exitCode ?? 0) !== 0 && summary.totals.failed === 0) {
      // e.g. an unhandled error in a suite file or hook: vitest printed it above.
      process.stderr.write("conformance: vitest reported errors outside the checks (printed above); the run cannot count as a pass\n");
      code = 1;
    }
    const missing = expectedFiles(suites).filter((f) => !summary.files.some((r) => r.file === f));
    if (missing.length > 0) {
      process.stderr.write(
        `conformance: these suite files of the selection did not report, so their checks did not run: ${missing.join(", ")}\n`,
      );
      code = 1;
    }
    if (opts.html) {
      const htmlStarted = performance.now();
      try {
        const report = await generateAllureReport({
          resultsDir: join(reports, "allure-results"),
          outputDir: join(reports, "allure-report"),
          historyPath: join(reports, "history.jsonl"),
          results: allure.writer,
        });
        if (report.problems.length > 0) {
          process.stderr.write(
            `conformance: the HTML report still points outside itself (${report.problems.join("; ")}); do not publish it\n`,
          );
          code = 1;
        } else {
          process.stdout.write(
            `Allure report: ${report.indexHtml} (one file, opens from disk; ${report.stripped.length} third-party scripts removed)\n`,
          );
        }
      } catch (err) {
        process.stderr.write(`conformance: the Allure HTML report could not be generated: ${(err as Error).message}\n`);
        code = 1;
      }
      timings.htmlMs = Math.round(performance.now() - htmlStarted);
    }
    try {
      // The Allure results reach reports/allure-results in the background; wait for the last of them.
      await allure.writer.flush();
    } catch (err) {
      process.stderr.write(`conformance: ${(err as Error).message}\n`);
      code = 1;
    }
    timings.totalMs = Math.round(performance.now() - started);
    // Where the time went (read by `npm run bench`); per-file durations are in summary.json.
    mkdirSync(reports, { recursive: true });
    writeFileSync(join(reports, "run-timings.json"), `${JSON.stringify(timings)}\n`);
    const result = code === 0 ? "PASS (no check failed)" : code === 3 ? "INCONCLUSIVE (no check failed; some could not observe)" : "FAIL";
    process.stdout.write(`JUnit: ${join(reports, "junit.xml")}\nResult: ${result}\n`);
    return code;
  } finally {
    // Whatever happened: stop what was started, and let the Allure results reach the disk.
    await Promise.allSettled([targets.stop(), allure.writer.flush()]);
  }
}

/**
 * Where vitest's time goes: start-up until the run starts, global setup (simulator, reference
 * service) until the first file is queued, the suite files, then the reporters writing results
 * (JUnit, Allure results, summary) and teardown.
 */
function phaseTimer(onFirstFile?: () => void): { reporter: Reporter; result(start: number, end: number): Record<string, number> } {
  const at: Record<string, number> = {};
  const mark = (k: string) => (at[k] ??= performance.now());
  const reporter: Reporter = {
    onTestRunStart: () => void mark("runStart"),
    onTestModuleQueued: () => {
      if (at.firstQueued !== undefined) return;
      mark("firstQueued");
      if (onFirstFile) setTimeout(onFirstFile, 0).unref();
    },
    onTestModuleEnd: () => void (at.lastModuleEnd = performance.now()),
    onTestRunEnd: () => void mark("runEnd"),
  };
  const span = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined ? Math.round(b - a) : undefined);
  return {
    reporter,
    result(start, end) {
      const out: Record<string, number | undefined> = {
        vitestStartMs: span(start, at.runStart),
        globalSetupMs: span(at.runStart, at.firstQueued),
        suiteFilesMs: span(at.firstQueued, at.lastModuleEnd),
        reportersMs: span(at.lastModuleEnd, at.runEnd),
        teardownMs: span(at.runEnd, end),
      };
      return Object.fromEntries(Object.entries(out).filter((e): e is [string, number] => e[1] !== undefined));
    },
  };
}

/**
 * The test-name pattern for `--grep`: a requirement or manual scenario ID matches as a whole word
 * (FED-TOKEN-1 does not select FED-TOKEN-10); other text matches anywhere in the name, including
 * the area of the suite file (e.g. "Token endpoint").
 */
function namePattern(grep: string | undefined): RegExp | undefined {
  if (!grep) return undefined;
  const escaped = grep.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const isId = isRequirementId(grep) || MANUAL_SCENARIOS.some((s) => s.id === grep);
  return isId ? new RegExp(`(?<![\\w-])${escaped}(?![\\w-])`) : new RegExp(escaped, "i");
}

/** The suite files a selection should run (the same files vitest's filters match). */
function expectedFiles(suites: readonly string[]): string[] {
  const files: string[] = [];
  for (const s of suites) {
    const dir = join("suites", s);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
      if (f.endsWith(".conformance.ts")) files.push(`${dir}/${f.split("\\").join("/")}`);
    }
  }
  return files.sort();
}

/** Say what is about to be checked, and what configuration is missing for the rest. */
function printTarget(config: HarnessConfig, suites: readonly string[], grep: string | undefined): void {
  const embedded = config.environment === "simulator" && !config.nhslogin.issuer;
  const lines = [
    `NHS login conformance: suites ${suites.join(", ")}${grep ? ` (only checks matching "${grep}")` : ""}`,
    `  environment  ${config.environment}${embedded ? " (embedded simulator)" : ""}`,
    ...(embedded ? [] : [`  issuer       ${config.nhslogin.issuer}`]),
  ];
  const missing = describeMissing(config);
  if (missing.length > 0) {
    lines.push("  missing configuration (the checks that need it are skipped):");
    for (const m of missing) lines.push(`    ${m.variable}: ${m.why} [${m.features.join(", ")}]`);
  }
  process.stdout.write(`${lines.join("\n")}\n\n`);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`conformance: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(2);
  },
);
