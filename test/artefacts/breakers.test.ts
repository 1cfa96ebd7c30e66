/**
 * Every artefact breaker of test/breakers.ts: over a good capture tampered as it says, each
 * requirement ID it names must come out failed or warning, with a reason matching its pattern.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artefactGate, loadArtefacts } from "../../lib/artefacts/index.ts";
import { ARTEFACT_CHECKS } from "../../lib/artefacts/checks.ts";
import { runCheck } from "../../lib/checks/run-check.ts";
import { expectBroken } from "../_support/expect-broken.ts";
import type { DefectId } from "../../lib/simulator/faults.ts";
import { type ArtefactBreaker, BREAKERS } from "../breakers.ts";
import { type Captured, captureArtefacts } from "./_capture.ts";
import { TAMPERS } from "./_tampers.ts";

let cap: Captured;
const underDefect = new Map<DefectId, Captured>();
beforeAll(async () => {
  cap = await captureArtefacts();
}, 60_000);
afterAll(async () => {
  await cap?.stop();
  for (const c of underDefect.values()) await c.stop();
});

/** A folder for `breaker`: the good capture tampered, or a capture made under the defect. */
async function folderFor(breaker: ArtefactBreaker): Promise<string> {
  if ("defect" in breaker) {
    if (!underDefect.has(breaker.defect)) underDefect.set(breaker.defect, await captureArtefacts({ defects: [breaker.defect] }));
    return underDefect.get(breaker.defect)!.copy();
  }
  const tamper = TAMPERS[breaker.tamper];
  expect(tamper, `no tamper ${breaker.tamper}`).toBeDefined();
  const dir = cap.copy();
  await tamper!.tamper(dir, cap);
  return dir;
}

describe("artefact breakers: each named ID fails or warns, for the stated reason", () => {
  for (const entry of BREAKERS) {
    if (entry.kind !== "artefacts") continue;
    it(`${entry.check} over ${JSON.stringify(entry.breaker)}: ${Object.keys(entry.expect).join(" ")}`, async () => {
      const check = ARTEFACT_CHECKS.find((c) => c.key === entry.check);
      expect(check, `no artefact check ${entry.check}`).toBeDefined();
      const dir = await folderFor(entry.breaker);
      const findings = await runCheck(check!, await loadArtefacts(dir, { httpOptions: { timeoutMs: 3000 } }), artefactGate);
      expectBroken(entry, check!, findings);
    });
  }
});
