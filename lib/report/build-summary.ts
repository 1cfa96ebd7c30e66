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
import { REQUIREMENTS, type FindingStatus } from "../requirements/index.ts";

export type CheckStatus = FindingStatus | "manual";

export interface CheckResult {
  ids: string[];
  title: string;
  /** environment | service | artefacts */
  suite: string;
  status: CheckStatus;
  findings: { requirement: string; status: FindingStatus; message: string }[];
  /** Set when the test failed outside the check's findings (a crash, a timeout, a file that did not load). */
  error?: string;
  /** Set for manual scenarios. */
  manual?: { instructions: string; requirements: string[] };
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

export interface Summary {
  totals: { passed: number; failed: number; skipped: number; warnings: number; inconclusive: number; manual: number };
  checks: { id: string; title: string; suite: string; status: CheckStatus; message: string }[];
  requirements: { id: string; status: CheckStatus | "not covered"; checks: string[] }[];
  coverage: { requirements: number; automated: number; manual: number; notCovered: number };
  files: FileResult[];
  target: Record<string, unknown>;
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

export function buildSummary(results: readonly CheckResult[], target: Record<string, unknown>, files: readonly FileResult[] = []): Summary {
  const totals = { passed: 0, failed: 0, skipped: 0, warnings: 0, inconclusive: 0, manual: 0 };
  const checks: Summary["checks"] = [];
  const automated = new Map<string, { status: FindingStatus; checks: string[] }>();
  const manualOnly = new Map<string, string[]>();
  for (const r of results) {
    totals[TOTAL_KEY[r.status]] += 1;
    if (r.status === "manual") {
      const id = r.ids[0] ?? "manual";
      checks.push({ id, title: r.title, suite: r.suite, status: "manual", message: r.manual?.instructions ?? "" });
      for (const req of r.manual?.requirements ?? []) manualOnly.set(req, [...(manualOnly.get(req) ?? []), `${id} ${r.title}`]);
      continue;
    }
    const perReq = new Map<string, { status: FindingStatus; messages: string[] }>();
    for (const f of r.findings) {
      const e = perReq.get(f.requirement) ?? { status: "skipped" as FindingStatus, messages: [] };
      e.status = e.messages.length === 0 ? f.status : worst(e.status, f.status);
      e.messages.push(f.message);
      perReq.set(f.requirement, e);
    }
    if (perReq.size === 0) {
      const ids = r.ids.length > 0 ? r.ids : [HARNESS_ERROR_ID];
      for (const id of ids) perReq.set(id, { status: r.status, messages: r.error ? [] : ["the check produced no findings"] });
    }
    for (const [id, e] of perReq) {
      const status = r.error ? "failed" : e.status;
      checks.push({ id, title: r.title, suite: r.suite, status, message: [r.error, ...e.messages].filter(Boolean).join("; ") });
      const req = automated.get(id) ?? { status: "skipped" as FindingStatus, checks: [] };
      req.status = req.checks.length === 0 ? status : worst(req.status, status);
      req.checks.push(r.title);
      automated.set(id, req);
    }
  }
  const order: Record<CheckStatus, number> = { failed: 0, inconclusive: 1, warning: 2, skipped: 3, manual: 4, passed: 5 };
  checks.sort((a, b) => order[a.status] - order[b.status] || a.id.localeCompare(b.id));
  const requirements: Summary["requirements"] = REQUIREMENTS.map((q) => {
    const a = automated.get(q.id);
    if (a) return { id: q.id, status: a.status, checks: a.checks };
    const m = manualOnly.get(q.id);
    if (m) return { id: q.id, status: "manual", checks: m };
    return { id: q.id, status: "not covered", checks: [] };
  });
  const count = (f: (r: Summary["requirements"][number]) => boolean) => requirements.filter(f).length;
  const coverage = {
    requirements: requirements.length,
    automated: count((r) => r.status !== "manual" && r.status !== "not covered"),
    manual: count((r) => r.status === "manual"),
    notCovered: count((r) => r.status === "not covered"),
  };
  return { totals, checks, requirements, coverage, files: [...files], target };
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

function countsLine(s: Summary): string {
  const t = s.totals;
  return (
    `Passed ${t.passed}, failed ${t.failed}, inconclusive ${t.inconclusive}, warnings ${t.warnings}, skipped ${t.skipped}. ` +
    `Manual scenarios: ${t.manual}.`
  );
}

function coverageLine(s: Summary): string {
  const c = s.coverage;
  return `Requirements: ${c.automated} automated, ${c.manual} manual only, ${c.notCovered} not covered (of ${c.requirements}).`;
}

/** The summary as Markdown: counts, then failures, warnings, skipped, manual checklist, passed, coverage. */
export function summaryMarkdown(s: Summary): string {
  const lines = ["# NHS login conformance summary", "", countsLine(s), coverageLine(s), ""];
  const target = Object.entries(s.target).filter(([, v]) => v !== undefined && v !== "");
  const show = (v: unknown) => (v !== null && typeof v === "object" ? Object.values(v).filter(Boolean).join(" ") : String(v));
  if (target.length > 0) lines.push(`Target: ${target.map(([k, v]) => `${k} ${show(v)}`).join(", ")}.`, "");
  const section = (title: string, status: CheckStatus, what: string) => {
    const rows = s.checks.filter((c) => c.status === status);
    if (rows.length === 0) return;
    lines.push(`## ${title} (${rows.length})`, "", `| Requirement | Check | Suite | ${what} |`, "|---|---|---|---|");
    for (const c of rows) lines.push(`| ${c.id} | ${cell(c.title)} | ${c.suite} | ${cell(c.message)} |`);
    lines.push("");
  };
  section("Failed", "failed", "Reason");
  section("Inconclusive", "inconclusive", "What could not be observed");
  section("Warnings", "warning", "Deviation");
  section("Skipped", "skipped", "Why");
  section("Manual scenarios", "manual", "Instructions");
  section("Passed", "passed", "Evidence");
  lines.push("## Requirement coverage", "", coverageLine(s), "");
  const covered = s.requirements.filter((r) => r.status !== "not covered");
  if (covered.length > 0) {
    lines.push("| Requirement | Status | Checks |", "|---|---|---|");
    for (const r of covered) lines.push(`| ${r.id} | ${r.status} | ${cell(r.checks.join("; "))} |`);
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** What the run prints at the end: counts, failures with requirement and reason, warnings, coverage. */
export function summaryText(s: Summary): string {
  const lines = ["", "NHS login conformance summary", `  ${countsLine(s)}`];
  const failed = s.checks.filter((c) => c.status === "failed");
  if (failed.length > 0) {
    lines.push("", `FAILED (${failed.length}):`);
    for (const c of failed) lines.push(`  ✘ ${c.id}  ${c.title}`, `      reason: ${clip(c.message, 600)}`);
  }
  const inconclusive = s.checks.filter((c) => c.status === "inconclusive");
  if (inconclusive.length > 0) {
    lines.push("", `INCONCLUSIVE (${inconclusive.length}; nothing could be observed, so neither passed nor failed):`);
    for (const c of inconclusive) lines.push(`  ? ${c.id}  ${c.title}`, `      why: ${clip(c.message, 600)}`);
  }
  const warnings = s.checks.filter((c) => c.status === "warning");
  if (warnings.length > 0) {
    lines.push("", `Warnings (${warnings.length}; the checks pass):`);
    for (const c of warnings) lines.push(`  ⚠ ${c.id}  ${clip(c.message, 300)}`);
  }
  const skipped = s.checks.filter((c) => c.status === "skipped");
  if (skipped.length > 0) {
    // Grouped by reason: missing configuration usually skips many checks for the same cause.
    const byReason = new Map<string, string[]>();
    for (const c of skipped) byReason.set(c.message, [...new Set([...(byReason.get(c.message) ?? []), c.id])]);
    lines.push("", `Skipped (${s.totals.skipped} checks):`);
    for (const [reason, ids] of byReason) lines.push(`  – ${clip(reason, 200)}: ${clip(ids.join(", "), 300)}`);
  }
  if (s.totals.manual > 0)
    lines.push("", `Manual scenarios to walk through: ${s.totals.manual} (listed in summary.md and the Allure report).`);
  lines.push("", `Coverage: ${coverageLine(s)}`, "");
  return lines.join("\n");
}
