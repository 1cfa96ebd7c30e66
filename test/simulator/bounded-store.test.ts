import { describe, expect, it } from "vitest";
import { boundedStore } from "../../lib/simulator/bounded-store.ts";

describe("boundedStore", () => {
  it("drops the least recently used entry past its count, and says so", () => {
    let dropped = 0;
    const store = boundedStore<string, string>({ entries: 3, bytes: 1_000_000 }, () => dropped++);
    store.set("a", "1");
    store.set("b", "2");
    store.set("c", "3");
    expect(store.get("a")).toBe("1"); // a is now the most recently used
    store.set("d", "4");
    expect([...store.keys()].sort()).toEqual(["a", "c", "d"]);
    expect(dropped).toBe(1);
  });

  it("drops entries past its bytes, counting keys and values as JSON", () => {
    let dropped = 0;
    const store = boundedStore<string, { v: string }>({ entries: 1_000, bytes: 100 }, () => dropped++);
    for (let i = 0; i < 10; i++) store.set(`k${i}`, { v: "x".repeat(20) });
    // each entry is 2 + 28 = 30 bytes: three fit in 100
    expect(store.size).toBe(3);
    expect(dropped).toBe(7);
  });

  it("does not count a persona, which entries share rather than copy", () => {
    const persona = { id: "p9", blob: "y".repeat(10_000) };
    const store = boundedStore<string, { persona: typeof persona; n: number }>({ entries: 10, bytes: 200 }, () => undefined);
    store.set("g", { persona, n: 1 });
    expect(store.has("g")).toBe(true);
  });

  it("does not count deletes and clears as drops", () => {
    let dropped = 0;
    const store = boundedStore<string, string>({ entries: 2, bytes: 1_000 }, () => dropped++);
    store.set("a", "1");
    store.delete("a");
    store.set("b", "2");
    store.clear();
    expect(dropped).toBe(0);
  });
});
