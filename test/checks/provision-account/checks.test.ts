import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVISION_ACCOUNT_CHECKS } from "../../../lib/checks/provision-account/checks.ts";
import { runCheck } from "../../../lib/checks/run-check.ts";
import { environmentGate } from "../../../lib/checks/environment/environment-check.ts";
import { startTestEnvironment, statusOf, type TestEnvironment } from "../environment/_env.ts";

let t: TestEnvironment;
beforeAll(async () => {
  t = await startTestEnvironment();
});
afterAll(() => t.stop());

// What breaks each check, and the reason it must then give, is in test/breakers.ts.
describe("Provision Account environment checks", () => {
  it("every check passes on a correct simulator, in the order they run", async () => {
    const env = t.fresh();
    try {
      for (const c of PROVISION_ACCOUNT_CHECKS) {
        const findings = await runCheck(c, env, environmentGate);
        expect([...new Set(findings.map((f) => f.status))], `${c.key}\n${findings.map((f) => f.message).join("\n")}`).toEqual(["passed"]);
      }
    } finally {
      await env.http.close();
    }
  });

  it("without Provision Account access, or without a test patient, they are skipped with the reason", async () => {
    const none = { ...t.env, unavailable: { ...t.env.unavailable, "provision-account": "no Provision Account access configured" } };
    for (const c of PROVISION_ACCOUNT_CHECKS) {
      const findings = await runCheck(c, none, environmentGate);
      expect(
        findings.every((f) => f.status === "skipped" && /no Provision Account access/.test(f.message)),
        c.key,
      ).toBe(true);
    }
    const noPatient = { ...t.env, unavailable: { ...t.env.unavailable, "pa-test-patient": "no test patient" } };
    const provision = PROVISION_ACCOUNT_CHECKS.find((c) => c.key === "pa-provision")!;
    expect((await runCheck(provision, noPatient, environmentGate)).map((f) => f.status)).toEqual(["skipped"]);
  });

  it("PA-04 is inconclusive, never passed, when no token request was refused", async () => {
    await t.sim.setDefects(["token-lax-client-auth", "token-accepts-json-body"]);
    try {
      const refusals = PROVISION_ACCOUNT_CHECKS.find((c) => c.key === "pa-token-refusals")!;
      const { findings } = await statusOf(refusals, t);
      expect(findings.filter((f) => f.requirement === "PA-04")).toEqual([
        expect.objectContaining({ status: "inconclusive", message: expect.stringMatching(/no token request was refused/) }),
      ]);
    } finally {
      await t.sim.setDefects([]);
      t.sim.reset();
    }
  });
});
