/**
 * Build `reports/summary.json` (the contract in ARCHITECTURE.md) from the checks of a run.
 *
 * @example
 * ```ts
 * const summary = buildSummary(records, { environment: "simulator", issuer })
 * ```
 */
import { REQUIREMENTS, type FindingStatus } from "../requirements/index.ts";

export interface CheckResult {
  ids: string[];
  title: string;
  /** environment | service | artefacts */
  suite: string;
  status: FindingStatus;
  findings: { requirement: string; status: FindingStatus; message: string }[];
  /** Set when the test failed outside the check's findings (a crash, a timeout). */
  error?: string;
}

export interface Summary {
  totals: { passed: number; failed: number; skipped: number; warnings: number };
  checks: { id: string; title: string; suite: string; status: FindingStatus; message: string }[];
  requirements: { id: string; status: FindingStatus | "not covered"; checks: string[] }[];
  target: Record<string, unknown>;
}

const RANK: Record<FindingStatus, number> = { failed: 3, warning: 2, passed: 1, skipped: 0 };
const worst = (a: FindingStatus, b: FindingStatus) => (RANK[b] > RANK[a] ? b : a);

export function buildSummary(results: readonly CheckResult[], target: Record<string, unknown>): Summary {
  const totals = { passed: 0, failed: 0, skipped: 0, warnings: 0 };
  const checks: Summary["checks"] = [];
  const byRequirement = new Map<string, { status: FindingStatus; checks: string[] }>();
  for (const r of results) {
    totals[r.status === "warning" ? "warnings" : r.status] += 1;
    const perReq = new Map<string, { status: FindingStatus; messages: string[] }>();
    for (const f of r.findings) {
      const e = perReq.get(f.requirement) ?? { status: "skipped" as FindingStatus, messages: [] };
      e.status = e.messages.length === 0 ? f.status : worst(e.status, f.status);
      e.messages.push(f.message);
      perReq.set(f.requirement, e);
    }
    if (perReq.size === 0) for (const id of r.ids) perReq.set(id, { status: r.status, messages: r.error ? [] : ["the check produced no findings"] });
    for (const [id, e] of perReq) {
      const status = r.error ? "failed" : e.status;
      checks.push({ id, title: r.title, suite: r.suite, status, message: [r.error, ...e.messages].filter(Boolean).join("; ") });
      const req = byRequirement.get(id) ?? { status: "skipped" as FindingStatus, checks: [] };
      req.status = req.checks.length === 0 ? status : worst(req.status, status);
      req.checks.push(r.title);
      byRequirement.set(id, req);
    }
  }
  const order: Record<string, number> = { failed: 0, warning: 1, skipped: 2, passed: 3 };
  checks.sort((a, b) => order[a.status]! - order[b.status]! || a.id.localeCompare(b.id));
  const requirements: Summary["requirements"] = REQUIREMENTS.map((q) => {
    const r = byRequirement.get(q.id);
    return { id: q.id, status: r ? r.status : "not covered", checks: r ? r.checks : [] };
  });
  return { totals, checks, requirements, target };
}

/** The summary as Markdown, failures first. */
export function summaryMarkdown(s: Summary): string {
  const covered = s.requirements.filter((r) => r.status !== "not covered").length;
  const lines = [
    "# NHS login conformance summary",
    "",
    `Passed ${s.totals.passed}, failed ${s.totals.failed}, warnings ${s.totals.warnings}, skipped ${s.totals.skipped}.`,
    `Requirements covered by automated checks: ${covered} of ${s.requirements.length}.`,
    "",
    "| Status | Requirement | Check | Message |",
    "|---|---|---|---|",
    ...s.checks.map((c) => `| ${c.status} | ${c.id} | ${c.title.replace(/\|/g, "\\|")} | ${c.message.replace(/\|/g, "\\|").replace(/\n/g, " ")} |`),
  ];
  return `${lines.join("\n")}\n`;
}
