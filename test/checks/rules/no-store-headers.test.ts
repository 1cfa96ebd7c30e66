import { describe, expect, it } from "vitest";
import { noStoreHeaderProblems } from "../../../lib/checks/rules/no-store-headers.ts";

const problems = (headers: Record<string, string>) => noStoreHeaderProblems(headers).map((p) => `${p.header}:${p.actual ?? "absent"}`);

describe("noStoreHeaderProblems, the one caching rule", () => {
  it("accepts no-store and no-cache as whole directives in any case and position", () => {
    expect(problems({ "cache-control": "no-store", pragma: "no-cache" })).toEqual([]);
    expect(problems({ "Cache-Control": "private, NO-STORE", Pragma: "no-cache, x" })).toEqual([]);
  });

  it("refuses a directive that only contains the word", () => {
    expect(problems({ "cache-control": "private, no-store-ish", pragma: "no-cache" })).toEqual(["Cache-Control:private, no-store-ish"]);
    expect(problems({ "cache-control": "no-store", pragma: "no-cache-please" })).toEqual(["Pragma:no-cache-please"]);
  });

  it("judges each header alone: one missing is one problem", () => {
    expect(problems({ "cache-control": "no-store" })).toEqual(["Pragma:absent"]);
    expect(problems({ pragma: "no-cache" })).toEqual(["Cache-Control:absent"]);
    expect(problems({})).toEqual(["Cache-Control:absent", "Pragma:absent"]);
  });

  it("says what was expected and what came", () => {
    expect(noStoreHeaderProblems({ "cache-control": "max-age=60", pragma: "no-cache" })).toEqual([
      { header: "Cache-Control", expected: "no-store", actual: "max-age=60", message: 'Cache-Control is "max-age=60", expected no-store' },
    ]);
  });
});
