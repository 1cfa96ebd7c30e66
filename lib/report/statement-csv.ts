/**
 * The conformance statement as CSV: one line per catalogue row (ID, level, title, subject, source
 * and its links, status, reason, the checks that decided it with their status, their messages and
 * their Allure tests, the manual scenarios citing it with their outcome), for a reviewer's
 * spreadsheet. The run metadata is in the JSON and HTML forms.
 *
 * @example
 * ```ts
 * writeFileSync("reports/conformance-statement.csv", statementCsv(statement))
 * ```
 */
import { stringify } from "csv-stringify/sync";
import type { Statement } from "./build-statement.ts";

export const STATEMENT_CSV_COLUMNS = [
  "id",
  "level",
  "title",
  "subject",
  "source",
  "source_links",
  "status",
  "reason",
  "checks",
  "messages",
  "allure_links",
  "manual",
] as const;

export function statementCsv(s: Statement): string {
  const records = s.rows.map((r) => [
    r.id,
    r.level,
    r.title,
    r.subject,
    r.source,
    r.links.map((l) => l.url).join(" "),
    r.status,
    r.reason,
    r.evidence.map((e) => `${e.status}: ${e.check}`).join(" | "),
    r.evidence.map((e) => e.message).join(" | "),
    r.evidence.map((e) => e.href ?? "").join(" | "),
    (r.manual ?? []).map((m) => `${m.scenario} ${m.outcome}${m.tester ? ` (${m.tester}, ${m.date})` : ""}`).join(" | "),
  ]);
  return stringify(records, { header: true, columns: [...STATEMENT_CSV_COLUMNS] });
}
