/**
 * The conformance statement as one HTML file: opens from disk, needs no script, loads nothing
 * from elsewhere, and prints cleanly to PDF (each row kept whole, links printed as text). Above
 * the rows: run metadata, the check totals, coverage per level and per subject (in catalogue
 * rows), and the manual sign-off table. Every catalogue row links to its source section and to
 * the Allure test of each check that decided it.
 *
 * @example
 * ```ts
 * writeFileSync("reports/conformance-statement.html", statementHtml(statement, { allureReport: "allure-report/index.html" }))
 * ```
 */
import { escapeUTF8 as esc } from "entities";
import type { RunMetadata } from "./run-metadata.ts";
import { LEVEL_ORDER, STATEMENT_STATUSES, type CoverageCounts, type Statement, type StatementRow } from "./build-statement.ts";

const CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:1.5rem;color:#111}
h1{font-size:1.5rem;margin:0 0 .5rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #bbb;padding:.25rem .4rem;vertical-align:top;text-align:left}
th{background:#eee}td.n{text-align:right}dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem}dt{font-weight:600}
.s{font-weight:600;white-space:nowrap}.failed{color:#a00}.inconclusive{color:#a50}.warning{color:#850}.passed{color:#060}
.manual-signed-off{color:#036}.manual-open,.open{color:#a50}ul{margin:0;padding-left:1.1rem}small{color:#555}
tr.failed td:first-child{border-left:4px solid #a00}
@media print{body{margin:0;font-size:10px}a{color:inherit;text-decoration:none}tr{break-inside:avoid}thead{display:table-header-group}
a[href^="http"]::after{content:" (" attr(href) ")";font-size:8px;color:#555}}
`;

export function statementHtml(s: Statement): string {
  const run = s.run as Partial<RunMetadata>;
  const meta: [string, string][] = [
    ["Generated (UTC)", String(run.startedAt ?? "unknown")],
    ["Harness", run.harness ? `${run.harness.name} ${run.harness.version}, commit ${run.harness.commit}` : "unknown"],
    [
      "Catalogue",
      run.catalogue ? `${run.catalogue.rows} rows, ${run.catalogue.digest}; written from ${run.catalogue.sources.join("; ")}` : "unknown",
    ],
    ...Object.entries((run.targets ?? {}) as Record<string, Record<string, string>>).map(([kind, t]): [string, string] => [
      `Target: ${kind}`,
      Object.entries(t)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ") || "(none)",
    ]),
    ["Options", run.options ? optionsText(run.options as unknown as Record<string, unknown>) : "unknown"],
  ];
  const c = s.checks;
  const checksTotal = c.passed + c.failed + c.inconclusive + c.warnings + c.skipped + c.manual;
  const parts = [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    "<title>NHS login conformance statement</title>",
    `<style>${CSS}</style></head><body>`,
    "<h1>NHS login conformance statement</h1>",
    `<dl>${meta.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("")}</dl>`,
    `<p>Checks run: ${checksTotal} (passed ${c.passed}, failed ${c.failed}, inconclusive ${c.inconclusive}, ` +
      `warnings ${c.warnings}, skipped ${c.skipped}, manual ${c.manual}). ` +
      `The tables below count catalogue rows (requirements), ${s.coverage.all.total} in all.</p>`,
    "<h2>Coverage per level</h2>",
    coverageTable(
      "Level",
      LEVEL_ORDER.filter((l) => s.coverage.byLevel[l]).map((l) => [l, s.coverage.byLevel[l]!]),
      s.coverage.all,
    ),
    "<h2>Coverage per subject</h2>",
    coverageTable("Subject", Object.entries(s.coverage.bySubject), s.coverage.all),
    "<h2>Manual scenarios</h2>",
    manualTable(s),
    "<h2>Requirements</h2>",
    '<table id="requirements"><thead><tr><th>ID</th><th>Level</th><th>Requirement</th><th>Subject</th><th>Source</th>' +
      "<th>Status</th><th>Evidence</th></tr></thead><tbody>",
    ...s.rows.map(rowHtml),
    "</tbody></table>",
    "</body></html>",
  ];
  return `${parts.join("\n")}\n`;
}

function optionsText(o: Record<string, unknown>): string {
  return Object.entries(o)
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(" ") : String(v)}`)
    .join(", ");
}

function coverageTable(label: string, groups: [string, CoverageCounts][], all: CoverageCounts): string {
  const cols = STATEMENT_STATUSES.filter((st) => all[st] > 0);
  const head = `<tr><th>${label}</th>${cols.map((st) => `<th>${esc(st)}</th>`).join("")}<th>total</th></tr>`;
  const line = (name: string, g: CoverageCounts) =>
    `<tr><td>${esc(name)}</td>${cols.map((st) => `<td class="n">${g[st]}</td>`).join("")}<td class="n">${g.total}</td></tr>`;
  const body = `${groups.map(([n, g]) => line(n, g)).join("")}${line("all", all)}`;
  return `<table class="coverage"><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

function manualTable(s: Statement): string {
  const open = s.manual.filter((m) => m.outcome === "open").length;
  const rows = s.manual.map(
    (m) =>
      `<tr><td>${esc(m.scenario)}</td><td>${esc(m.title)}${m.mandatory ? "" : " <small>(optional)</small>"}</td>` +
      `<td class="s ${m.outcome === "open" ? "open" : m.outcome === "failed" ? "failed" : "passed"}">${esc(m.outcome)}</td>` +
      `<td>${esc(m.date ?? "")}</td><td>${esc(m.tester ?? "")}</td>` +
      `<td>${m.evidence ? evidenceLink(m.evidence) : ""}${m.notes ? `<br><small>${esc(m.notes)}</small>` : ""}</td></tr>`,
  );
  return (
    `<p>${s.manual.length - open} of ${s.manual.length} scenarios have a recorded outcome; ${open} open.</p>` +
    "<table><thead><tr><th>Scenario</th><th>Title</th><th>Outcome</th><th>Date</th><th>Tester</th><th>Evidence</th></tr></thead>" +
    `<tbody>${rows.join("")}</tbody></table>`
  );
}

/** A status as a CSS class: "manual: open" → "manual-open". */
const cls = (status: string) => status.replace(/[^a-z]+/g, "-");

/** An evidence location as a link when it is a URL, as text when it is a path. */
const evidenceLink = (where: string) => (/^https?:\/\//.test(where) ? `<a href="${esc(where)}">${esc(where)}</a>` : esc(where));

function rowHtml(r: StatementRow): string {
  const links = r.links.map((l) => `<a href="${esc(l.url)}">${esc(l.name)}</a>`).join("<br>");
  const evidence = r.evidence.map((e) => {
    const name = esc(e.check);
    const link = e.href ? `<a class="allure" href="${esc(e.href)}">${name}</a>` : name;
    return `<li><span class="s ${esc(e.status)}">${esc(e.status)}</span> ${link}<br><small>${esc(e.message)}</small></li>`;
  });
  const manual = (r.manual ?? []).map(
    (m) => `<li><span class="s ${cls(m.outcome)}">manual ${esc(m.outcome)}</span> ${esc(m.scenario)}: ${esc(m.title)}</li>`,
  );
  evidence.push(...manual);
  const reason = r.reason ? `<small>${esc(r.reason)}</small>` : "";
  return (
    `<tr id="${esc(r.id)}" class="${cls(r.status)}">` +
    `<td>${esc(r.id)}</td><td>${esc(r.level)}</td><td>${esc(r.title)}</td>` +
    `<td>${esc(r.subject)}</td><td>${links}</td><td class="s ${cls(r.status)}">${esc(r.status)}</td>` +
    `<td>${evidence.length > 0 ? `<ul>${evidence.join("")}</ul>` : ""}${reason}</td></tr>`
  );
}
