import { describe, expect, it } from "vitest";
import { boundForRecord } from "../../lib/simulator/bound-for-record.ts";
import { EVENT_BOUNDS } from "../../lib/simulator/limits.ts";

/** An object nested `depth` levels deep: { a: { a: ... 1 } }. */
function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

describe("boundForRecord", () => {
  it("keeps an ordinary event as it is", () => {
    const detail = {
      method: "POST",
      params: { grant_type: "authorization_code", code: "sha256:abc", redirect_uri: "https://svc.example/cb" },
      assertion: { header: { alg: "RS512", typ: "JWT" }, payload: { iss: "svc", sub: "svc", aud: ["x"], exp: 1, jti: "j" } },
      outcome: "issued",
      flags: [true, false, null, 3.5],
    };
    expect(boundForRecord(detail)).toEqual({ value: detail, truncated: false });
  });

  it("cuts a long string, saying how long it was", () => {
    const { value, truncated } = boundForRecord({ junk: "x".repeat(200_000) });
    expect(truncated).toBe(true);
    expect(value.junk).toBe(`${"x".repeat(EVENT_BOUNDS.maxString)}…(cut: 200000 chars)`);
  });

  it("cuts nesting at the depth limit, so even 5,000 levels serialise", () => {
    const { value, truncated } = boundForRecord({ payload: nested(5_000) });
    expect(truncated).toBe(true);
    const json = JSON.stringify(value);
    expect(json).toContain(`…(nested deeper than ${EVENT_BOUNDS.maxDepth} levels)`);
    expect(json.length).toBeLessThan(200);
  });

  it("keeps the first members of a wide object or array and counts the rest", () => {
    const wide = Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`k${i}`, i]));
    const { value } = boundForRecord({ wide, list: Array.from({ length: 100 }, (_, i) => i) });
    expect(Object.keys(value.wide)).toHaveLength(EVENT_BOUNDS.maxEntries + 1);
    expect(value.wide["…"]).toBe(`…(${1_000 - EVENT_BOUNDS.maxEntries} more members)`);
    expect(value.list.at(-1)).toBe(`…(${100 - EVENT_BOUNDS.maxEntries} more items)`);
  });

  it("cuts long keys", () => {
    const { value } = boundForRecord({ ["k".repeat(10_000)]: 1 });
    expect(Object.keys(value)[0]).toBe(`${"k".repeat(EVENT_BOUNDS.maxKey)}…(cut: 10000 chars)`);
  });

  it("holds the whole event within its character budget", () => {
    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`p${i}`, "v".repeat(2_000)]));
    const { value, truncated } = boundForRecord({ params: many });
    expect(truncated).toBe(true);
    expect(JSON.stringify(value).length).toBeLessThan(EVENT_BOUNDS.maxChars + 60 * 80);
    expect(Object.values(value.params).at(-1)).toMatch(/^…\(left out: 2000 chars over the event's size limit\)$/);
  });
});

describe("boundForRecord and odd member names", () => {
  it("keeps a member named __proto__ as a member", () => {
    const claims = JSON.parse('{"__proto__": {"polluted": true}, "iss": "x"}') as Record<string, unknown>;
    const { value } = boundForRecord(claims);
    expect(Object.keys(value)).toEqual(["__proto__", "iss"]);
    expect(JSON.stringify(value)).toBe('{"__proto__":{"polluted":true},"iss":"x"}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
