/**
 * `npm run conformance`: run the conformance suites against the configured targets and exit
 * non-zero when a check failed or when the selection ran no check at all.
 *
 *   npm run conformance -- --suite environment --grep FED-DISC-01
 */
import { Command, Option } from "commander";
import { startVitest } from "vitest/node";
import { existsSync, readFileSync, rmSync } from "node:fs";
import type { Summary } from "../lib/report/build-summary.ts";
import { describeMissing, loadConfig, type HarnessConfig } from "../lib/config/index.ts";
import { HarnessErrorBase } from "../lib/errors/index.ts";

const SUITES = ["environment", "service", "artefacts"] as const;

const program = new Command("conformance")
  .description("Check an NHS login environment, an integrated service and captured artefacts")
  .addOption(new Option("--suite <name...>", "suites to run (default: all)").choices([...SUITES]))
  .option("--grep <text>", "only checks whose name contains this text or requirement ID")
  .showHelpAfterError();

async function main(): Promise<number> {
  program.parse();
  const opts = program.opts<{ suite?: string[]; grep?: string }>();
  let config: HarnessConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof HarnessErrorBase) {
      process.stderr.write(`conformance: configuration refused\n${err.message}\n`);
      return 2;
    }
    throw err;
  }
  printTarget(config, opts.suite ?? [...SUITES]);
  // The summary reporter runs inside vitest; read what it wrote rather than sharing memory with it.
  const summaryPath = `${process.env.REPORTS_DIR ?? "reports"}/summary.json`;
  rmSync(summaryPath, { force: true });
  const filters = (opts.suite ?? [...SUITES]).map((s) => `suites/${s}/`);
  const escaped = opts.grep?.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const vitest = await startVitest("test", filters, {
    project: ["conformance"],
    run: true,
    watch: false,
    passWithNoTests: true,
    ...(escaped ? { testNamePattern: escaped } : {}),
  });
  await vitest.close();
  const summary = existsSync(summaryPath) ? (JSON.parse(readFileSync(summaryPath, "utf8")) as Summary) : undefined;
  const ran = summary ? summary.totals.passed + summary.totals.failed + summary.totals.warnings : 0;
  if (!summary || ran === 0) {
    process.stderr.write("conformance: no check ran for this selection; that is a failure, not a pass\n");
    return 1;
  }
  return summary.totals.failed > 0 || (process.exitCode ?? 0) !== 0 ? 1 : 0;
}

/** Say what is about to be checked, and what configuration is missing for the rest. */
function printTarget(config: HarnessConfig, suites: readonly string[]): void {
  const embedded = config.environment === "simulator" && !config.nhslogin.issuer;
  const lines = [
    `NHS login conformance: suites ${suites.join(", ")}`,
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
