import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../lib/errors/index.ts";
import { loadManualResults } from "../../lib/report/load-manual-results.ts";

const dir = mkdtempSync(join(tmpdir(), "manual-results-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
};
const entry = { scenario: "M-G1", outcome: "passed", date: "2026-12-01", tester: "A. Tester", evidence: "evidence/m-g1.png" };

describe("loadManualResults", () => {
  it("reads each recorded scenario", () => {
    const got = loadManualResults(file("ok.json", { results: [entry, { ...entry, scenario: "M-G2", outcome: "failed" }] }));
    expect(got.get("M-G1")).toEqual(entry);
    expect(got.get("M-G2")?.outcome).toBe("failed");
  });

  it.each([
    ["not JSON", "{", /MANUAL_RESULTS_FILE: expected a manual results file .*not-JSON\.json: /],
    ["a bad outcome", { results: [{ ...entry, outcome: "ok" }] }, /\/results\/0\/outcome must be equal to one of the allowed values/],
    ["a bad date", { results: [{ ...entry, date: "1 Dec" }] }, /\/results\/0\/date must match format "date"/],
    ["no tester", { results: [{ ...entry, tester: undefined }] }, /must have required property 'tester'/],
    ["an unknown scenario", { results: [{ ...entry, scenario: "M-ZZ" }] }, /M-ZZ is not a manual scenario of the catalogue/],
    ["a scenario twice", { results: [entry, entry] }, /M-G1 is recorded twice/],
  ])("refuses %s, naming MANUAL_RESULTS_FILE", (what, content, message) => {
    const path = file(`${what.replace(/ /g, "-")}.json`, content);
    expect(() => loadManualResults(path)).toThrow(ConfigError);
    expect(() => loadManualResults(path)).toThrow(message);
  });
});
