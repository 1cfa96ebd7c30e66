/**
 * Every artefact breaker of test/breakers.ts: over a good capture tampered as it says, each
 * requirement ID it names must come out failed or warning, with a reason matching its pattern.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artefactGate, loadArtefacts } from "../../lib/artefacts/index.ts";
import { ARTEFACT_CHECKS } from "../../lib/artefacts/checks.ts";
import { runCheck } from "../../lib/checks/run-check.ts";
import { expectBroken } from "../_support/expect-broken.ts";
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
      expectBroken(entry, check!, findings);
    });
  }
});
