import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../lib/config/index.ts";
import { preflight } from "../../lib/config/preflight.ts";
import { startSimulator, type Simulator } from "../../lib/simulator/start-simulator.ts";
import { startTcp } from "../http/_servers.ts";

const http = { timeoutMs: 2000, maxResponseBytes: 1_000_000 };

describe("preflight", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(async () => {
    await sim.stop();
  });
  const config = (env: Record<string, string>) => loadConfig({ env: { NHSLOGIN_ISSUER: sim.issuer, ...env }, dotenvPath: false });

  it("passes an environment whose discovery lists what the harness will request", async () => {
    expect(await preflight(config({}), { issuer: sim.issuer, kind: "remote", http })).toEqual([]);
  });

  it("does not reach the embedded simulator (the harness started it)", async () => {
    expect(await preflight(config({}), { issuer: "http://127.0.0.1:9", kind: "simulator", http })).toEqual([]);
  });

  it("refuses scopes the environment does not list, naming NHSLOGIN_SCOPES", async () => {
    const problems = await preflight(config({ NHSLOGIN_SCOPES: "openid profile not_a_scope" }), {
      issuer: sim.issuer,
      kind: "remote",
      http,
    });
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^NHSLOGIN_SCOPES: expected scopes the environment supports .* \(it does not list not_a_scope\)$/),
    ]);
  });

  it("refuses an issuer it cannot reach, or whose discovery is not readable, naming the variable and the cause", async () => {
    const closed = await startTcp(() => {});
    const url = closed.url;
    await closed.close();
    const [unreachable] = await preflight(config({ NHSLOGIN_ISSUER: url }), { issuer: url, kind: "remote", http });
    expect(unreachable?.message).toMatch(
      new RegExp(`^NHSLOGIN_ISSUER: expected an NHS login issuer this machine can reach \\(${url} .*failed: `),
    );
    const [notFound] = await preflight(config({}), { issuer: `${sim.issuer}/nowhere`, kind: "remote", http });
    expect(notFound?.message).toMatch(/NHSLOGIN_ISSUER: expected an NHS login issuer whose discovery document is readable .*answered 404/);
  });
});
