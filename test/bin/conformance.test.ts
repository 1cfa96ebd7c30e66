/**
 * The conformance runner as a user runs it: a child process, exit codes, summary files.
 */
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

  it("against a target that never answers, completes, reports every check failed with the reason, and exits 1", async () => {
    const run = await runConformance(["--suite", "environment"], { NHSLOGIN_ISSUER: hanging.url, HTTP_TIMEOUT_MS: "300" });
    expect(run.code, run.out).toBe(1);
    expect(run.summary).toBeDefined();
    const s = run.summary!;
    expect(s.totals.passed).toBe(0);
    expect(s.totals.failed).toBeGreaterThan(0);
    for (const c of s.checks.filter((x) => x.status === "failed")) expect(c.message).toMatch(/within 300 ms|could not/);
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

  it("refuses a wrong variable naming it, exit 2", async () => {
    const run = await runConformance([], { NHSLOGIN_VTR: "[“P9.Cp.Cd”]" });
    expect(run.code).toBe(2);
    expect(run.out).toMatch(/NHSLOGIN_VTR/);
  }, 60_000);
});
