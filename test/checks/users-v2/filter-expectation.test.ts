/**
 * filterExpectation and sameSet of lib/checks/users-v2/filter-expectation.ts.
 */
import { describe, expect, it } from "vitest";
import { filterExpectation, sameSet } from "../../../lib/checks/users-v2/filter-expectation.ts";

describe("filterExpectation", () => {
  const lookups: Record<string, string[]> = {
    "email e1@x.y": ["U1"],
    "nhsnumber 9990010005": ["U1"],
    "email e2@x.y": ["U2"],
    "nhsnumber 9990010013": ["U2"],
  };
  const single = (a: string, v: string) => new Set(lookups[`${a} ${v}`] ?? []);

  it("gives the catalogue fixture's answer (only U2) and the wrong reading's (nobody)", () => {
    const { expected, orFirst } = filterExpectation('email eq "e1@x.y" and nhsnumber eq "9990010013" or email eq "e2@x.y"', single);
    expect([...expected]).toEqual(["U2"]);
    expect([...orFirst]).toEqual([]);
  });

  it("treats and as intersection and or as union", () => {
    expect(sameSet(filterExpectation('email eq "e1@x.y" and nhsnumber eq "9990010005"', single).expected, new Set(["U1"]))).toBe(true);
    expect(sameSet(filterExpectation('email eq "e1@x.y" or email eq "e2@x.y"', single).expected, new Set(["U1", "U2"]))).toBe(true);
    expect(filterExpectation('email eq "e1@x.y" and email eq "e2@x.y"', single).expected.size).toBe(0);
  });
});
