/**
 * The variant table covers every check and every switch, and names no check that does not exist.
 */
import { describe, expect, it } from "vitest";
import { JOURNAL_CHECKS, SERVICE_CHECKS } from "../../../lib/checks/service/index.ts";
import { UNSAFE_SWITCHES, type UnsafeSwitch } from "../../../examples/reference-service/unsafe.ts";
import { BASELINE, BROKEN_BY_CRAFTED_INPUT_ONLY, BROKEN_BY_SINGLE_PAGE_VARIANT, VARIANT_BREAKS } from "./_variants.ts";
import { readFileSync, readdirSync } from "node:fs";

// The journal checks judge what the driven checks recorded: their breakers (test/breakers.ts) are the driven ones'.
const keys = SERVICE_CHECKS.filter((c) => !JOURNAL_CHECKS.includes(c)).map((c) => c.key);

describe("variant table", () => {
  it("check keys are unique", () => {
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("every check is broken by a variant or, with the reason, by crafted input only", () => {
    const broken = new Set(Object.values(VARIANT_BREAKS).flatMap((b) => Object.keys(b)));
    const missing = keys.filter(
      (k) => !broken.has(k) && BROKEN_BY_CRAFTED_INPUT_ONLY[k] === undefined && BROKEN_BY_SINGLE_PAGE_VARIANT[k] === undefined,
    );
    expect(missing).toEqual([]);
  });

  it("names only existing checks", () => {
    const named = [
      ...Object.values(VARIANT_BREAKS).flatMap((b) => Object.keys(b)),
      ...Object.keys(BROKEN_BY_CRAFTED_INPUT_ONLY),
      ...Object.keys(BROKEN_BY_SINGLE_PAGE_VARIANT),
      ...Object.keys(BASELINE),
    ];
    expect(named.filter((k) => !keys.includes(k))).toEqual([]);
  });

  it("has an entry for every switch, and every switch is run by a variants test file", () => {
    expect(Object.keys(VARIANT_BREAKS).sort()).toEqual(Object.keys(UNSAFE_SWITCHES).sort());
    const dir = new URL(".", import.meta.url);
    const text = readdirSync(dir)
      .filter((f) => /^variants-.*\.test\.ts$/.test(f))
      .map((f) => readFileSync(new URL(f, dir), "utf8"))
      .join("\n");
    for (const sw of Object.keys(UNSAFE_SWITCHES) as UnsafeSwitch[]) expect(text, sw).toContain(`"${sw}"`);
  });
});
