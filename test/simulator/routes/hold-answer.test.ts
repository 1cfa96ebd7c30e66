import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Simulator } from "../../../lib/simulator/start-simulator.ts";
import { DEFAULT_SLOW_ANSWER_MS, FAULTS } from "../../../lib/simulator/faults.ts";
import { holdAnswer } from "../../../lib/simulator/routes/hold-answer.ts";
import { makeClient, signInAndExchange, startTestSimulator, type TestClient, userinfoRequest } from "../_helpers.ts";

let sim: Simulator;
let rp: TestClient;

beforeAll(async () => {
  const a = makeClient("rp-slow");
  rp = a.client;
  sim = await startTestSimulator([a.registration]);
});
afterAll(async () => {
  await sim?.stop();
});
beforeEach(() => sim.reset());

/** The delay each endpoint's events recorded, in the order they came. */
const delays = () => sim.events.map((e) => [e.type, e.detail.delayedMs]);

describe("slow answers (slow-authorize, slow-token, slow-userinfo)", () => {
  it("each holds its own endpoint's answer for the armed delayMs, and only that one", async () => {
    sim.arm({ faults: ["slow-token"], delayMs: 120 });
    const started = Date.now();
    const t = await signInAndExchange(sim, rp);
    expect(Date.now() - started).toBeGreaterThanOrEqual(120);
    expect((await userinfoRequest(sim, { accessToken: t.accessToken })).status).toBe(200);
    expect(delays()).toEqual([
      ["authorize", undefined],
      ["token", 120],
      ["userinfo", undefined],
    ]);

    sim.reset();
    sim.arm({ faults: ["slow-authorize", "slow-userinfo"], delayMs: 80 });
    const u = await signInAndExchange(sim, rp);
    const before = Date.now();
    expect((await userinfoRequest(sim, { accessToken: u.accessToken })).status).toBe(200);
    expect(Date.now() - before).toBeGreaterThanOrEqual(80);
    expect(delays()).toEqual([
      ["authorize", 80],
      ["token", undefined],
      ["userinfo", 80],
    ]);
  });

  it("holds nothing when no slow fault is armed, and the default delay when delayMs is not given", async () => {
    expect(await holdAnswer(sim.context, "token", { faults: [] })).toBe(0);
    expect(await holdAnswer(sim.context, "token", { faults: ["id-token-nonce-wrong"], delayMs: 500 })).toBe(0);
    // The hook alone, not waited for: the default when the arm request named no delay.
    const hook = FAULTS["slow-userinfo"].hooks.answerDelayMs!;
    expect(hook(0, { endpoint: "userinfo", armedMs: DEFAULT_SLOW_ANSWER_MS })).toBe(2000);
    expect(hook(0, { endpoint: "token", armedMs: DEFAULT_SLOW_ANSWER_MS })).toBe(0);
  });

  it("refuses a delayMs that is not a whole number of milliseconds from 1 to 60000", () => {
    for (const delayMs of [0, -5, 1.5, 60_001, Number.NaN])
      expect(() => sim.arm({ faults: ["slow-token"], delayMs }), String(delayMs)).toThrow(/delayMs must be a whole number/);
  });
});
