import { describe, expect, it } from "vitest";
import { armedRecords } from "../../lib/simulator/armed-records.ts";
import { PERSONAS } from "../../lib/simulator/personas.ts";
import type { FaultId } from "../../lib/simulator/faults.ts";

describe("armedRecords", () => {
  it("splits sign-in faults (one scenario) from consumer faults (one per-call record each)", () => {
    const { scenario, perCall } = armedRecords(
      { faults: ["id-token-nonce-wrong", "uev2-answer-slow"], times: 3, every: 2, clientId: "rp", persona: "p5" },
      PERSONAS,
    );
    expect(scenario).toEqual({ faults: ["id-token-nonce-wrong"], remaining: 3, every: 2, persona: "p5", clientId: "rp" });
    expect(perCall).toEqual([{ fault: "uev2-answer-slow", on: "search", remaining: 3, every: 2, clientId: "rp" }]);
  });

  it("arms no sign-in scenario for consumer faults alone, and keeps delayMs for the slow answers", () => {
    expect(armedRecords({ faults: ["uev2-answer-slow"] }, PERSONAS).scenario).toBeUndefined();
    expect(armedRecords({ faults: ["slow-token"], delayMs: 250 }, PERSONAS).scenario).toEqual({
      faults: ["slow-token"],
      remaining: 1,
      delayMs: 250,
    });
  });

  it("refuses what it cannot arm, naming it", () => {
    const refused = (req: Parameters<typeof armedRecords>[0]) => () => armedRecords(req, PERSONAS);
    expect(refused({ faults: ["nope" as FaultId] })).toThrow(/unknown fault "nope"/);
    expect(refused({ persona: "p7" })).toThrow(/unknown persona "p7"/);
    expect(refused({ times: 0 })).toThrow(/times must be at least 1/);
    expect(refused({ every: 1.5 })).toThrow(/every must be a whole number/);
    expect(refused({ faults: ["slow-token"], delayMs: 0 })).toThrow(/delayMs must be a whole number/);
    expect(refused({ faults: ["id-token-nonce-wrong"], delayMs: 10 })).toThrow(/delayMs applies to the slow answers/);
  });
});
