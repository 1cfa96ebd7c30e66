import { describe, expect, it } from "vitest";
import { buildStatement } from "../../lib/report/build-statement.ts";
import { buildSummary } from "../../lib/report/build-summary.ts";
import { STATEMENT_CSV_COLUMNS, statementCsv } from "../../lib/report/statement-csv.ts";
import { REQUIREMENTS } from "../../lib/requirements/index.ts";

describe("statementCsv", () => {
  it("writes a header and one quoted line per catalogue row", () => {
    const summary = buildSummary(
      [
        {
          ids: ["FED-DISC-01"],
          title: "discovery, with a comma",
          suite: "environment",
          status: "failed",
          findings: [{ requirement: "FED-DISC-01", status: "failed", message: 'said "no"\nthen stopped' }],
        },
      ],
      {},
    );
    const csv = statementCsv(buildStatement(summary, { suites: ["environment"] }));
    const lines = csv.trim().split("\n");
    expect(lines[0]).toBe(STATEMENT_CSV_COLUMNS.join(","));
    expect(csv).toContain('"failed: FED-DISC-01: discovery, with a comma","said ""no""\nthen stopped"');
    expect(lines.filter((l) => /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d+,/.test(l))).toHaveLength(REQUIREMENTS.length);
  });
});
