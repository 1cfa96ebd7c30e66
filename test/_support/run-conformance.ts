/**
 * Run the conformance runner as a user does: `bin/conformance.ts` in a child process with its own
 * REPORTS_DIR and exactly the environment given (no .env from the tree, no CI flag from outside).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Summary } from "../../lib/report/build-summary.ts";

export interface RunResult {
  code: number | null;
  /** stdout and stderr together. */
  out: string;
  /** stdout alone (e.g. the JSON of --reporter json). */
  stdout: string;
  /** The summary.json the run wrote, when it wrote one. */
  summary?: Summary;
  reportsDir: string;
}

const made: string[] = [];

/** Run the runner; reports go to `reportsDir`, or to a fresh temporary folder removed by {@link removeRunDirs}. */
export function runConformance(
  args: string[],
  env: Record<string, string>,
  options: { reportsDir?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  const reportsDir = options.reportsDir ?? mkdtempSync(join(tmpdir(), "conformance-reports-"));
  if (!options.reportsDir) made.push(reportsDir);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["bin/launch.mjs", "bin/conformance.ts", ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: reportsDir, REPORTS_DIR: reportsDir, NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      const file = join(reportsDir, "summary.json");
      let summary: Summary | undefined;
      try {
        summary = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Summary) : undefined;
      } catch {
        summary = undefined; // a summary left unreadable (a test may plant one)
      }
      resolve({ code, out, stdout, reportsDir, ...(summary ? { summary } : {}) });
    });
  });
}

/** Remove the temporary report folders this module made. */
export function removeRunDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}
