import { describe, expect, it } from "vitest";
import { XMLParser } from "fast-xml-parser";
import { buildSummary, type CheckResult } from "../../lib/report/build-summary.ts";
import { junitXml } from "../../lib/report/junit-xml.ts";

const check = (over: Partial<CheckResult> & Pick<CheckResult, "ids" | "status" | "findings">): CheckResult => ({
  title: "t",
  suite: "environment",
  area: "Discovery",
  ...over,
});

describe("junitXml", () => {
  const summary = buildSummary(
    [
      check({
        ids: ["FED-DISC-01"],
        status: "failed",
        findings: [{ requirement: "FED-DISC-01", status: "failed", message: "no <jwks_uri>" }],
      }),
      check({
        ids: ["FED-DISC-02"],
        status: "inconclusive",
        findings: [{ requirement: "FED-DISC-02", status: "inconclusive", message: "no answer" }],
      }),
      check({
        ids: ["FED-DISC-03"],
        status: "warning",
        findings: [{ requirement: "FED-DISC-03", status: "warning", message: "plain http" }],
      }),
      check({
        ids: ["FED-JWT-01", "FED-JWT-02"],
        status: "skipped",
        findings: [
          { requirement: "FED-JWT-01", status: "skipped", message: "ARTEFACTS_DIR is not set" },
          { requirement: "FED-JWT-02", status: "skipped", message: "ARTEFACTS_DIR is not set" },
        ],
      }),
      check({ ids: ["M-G1"], suite: "service", status: "manual", findings: [], manual: { instructions: "1. Do it.", requirements: [] } }),
    ],
    {},
  );
  const xml = junitXml(summary);
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === "testsuite" || n === "testcase" }).parse(xml) as {
    testsuites: Record<string, string> & { testsuite: { testcase: Record<string, unknown>[] }[] };
  };
  const cases = doc.testsuites.testsuite.flatMap((s) => s.testcase);
  const byName = (prefix: string) => cases.find((c) => String(c["@_name"]).startsWith(prefix))!;

  it("has one test case per check, named by requirement IDs and title, classed by target kind and area", () => {
    expect(cases).toHaveLength(summary.checks.length);
    expect(doc.testsuites["@_tests"]).toBe(String(summary.checks.length));
    expect(byName("FED-DISC-01")["@_classname"]).toBe("environment.Discovery");
    expect(byName("FED-JWT-01")["@_name"]).toBe("FED-JWT-01 FED-JWT-02: t");
  });

  it("fails a failed check, errors an inconclusive one, gives skip reasons once, and keeps warnings", () => {
    expect(byName("FED-DISC-01").failure).toMatchObject({ "@_message": "FED-DISC-01: no <jwks_uri>", "@_type": "non-conformance" });
    expect(byName("FED-DISC-02").error).toMatchObject({ "@_message": "inconclusive: FED-DISC-02: no answer", "@_type": "inconclusive" });
    expect(byName("FED-JWT-01").skipped).toMatchObject({ "@_message": "ARTEFACTS_DIR is not set" });
    expect(byName("M-G1").skipped).toMatchObject({ "@_message": expect.stringMatching(/^manual scenario/) });
    const warning = byName("FED-DISC-03");
    expect(warning.properties).toMatchObject({ property: { "@_name": "warning", "@_value": "FED-DISC-03: plain http" } });
    expect(warning["system-out"]).toBe("warning FED-DISC-03: plain http");
    expect(doc.testsuites).toMatchObject({ "@_failures": "1", "@_errors": "1", "@_skipped": "2" });
  });
});
