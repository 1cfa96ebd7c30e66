/**
 * The trust mark rule of lib/checks/discovery/trustmark.ts (VOT-08, INFO: deviations warn) on
 * crafted answers; the check against the simulator and its trustmark-incomplete defect is in
 * test/checks/environment/breakers.test.ts.
 */
import { describe, expect, it } from "vitest";
import { trustmarkFindings } from "../../../lib/checks/discovery/trustmark.ts";
import type { FetchedJson } from "../../../lib/checks/discovery/rules.ts";

const URL_ = "https://auth.example/trustmark/auth.example";
const answer = (body: unknown, status = 200): FetchedJson => ({ status, body, contentType: "application/json" });
const good = {
  idp: "https://auth.example",
  trustmark_provider: "https://auth.example",
  P: ["P0", "P3", "P5", "P9"],
  C: ["Cp", "Cd", "Cm"],
};
const pairs = (res: FetchedJson) => trustmarkFindings(res, URL_).map((f) => [f.requirement, f.status, f.message]);

describe("trustmarkFindings", () => {
  it("passes the four members, with extra levels allowed and Ck optional", () => {
    expect(pairs(answer(good))).toEqual([
      ["VOT-08", "passed", `the trust mark at ${URL_} names idp, trustmark_provider, P ["P0","P3","P5","P9"] and C ["Cp","Cd","Cm"]`],
    ]);
  });

  it("warns on each missing member or value", () => {
    const { trustmark_provider: _t, ...rest } = good;
    expect(pairs(answer({ ...rest, idp: "", P: ["P0", "P9"], C: "Cp" }))).toEqual([
      ["VOT-08", "warning", `the trust mark at ${URL_}: idp is "", expected a string`],
      ["VOT-08", "warning", `the trust mark at ${URL_}: trustmark_provider is undefined, expected a string`],
      ["VOT-08", "warning", `the trust mark at ${URL_}: P lacks P5`],
      ["VOT-08", "warning", `the trust mark at ${URL_}: C is "Cp", expected an array`],
    ]);
  });

  it("warns on a status other than 200 or a body that is not an object; an unanswered fetch is inconclusive", () => {
    expect(pairs(answer(good, 404))).toEqual([["VOT-08", "warning", `the trust mark at ${URL_} answered HTTP 404, expected 200`]]);
    expect(pairs(answer(["P0"]))).toEqual([["VOT-08", "warning", `the trust mark at ${URL_} is not a JSON object`]]);
    expect(pairs({ status: 0, contentType: undefined, body: undefined, error: "ECONNRESET", unanswered: true })).toEqual([
      ["VOT-08", "inconclusive", `the trust mark at ${URL_} could not be fetched: ECONNRESET`],
    ]);
    expect(pairs({ status: 0, contentType: undefined, body: undefined, error: "response too large" })[0]![1]).toBe("warning");
  });
});
