/**
 * Figure 5: a full default conformance run (`npm run conformance` with no configuration: embedded
 * simulator, bundled reference service, every suite, the Allure HTML), timed end to end exactly as
 * a user starts it (npm included), several times; median and spread, and where the time goes
 * (start-up, targets, vitest, HTML) with per-suite-file durations from the run's own summary.
 *
 * Env: BENCH_CONFORMANCE_RUNS (default 3, 1 to 5).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { percentile } from "./_load.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface ConformanceRun {
  wallMs: number;
  code: number | null;
  /** From reports/run-timings.json: runner set-up (targets included), vitest (collect + run), HTML, runner total. */
  timings: {
    setupMs?: number;
    targetsMs?: number;
    vitestMs?: number;
    htmlMs?: number;
    totalMs?: number;
    vitestStartMs?: number;
    globalSetupMs?: number;
    suiteFilesMs?: number;
    reportersMs?: number;
    teardownMs?: number;
  };
  files: { file: string; checks: number; collectMs: number; durationMs: number }[];
  totals?: Record<string, number>;
  /** Durations (ms) of the checks that ran (not skipped, not manual), by suite, from the run's summary. */
  checkMs: Record<string, number[]>;
  /** The checks that took a second or more, by "suite ID: title", with their durations (ms). */
  slowChecks: Record<string, number>;
}

/** A check this slow waits on a clock (a token's expiry, a service's timeouts), not on work. */
const SLOW_CHECK_MS = 1000;

export interface ConformanceFigure {
  runs: ConformanceRun[];
  medianMs: number;
  minMs: number;
  maxMs: number;
}

