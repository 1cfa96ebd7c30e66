/**
 * Build `reports/summary.json` (the contract in ARCHITECTURE.md) from the checks of a run, and
 * render it as Markdown (`reports/summary.md`) and as the short text printed at the end of a run.
 *
 * Statuses: passed, failed, warning (a SHOULD/DERIVED deviation or a lenient choice: the check
 * passes but is listed), inconclusive (nothing could be observed, with the reason), skipped (with
 * the reason, e.g. missing configuration) and manual (a scenario a person walks through). Per
 * requirement: the worst automated status, else "manual"
 * when only a manual scenario covers it, else "not covered".
 *
 * @example
 * ```ts
 * const summary = buildSummary(records, { environment: "simulator", issuer })
 * process.stdout.write(summaryText(summary))
 * ```
 */
import { REQUIREMENTS, type Evidence, type FindingStatus } from "../requirements/index.ts";

export type CheckStatus = FindingStatus | "manual";

export interface CheckResult {
  ids: string[];
  title: string;
  /** environment | service | artefacts */
  suite: string;
  /** The check's area (Allure feature), e.g. "Token endpoint". */
  area?: string;
  status: CheckStatus;
  findings: { requirement: string; status: FindingStatus; message: string; evidence?: Evidence }[];
  /** Set when the test failed outside the check's findings (a crash, a timeout, a file that did not load). */
  error?: string;
  /** Set for manual scenarios. */
  manual?: { instructions: string; requirements: string[] };
  /** The check's Allure test result, for links from the statement (`allure-report/index.html#<id>`). */
  allureId?: string;
  durationMs?: number;
}

/** One suite file of the run: how long it took and how many checks it held. */
export interface FileResult {
  file: string;
  suite: string;
  /** Checks that ran (passed, failed or warning), skipped, manual. */
  checks: number;
  ran: number;
  /** Time to import the file and declare its checks, and to run them, in ms. */
  collectMs: number;
  durationMs: number;
  state: string;
  error?: string;
}

/** What one check said about one of its requirements. */
export interface RequirementVerdict {
  id: string;
  status: FindingStatus;
  message: string;
  evidence?: Evidence[];
}

/** One check of the run (the counting unit of every total). */
export interface SummaryCheck {
  /** The primary requirement (or manual scenario) ID. */
  id: string;
  /** Every requirement ID the check cites. */
  ids: string[];
  /** Stable name (IDs and title; no ports or URLs): the JUnit test name and the `--rerun-failed` key. */
  name: string;
  title: string;
  suite: string;
  area: string;
  status: CheckStatus;
  /** The verdicts of the check's requirements joined (the failing ones first), or the manual instructions. */
  message: string;
  /** Per requirement: status and messages (empty for manual scenarios). */
  requirements: RequirementVerdict[];
  allureId?: string;
  durationMs?: number;
}

/** What decided a requirement: one entry per check that judged it. */
export interface RequirementEvidence {
  check: string;
  suite: string;
  status: CheckStatus;
  message: string;
  allureId?: string;
}

export interface Summary {
  /** Counted in checks: passed + failed + skipped + warnings + inconclusive + manual = checks.length. */
  totals: { passed: number; failed: number; skipped: number; warnings: number; inconclusive: number; manual: number };
  checks: SummaryCheck[];
  requirements: { id: string; status: CheckStatus | "not covered"; checks: string[]; evidence: RequirementEvidence[] }[];
  /**
   * Requirements: automated, manual only, not covered by this run's checks. The runner replaces it
   * with the conformance statement's counts, which also give not checkable, not applicable and not selected.
   */
  coverage: {
    requirements: number;
    automated: number;
    manual: number;
    notCovered: number;
    notCheckable?: number;
    notApplicable?: number;
    notSelected?: number;
  };
  files: FileResult[];
  target: Record<string, unknown>;
  /** Run metadata (time, harness version and commit, catalogue, targets, options), when the runner gave it. */
  run?: Record<string, unknown>;
}

/** The entry ID used for a failure that belongs to no requirement (a suite file that did not load). */
export const HARNESS_ERROR_ID = "HARNESS-ERROR";

const RANK: Record<FindingStatus, number> = { failed: 4, inconclusive: 3, warning: 2, passed: 1, skipped: 0 };
const worst = (a: FindingStatus, b: FindingStatus) => (RANK[b] > RANK[a] ? b : a);
const TOTAL_KEY = {
  passed: "passed",
  failed: "failed",
  skipped: "skipped",
  warning: "warnings",
  inconclusive: "inconclusive",
  manual: "manual",
} as const;

/** The stable name of a check: its requirement IDs and title, as the suites name the test. */
export function checkName(ids: readonly string[], title: string): string {
  return ids.length > 0 ? `${ids.join(" ")}: ${title}` : title;
}

