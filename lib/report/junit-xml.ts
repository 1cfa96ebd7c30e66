/**
 * JUnit XML for CI from the run's summary, one test case per check, with names that stay the same
 * from run to run (requirement IDs and title; the class name is the target kind and the area; no
 * port, URL or describe title), so CI test history follows each check:
 *
 * - failed: `<failure>` with the failing requirements and reasons;
 * - inconclusive: `<error type="inconclusive">` with what could not be observed (the run exits 3);
 * - skipped and manual: `<skipped message="...">` with the reason, or `type="manual"` for a manual
 *   scenario (each suite's `manual` property counts those among its skipped);
 * - warning: passes, with each deviation as a `warning` property and in `<system-out>`.
 *
 * @example
 * ```ts
 * writeFileSync("reports/junit.xml", junitXml(summary))
 * ```
 */
import XMLBuilder from "fast-xml-builder";
import type { Summary, SummaryCheck } from "./build-summary.ts";

export const JUNIT_SUITE_NAME = "NHS login conformance";

export function junitXml(s: Summary): string {
  const bySuite = new Map<string, SummaryCheck[]>();
  for (const c of s.checks) bySuite.set(c.suite, [...(bySuite.get(c.suite) ?? []), c]);
  const count = (cs: readonly SummaryCheck[], ...st: string[]) => cs.filter((c) => st.includes(c.status)).length;
  const seconds = (cs: readonly SummaryCheck[]) => (cs.reduce((t, c) => t + (c.durationMs ?? 0), 0) / 1000).toFixed(3);
  const suites = [...bySuite.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([suite, cs]) => ({
      "@_name": `${JUNIT_SUITE_NAME}: ${suite}`,
      "@_tests": cs.length,
      "@_failures": count(cs, "failed"),
      "@_errors": count(cs, "inconclusive"),
      "@_skipped": count(cs, "skipped", "manual"),
      "@_time": seconds(cs),
      properties: { property: [{ "@_name": "manual", "@_value": count(cs, "manual") }] },
      testcase: [...cs].sort((a, b) => a.name.localeCompare(b.name)).map(testCase),
    }));
  const doc = {
    "?xml": { "@_version": "1.0", "@_encoding": "UTF-8" },
    testsuites: {
      "@_name": JUNIT_SUITE_NAME,
      "@_tests": s.checks.length,
      "@_failures": count(s.checks, "failed"),
      "@_errors": count(s.checks, "inconclusive"),
      "@_skipped": count(s.checks, "skipped", "manual"),
      "@_time": seconds(s.checks),
      testsuite: suites,
    },
  };
  const builder = new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: true, processEntities: true });
  return `${builder.build(doc) as string}`;
}

function testCase(c: SummaryCheck): Record<string, unknown> {
  const lines = (status: string) => c.requirements.filter((v) => v.status === status).map((v) => xmlText(`${v.id}: ${v.message}`));
  const message = xmlText(c.message);
  const tc: Record<string, unknown> = {
    "@_classname": xmlText(`${c.suite}.${c.area || "checks"}`),
    "@_name": xmlText(c.name),
    "@_time": ((c.durationMs ?? 0) / 1000).toFixed(3),
  };
  if (c.status === "failed") {
    const text = (lines("failed").length > 0 ? lines("failed") : [message]).join("\n");
    tc.failure = { "@_message": firstLine(text), "@_type": "non-conformance", "#text": text };
  } else if (c.status === "inconclusive") {
    const text = (lines("inconclusive").length > 0 ? lines("inconclusive") : [message]).join("\n");
    tc.error = { "@_message": `inconclusive: ${firstLine(text)}`, "@_type": "inconclusive", "#text": text };
  } else if (c.status === "skipped") {
    tc.skipped = { "@_message": xmlText([...new Set(c.requirements.map((v) => v.message))].join("; ")) || message || "skipped" };
  } else if (c.status === "manual") {
    tc.skipped = { "@_message": "manual scenario: walk it through by hand (see the conformance statement)", "@_type": "manual" };
  } else if (c.status === "warning") {
    const warnings = lines("warning");
    tc.properties = { property: warnings.map((w) => ({ "@_name": "warning", "@_value": w })) };
    tc["system-out"] = warnings.map((w) => `warning ${w}`).join("\n");
  }
  return tc;
}

function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 500 ? `${line.slice(0, 499)}…` : line;
}

/** Text XML 1.0 can carry: control characters other than tab, newline and return become U+FFFD. */
function xmlText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "\ufffd");
}
