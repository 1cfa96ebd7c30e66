/**
 * The conformance runner as a user runs it: a child process, exit codes, summary files.
 */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../lib/simulator/start-simulator.ts";
import { startTcp, type TestServer } from "../http/_servers.ts";
import { removeRunDirs, runConformance } from "../_support/run-conformance.ts";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { Statement } from "../../lib/report/build-statement.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";

afterAll(removeRunDirs);

describe("npm run conformance", () => {
  let hanging: TestServer;
  let remote: Simulator;
  beforeAll(async () => {
    hanging = await startTcp(() => {});
    remote = await startSimulator();
  });
  afterAll(async () => {
    await hanging.close();
    await remote.stop();
  });

  it("against a target that never answers, stops at the pre-flight naming the issuer and the timeout, exit 2, no check run", async () => {
    const run = await runConformance(["--suite", "environment"], { NHSLOGIN_ISSUER: hanging.url, HTTP_TIMEOUT_MS: "300" });
    expect(run.code, run.out).toBe(2);
    expect(run.out).toMatch(/a target is unusable with this configuration; no check ran/);
    expect(run.out).toMatch(
      new RegExp(`NHSLOGIN_ISSUER: expected an NHS login issuer this machine can reach .*${hanging.url}.*within 300 ms`),
    );
    expect(run.summary).toBeUndefined();
  }, 120_000);

  it.each([
    [
      "a vtr NHS login refuses",
      { NHSLOGIN_VTR: '["P9"]' },
      /NHSLOGIN_VTR: expected .*profiles of EIS Table 21 \("P9" is not a profile NHS login accepts/,
    ],
    [
      "a misspelt variable",
      { NHSLOGIN_CLIENTID: "my-client" },
      /NHSLOGIN_CLIENTID: expected a variable the harness reads: did you mean NHSLOGIN_CLIENT_ID\?/,
    ],
  ])(
    "refuses %s before starting anything, naming it, exit 2",
    async (_what, env, message) => {
      const run = await runConformance(["--suite", "environment"], env);
      expect(run.code, run.out).toBe(2);
      expect(run.out).toMatch(/configuration refused/);
      expect(run.out).toMatch(message);
      expect(run.summary).toBeUndefined();
    },
    60_000,
  );

  it("refuses sandpit when its issuer cannot be reached (a loopback stand-in that refuses connections), exit 2", async () => {
    const closed = await startTcp(() => {});
    const url = closed.url;
    await closed.close();
    const run = await runConformance(["--suite", "environment"], { NHSLOGIN_ENVIRONMENT: "sandpit", NHSLOGIN_ISSUER: url });
    expect(run.code, run.out).toBe(2);
    expect(run.out).toMatch(
      new RegExp(
        `NHSLOGIN_ISSUER: expected an NHS login issuer this machine can reach \\(${url}.*` +
          `GET ${url}/\\.well-known/openid-configuration failed`,
      ),
    );
    expect(run.summary).toBeUndefined();
  }, 60_000);

  it("refuses a manual results file that breaks its schema, naming MANUAL_RESULTS_FILE, exit 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "manual-results-"));
    const file = join(dir, "manual-results.json");
    writeFileSync(file, JSON.stringify({ results: [{ scenario: "M-G1", outcome: "fine", date: "2026-12-01", tester: "T" }] }));
    const run = await runConformance(["--suite", "environment"], { MANUAL_RESULTS_FILE: file });
    rmSync(dir, { recursive: true, force: true });
    expect(run.code, run.out).toBe(2);
    expect(run.out).toMatch(
      /MANUAL_RESULTS_FILE: expected a manual results file .*\/results\/0\/outcome must be equal to one of the allowed values/,
    );
  }, 60_000);

  it("warns about a variable in its namespaces that nothing reads, and runs", async () => {
    const run = await runConformance(["--list", "--suite", "environment", "--grep", "FED-DISC-01"], {
      SERVICE_SOMETHING_ELSE_ENTIRELY: "1",
    });
    expect(run.code, run.out).toBe(0);
    expect(run.out).toMatch(/warning: SERVICE_SOMETHING_ELSE_ENTIRELY is not a variable the harness reads; it is ignored/);
  }, 60_000);

  it("--list prints what the selection would run, runs nothing and writes no report", async () => {
    const run = await runConformance(["--list", "--suite", "environment", "--grep", "FED-DISC"], {});
    expect(run.code, run.out).toBe(0);
    expect(run.out).toMatch(/^environment +FED-DISC-01[ :]/m);
    expect(run.out).toMatch(/\n(\d+) checks would run\n/);
    expect(run.out).not.toMatch(/FED-TOKEN|Result:/);
    expect(run.summary).toBeUndefined();
  }, 60_000);

  it("JUnit names stay the same across runs on different ports; --reporter json puts the summary alone on stdout", async () => {
    const args = ["--suite", "environment", "--grep", "FED-DISC", "--no-html"];
    const a = await runConformance(args, {});
    const dir = mkdtempSync(join(tmpdir(), "manual-results-"));
    const results = join(dir, "manual-results.json");
    const recorded = { scenario: "M-G1", outcome: "passed", date: "2026-12-01", tester: "A. Tester", evidence: "evidence/m-g1.png" };
    writeFileSync(results, JSON.stringify({ results: [recorded] }));
    const b = await runConformance([...args, "--reporter", "json"], { MANUAL_RESULTS_FILE: results });
    rmSync(dir, { recursive: true, force: true });
    // The statement shows what the tester recorded, and every other scenario as open.
    const statement = JSON.parse(readFileSync(join(b.reportsDir, "conformance-statement.json"), "utf8")) as Statement;
    expect(statement.manual.find((m) => m.scenario === "M-G1")).toMatchObject({ outcome: "passed", tester: "A. Tester" });
    expect(statement.manual.filter((m) => m.outcome === "open")).toHaveLength(statement.manual.length - 1);
    expect(readFileSync(join(b.reportsDir, "conformance-statement.html"), "utf8")).toContain("evidence/m-g1.png");
    const names = (dir: string) =>
      [...readFileSync(join(dir, "junit.xml"), "utf8").matchAll(/<testcase classname="([^"]*)" name="([^"]*)"/g)].map(
        (m) => `${m[1]} ${m[2]}`,
      );
    expect(names(a.reportsDir).length).toBeGreaterThan(1);
    expect(names(b.reportsDir)).toEqual(names(a.reportsDir));
    expect(a.summary!.target.issuer).not.toBe(b.summary!.target.issuer);
    for (const n of names(a.reportsDir)) expect(n).not.toMatch(/127\.0\.0\.1|:\d{4,5}\b|https?:/);
    expect(JSON.parse(b.stdout)).toEqual(b.summary);
  }, 120_000);

  it("--rerun-failed runs again only the checks the last summary lists as failed or inconclusive", async () => {
    const first = await runConformance(["--suite", "environment", "--grep", "FED-DISC", "--no-html"], {});
    const s = first.summary!;
    const again = s.checks[s.checks.length - 1]!;
    writeFileSync(join(first.reportsDir, "summary.json"), JSON.stringify({ ...s, checks: [{ ...again, status: "failed" }] }));
    const rerun = await runConformance(["--rerun-failed", "--no-html"], {}, { reportsDir: first.reportsDir });
    expect(rerun.code, rerun.out).not.toBe(2);
    expect(rerun.summary!.checks.map((c) => c.name)).toEqual([again.name]);
    const none = await runConformance(["--rerun-failed"], {}, { reportsDir: first.reportsDir });
    expect(none.code, none.out).toBe(0);
    expect(none.out).toMatch(/nothing to run again/);
    writeFileSync(join(first.reportsDir, "summary.json"), "{ not json");
    const broken = await runConformance(["--rerun-failed"], {}, { reportsDir: first.reportsDir });
    expect(broken.code, broken.out).toBe(2);
    expect(broken.out).toMatch(/--rerun-failed could not read .*summary\.json: /);
  }, 120_000);

  it("for sandpit without credentials, says what is missing and skips what needs it instead of failing", async () => {
    // The issuer is overridden to a loopback stand-in: tests never reach a real NHS login host.
    const run = await runConformance(["--suite", "environment", "--no-html"], {
      NHSLOGIN_ENVIRONMENT: "sandpit",
      NHSLOGIN_ISSUER: remote.issuer,
    });
    expect(run.out).toMatch(/missing configuration/);
    expect(run.out).toMatch(/NHSLOGIN_CLIENT_ID/);
    expect(run.out).toMatch(/NHSLOGIN_PRIVATE_KEY_FILE/);
    const s = run.summary!;
    expect(s.totals.failed, run.out).toBe(0);
    expect(s.checks.find((c) => c.id === "FED-DISC-01")?.status).toBe("warning");
  }, 120_000);

  it("fails when the selection matches no check, leaving no report of an earlier run behind", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stale-reports-"));
    for (const f of ["junit.xml", "conformance-statement.html", "summary.md"]) writeFileSync(join(dir, f), "from an earlier run");
    const run = await runConformance(["--grep", "NO-SUCH-REQUIREMENT-99"], {}, { reportsDir: dir });
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/no check ran/);
    for (const f of ["junit.xml", "conformance-statement.html"]) expect(existsSync(join(dir, f)), f).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it("--verbose shows vitest's own output, without colour when stdout is not a terminal; it refuses --reporter json", async () => {
    const run = await runConformance(["--verbose", "--suite", "environment", "--grep", "FED-DISC-01", "--no-html"], { NO_COLOR: "" });
    expect(run.code, run.out).toBe(0);
    expect(run.out).toMatch(/Test Files +\d+ passed/);
    expect(run.out).not.toMatch(/\u001b\[/);
    const both = await runConformance(["--verbose", "--reporter", "json"], {});
    expect(both.code).toBe(2);
    expect(both.out).toMatch(/--verbose .* --reporter json/);
  }, 120_000);

  it("refuses an unknown option value naming the choices, exit 2; --help exits 0", async () => {
    const bad = await runConformance(["--suite", "nope"], {});
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/Allowed choices are environment, service, artefacts/);
    const help = await runConformance(["--help"], {});
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/--suite <name\.\.\.>/);
    for (const text of [
      "--list",
      "--rerun-failed",
      "--verbose",
      "--reporter <format>",
      "Exit codes:",
      "  3  no check failed",
      "REPORTS_DIR",
    ])
      expect(help.out).toContain(text);
  }, 60_000);

  it("refuses a wrong variable naming it, exit 2", async () => {
    const run = await runConformance([], { NHSLOGIN_VTR: "[“P9.Cp.Cd”]" });
    expect(run.code).toBe(2);
    expect(run.out).toMatch(/NHSLOGIN_VTR/);
  }, 60_000);

  it("when a target cannot start (SIMULATOR_PORT taken), says why and exits 2", async () => {
    const busy = new URL(hanging.url).port;
    const run = await runConformance(["--suite", "environment"], { SIMULATOR_PORT: busy });
    expect(run.code, run.out).toBe(2);
    expect(run.out).toMatch(/the targets could not be started: .*EADDRINUSE/);
  }, 60_000);

  it("starts only the targets of the selection: no service for --suite environment", async () => {
    const run = await runConformance(["--suite", "environment", "--no-html"], {});
    expect(run.code, run.out).toBe(0);
    expect(run.summary!.target).toMatchObject({ kind: "simulator" });
    expect(run.summary!.target).not.toHaveProperty("service");
  }, 120_000);
});

describe("the conformance suites without the runner", () => {
  it("start their own targets in vitest's global setup (npx vitest --project conformance)", async () => {
    const out = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        ["node_modules/vitest/vitest.mjs", "run", "--project", "conformance", "suites/environment/discovery.conformance.ts"],
        {
          env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1" },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let text = "";
      child.stdout.on("data", (d: Buffer) => (text += d.toString()));
      child.stderr.on("data", (d: Buffer) => (text += d.toString()));
      const timer = setTimeout(() => child.kill("SIGKILL"), 100_000);
      child.once("exit", (code) => {
        clearTimeout(timer);
        resolve({ code, out: text });
      });
    });
    expect(out.code, out.out).toBe(0);
    expect(out.out).toMatch(/3 passed/);
  }, 120_000);
});