export function buildSummary(
  results: readonly CheckResult[],
  target: Record<string, unknown>,
  files: readonly FileResult[] = [],
  run?: Record<string, unknown>,
): Summary {
  const totals = { passed: 0, failed: 0, skipped: 0, warnings: 0, inconclusive: 0, manual: 0 };
  const checks: SummaryCheck[] = [];
  const automated = new Map<string, { status: FindingStatus; checks: string[]; evidence: RequirementEvidence[] }>();
  const manualOnly = new Map<string, { checks: string[]; evidence: RequirementEvidence[] }>();
  for (const r of results) {
    totals[TOTAL_KEY[r.status]] += 1;
    const base = {
      name: checkName(r.ids, r.title),
      title: r.title,
      suite: r.suite,
      area: r.area ?? (r.status === "manual" ? "Manual scenarios" : ""),
      ...(r.allureId ? { allureId: r.allureId } : {}),
      ...(r.durationMs !== undefined ? { durationMs: r.durationMs } : {}),
    };
    if (r.status === "manual") {
      const id = r.ids[0] ?? "manual";
      const message = r.manual?.instructions ?? "";
      checks.push({ id, ids: [...r.ids], ...base, status: "manual", message, requirements: [] });
      for (const req of r.manual?.requirements ?? []) {
        const m = manualOnly.get(req) ?? { checks: [], evidence: [] };
        m.checks.push(`${id} ${r.title}`);
        m.evidence.push({
          check: `${id}: ${r.title}`,
          suite: r.suite,
          status: "manual",
          message,
          ...(r.allureId ? { allureId: r.allureId } : {}),
        });
        manualOnly.set(req, m);
      }
      continue;
    }
    const perReq = new Map<string, { status: FindingStatus; messages: string[]; evidence: Evidence[] }>();
    for (const f of r.findings) {
      const e = perReq.get(f.requirement) ?? { status: "skipped" as FindingStatus, messages: [], evidence: [] };
      e.status = e.messages.length === 0 ? f.status : worst(e.status, f.status);
      e.messages.push(f.message);
      if (f.evidence) e.evidence.push(f.evidence);
      perReq.set(f.requirement, e);
    }
    if (perReq.size === 0) {
      const ids = r.ids.length > 0 ? r.ids : [HARNESS_ERROR_ID];
      for (const id of ids) perReq.set(id, { status: r.status, messages: r.error ? [] : ["the check produced no findings"], evidence: [] });
    }
    const verdicts: RequirementVerdict[] = [];
    for (const [id, e] of perReq) {
      const status = r.error ? "failed" : e.status;
      const message = [r.error, ...e.messages].filter(Boolean).join("; ");
      verdicts.push({ id, status, message, ...(e.evidence.length > 0 ? { evidence: e.evidence } : {}) });
      const req = automated.get(id) ?? { status: "skipped" as FindingStatus, checks: [], evidence: [] };
      req.status = req.checks.length === 0 ? status : worst(req.status, status);
      req.checks.push(r.title);
      req.evidence.push({ check: base.name, suite: r.suite, status, message, ...(r.allureId ? { allureId: r.allureId } : {}) });
      automated.set(id, req);
    }
    verdicts.sort((a, b) => RANK[b.status] - RANK[a.status]);
    const primary = r.ids[0] ?? verdicts[0]?.id ?? HARNESS_ERROR_ID;
    const shown = verdicts.filter((v) => r.status === "passed" || v.status === r.status || r.error);
    checks.push({
      id: primary,
      ids: r.ids.length > 0 ? [...r.ids] : [primary],
      ...base,
      status: r.status,
      message: (shown.length > 0 ? shown : verdicts).map((v) => (verdicts.length > 1 ? `${v.id}: ${v.message}` : v.message)).join("; "),
      requirements: verdicts,
    });
  }
  const order: Record<CheckStatus, number> = { failed: 0, inconclusive: 1, warning: 2, skipped: 3, manual: 4, passed: 5 };
  checks.sort((a, b) => order[a.status] - order[b.status] || a.id.localeCompare(b.id) || a.name.localeCompare(b.name));
  const requirements: Summary["requirements"] = REQUIREMENTS.map((q) => {
    const a = automated.get(q.id);
    if (a) return { id: q.id, status: a.status, checks: a.checks, evidence: a.evidence };
    const m = manualOnly.get(q.id);
    if (m) return { id: q.id, status: "manual", checks: m.checks, evidence: m.evidence };
    return { id: q.id, status: "not covered", checks: [], evidence: [] };
  });
  const count = (f: (r: Summary["requirements"][number]) => boolean) => requirements.filter(f).length;
  const coverage = {
    requirements: requirements.length,
    automated: count((r) => r.status !== "manual" && r.status !== "not covered"),
    manual: count((r) => r.status === "manual"),
    notCovered: count((r) => r.status === "not covered"),
  };
  return { totals, checks, requirements, coverage, files: [...files], target, ...(run ? { run } : {}) };
}

