/**
 * The breaker table held to the check lists: every (check, requirement ID) pair of every target
 * kind has a breaker that makes that ID fail or warn (run by the kind's breaker test), or is
 * listed as unbreakable with the reason, or as a known gap; no entry names a pair that does not
 * exist, and no pair is listed twice.
 */
import { describe, expect, it } from "vitest";
import type { TargetKind } from "../lib/checks/check.ts";
import { ARTEFACT_CHECKS } from "../lib/artefacts/checks.ts";
import { ENVIRONMENT_CHECKS } from "../lib/checks/environment/checks.ts";
import { SERVICE_CHECKS } from "../lib/checks/service/index.ts";
import { BREAKERS, NOT_YET_BROKEN, pairKey, UNBREAKABLE } from "./breakers.ts";

const TABLES: Record<TargetKind, readonly { key: string; ids: readonly string[] }[]> = {
  environment: ENVIRONMENT_CHECKS,
  service: SERVICE_CHECKS,
  artefacts: ARTEFACT_CHECKS,
};

const pairs = Object.entries(TABLES).flatMap(([kind, checks]) =>
  checks.flatMap((c) => c.ids.map((id) => pairKey(kind as TargetKind, c.key, id))),
);
const broken = new Set(BREAKERS.flatMap((b) => Object.keys(b.expect).map((id) => pairKey(b.kind, b.check, id))));

describe("breakers per (check, requirement) pair", () => {
  it("every check key is unique within its target kind", () => {
    for (const [kind, checks] of Object.entries(TABLES)) {
      const keys = checks.map((c) => c.key);
      expect(
        keys.filter((k, i) => keys.indexOf(k) !== i),
        kind,
      ).toEqual([]);
    }
  });

  it("no check cites a requirement twice", () => {
    for (const checks of Object.values(TABLES)) {
      for (const c of checks)
        expect(
          c.ids.filter((id, i) => c.ids.indexOf(id) !== i),
          c.key,
        ).toEqual([]);
    }
  });

  it("every breaker names an existing check and only IDs that check cites", () => {
    const wrong = BREAKERS.flatMap((b) => Object.keys(b.expect).map((id) => pairKey(b.kind, b.check, id))).filter(
      (p) => !pairs.includes(p),
    );
    expect(wrong).toEqual([]);
  });

  it("every pair has a breaker, or is listed as unbreakable (with why) or as a known gap", () => {
    const uncovered = pairs.filter((p) => !broken.has(p) && !(p in UNBREAKABLE) && !(p in NOT_YET_BROKEN));
    expect(uncovered, "pairs with no breaker and no entry in UNBREAKABLE or NOT_YET_BROKEN").toEqual([]);
  });

  it("the unbreakable and known-gap tables hold only real pairs without a breaker, each with a reason", () => {
    for (const [table, entries] of Object.entries({ UNBREAKABLE, NOT_YET_BROKEN })) {
      for (const [pair, why] of Object.entries(entries)) {
        expect(pairs, `${table}: ${pair} is not a pair of any check`).toContain(pair);
        expect(broken.has(pair), `${table}: ${pair} has a breaker now; remove it from ${table}`).toBe(false);
        expect(why.length, `${table}: ${pair} needs a reason`).toBeGreaterThan(10);
      }
    }
    const both = Object.keys(UNBREAKABLE).filter((p) => p in NOT_YET_BROKEN);
    expect(both).toEqual([]);
  });

  it("counts: pairs, broken, unbreakable, known gaps", () => {
    const count = (kind: string) => ({
      pairs: pairs.filter((p) => p.startsWith(`${kind}:`)).length,
      broken: [...broken].filter((p) => p.startsWith(`${kind}:`)).length,
      unbreakable: Object.keys(UNBREAKABLE).filter((p) => p.startsWith(`${kind}:`)).length,
      gaps: Object.keys(NOT_YET_BROKEN).filter((p) => p.startsWith(`${kind}:`)).length,
    });
    for (const kind of Object.keys(TABLES)) {
      const c = count(kind);
      expect(c.broken + c.unbreakable + c.gaps, kind).toBe(c.pairs);
    }
  });
});
