/**
 * The conformance runner as a user runs it: a child process, exit codes, summary files.
 */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../lib/simulator/start-simulator.ts";
import { startTcp, type TestServer } from "../http/_servers.ts";
import { removeRunDirs, runConformance } from "../_support/run-conformance.ts";

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

  it("against a target that never answers, completes, reports every check inconclusive with the reason, and exits 3", async () => {
    const run = await runConformance(["--suite", "environment"], { NHSLOGIN_ISSUER: hanging.url, HTTP_TIMEOUT_MS: "300" });
    expect(run.code, run.out).toBe(3);
    expect(run.summary).toBeDefined();
    const s = run.summary!;
    // Nothing answered, so nothing was observed: no pass, and no failure charged to a requirement.
    expect(s.totals.passed).toBe(0);
    expect(s.totals.failed).toBe(0);
    expect(s.totals.inconclusive).toBeGreaterThan(0);
    for (const c of s.checks.filter((x) => x.status === "inconclusive")) expect(c.message).toMatch(/within 300 ms|could not/);
    expect(run.out).toMatch(/Result: INCONCLUSIVE/);
  }, 120_000);

  it("for sandpit without credentials, says what is missing and skips what needs it instead of failing", async () => {
    // The issuer is overridden to a loopback stand-in: tests never reach a real NHS login host.
    const run = await runConformance(["--suite", "environment"], { NHSLOGIN_ENVIRONMENT: "sandpit", NHSLOGIN_ISSUER: remote.issuer });
    expect(run.out).toMatch(/missing configuration/);
    expect(run.out).toMatch(/NHSLOGIN_CLIENT_ID/);
    expect(run.out).toMatch(/NHSLOGIN_PRIVATE_KEY_FILE/);
    const s = run.summary!;
    expect(s.totals.failed, run.out).toBe(0);
    expect(s.checks.find((c) => c.id === "FED-DISC-01")?.status).toBe("warning");
  }, 120_000);

  it("fails when the selection matches no check", async () => {
    const run = await runConformance(["--grep", "NO-SUCH-REQUIREMENT-99"], {});
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/no check ran/);
  }, 120_000);

  it("refuses an unknown option value naming the choices, exit 2; --help exits 0", async () => {
    const bad = await runConformance(["--suite", "nope"], {});
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/Allowed choices are environment, service, artefacts/);
    const help = await runConformance(["--help"], {});
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/--suite <name\.\.\.>/);
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
