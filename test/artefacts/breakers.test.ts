/**
 * Every artefact breaker of test/breakers.ts: over a good capture tampered as it says, each
 * requirement ID it names must come out failed or warning, with a reason matching its pattern.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artefactGate, loadArtefacts } from "../../lib/artefacts/index.ts";
import { ARTEFACT_CHECKS } from "../../lib/artefacts/checks.ts";
import { runCheck } from "../../lib/checks/run-check.ts";
import { BREAKERS } from "../breakers.ts";
import { type Captured, captureArtefacts } from "./_capture.ts";
import { TAMPERS } from "./_tampers.ts";

let cap: Captured;
beforeAll(async () => {
  cap = await captureArtefacts();
}, 60_000);
afterAll(async () => cap?.stop());

describe("artefact breakers: each named ID fails or warns, for the stated reason", () => {
  for (const entry of BREAKERS) {
    if (entry.kind !== "artefacts") continue;
    it(`${entry.check} over ${entry.breaker.tamper}: ${Object.keys(entry.expect).join(" ")}`, async () => {
      const check = ARTEFACT_CHECKS.find((c) => c.key === entry.check);
      const tamper = TAMPERS[entry.breaker.tamper];
      expect(check, `no artefact check ${entry.check}`).toBeDefined();
      expect(tamper, `no tamper ${entry.breaker.tamper}`).toBeDefined();
      const dir = cap.copy();
      await tamper!.tamper(dir, cap);
      const findings = await runCheck(check!, await loadArtefacts(dir, { httpOptions: { timeoutMs: 3000 } }), artefactGate);
      const shown = findings.map((f) => `${f.requirement} ${f.status}: ${f.message}`).join("\n");
      // A check speaks only of the requirements it declares (an undeclared one would never be counted or broken).
      expect(findings.filter((f) => !check!.ids.includes(f.requirement)).map((f) => f.requirement)).toEqual([]);
      for (const [id, pattern] of Object.entries(entry.expect)) {
        const hits = findings.filter((f) => f.requirement === id && (f.status === "failed" || f.status === "warning"));
        expect(hits.length, `${id} neither failed nor warned:\n${shown}`).toBeGreaterThan(0);
        expect(
          hits.some((f) => pattern.test(f.message)),
          `${id}: no reason matches ${pattern}:\n${shown}`,
        ).toBe(true);
      }
    });
  }
});
