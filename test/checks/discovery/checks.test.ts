import { runCheck } from "../../../lib/checks/run-check.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DISCOVERY_CHECKS } from "../../../lib/checks/discovery/checks.ts";
import { startTestEnvironment, statusOf, type TestEnvironment } from "../environment/_env.ts";

let t: TestEnvironment;
beforeAll(async () => {
  t = await startTestEnvironment();
});
afterAll(() => t.stop());

// What breaks each check, and the reason it must then give, is in test/breakers.ts (run by
// test/checks/environment/breakers.test.ts).
describe("discovery checks as data", () => {
  it("every check passes (or only warns about loopback http) on a correct simulator", async () => {
    for (const c of DISCOVERY_CHECKS) {
      const { status, messages } = await statusOf(c, t);
      expect(["passed", "warning"], messages).toContain(status);
      expect(messages).not.toMatch(/ failed:/);
    }
  });

  it("a check whose capability is missing is skipped with the reason, not failed", async () => {
    const { environmentGate } = await import("../../../lib/checks/environment/environment-check.ts");
    const findings = await runCheck(
      { ...DISCOVERY_CHECKS[0]!, needs: ["users-v2"] },
      { ...t.env, unavailable: { "users-v2": "no scope configured" } },
      environmentGate,
    );
    expect(findings.every((f) => f.status === "skipped" && f.message === "no scope configured")).toBe(true);
  });
});
