/**
 * Test helper: the assertion every breaker test makes. Under the breaker, each requirement ID the
 * entry names has a failed or warning finding whose message matches its pattern (inconclusive,
 * skipped or a crash never counts), and the check speaks of no requirement it does not declare.
 */
import { expect } from "vitest";
import type { Finding } from "../../lib/requirements/index.ts";
import type { BreakerEntry } from "../breakers.ts";

export function expectBroken(entry: BreakerEntry, check: { key: string; ids: readonly string[] }, findings: readonly Finding[]): void {
  const shown = findings.map((f) => `${f.requirement} ${f.status}: ${f.message}`).join("\n");
  expect(
    findings.filter((f) => !check.ids.includes(f.requirement)).map((f) => f.requirement),
    `${check.key} reports requirements it does not declare`,
  ).toEqual([]);
  for (const [id, pattern] of Object.entries(entry.expect)) {
    const hits = findings.filter((f) => f.requirement === id && (f.status === "failed" || f.status === "warning"));
    expect(hits.length, `${check.key}: ${id} neither failed nor warned:\n${shown}`).toBeGreaterThan(0);
    expect(
      hits.some((f) => pattern.test(f.message)),
      `${check.key}: ${id}: no reason matches ${pattern}:\n${shown}`,
    ).toBe(true);
  }
}
