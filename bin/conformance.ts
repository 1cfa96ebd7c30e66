#!/usr/bin/env node
/**
 * `npm run conformance`: run the conformance suites against the configured targets, write
 * `reports/` (summary.json and .md, conformance-statement.html/.csv/.json, junit.xml,
 * allure-results, allure-report/index.html) and exit non-zero when a check failed, when the
 * selection ran no check at all, or when a suite file of the selection did not load or report.
 *
 *   npm run conformance -- --suite environment --grep FED-DISC-01
 *
 * Exit codes: see EXIT_CODES below (also printed by --help).
 */
import { Command, CommanderError, Option } from "commander";
import type { Reporter } from "vitest/node";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { availableParallelism } from "node:os";
import { HARNESS_ERROR_ID, type Summary } from "../lib/report/build-summary.ts";
import { conformanceReporters } from "../lib/report/reporters.ts";
import { generateAllureReport, preloadAllureEngine } from "../lib/report/allure-html.ts";
import { describeMissing, loadConfig, type HarnessConfig } from "../lib/config/index.ts";
import { preflight } from "../lib/config/preflight.ts";
import { HarnessErrorBase } from "../lib/errors/index.ts";
import { isRequirementId } from "../lib/requirements/index.ts";
import { MANUAL_SCENARIOS } from "../lib/requirements/manual-scenarios.ts";
import { loadManualResults, type ManualResult } from "../lib/report/load-manual-results.ts";
import { runMetadata } from "../lib/report/run-metadata.ts";
import { buildStatement, coverageText, summaryCoverage } from "../lib/report/build-statement.ts";
import { statementHtml } from "../lib/report/statement-html.ts";
import { statementCsv } from "../lib/report/statement-csv.ts";
import { junitXml } from "../lib/report/junit-xml.ts";
import { redactText } from "../lib/http/index.ts";
import { startTargets, type Targets } from "../suites/_support/targets.ts";
import { COMPILED, HARNESS_ROOT } from "../lib/package-root.ts";

const SUITES = ["environment", "service", "artefacts"] as const;

/**
 * vitest runs the suites the harness ships, from where they are (this repository, or the installed
 * package's dist/), whatever the current directory, which is the user's (.env, reports/).
 */
const VITEST_HOME = {
  root: HARNESS_ROOT,
  config: join(HARNESS_ROOT, COMPILED ? "vitest.config.js" : "vitest.config.ts"),
} as const;

/** The files a run writes in REPORTS_DIR (besides allure-results/, allure-report/ and history/). */
const RUN_OUTPUTS = [
  "summary.json",
  "summary.md",
  "junit.xml",
  "conformance-statement.html",
  "conformance-statement.csv",
  "conformance-statement.json",
  "run-timings.json",
];

const EXIT_CODES = `Exit codes:
  0  no check failed and none was inconclusive
  1  a check failed, nothing ran, part of the selection did not run, or the HTML report was unsafe
  2  the configuration or an option was refused, or a target was unusable before the checks
     (unreachable issuer, discovery unreadable, scopes or vtr it does not support)
  3  no check failed, but some were inconclusive (something could not be observed)

Reports (REPORTS_DIR, default reports/):
  conformance-statement.html|csv|json  every catalogue requirement with its status and evidence
  summary.json, summary.md             the checks of the run (the unit of every count)
  junit.xml                            one test case per check, stable names for CI history
  allure-report/index.html             one file, opens from disk; allure-results/ beside it

Main variables (all of them: .env.example):
  NHSLOGIN_ENVIRONMENT, NHSLOGIN_ISSUER, NHSLOGIN_CLIENT_ID, NHSLOGIN_PRIVATE_KEY_FILE
  SERVICE_START_URL, SERVICE_CLIENT_ID, SERVICE_REDIRECT_URIS, SERVICE_PUBLIC_KEY_FILE, SERVICE_DRIVER
  ARTEFACTS_DIR, MANUAL_RESULTS_FILE, REPORTS_DIR, NO_COLOR`;

