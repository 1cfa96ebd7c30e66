import { describe, expect, it } from "vitest";
import {
  buildSummary,
  HARNESS_ERROR_ID,
  summaryMarkdown,
  summaryText,
  verdictFor,
  type CheckResult,
} from "../../lib/report/build-summary.ts";

describe("buildSummary with inconclusive checks", () => {
  const s = buildSummary(
    [
      {
        ids: ["FED-UI-01"],
        title: "userinfo",
        suite: "environment",
        status: "inconclusive",
        findings: [{ requirement: "FED-UI-01", status: "inconclusive", message: "could not complete: no answer within 300 ms" }],
      },
      {
        ids: ["FED-UI-02"],
        title: "userinfo sub",
        suite: "environment",
        status: "passed",
        findings: [{ requirement: "FED-UI-02", status: "passed", message: "same sub" }],
      },
    ],
    {},
  );

  it("counts them apart, lists them after the failures with the reason, and never as covered-and-passed", () => {
    expect(s.totals).toMatchObject({ passed: 1, inconclusive: 1, failed: 0 });
    expect(s.checks.map((c) => c.status)).toEqual(["inconclusive", "passed"]);
    expect(s.requirements.find((r) => r.id === "FED-UI-01")!.status).toBe("inconclusive");
    expect(summaryText(s)).toMatch(
      /INCONCLUSIVE \(1 checks; nothing could be observed[^\n]*\n {2}\? FED-UI-01: userinfo\n {6}why: could not complete/,
    );
    expect(summaryMarkdown(s)).toContain("## Inconclusive (1 checks)");
  });
});

describe("buildSummary", () => {
  const results: CheckResult[] = [
    {
      ids: ["FED-DISC-01"],
      title: "discovery",
      suite: "environment",
      status: "warning",
      findings: [
        { requirement: "FED-DISC-01", status: "warning", message: "plain http" },
        { requirement: "FED-DISC-01", status: "passed", message: "ok" },
      ],
    },
    {
      ids: ["FED-DISC-02", "FED-JWT-01"],
      title: "jwks",
      suite: "environment",
      status: "failed",
      findings: [
        { requirement: "FED-DISC-02", status: "passed", message: "keys fine" },
        { requirement: "FED-JWT-01", status: "failed", message: "alg RS256" },
      ],
    },
    { ids: ["FED-TOKEN-01"], title: "crashed", suite: "environment", status: "failed", findings: [], error: "timeout" },
  ];
  const s = buildSummary(results, { issuer: "http://127.0.0.1" });

  it("counts checks by status", () => {
    expect(s.totals).toEqual({ passed: 0, failed: 2, skipped: 0, warnings: 1, inconclusive: 0, manual: 0 });
  });

  it("lists one entry per check (the unit of the totals), failures first, with each requirement's verdict", () => {
    expect(s.checks.map((c) => `${c.status} ${c.name}`)).toEqual([
      "failed FED-DISC-02 FED-JWT-01: jwks",
      "failed FED-TOKEN-01: crashed",
      "warning FED-DISC-01: discovery",
    ]);
    const t = s.totals;
    expect(t.passed + t.failed + t.warnings + t.skipped + t.inconclusive + t.manual).toBe(s.checks.length);
    expect(s.checks[0]!.requirements.map((v) => `${v.status} ${v.id}`)).toEqual(["failed FED-JWT-01", "passed FED-DISC-02"]);
    expect(s.checks[0]!.message).toBe("FED-JWT-01: alg RS256");
    expect(s.checks.find((c) => c.id === "FED-TOKEN-01")!.message).toBe("timeout");
    expect(verdictFor(s, "FED-DISC-02")?.verdict).toEqual({ id: "FED-DISC-02", status: "passed", message: "keys fine" });
  });

  it("covers every catalogue requirement, marking the unchecked ones", () => {
    expect(s.requirements).toHaveLength(378);
    expect(s.requirements.find((r) => r.id === "FED-DISC-02")).toMatchObject({ id: "FED-DISC-02", status: "passed", checks: ["jwks"] });
    expect(s.requirements.find((r) => r.id === "FED-DISC-02")!.evidence).toEqual([
      { check: "FED-DISC-02 FED-JWT-01: jwks", suite: "environment", status: "passed", message: "keys fine" },
    ]);
    expect(s.requirements.find((r) => r.id === "UEV2-ERR-01")!.status).toBe("not covered");
    expect(s.coverage).toEqual({ requirements: 378, automated: 4, manual: 0, notCovered: 374 });
  });

  it("renders Markdown with the counts and escaped cells", () => {
    const md = summaryMarkdown(buildSummary([{ ...results[0]!, title: "a | b" }], {}));
    expect(md).toContain("Checks: 1 (passed 0, failed 0, inconclusive 0, warnings 1, skipped 0, manual 0).");
    expect(md).toContain("a \\| b");
  });
});

describe("manual scenarios, skipped checks and harness errors in the summary", () => {
  const results: CheckResult[] = [
    {
      ids: ["VOT-06"],
      title: "vot matches vtr",
      suite: "service",
      status: "passed",
      findings: [{ requirement: "VOT-06", status: "passed", message: "ok" }],
    },
    {
      ids: ["M-G4"],
      title: "VoT round trip",
      suite: "service",
      status: "manual",
      findings: [],
      manual: { instructions: "1. Sign in per VoT.", requirements: ["VOT-06", "FED-REG-06"] },
    },
    {
      ids: ["M-G2"],
      title: "consent declined",
      suite: "service",
      status: "manual",
      findings: [],
      manual: { instructions: "1. Decline.", requirements: ["CONSENT-02"] },
    },
    {
      ids: ["FED-TOKEN-06"],
      title: "needs a client",
      suite: "environment",
      status: "skipped",
      findings: [{ requirement: "FED-TOKEN-06", status: "skipped", message: "missing configuration: NHSLOGIN_CLIENT_ID" }],
    },
    {
      ids: [],
      title: "suite file suites/environment/x.conformance.ts loads",
      suite: "environment",
      status: "failed",
      findings: [],
      error: "SyntaxError: boom",
    },
  ];
  const s = buildSummary(results, {}, [
    {
      file: "suites/environment/x.conformance.ts",
      suite: "environment",
      checks: 0,
      ran: 0,
      collectMs: 1,
      durationMs: 0,
      state: "failed",
      error: "boom",
    },
  ]);

  it("shows manual scenarios as manual entries with their instructions, counted apart", () => {
    expect(s.totals).toEqual({ passed: 1, failed: 1, skipped: 1, warnings: 0, inconclusive: 0, manual: 2 });
    expect(s.checks.find((c) => c.id === "M-G4")).toMatchObject({ status: "manual", message: "1. Sign in per VoT." });
  });

  it("marks requirements covered only by a manual scenario as manual; automated evidence wins", () => {
    expect(s.requirements.find((r) => r.id === "VOT-06")!.status).toBe("passed");
    expect(s.requirements.find((r) => r.id === "FED-REG-06")).toMatchObject({
      id: "FED-REG-06",
      status: "manual",
      checks: ["M-G4 VoT round trip"],
    });
    expect(s.requirements.find((r) => r.id === "CONSENT-02")!.status).toBe("manual");
    expect(s.coverage.manual).toBe(2);
  });

  it("turns a suite file that did not load into a failed harness entry", () => {
    expect(s.checks[0]).toMatchObject({ id: HARNESS_ERROR_ID, status: "failed", message: "SyntaxError: boom" });
    expect(s.files[0]!.error).toBe("boom");
  });

  it("prints failures first, skipped grouped by reason; Markdown ends with coverage", () => {
    const text = summaryText(s);
    const md = summaryMarkdown(s);
    expect(text.indexOf("FAILED (1 checks)")).toBeLessThan(text.indexOf("Skipped (1 checks)"));
    expect(text).toContain("  – missing configuration: NHSLOGIN_CLIENT_ID\n      1 check: FED-TOKEN-06");
    expect(text).toContain("Manual scenarios to walk through: 2");
    expect(md).toContain("## Requirements\n\nEvery catalogue row, its status and coverage per level: conformance-statement.html");
    expect(md.indexOf("## Failed")).toBeLessThan(md.indexOf("## Manual scenarios"));
    expect(md).toContain("| M-G2 | consent declined | service | 1. Decline. |");
  });
});
