import { describe, expect, it } from "vitest";
import { SimulatorState, STORE_NAMES, type SimulatorEvent } from "../../lib/simulator/state.ts";

const event = (n: number, extra: Record<string, unknown> = {}): SimulatorEvent => ({ type: "token", at: n, detail: { n, ...extra } });

describe("SimulatorState's event log", () => {
  it("keeps the newest events within its count, counting what it dropped", () => {
    const state = new SimulatorState({ eventLogEntries: 3 });
    for (let i = 1; i <= 5; i++) state.record(event(i));
    expect(state.events.map((e) => e.detail.n)).toEqual([3, 4, 5]);
    expect(state.dropped.events).toBe(2);
    expect(state.eventLogBytes).toBe(state.events.reduce((sum, e) => sum + JSON.stringify(e).length, 0));
  });

  it("keeps the newest events within its bytes", () => {
    const state = new SimulatorState({ eventLogBytes: 10_000 });
    for (let i = 1; i <= 20; i++) state.record(event(i, { pad: "x".repeat(1_000) }));
    expect(state.eventLogBytes).toBeLessThanOrEqual(10_000);
    expect(state.events.at(-1)?.detail.n).toBe(20);
    expect(state.dropped.events).toBe(20 - state.events.length);
  });

  it("always keeps the newest event, even one larger than the byte limit", () => {
    const state = new SimulatorState({ eventLogBytes: 10 });
    state.record(event(1));
    state.record(event(2));
    expect(state.events.map((e) => e.detail.n)).toEqual([2]);
  });

  it("bounds what it keeps of an event, marks it truncated and counts it", () => {
    const state = new SimulatorState();
    const kept = state.record(event(1, { junk: "j".repeat(100_000) }));
    expect(kept.detail.truncated).toBe(true);
    expect(String(kept.detail.junk)).toMatch(/…\(cut: 100000 chars\)$/);
    expect(state.dropped.truncatedEvents).toBe(1);
  });

  it("reset forgets events, stores and counters", () => {
    const state = new SimulatorState({ eventLogEntries: 1, storeEntries: 1 });
    state.record(event(1));
    state.record(event(2));
    state.assertionJtis.set("a", 1);
    state.assertionJtis.set("b", 2);
    expect(state.dropped).toMatchObject({ events: 1, assertionJtis: 1 });
    state.reset();
    expect(state.events).toEqual([]);
    expect(state.eventLogBytes).toBe(0);
    expect(Object.values(state.dropped).every((n) => n === 0)).toBe(true);
    for (const name of STORE_NAMES) expect(state[name].size).toBe(0);
  });
});

describe("SimulatorState's stores", () => {
  it("each is bounded by the configured count", () => {
    const state = new SimulatorState({ storeEntries: 2 });
    for (const name of STORE_NAMES) {
      const store = state[name] as unknown as { set(k: string, v: unknown): void; size: number };
      for (let i = 0; i < 5; i++) store.set(`${name}-${i}`, name === "assertionJtis" ? i : `v${i}`);
      expect(store.size, name).toBe(2);
      expect(state.dropped[name], name).toBe(3);
    }
  });

  it("sweep drops what has expired, and only that", () => {
    const state = new SimulatorState();
    state.assertionJtis.set("old", 100);
    state.assertionJtis.set("new", 10_000);
    state.sweep(1_000);
    expect([...state.assertionJtis.keys()]).toEqual(["new"]);
    expect(state.dropped.assertionJtis).toBe(0);
  });
});

describe("SimulatorState bounds the whole event", () => {
  it("cuts a 250 kB client id like any detail", () => {
    const state = new SimulatorState();
    const kept = state.record({
      type: "authorize",
      at: 1,
      clientId: "c".repeat(250_000),
      detail: { outcome: "error-page:unknown-client" },
    });
    expect(kept.clientId).toMatch(/…\(cut: 250000 chars\)$/);
    expect(kept.detail.truncated).toBe(true);
    expect(state.eventLogBytes).toBeLessThan(3_000);
  });
});

describe("SimulatorState's armed faults with a share (every)", () => {
  it("a per-call fault with every: 2 applies to every second call of its client, counting only those it applies to", () => {
    const state = new SimulatorState();
    state.armedPerCall.push({ fault: "uev2-answer-slow", on: "search", remaining: 2, every: 2, clientId: "a" });
    const taken = Array.from({ length: 6 }, () => state.takeCallFaults("a", "search").faults.length);
    expect(taken).toEqual([0, 1, 0, 1, 0, 0]);
    expect(state.takeCallFaults("b", "search")).toEqual({ faults: [] });
  });

  it("a sign-in scenario with every: 3 is taken by every third sign-in only", () => {
    const state = new SimulatorState();
    state.armed.push({ faults: ["authorize-error:server_error"], remaining: Infinity, every: 3 });
    expect(Array.from({ length: 6 }, () => state.takeScenario("a") !== undefined)).toEqual([false, false, true, false, false, true]);
  });
});
