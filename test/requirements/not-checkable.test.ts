import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isRequirementId } from "../../lib/requirements/index.ts";
import { NOT_CHECKABLE } from "../../lib/requirements/not-checkable.ts";

/** The source of every check and rule: where a requirement is judged. */
function checkSources(): string {
  const texts: string[] = [];
  for (const root of ["lib/checks", "lib/artefacts", "suites"]) {
    for (const f of readdirSync(root, { recursive: true, encoding: "utf8" }))
      if (f.endsWith(".ts")) texts.push(readFileSync(join(root, f), "utf8"));
  }
  return texts.join("\n");
}

describe("NOT_CHECKABLE", () => {
  it("names catalogue rows only, each with a reason of its own", () => {
    const reasons = Object.values(NOT_CHECKABLE);
    for (const id of Object.keys(NOT_CHECKABLE)) expect(isRequirementId(id), id).toBe(true);
    expect(new Set(reasons).size).toBe(reasons.length);
    for (const r of reasons) expect(r.length).toBeGreaterThan(40);
  });

  it("lists no row a check or rule cites (a row something judges is checkable)", () => {
    const sources = checkSources();
    const cited = Object.keys(NOT_CHECKABLE).filter((id) => new RegExp(`["'\`\\s]${id}["'\`\\s:]`).test(sources));
    expect(cited).toEqual([]);
  });
});
