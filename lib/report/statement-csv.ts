/**
 * The conformance statement as CSV: one line per catalogue row (ID, level, title, subject, source,
 * status, reason, the checks that decided it with their status, their messages), for a reviewer's
 * spreadsheet. The run metadata is in the JSON and HTML forms.
 *
 * @example
 * ```ts
 * writeFileSync("reports/conformance-statement.csv", statementCsv(statement))
 * ```
 */
import { stringify } from "csv-stringify/sync";
import type { Statement } from "./build-statement.ts";

export const STATEMENT_CSV_COLUMNS = ["id", "level", "title", "subject", "source", "status", "reason", "checks", "messages"] as const;

export function statementCsv(s: Statement): string {
  const records = s.rows.map((r) => [
    r.id,
    r.level,
    r.title,
    r.subject,
    r.source,
    r.status,
    r.reason,
    r.evidence.map((e) => `${e.status}: ${e.check}`).join(" | "),
    r.evidence.map((e) => e.message).join(" | "),
  ]);
  return stringify(records, { header: true, columns: [...STATEMENT_CSV_COLUMNS] });
}
