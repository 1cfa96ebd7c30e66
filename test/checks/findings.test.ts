import { describe, expect, it } from "vitest";
import { Findings } from "../../lib/checks/findings.ts";

describe("Findings, the one collector", () => {
  it("grades a deviation by the requirement's level: MUST fails, SHOULD warns", () => {
    const out = new Findings().deviation("FED-IDT-08", "nonce differs").deviation("FED-TRESP-06", "expires_in absent");
    expect(out.list().map((f) => f.status)).toEqual(["failed", "warning"]);
  });

  it("pass() never hides a problem: it is ignored once the ID failed, warned or was inconclusive", () => {
    const out = new Findings()
      .fail("FED-JWT-01", "RS256")
      .warn("FED-JWT-02", "typ")
      .inconclusive("FED-JWT-03", "no token")
      .pass("FED-JWT-01", "ok")
      .pass("FED-JWT-02", "ok")
      .pass("FED-JWT-03", "ok");
    expect(out.list().map((f) => `${f.requirement} ${f.status}`)).toEqual([
      "FED-JWT-01 failed",
      "FED-JWT-02 warning",
      "FED-JWT-03 inconclusive",
    ]);
  });

  it("pass() records several observations of one ID, and a pass beside a skipped part", () => {
    const out = new Findings()
      .skip("UEV2-FILTER-07", "two-account fixture: one account only")
      .pass("UEV2-FILTER-07", "one account")
      .pass("UEV2-FILTER-07", "again");
    expect(out.list().map((f) => f.status)).toEqual(["skipped", "passed", "passed"]);
  });

  it("keeps structured evidence beside the message", () => {
    const out = new Findings().deviation("FED-JWT-01", "alg is RS256", { expected: "RS512", actual: "RS256", exchange: "POST /token" });
    expect(out.list()[0]!.evidence).toEqual({ expected: "RS512", actual: "RS256", exchange: "POST /token" });
    expect(out.flagged("FED-JWT-01")).toBe(true);
    expect(out.flagged("FED-JWT-02")).toBe(false);
  });

  it("refuses an unknown requirement ID", () => {
    expect(() => new Findings().pass("FED-NOPE-99", "x")).toThrow(/unknown requirement ID/);
  });
});
