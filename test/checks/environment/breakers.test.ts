/**
 * Every environment breaker of test/breakers.ts: under it, each requirement ID it names must come
 * out failed or warning, with a reason matching its pattern (inconclusive or a crash never counts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENVIRONMENT_CHECKS } from "../../../lib/checks/environment/checks.ts";
import { expectBroken } from "../../_support/expect-broken.ts";
import { BREAKERS } from "../../breakers.ts";
import { type BreakableEnvironment, startBreakableEnvironment } from "./_breaker-env.ts";

let b: BreakableEnvironment;
beforeAll(async () => {
  b = await startBreakableEnvironment();
});
afterAll(() => b.stop());

describe("environment checks on the correct simulator", () => {
  it("pass or warn (plain http on loopback only), judge every ID they declare, and speak of no other", async () => {
    for (const check of ENVIRONMENT_CHECKS) {
      const findings = await b.run(check);
      const shown = `${check.key}:\n${findings.map((f) => `${f.requirement} ${f.status}: ${f.message}`).join("\n")}`;
      expect(
        findings.filter((f) => !check.ids.includes(f.requirement)).map((f) => f.requirement),
        shown,
      ).toEqual([]);
      expect(
        findings.filter((f) => f.status === "failed" || f.status === "inconclusive"),
        shown,
      ).toEqual([]);
      for (const f of findings.filter((x) => x.status === "warning")) expect(f.message, shown).toMatch(/loopback/);
    }
  });
});

describe("environment breakers: each named ID fails or warns, for the stated reason", () => {
  for (const entry of BREAKERS) {
    if (entry.kind !== "environment") continue;
    it(`${entry.check} under ${JSON.stringify(entry.breaker)}: ${Object.keys(entry.expect).join(" ")}`, async () => {
      const check = ENVIRONMENT_CHECKS.find((c) => c.key === entry.check);
      expect(check, `no environment check ${entry.check}`).toBeDefined();
      const findings = await b.run(check!, entry.breaker);
      expectBroken(entry, check!, findings);
    });
  }
});
