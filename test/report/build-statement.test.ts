import { describe, expect, it } from "vitest";
import {
  buildStatement,
  coverageText,
  STATEMENT_STATUSES,
  summaryCoverage,
  type StatementStatus,
} from "../../lib/report/build-statement.ts";
import { buildSummary, type CheckResult } from "../../lib/report/build-summary.ts";
import { REQUIREMENTS, requirement } from "../../lib/requirements/index.ts";
import { NOT_CHECKABLE } from "../../lib/requirements/not-checkable.ts";

const results: CheckResult[] = [
  {
    ids: ["FED-DISC-01"],
    title: "discovery",
    suite: "environment",
    status: "failed",
    findings: [{ requirement: "FED-DISC-01", status: "failed", message: "no jwks_uri" }],
    allureId: "a".repeat(32),
  },
  {
    ids: ["FED-TOKEN-06"],
    title: "needs a client",
    suite: "environment",
    status: "skipped",
    findings: [{ requirement: "FED-TOKEN-06", status: "skipped", message: "NHSLOGIN_CLIENT_ID is not set" }],
  },
  {
    ids: ["M-G4"],
    title: "VoT round trip",
    suite: "service",
    status: "manual",
    findings: [],
    manual: { instructions: "1. Sign in per VoT.", requirements: ["FED-REG-06"] },
  },
];
const summary = buildSummary(results, {}, [], { startedAt: "2026-12-06T00:00:00.000Z" });

describe("buildStatement", () => {
  const full = buildStatement(summary, { suites: ["environment", "service", "artefacts"] });

  it("lists every catalogue row once, in catalogue order, with level, title, subject and linked source", () => {
    expect(full.rows.map((r) => r.id)).toEqual(REQUIREMENTS.map((r) => r.id));
    const row = full.rows.find((r) => r.id === "FED-DISC-01")!;
    expect(row).toMatchObject({ level: requirement("FED-DISC-01").level, status: "failed", subject: requirement("FED-DISC-01").subject });
    expect(row.links.length).toBeGreaterThan(0);
    expect(row.evidence).toEqual([
      { check: "FED-DISC-01: discovery", suite: "environment", status: "failed", message: "no jwks_uri", allureId: "a".repeat(32) },
    ]);
    expect(full.run).toEqual({ startedAt: "2026-12-06T00:00:00.000Z" });
  });

  it("says why a row was not decided: skipped with the reason, manual open, not checkable, not covered", () => {
    const status = (id: string) => full.rows.find((r) => r.id === id)!;
    expect(status("FED-TOKEN-06")).toMatchObject({ status: "skipped", reason: "NHSLOGIN_CLIENT_ID is not set" });
    expect(status("FED-REG-06")).toMatchObject({ status: "manual: open", reason: "M-G4 open: no outcome recorded" });
    const [uncheckable, why] = Object.entries(NOT_CHECKABLE)[0]!;
    expect(status(uncheckable)).toMatchObject({ status: "not checkable", reason: why });
    expect(status("UEV2-ERR-01")).toMatchObject({ status: "not covered" });
  });

  it("shows recorded manual outcomes, and leaves the rest open", () => {
    const recorded = new Map([
      ["M-G4", { scenario: "M-G4", outcome: "passed" as const, date: "2026-12-01", tester: "A. Tester", evidence: "ev/m-g4.png" }],
    ]);
    const s = buildStatement(summary, { suites: ["service"], manualResults: recorded });
    expect(s.manual.find((m) => m.scenario === "M-G4")).toMatchObject({ outcome: "passed", tester: "A. Tester", evidence: "ev/m-g4.png" });
    expect(s.manual.filter((m) => m.outcome === "open")).toHaveLength(s.manual.length - 1);
    expect(s.rows.find((r) => r.id === "FED-REG-06")).toMatchObject({
      status: "manual: signed off",
      reason: "M-G4 passed (A. Tester, 2026-12-01)",
    });
    expect(coverageText(s)).toMatch(/\nManual scenarios \(\d+\), as testers recorded them: passed 1, open \d+\.$/);
  });

  it("a failed recorded outcome fails every row its scenario cites, whatever the checks said", () => {
    const recorded = new Map([
      ["M-G4", { scenario: "M-G4", outcome: "failed" as const, date: "2026-12-02", tester: "B", evidence: "x.png" }],
    ]);
    const s = buildStatement(summary, { suites: ["environment", "service"], manualResults: recorded });
    for (const id of ["FED-REG-06", "VOT-06"]) {
      const row = s.rows.find((r) => r.id === id)!;
      expect(row.status, id).toBe("failed");
      expect(row.reason).toBe("recorded by a tester: M-G4 failed (B, 2026-12-02)");
      expect(row.manual?.[0]).toMatchObject({ scenario: "M-G4", outcome: "failed" });
    }
    expect(summaryCoverage(s)).toMatchObject({
      requirements: REQUIREMENTS.length,
      automated: s.coverage.all.failed + s.coverage.all.skipped,
    });
  });

  it("links each check to its Allure test when a report was generated", () => {
    const s = buildStatement(summary, { suites: ["environment"], allureReport: "allure-report/index.html" });
    expect(s.rows.find((r) => r.id === "FED-DISC-01")!.evidence[0]!.href).toBe(`allure-report/index.html#${"a".repeat(32)}`);
  });

  it("marks rows of target kinds the run did not select as not applicable, and a narrowed run's others as not selected", () => {
    const s = buildStatement(summary, { suites: ["environment"], narrowed: true });
    expect(s.rows.find((r) => r.id === "SESSION-05")).toMatchObject({ status: "not applicable" });
    expect(s.rows.find((r) => r.id === "SESSION-05")!.reason).toMatch(/concerns service; this run checked environment/);
    expect(s.rows.find((r) => r.id === "UEV2-ERR-01")).toMatchObject({ status: "not selected" });
  });

  it("counts coverage in catalogue rows: per level and per subject, each adding up to the whole", () => {
    const c = full.coverage;
    expect(c.all.total).toBe(REQUIREMENTS.length);
    const sum = (groups: Record<string, Record<StatementStatus | "total", number>>, key: StatementStatus | "total") =>
      Object.values(groups).reduce((t, g) => t + g[key], 0);
    for (const key of [...STATEMENT_STATUSES, "total"] as const) {
      expect(sum(c.byLevel, key), key).toBe(c.all[key]);
      expect(sum(c.bySubject, key), key).toBe(c.all[key]);
      expect(c.all[key]).toBe(key === "total" ? full.rows.length : full.rows.filter((r) => r.status === key).length);
    }
    expect(c.all.failed).toBe(1);
    expect(c.byLevel[requirement("FED-DISC-01").level]!.failed).toBe(1);
    const text = coverageText(full);
    expect(text).toMatch(new RegExp(`^Requirements \\(${REQUIREMENTS.length} catalogue rows\\): failed 1, skipped 1, manual: open \\d+, `));
    expect(text).toMatch(/, not checkable \d+, not covered \d+\.\n {2}of which MUST \(\d+\): failed 1, /);
  });
});
