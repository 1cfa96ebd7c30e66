import { describe, expect, it } from "vitest";
import { load } from "cheerio";
import { buildStatement } from "../../lib/report/build-statement.ts";
import { buildSummary } from "../../lib/report/build-summary.ts";
import { statementHtml } from "../../lib/report/statement-html.ts";
import { REQUIREMENTS } from "../../lib/requirements/index.ts";

const summary = buildSummary(
  [
    {
      ids: ["FED-DISC-01"],
      title: "discovery <b>bold</b>",
      suite: "environment",
      status: "failed",
      findings: [{ requirement: "FED-DISC-01", status: "failed", message: 'issuer "x" & <y>' }],
      allureId: "b".repeat(32),
    },
  ],
  {},
  [],
  { startedAt: "2026-12-06T00:00:00.000Z", harness: { name: "h", version: "1.2.3", commit: "abc" } },
);
const statement = buildStatement(summary, { suites: ["environment"], allureReport: "allure-report/index.html" });

describe("statementHtml", () => {
  const $ = load(statementHtml(statement));

  it("is one page with no script and nothing loaded from elsewhere, with print rules", () => {
    expect($("script")).toHaveLength(0);
    expect($("link, img, iframe")).toHaveLength(0);
    expect($("style").text()).toContain("@media print");
  });

  it("shows the run metadata and one row per catalogue requirement", () => {
    expect($("dl").text()).toContain("2026-12-06T00:00:00.000Z");
    expect($("dl").text()).toContain("h 1.2.3, commit abc");
    expect($("#requirements tbody tr")).toHaveLength(REQUIREMENTS.length);
  });

  it("escapes what checks said, and links a failed row to its Allure test and its source", () => {
    const row = $("tr#FED-DISC-01");
    expect(row.attr("class")).toBe("failed");
    expect(row.find("a.allure").attr("href")).toBe(`allure-report/index.html#${"b".repeat(32)}`);
    expect(row.find("a.allure").text()).toBe("FED-DISC-01: discovery <b>bold</b>");
    expect(row.find("small").first().text()).toBe('issuer "x" & <y>');
    expect(row.find("b")).toHaveLength(0);
    expect(row.find('a[href^="https://"]').length).toBeGreaterThan(0);
  });

  it("links to Allure only when a report was generated", () => {
    expect(load(statementHtml(buildStatement(summary, { suites: ["environment"] })))("a.allure")).toHaveLength(0);
  });

  it("shows testers' outcomes on the rows they cite, and links an evidence URL", () => {
    const recorded = new Map([
      [
        "M-G1",
        { scenario: "M-G1", outcome: "failed" as const, date: "2026-12-01", tester: "T", evidence: "https://evidence.invalid/m-g1" },
      ],
    ]);
    const page = load(statementHtml(buildStatement(summary, { suites: ["service"], manualResults: recorded })));
    const row = page("tr#SSO-12");
    expect(row.attr("class")).toBe("failed");
    expect(row.text()).toMatch(/manual failed M-G1/);
    expect(page('a[href="https://evidence.invalid/m-g1"]')).toHaveLength(1);
  });
});