/** What one check said about one requirement, e.g. to read a requirement that is not the check's first. */
export function verdictFor(s: Summary, requirementId: string): (SummaryCheck & { verdict: RequirementVerdict }) | undefined {
  for (const c of s.checks) {
    const verdict = c.requirements.find((v) => v.id === requirementId);
    if (verdict) return { ...c, verdict };
  }
  return undefined;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

function countsLine(s: Summary): string {
  const t = s.totals;
  const all = t.passed + t.failed + t.inconclusive + t.warnings + t.skipped + t.manual;
  return (
    `Checks: ${all} (passed ${t.passed}, failed ${t.failed}, inconclusive ${t.inconclusive}, warnings ${t.warnings}, ` +
    `skipped ${t.skipped}, manual ${t.manual}).`
  );
}

/** The reasons a skipped check gives, once each. */
function reasons(c: SummaryCheck): string {
  return [...new Set(c.requirements.map((v) => v.message))].join("; ") || c.message;
}

/** The summary as Markdown: counts, then failures, warnings, skipped, manual checklist, passed, coverage. */
export function summaryMarkdown(s: Summary): string {
  const lines = ["# NHS login conformance summary", "", countsLine(s), ""];
  const target = Object.entries(s.target).filter(([, v]) => v !== undefined && v !== "");
  const show = (v: unknown) => (v !== null && typeof v === "object" ? Object.values(v).filter(Boolean).join(" ") : String(v));
  if (target.length > 0) lines.push(`Target: ${target.map(([k, v]) => `${k} ${show(v)}`).join(", ")}.`, "");
  const section = (title: string, status: CheckStatus, what: string) => {
    const rows = s.checks.filter((c) => c.status === status);
    if (rows.length === 0) return;
    lines.push(`## ${title} (${rows.length} checks)`, "", `| Requirements | Check | Suite | ${what} |`, "|---|---|---|---|");
    for (const c of rows) lines.push(`| ${c.ids.join(" ")} | ${cell(c.title)} | ${c.suite} | ${cell(c.message)} |`);
    lines.push("");
  };
  section("Failed", "failed", "Reason");
  section("Inconclusive", "inconclusive", "What could not be observed");
  section("Warnings", "warning", "Deviation");
  section("Skipped", "skipped", "Why");
  section("Manual scenarios", "manual", "Instructions");
  section("Passed", "passed", "Evidence");
  lines.push(
    "## Requirements",
    "",
    "Every catalogue row, its status and coverage per level: conformance-statement.html (also .csv, .json).",
    "",
  );
  return `${lines.join("\n")}\n`;
}

/**
 * What the run prints at the end, in checks: counts, failures with requirement and reason,
 * warnings, skips grouped by reason, manual scenarios. (Coverage of the catalogue is the
 * conformance statement's; the runner prints it after this.)
 */
export function summaryText(s: Summary): string {
  const lines = ["", "NHS login conformance summary", `  ${countsLine(s)}`];
  const failed = s.checks.filter((c) => c.status === "failed");
  const listVerdicts = (c: SummaryCheck, status: CheckStatus, label: string) => {
    const vs = c.requirements.filter((v) => v.status === status);
    if (vs.length === 0) lines.push(`      ${label}: ${c.message}`);
    for (const v of vs) lines.push(`      ${label}: ${c.ids.length > 1 ? `${v.id}: ` : ""}${v.message}`);
  };
  if (failed.length > 0) {
    lines.push("", `FAILED (${failed.length} checks):`);
    for (const c of failed) {
      lines.push(`  ✘ ${c.name}`);
      listVerdicts(c, "failed", "reason");
    }
  }
  const inconclusive = s.checks.filter((c) => c.status === "inconclusive");
  if (inconclusive.length > 0) {
    lines.push("", `INCONCLUSIVE (${inconclusive.length} checks; nothing could be observed, so neither passed nor failed):`);
    for (const c of inconclusive) {
      lines.push(`  ? ${c.name}`);
      listVerdicts(c, "inconclusive", "why");
    }
  }
  const warnings = s.checks.filter((c) => c.status === "warning");
  if (warnings.length > 0) {
    lines.push("", `Warnings (${warnings.length} checks; they pass):`);
    for (const c of warnings) {
      lines.push(`  ⚠ ${c.name}`);
      listVerdicts(c, "warning", "deviation");
    }
  }
  const skipped = s.checks.filter((c) => c.status === "skipped");
  if (skipped.length > 0) {
    // Grouped by reason: missing configuration usually skips many checks for the same cause.
    const byReason = new Map<string, string[]>();
    for (const c of skipped) byReason.set(reasons(c), [...(byReason.get(reasons(c)) ?? []), c.id]);
    lines.push("", `Skipped (${skipped.length} checks):`);
    for (const [reason, ids] of byReason)
      lines.push(`  – ${reason}`, `      ${ids.length} ${ids.length === 1 ? "check" : "checks"}: ${[...new Set(ids)].join(", ")}`);
  }
  if (s.totals.manual > 0)
    lines.push("", `Manual scenarios to walk through: ${s.totals.manual} checks (listed in the conformance statement and summary.md).`);
  lines.push("");
  return lines.join("\n");
}