/** One run of `npm run conformance` in a child process, with its own reports folder. */
function runOnce(timeoutMs: number, args: readonly string[] = [], extraEnv: Record<string, string> = {}): Promise<ConformanceRun> {
  const reports = mkdtempSync(join(tmpdir(), "bench-conformance-"));
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "--silent", "conformance", ...(args.length > 0 ? ["--", ...args] : [])], {
      cwd: ROOT,
      // No .env from the developer's tree and no target settings: the default, offline run.
      // npm's own update check (a registry request) is not part of the run being measured.
      env: {
        PATH: process.env.PATH ?? "",
        HOME: reports,
        REPORTS_DIR: reports,
        NO_COLOR: "1",
        npm_config_update_notifier: "false",
        ...extraEnv,
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      const read = <T>(name: string): T | undefined => {
        const f = join(reports, name);
        return existsSync(f) ? (JSON.parse(readFileSync(f, "utf8")) as T) : undefined;
      };
      const summary = read<{
        totals: Record<string, number>;
        files?: ConformanceRun["files"];
        checks?: { suite?: string; id?: string; title?: string; status?: string; durationMs?: number }[];
      }>("summary.json");
      const checkMs: Record<string, number[]> = {};
      const slowChecks: Record<string, number> = {};
      for (const c of summary?.checks ?? [])
        if (c.suite && c.status !== "skipped" && c.status !== "manual" && typeof c.durationMs === "number") {
          (checkMs[c.suite] ??= []).push(c.durationMs);
          if (c.durationMs >= SLOW_CHECK_MS) slowChecks[`${c.suite} ${c.id}: ${c.title}`] = c.durationMs;
        }
      const timings = read<ConformanceRun["timings"]>("run-timings.json") ?? {};
      rmSync(reports, { recursive: true, force: true });
      if (code !== 0) process.stderr.write(`[bench] conformance run exited ${code}: ${err.trim().slice(-400)}\n`);
      resolve({ wallMs, code, timings, files: summary?.files ?? [], checkMs, slowChecks, ...(summary ? { totals: summary.totals } : {}) });
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export async function measureConformanceRuns(runs: number, timeoutMs = 180_000): Promise<ConformanceFigure> {
  const results: ConformanceRun[] = [];
  for (let i = 0; i < runs; i += 1) {
    process.stderr.write(`[bench] 5/5 full conformance run ${i + 1}/${runs}...\n`);
    results.push(await runOnce(timeoutMs));
  }
  const walls = results.map((r) => r.wallMs);
  return { runs: results, medianMs: median(walls), minMs: Math.min(...walls), maxMs: Math.max(...walls) };
}

/**
 * Figure 6: the service suite's parts against the reference service, each alone, as a user would
 * narrow a run: the Users V2 consumer checks beside the sign-in (federation) checks, with their
 * ratio. Each part is one run of `npm run conformance -- --suite service --grep <part>`.
 */
export async function measureServiceParts(timeoutMs = 180_000): Promise<string[]> {
  const part = async (name: string, grep: string) => {
    process.stderr.write(`[bench] 6/6 service suite part: ${name}...\n`);
    const r = await runOnce(timeoutMs, ["--suite", "service", "--grep", grep, "--no-html"]);
    const checks = r.totals ? r.totals.passed! + r.totals.failed! + r.totals.warnings! + r.totals.inconclusive! : 0;
    return { name, r, checks, vitestMs: r.timings.vitestMs ?? Number.NaN };
  };
  const consumer = await part("Users V2 consumer", "Users V2 consumer");
  const signIn = await part("client authentication at /token (three sign-ins)", "Client authentication at /token");
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const line = (p: typeof consumer) =>
    `   ${p.name}: ${p.checks} checks, wall ${s(p.r.wallMs)}, vitest ${s(p.vitestMs)}` +
    `${p.checks > 0 ? `, ${Math.round(p.vitestMs / p.checks)} ms per check` : ""}${p.r.code === 0 ? "" : ` (exit ${p.r.code})`}`;
  return [
    "6. Service suite parts against the reference service (npm run conformance -- --suite service --grep <part>, one run each):",
    line(consumer),
    line(signIn),
    `   consumer / sign-in vitest time: ${(consumer.vitestMs / signIn.vitestMs).toFixed(2)}` +
      " (the consumer's lookups include its timeouts on the 1.2 s answer and a 2.2 s wait for token expiry)",
  ];
}

/**
 * Figure 8: the whole service suite against the reference service over HTTP and in browser mode
 * (SERVICE_DRIVER=browser, chromium), one run each, interleaved as http, browser; skipped without chromium.
 */
export async function measureDriverModes(chromiumPath = "/usr/bin/chromium", timeoutMs = 600_000): Promise<string[]> {
  if (!existsSync(chromiumPath)) return [`8. Service suite, HTTP and browser mode: skipped (no chromium at ${chromiumPath})`];
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const run = async (driver: "http" | "browser") => {
    process.stderr.write(`[bench] 8 service suite, ${driver} mode...\n`);
    const r = await runOnce(timeoutMs, ["--suite", "service", "--no-html"], { SERVICE_DRIVER: driver, CHROMIUM_PATH: chromiumPath });
    const t = r.totals ?? {};
    return { driver, r, summary: `passed ${t.passed ?? "?"}, warnings ${t.warnings ?? "?"}, skipped ${t.skipped ?? "?"}` };
  };
  const http = await run("http");
  const browser = await run("browser");
  return [
    "8. Service suite against the reference service (npm run conformance -- --suite service --no-html), one run per mode:",
    ...[http, browser].map(
      (m) =>
        `   ${m.driver.padEnd(7)} wall ${s(m.r.wallMs)}, vitest ${s(m.r.timings.vitestMs ?? Number.NaN)} (${m.summary})` +
        `${m.r.code === 0 ? "" : ` (exit ${m.r.code})`}`,
    ),
    `   browser / http wall time: ${(browser.r.wallMs / http.r.wallMs).toFixed(2)}`,
  ];
}

/** The figure as printed lines: wall time, phases and the slowest suite files (medians). */
export function conformanceLines(f: ConformanceFigure): string[] {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const ok = f.runs.every((r) => r.code === 0);
  const lines = [
    `5. Full default conformance run (npm run conformance, no configuration), ${f.runs.length} runs:`,
    `   wall time median ${s(f.medianMs)}, min ${s(f.minMs)}, max ${s(f.maxMs)}, ` +
      `spread ${s(f.maxMs - f.minMs)} (${((100 * (f.maxMs - f.minMs)) / f.medianMs).toFixed(0)}% of the median)` +
      `; runs: ${f.runs.map((r) => s(r.wallMs)).join(", ")}${ok ? "" : "; SOME RUNS FAILED (exit code ≠ 0)"}`,
  ];
  const phase = (k: keyof ConformanceRun["timings"]) => median(f.runs.map((r) => r.timings[k] ?? Number.NaN).filter(Number.isFinite));
  const startup = median(f.runs.map((r) => r.wallMs - (r.timings.totalMs ?? 0)));
  lines.push(
    `   where it goes (medians): npm, node and imports ${s(startup)}, ` +
      `targets (simulators, reference service, keys; beside vitest's import) ${s(phase("setupMs"))}, ` +
      `vitest ${s(phase("vitestMs"))}, Allure HTML ${s(phase("htmlMs"))}`,
    `   inside vitest (medians): start-up ${s(phase("vitestStartMs"))}, global setup ${s(phase("globalSetupMs"))}, ` +
      `suite files (2 workers) ${s(phase("suiteFilesMs"))}, ` +
      `reporters (JUnit, Allure results, summary) ${s(phase("reportersMs"))}, teardown ${s(phase("teardownMs"))}`,
  );
  const t = f.runs[0]?.totals;
  if (t)
    lines.push(
      `   checks per run: ${Object.entries(t)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}`,
    );
  // What one more check costs: the duration of a check like today's in its suite (the service suite is
  // the run's critical path; the others run beside it). Medians over the runs of each statistic.
  const suites = [...new Set(f.runs.flatMap((r) => Object.keys(r.checkMs)))].sort();
  if (suites.length > 0) {
    const per = suites.map((suite) => {
      const of = (pick: (sorted: number[]) => number) =>
        median(
          f.runs
            .map((r) => r.checkMs[suite])
            .filter((xs): xs is number[] => !!xs?.length)
            .map((xs) => pick([...xs].sort((a, b) => a - b))),
        );
      const mid = of((xs) => percentile(xs, 50));
      const mean = of((xs) => xs.reduce((a, b) => a + b, 0) / xs.length);
      const p90 = of((xs) => percentile(xs, 90));
      return `${suite} ${Math.round(mid)} / ${Math.round(mean)} / ${Math.round(p90)}`;
    });
    lines.push(`   per check that ran (median / mean / p90 ms, from each run's summary): ${per.join("; ")}`);
  }
  // The checks that wait on a clock, and what they leave of the run when the service suite runs its
  // scenarios one at a time: a bound below which no cut to the other checks can take the run.
  const slow = [...new Set(f.runs.flatMap((r) => Object.keys(r.slowChecks)))]
    .map((name) => ({ name, ms: median(f.runs.map((r) => r.slowChecks[name] ?? 0)) }))
    .filter((c) => c.ms >= SLOW_CHECK_MS)
    .sort((a, b) => b.ms - a.ms);
  if (slow.length > 0) {
    // Only the service suite's waits are in its chain; the other suites run beside it, in the other worker.
    const waits = slow.filter((c) => c.name.startsWith("service ")).reduce((a, c) => a + c.ms, 0);
    const serviceCollect = median(
      f.runs
        .map((r) => r.files.find((x) => x.file.endsWith("service/service.conformance.ts"))?.collectMs ?? Number.NaN)
        .filter(Number.isFinite),
    );
    const fixed = phase("setupMs") + phase("vitestStartMs") + phase("globalSetupMs");
    const collect = serviceCollect || 0;
    const after = phase("reportersMs") + phase("teardownMs") + phase("htmlMs");
    lines.push(
      `   checks of ${SLOW_CHECK_MS / 1000} s or more (medians), which wait on a clock (a token's expiry, a service's timeouts):`,
      ...slow.map((c) => `     ${s(c.ms)}  ${c.name.length > 110 ? `${c.name.slice(0, 109)}…` : c.name}`),
      `   the service suite's together ${s(waits)}. With its scenarios one at a time and every other check free, a run would still take ` +
        `${s(startup + fixed + collect + waits + after)} (sums of medians): start-up and exit ${s(startup)}, targets and vitest's start ` +
        `${s(fixed)}, the service suite file's import ${s(collect)} (less when another file on its worker imported the shared ` +
        `modules first, which then ran before it), these waits ${s(waits)}, reporters and HTML ${s(after)}`,
    );
  }
  const byFile = new Map<string, { collect: number[]; run: number[]; checks: number }>();
  for (const r of f.runs) {
    for (const file of r.files) {
      const e = byFile.get(file.file) ?? { collect: [], run: [], checks: file.checks };
      e.collect.push(file.collectMs);
      e.run.push(file.durationMs);
      byFile.set(file.file, e);
    }
  }
  const rows = [...byFile.entries()]
    .map(([file, e]) => ({ file, checks: e.checks, collect: median(e.collect), run: median(e.run) }))
    .sort((a, b) => b.collect + b.run - (a.collect + a.run));
  if (rows.length > 0) {
    const sumRun = rows.reduce((a, r) => a + r.collect + r.run, 0);
    lines.push(`   per suite file (median import+declare / run, ms; files run in parallel workers, sum ${s(sumRun)}):`);
    for (const r of rows)
      lines.push(
        `     ${r.file.padEnd(58)} ${String(r.checks).padStart(3)} checks  ` +
          `${String(Math.round(r.collect)).padStart(5)} / ${String(Math.round(r.run)).padStart(5)}`,
      );
  }
  return lines;
}
