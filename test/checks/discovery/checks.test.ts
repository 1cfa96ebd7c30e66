import { runCheck } from "../../../lib/checks/run-check.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DISCOVERY_CHECKS } from "../../../lib/checks/discovery/checks.ts";
import type { DefectId } from "../../../lib/simulator/faults.ts";
import { startTestEnvironment, statusOf, type TestEnvironment } from "../environment/_env.ts";

let t: TestEnvironment;
beforeAll(async () => {
  t = await startTestEnvironment();
});
afterAll(() => t.stop());

/** Each discovery check, the defect that must break it, and the status it must then have. */
const BREAKS: Record<string, { defect: DefectId; expected: "failed" | "warning" }> = {
  "FED-DISC-01": { defect: "discovery-missing-field", expected: "failed" },
  "FED-DISC-03": { defect: "rs256-signing", expected: "warning" },
  "FED-DISC-02": { defect: "weak-signing-key", expected: "failed" },
};

describe("discovery checks as data", () => {
  it("every check passes (or only warns about loopback http) on a correct simulator", async () => {
    for (const c of DISCOVERY_CHECKS) {
      const { status, messages } = await statusOf(c, t);
      expect(["passed", "warning"], messages).toContain(status);
      expect(messages).not.toMatch(/ failed:/);
    }
  });

  for (const c of DISCOVERY_CHECKS) {
    const key = c.ids.join(" ");
    it(`${key} goes ${BREAKS[key]?.expected} with the ${BREAKS[key]?.defect} defect`, async () => {
      const b = BREAKS[key];
      expect(b, `no defect listed for ${key}`).toBeDefined();
      await t.sim.setDefects([b!.defect]);
      try {
        expect((await statusOf(c, t)).status).toBe(b!.expected);
      } finally {
        await t.sim.setDefects([]);
      }
    });
  }

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