const program = new Command("nhslogin-conformance")
  .description("Check an NHS login environment, an integrated service and captured artefacts")
  .addOption(new Option("--suite <name...>", "suites to run (default: all)").choices([...SUITES]))
  .option("--grep <text>", "only checks whose name contains this text or requirement ID")
  .option(
    "--journal <file>",
    "judge the traffic the simulator recorded (nhslogin-simulator --journal <file>) instead of driving the service",
  )
  .option("--list", "list the checks the selection would run, without running them")
  .option("--rerun-failed", "run again only the checks that failed or were inconclusive in the last summary")
  .option("--verbose", "also show vitest's own output (per test, with code frames)")
  .addOption(
    new Option("--reporter <format>", "what goes to stdout: text, or the summary as JSON").choices(["text", "json"]).default("text"),
  )
  .option("--no-html", "skip the Allure HTML report (summary, statement, JUnit and Allure results are still written)")
  .addHelpText("after", `\n${EXIT_CODES}`)
  .showHelpAfterError()
  // Usage errors exit 2 like a refused configuration (commander prints the message itself).
  .exitOverride();

interface Options {
  suite?: string[];
  grep?: string;
  html: boolean;
  journal?: string;
  list?: boolean;
  rerunFailed?: boolean;
  verbose?: boolean;
  reporter: "text" | "json";
}

