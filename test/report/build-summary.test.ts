import { describe, expect, it } from "vitest";
import { buildSummary, summaryMarkdown } from "../../lib/report/build-summary.ts";

describe("buildSummary", () => {
  const results = [
    { ids: ["FED-DISC-01"], title: "discovery", suite: "environment", status: "warning" as const, findings: [
      { requirement: "FED-DISC-01", status: "warning" as const, message: "plain http" },
      { requirement: "FED-DISC-01", status: "passed" as const, message: "ok" },
    ] },
    { ids: ["FED-DISC-02", "FED-JWT-01"], title: "jwks", suite: "environment", status: "failed" as const, findings: [
      { requirement: "FED-DISC-02", status: "passed" as const, message: "keys fine" },
      { requirement: "FED-JWT-01", status: "failed" as const, message: "alg RS256" },
    ] },
    { ids: ["FED-TOKEN-01"], title: "crashed", suite: "environment", status: "failed" as const, findings: [], error: "timeout" },
  ];
  const s = buildSummary(results, { issuer: "http://127.0.0.1" });

  it("counts checks by status", () => {
    expect(s.totals).toEqual({ passed: 0, failed: 2, skipped: 0, warnings: 1 });
  });

  it("lists one entry per requirement of each check, failures first", () => {
    expect(s.checks.map((c) => `${c.status} ${c.id}`)).toEqual(["failed FED-JWT-01", "failed FED-TOKEN-01", "warning FED-DISC-01", "passed FED-DISC-02"]);
    expect(s.checks.find((c) => c.id === "FED-TOKEN-01")!.message).toBe("timeout");
  });

  it("covers every catalogue requirement, marking the unchecked ones", () => {
    expect(s.requirements).toHaveLength(378);
    expect(s.requirements.find((r) => r.id === "FED-DISC-02")).toEqual({ id: "FED-DISC-02", status: "passed", checks: ["jwks"] });
    expect(s.requirements.find((r) => r.id === "UEV2-ERR-01")!.status).toBe("not covered");
  });

  it("renders Markdown with the counts and escaped cells", () => {
    const md = summaryMarkdown(buildSummary([{ ...results[0]!, title: "a | b" }], {}));
    expect(md).toContain("Passed 0, failed 0, warnings 1, skipped 0.");
    expect(md).toContain("a \\| b");
  });
});
