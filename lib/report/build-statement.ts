/**
 * The conformance statement: every catalogue row with its status in this run and what decided
 * it, the run's metadata, the manual scenarios with what testers recorded, and coverage per level
 * and per subject, all counted in catalogue rows. Rendered by statement-html.ts and
 * statement-csv.ts, and written as JSON as it is.
 *
 * A row's status, in this order of precedence:
 * - failed, when a tester recorded a failed outcome for a manual scenario that cites it;
 * - what the run's checks said (passed, failed, warning, inconclusive; skipped: checks exist but
 *   could not run here, e.g. missing configuration);
 * - manual: signed off, or manual: open: only a manual scenario covers it, with or without a
 *   recorded outcome (manual-results.json);
 * - not checkable: no harness can observe it (lib/requirements/not-checkable.ts), or its subject
 *   names no interface under test;
 * - not applicable: it concerns only target kinds this run did not select;
 * - not selected: the run was narrowed (--grep, --rerun-failed) and did not reach it;
 * - not covered: no check of this harness judges it yet.
 *
 * @example
 * ```ts
 * const statement = buildStatement(summary, { run, manualResults, suites: ["environment", "service"] })
 * statement.coverage.byLevel.MUST.failed
 * ```
 */
import { REQUIREMENTS, type RequirementLevel } from "../requirements/index.ts";
import { NOT_CHECKABLE } from "../requirements/not-checkable.ts";
import { MANUAL_SCENARIOS } from "../requirements/manual-scenarios.ts";
import { subjectGroup, targetKinds, type TargetKind } from "../requirements/target-kinds.ts";
import type { RequirementEvidence, Summary } from "./build-summary.ts";
import type { ManualResult } from "./load-manual-results.ts";
import { specLinks, type SpecLink } from "./spec-links.ts";

export const STATEMENT_STATUSES = [
  "failed",
  "inconclusive",
  "warning",
  "passed",
  "skipped",
  "manual: signed off",
  "manual: open",
  "not checkable",
  "not applicable",
  "not selected",
  "not covered",
] as const;
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];

export const LEVEL_ORDER: readonly RequirementLevel[] = ["MUST", "COND", "N/S", "SHOULD", "MAY", "DERIVED", "INFO"];

export type ManualOutcome = ManualResult["outcome"] | "open";

export interface StatementManual {
  scenario: string;
  title: string;
  mandatory: boolean;
  requirements: readonly string[];
  outcome: ManualOutcome;
  date?: string;
  tester?: string;
  evidence?: string;
  notes?: string;
}

/** What decided a row: a check of the run, or a tester's recorded outcome of a manual scenario. */
export interface StatementEvidence extends RequirementEvidence {
  /** The check's Allure test, relative to the statement, when the HTML report was generated. */
  href?: string;
}

export interface StatementRow {
  id: string;
  level: RequirementLevel;
  title: string;
  subject: string;
  source: string;
  links: SpecLink[];
  status: StatementStatus;
  /** Why the row has this status, in words (for the statuses no check decided). */
  reason: string;
  /** The checks that decided it (empty when none did). */
  evidence: StatementEvidence[];
  /** The manual scenarios that cite it, with their recorded outcome ("open" when none). */
  manual?: StatementManual[];
}

export type CoverageCounts = Record<StatementStatus, number> & { total: number };

export interface Statement {
  run: Record<string, unknown>;
  /** The run's checks (the unit of summary.json's totals). */
  checks: Summary["totals"];
  rows: StatementRow[];
  manual: StatementManual[];
  coverage: { all: CoverageCounts; byLevel: Record<string, CoverageCounts>; bySubject: Record<string, CoverageCounts> };
}

export interface StatementOptions {
  /** Target kinds the run selected. */
  suites: readonly string[];
  /** True when --grep or --rerun-failed narrowed the run. */
  narrowed?: boolean;
  manualResults?: ReadonlyMap<string, ManualResult>;
  /** The Allure report relative to the statement (e.g. "allure-report/index.html"), when one was generated. */
  allureReport?: string;
}

const empty = (): CoverageCounts =>
  Object.fromEntries([...STATEMENT_STATUSES.map((s) => [s, 0]), ["total", 0]]) as unknown as CoverageCounts;