async function main(): Promise<number> {
  const started = performance.now();
  try {
    program.parse();
  } catch (err) {
    if (err instanceof CommanderError) return err.code === "commander.helpDisplayed" || err.code === "commander.version" ? 0 : 2;
    throw err;
  }
  const opts = program.opts<Options>();
  // Colour only on a terminal, never when NO_COLOR is set (https://no-color.org), never in JSON mode
  // (bin/launch.mjs decides it first, before vitest loads; this covers a start without it).
  if (process.env.NO_COLOR || !process.stdout.isTTY || opts.reporter === "json") {
    process.env.NO_COLOR = "1";
    process.env.FORCE_COLOR = "0";
  }
  if (opts.verbose && opts.reporter === "json") {
    process.stderr.write("conformance: --verbose writes vitest's output to stdout, which --reporter json keeps for the summary alone\n");
    return 2;
  }
  // With --reporter json, stdout carries the summary alone; everything for people goes to stderr.
  const say = (text: string) => void (opts.reporter === "json" ? process.stderr : process.stdout).write(text);
  const refuse = (what: string, err: unknown): number => {
    process.stderr.write(`conformance: ${what}\n${(err as Error).message}\n`);
    return 2;
  };
  let config: HarnessConfig;
  try {
    config = loadConfig(opts.journal ? { env: { ...process.env, SERVICE_JOURNAL: opts.journal } } : {});
  } catch (err) {
    if (err instanceof HarnessErrorBase) return refuse("configuration refused", err);
    throw err;
  }
  for (const w of config.warnings) process.stderr.write(`conformance: warning: ${w}\n`);
  let manualResults: ReadonlyMap<string, ManualResult> | undefined;
  try {
    manualResults = config.report.manualResults ? loadManualResults(config.report.manualResults) : undefined;
  } catch (err) {
    if (err instanceof HarnessErrorBase) return refuse("configuration refused", err);
    throw err;
  }
  const reports = config.report.dir;
  const summaryPath = join(reports, "summary.json");
  /** The target kinds asked for (--rerun-failed narrows what runs, not what the statement covers). */
  const selected: string[] = opts.suite ?? [...SUITES];
  let suites: string[] = [...selected];
  let pattern = namePattern(opts.grep);
  if (opts.rerunFailed) {
    let last: Summary | undefined;
    try {
      last = existsSync(summaryPath) ? (JSON.parse(readFileSync(summaryPath, "utf8")) as Summary) : undefined;
    } catch (err) {
      process.stderr.write(`conformance: --rerun-failed could not read ${summaryPath}: ${(err as Error).message}\n`);
      return 2;
    }
    if (!Array.isArray(last?.checks)) {
      process.stderr.write(`conformance: --rerun-failed needs the summary of an earlier run at ${summaryPath}; there is none\n`);
      return 2;
    }
    const again = last.checks.filter((c) => (c.status === "failed" || c.status === "inconclusive") && c.name);
    if (again.length === 0) {
      say(`conformance: no check failed or was inconclusive in ${summaryPath}; nothing to run again\n`);
      return 0;
    }
    suites = suites.filter((s) => again.some((c) => c.suite === s));
    // A suite file that did not load, or an error outside the checks, names no test: run its suites whole.
    const whole = again.some((c) => c.id === HARNESS_ERROR_ID || c.suite === "harness");
    if (whole && suites.length === 0) suites = [...selected];
    pattern = whole ? undefined : new RegExp(`(?:^| )(?:${again.map((c) => escapeRegExp(c.name)).join("|")})$`);
  }
  const filters = suites.map((s) => `suites/${s}/`);
  const files = expectedFiles(suites);
  if (!opts.list) printTarget(config, suites, opts.grep, say);
  // Start the targets of the selection (simulators, the reference service) while vitest loads:
  // key generation and the service's process run beside the import.
  const targetsStarted = performance.now();
  const starting = startTargets(config, { environment: suites.includes("environment"), service: suites.includes("service") });
  starting.catch(() => {}); // awaited below; this only keeps an early rejection from going unhandled
  const { startVitest, createVitest } = await import("vitest/node");
  let targets: Targets;
  try {
    targets = await starting;
  } catch (err) {
    process.stderr.write(`conformance: the targets could not be started: ${(err as Error)?.message ?? String(err)}\n`);
    return 2;
  }
  const targetsMs = Math.round(performance.now() - targetsStarted);
  const provide = {
    reportIncludeTokens: config.report.includeTokens,
    targetsStarted: true,
    ...(targets.environment ? { environmentTarget: targets.environment } : {}),
    ...(targets.service ? { serviceTarget: targets.service } : {}),
  };
  if (opts.list) {
    try {
      return await listChecks(createVitest, filters, provide, pattern, say);
    } finally {
      await targets.stop();
    }
  }
  const problems = await preflight(config, targets.environment).catch((err: unknown) => [err as Error]);
  if (problems.length > 0) {
    await targets.stop();
    process.stderr.write(
      `conformance: a target is unusable with this configuration; no check ran\n${problems.map((p) => `- ${p.message}`).join("\n")}\n`,
    );
    return 2;
  }
  // Results of earlier runs must not pass for this one's (their trend lives in history/); kept when
  // the configuration or the pre-flight stopped the run, so --rerun-failed still finds them.
  for (const name of [...RUN_OUTPUTS, "allure-results", "allure-report"]) rmSync(join(reports, name), { recursive: true, force: true });
  const run = runMetadata(
    config,
    {
      suites,
      ...(opts.grep ? { grep: opts.grep } : {}),
      ...(opts.journal ? { journal: opts.journal } : {}),
      ...(opts.rerunFailed ? { rerunFailed: true } : {}),
      html: opts.html,
    },
    targets,
  );
  const { reporters, allure } = conformanceReporters(reports, {
    files: files.length,
    includeTokens: config.report.includeTokens,
    run: run as unknown as Record<string, unknown>,
    verbose: opts.verbose === true,
    ...(opts.reporter === "json" ? { write: say } : {}),
  });
  try {
    // Load the report engine while the checks run (they mostly wait on HTTP).
    const phases = phaseTimer(opts.html ? preloadAllureEngine : undefined);
    const vitestStarted = performance.now();
    const vitest = await startVitest("test", filters, {
      ...VITEST_HOME,
      project: ["conformance"],
      run: true,
      watch: false,
      passWithNoTests: true,
      // Suite files wait on HTTP far more than they compute: two workers even on two cores.
      maxWorkers: Math.max(2, availableParallelism() - 1),
      reporters: [...reporters, phases.reporter] as never,
      provide,
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
      // e.g. an unhandled error in a suite file or hook (listed in the summary above).
      process.stderr.write("conformance: vitest reported errors outside the checks; the run cannot count as a pass\n");
      code = 1;
    }
    const missing = files.filter((f) => !summary.files.some((r) => r.file === f));
    if (missing.length > 0) {
      process.stderr.write(
        `conformance: these suite files of the selection did not report, so their checks did not run: ${missing.join(", ")}\n`,
      );
      code = 1;
    }
    const redact = (text: string) => redactText(text, { includeTokens: config.report.includeTokens });
    writeFileSync(join(reports, "junit.xml"), redact(junitXml(summary)));
    let allureReport: string | undefined;
    if (opts.html) {
      const htmlStarted = performance.now();
      try {
        const report = await generateAllureReport({
          resultsDir: join(reports, "allure-results"),
          outputDir: join(reports, "allure-report"),
          historyPath: join(reports, "history", `${historyKey(run)}${opts.grep || opts.rerunFailed ? "-narrowed" : ""}.jsonl`),
          results: allure.writer,
        });
        if (report.problems.length > 0) {
          process.stderr.write(
            `conformance: the HTML report still points outside itself (${report.problems.join("; ")}); do not publish it\n`,
          );
          code = 1;
        } else {
          allureReport = "allure-report/index.html";
          say(`Allure report: ${report.indexHtml} (one file, opens from disk; ${report.stripped.length} third-party scripts removed)\n`);
        }
      } catch (err) {
        process.stderr.write(`conformance: the Allure HTML report could not be generated: ${(err as Error).message}\n`);
        code = 1;
      }
      timings.htmlMs = Math.round(performance.now() - htmlStarted);
    }
    const built = buildStatement(summary, {
      suites: selected,
      narrowed: Boolean(opts.grep || opts.rerunFailed),
      ...(manualResults ? { manualResults } : {}),
      ...(allureReport ? { allureReport } : {}),
    });
    // Redacted before it is rendered: escaping for HTML, CSV or XML would hide a secret from the masks.
    const statement = JSON.parse(redact(JSON.stringify(built))) as typeof built;
    writeFileSync(join(reports, "conformance-statement.json"), `${JSON.stringify(statement, null, 2)}\n`);
    writeFileSync(join(reports, "conformance-statement.csv"), statementCsv(statement));
    writeFileSync(join(reports, "conformance-statement.html"), statementHtml(statement));
    // summary.json counts requirements as the statement does, so the two never disagree.
    summary.coverage = summaryCoverage(statement);
    writeFileSync(summaryPath, `${JSON.stringify(summary, null, 2)}\n`);
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
    say(
      `${coverageText(statement)}\n` +
        `Conformance statement: ${join(reports, "conformance-statement.html")} (also .csv, .json)\n` +
        `JUnit: ${join(reports, "junit.xml")}\nResult: ${result}\n`,
    );
    if (opts.reporter === "json") process.stdout.write(`${readFileSync(summaryPath, "utf8").trim()}\n`);
    return code;
  } finally {
    // Whatever happened: stop what was started, and let the Allure results reach the disk.
    await Promise.allSettled([targets.stop(), allure.writer.flush()]);
  }
}

/** `--list`: collect the selection's checks (nothing runs) and print them, one per line. */
async function listChecks(
  createVitest: typeof import("vitest/node").createVitest,
  filters: string[],
  provide: Record<string, unknown>,
  pattern: RegExp | undefined,
  say: (text: string) => void,
): Promise<number> {
  const vitest = await createVitest("test", {
    ...VITEST_HOME,
    project: ["conformance"],
    watch: false,
    reporters: [],
    provide,
    ...(pattern ? { testNamePattern: pattern } : {}),
  } as never);
  try {
    const { testModules } = await vitest.collect(filters);
    const lines: string[] = [];
    for (const mod of testModules) {
      const suite = mod.moduleId.split("/suites/")[1]?.split("/")[0] ?? "?";
      for (const t of mod.children.allTests()) {
        if (pattern && !pattern.test(t.fullName)) continue;
        lines.push(`${suite.padEnd(12)} ${t.name}`);
      }
    }
    lines.sort();
    say(`${lines.join("\n")}\n${lines.length} checks would run\n`);
    return lines.length > 0 ? 0 : 1;
  } finally {
    await vitest.close();
  }
}

/** History per target, so trends compare runs against the same environment and service. */
function historyKey(run: ReturnType<typeof runMetadata>): string {
  const t = run.targets;
  const parts = [
    t.environment ? `env-${t.environment.issuer ?? t.environment.kind}` : "",
    t.service ? `svc-${t.service.startUrl ?? t.service.kind}` : "",
    t.artefacts ? "artefacts" : "",
  ].filter(Boolean);
  return (parts.join("_") || "none").replace(/[^A-Za-z0-9_-]+/g, "-").slice(0, 120);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
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
  const escaped = escapeRegExp(grep);
  const isId = isRequirementId(grep) || MANUAL_SCENARIOS.some((s) => s.id === grep);
  return isId ? new RegExp(`(?<![\\w-])${escaped}(?![\\w-])`) : new RegExp(escaped, "i");
}

/** The suite files a selection should run (the same files vitest's filters match). */
function expectedFiles(suites: readonly string[]): string[] {
  const files: string[] = [];
  for (const s of suites) {
    const dir = join(HARNESS_ROOT, "suites", s);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
      if (/\.conformance\.[jt]s$/.test(f)) files.push(`suites/${s}/${f.split("\\").join("/")}`);
    }
  }
  return files.sort();
}

/** Say what is about to be checked, and what configuration is missing for the rest. */
function printTarget(config: HarnessConfig, suites: readonly string[], grep: string | undefined, say: (t: string) => void): void {
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
  say(`${lines.join("\n")}\n\n`);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`conformance: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(2);
  },
);
