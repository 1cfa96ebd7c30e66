/**
 * A suite file that throws while loading must fail the run, not vanish from it: real vitest, in a
 * scratch project, with the summary reporter of the conformance run.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, expect, it } from "vitest";
import type { Summary } from "../../lib/report/build-summary.ts";

const root = mkdtempSync(join(tmpdir(), "load-failure-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it("records a suite file that crashed at import as a failed check, in summary.json and the Allure results", async () => {
  symlinkSync(resolve("node_modules"), join(root, "node_modules"), "dir");
  mkdirSync(join(root, "suites", "environment"), { recursive: true });
  writeFileSync(
    join(root, "suites", "environment", "good.conformance.ts"),
    `import { test } from "vitest";
test("FED-DISC-01: fine", (ctx) => {
  ctx.task.meta.check = { ids: ["FED-DISC-01"], title: "fine", epic: "Environment", feature: "Discovery", status: "passed",
    findings: [{ requirement: "FED-DISC-01", status: "passed", message: "ok" }] };
});
`,
  );
  writeFileSync(join(root, "suites", "environment", "broken.conformance.ts"), `throw new Error("boom while loading");\n`);
  writeFileSync(
    join(root, "vitest.config.mjs"),
    `export default { test: { include: ["suites/**/*.conformance.ts"], pool: "threads",
  reporters: [[${JSON.stringify(resolve("lib/report/summary-reporter.ts"))}, { outputDir: "out", print: false }]] } };\n`,
  );
  const code = await new Promise<number | null>((done) => {
    const child = spawn(process.execPath, [resolve("node_modules/vitest/vitest.mjs"), "run"], {
      cwd: root,
      stdio: "ignore",
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" },
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.once("exit", (c) => {
      clearTimeout(timer);
      done(c);
    });
  });
  expect(code).toBe(1);
  const s = JSON.parse(readFileSync(join(root, "out", "summary.json"), "utf8")) as Summary;
  expect(s.totals.passed).toBe(1);
  expect(s.totals.failed).toBe(1);
  expect(s.checks[0]).toMatchObject({ id: "HARNESS-ERROR", status: "failed" });
  expect(s.checks[0]!.message).toMatch(/suite file suites\/environment\/broken\.conformance\.ts failed to load.*boom while loading/);
  expect(s.files.find((f) => f.file.endsWith("broken.conformance.ts"))?.error).toMatch(/boom/);
  const allure = readFileSync(join(root, "out", "allure-results", readdirSync(join(root, "out", "allure-results"))[0]!), "utf8");
  expect(JSON.parse(allure)).toMatchObject({ status: "broken", name: "suite file suites/environment/broken.conformance.ts loads" });
}, 90_000);