export function buildStatement(summary: Summary, options: StatementOptions): Statement {
  const manual: StatementManual[] = MANUAL_SCENARIOS.map((s) => {
    const r = options.manualResults?.get(s.id);
    return {
      scenario: s.id,
      title: s.title,
      mandatory: s.mandatory,
      requirements: s.requirements,
      outcome: r?.outcome ?? "open",
      ...(r ? { date: r.date, tester: r.tester } : {}),
      ...(r?.evidence ? { evidence: r.evidence } : {}),
      ...(r?.notes ? { notes: r.notes } : {}),
    };
  });
  const byId = new Map(summary.requirements.map((r) => [r.id, r]));
  const selected = new Set(options.suites);
  const rows = REQUIREMENTS.map((q): StatementRow => {
    const base = { id: q.id, level: q.level, title: q.title, subject: q.subject, source: q.source, links: specLinks(q.source) };
    const s = byId.get(q.id);
    const evidence: StatementEvidence[] = (s?.evidence ?? [])
      .filter((e) => e.status !== "manual")
      .map((e) => (options.allureReport && e.allureId ? { ...e, href: `${options.allureReport}#${e.allureId}` } : e));
    const scenarios = manual.filter((m) => m.requirements.includes(q.id));
    const withManual = scenarios.length > 0 ? { manual: scenarios } : {};
    const failedByTester = scenarios.filter((m) => m.outcome === "failed");
    if (failedByTester.length > 0)
      return { ...base, status: "failed", reason: `recorded by a tester: ${manualReason(failedByTester)}`, evidence, ...withManual };
    if (s && s.status !== "manual" && s.status !== "not covered") {
      const reason = s.status === "skipped" ? [...new Set(evidence.map((e) => e.message))].join("; ") : "";
      return { ...base, status: s.status, reason, evidence, ...withManual };
    }
    if (s?.status === "manual" || scenarios.length > 0) {
      const open = scenarios.length === 0 || scenarios.some((m) => m.outcome === "open");
      return { ...base, status: open ? "manual: open" : "manual: signed off", reason: manualReason(scenarios), evidence, ...withManual };
    }
    const kinds = targetKinds(q.subject);
    const notCheckable = NOT_CHECKABLE[q.id];
    if (notCheckable) return { ...base, status: "not checkable", reason: notCheckable, evidence };
    if (kinds.length === 0)
      return { ...base, status: "not checkable", reason: `it names no interface under test (subject: ${q.subject})`, evidence };
    if (!kinds.some((k: TargetKind) => selected.has(k)))
      return {
        ...base,
        status: "not applicable",
        reason: `it concerns ${kinds.join(" or ")}; this run checked ${options.suites.join(", ") || "nothing"}`,
        evidence,
      };
    if (options.narrowed)
      return { ...base, status: "not selected", reason: "outside this run's selection (--grep or --rerun-failed)", evidence };
    return { ...base, status: "not covered", reason: "no check of this harness judges it yet", evidence };
  });
  const coverage = { all: empty(), byLevel: {} as Record<string, CoverageCounts>, bySubject: {} as Record<string, CoverageCounts> };
  for (const level of LEVEL_ORDER) coverage.byLevel[level] = empty();
  for (const r of rows) {
    const group = subjectGroup(r.subject);
    coverage.bySubject[group] ??= empty();
    coverage.byLevel[r.level] ??= empty();
    for (const c of [coverage.all, coverage.byLevel[r.level]!, coverage.bySubject[group]!]) {
      c[r.status] += 1;
      c.total += 1;
    }
  }
  for (const level of LEVEL_ORDER) if (coverage.byLevel[level]!.total === 0) delete coverage.byLevel[level];
  coverage.bySubject = Object.fromEntries(Object.entries(coverage.bySubject).sort(([a], [b]) => a.localeCompare(b)));
  return { run: summary.run ?? {}, checks: summary.totals, rows, manual, coverage };
}

function manualReason(scenarios: readonly StatementManual[]): string {
  if (scenarios.length === 0) return "a manual scenario covers it";
  return scenarios
    .map((m) => `${m.scenario} ${m.outcome === "open" ? "open: no outcome recorded" : `${m.outcome} (${m.tester}, ${m.date})`}`)
    .join("; ");
}

/** One line of coverage for a terminal: every status with rows, then the MUST rows alone. */
export function coverageText(s: Statement): string {
  const line = (c: CoverageCounts) =>
    STATEMENT_STATUSES.filter((st) => c[st] > 0)
      .map((st) => `${st} ${c[st]}`)
      .join(", ");
  const must = s.coverage.byLevel.MUST;
  const outcomes = (["passed", "failed", "not applicable", "open"] as const)
    .map((o) => [o, s.manual.filter((m) => m.outcome === o).length] as const)
    .filter(([, n]) => n > 0)
    .map(([o, n]) => `${o} ${n}`);
  return (
    `Requirements (${s.coverage.all.total} catalogue rows): ${line(s.coverage.all)}.` +
    (must ? `\n  of which MUST (${must.total}): ${line(must)}.` : "") +
    `\nManual scenarios (${s.manual.length}), as testers recorded them: ${outcomes.join(", ")}.`
  );
}

/** The statement's requirement counts in summary.json's shape (so the two never disagree). */
export function summaryCoverage(s: Statement): Summary["coverage"] {
  const c = s.coverage.all;
  return {
    requirements: c.total,
    automated: c.passed + c.failed + c.warning + c.inconclusive + c.skipped,
    manual: c["manual: signed off"] + c["manual: open"],
    notCovered: c["not covered"],
    notCheckable: c["not checkable"],
    notApplicable: c["not applicable"],
    notSelected: c["not selected"],
  };
}
