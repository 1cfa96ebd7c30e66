import { describe, expect, it } from "vitest";
import { overallStatus } from "../../lib/checks/grade.ts";
import { type FindingStatus, finding } from "../../lib/requirements/index.ts";

const of = (...statuses: FindingStatus[]) => statuses.map((s) => finding("FED-JWT-01", s, s));

describe("overallStatus", () => {
  it.each<[FindingStatus[], FindingStatus]>([
    [[], "inconclusive"],
    [["passed"], "passed"],
    [["passed", "skipped"], "passed"],
    [["skipped", "skipped"], "skipped"],
    [["passed", "warning"], "warning"],
    [["warning", "inconclusive"], "inconclusive"],
    [["skipped", "inconclusive"], "inconclusive"],
    [["inconclusive", "failed"], "failed"],
    [["warning", "failed", "passed"], "failed"],
  ])("%j grades as %s", (statuses, expected) => {
    expect(overallStatus(of(...statuses))).toBe(expected);
  });
});
