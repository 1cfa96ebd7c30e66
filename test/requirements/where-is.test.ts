import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { findRequirement } from "../../lib/requirements/find-requirement.ts";
import { whereIs } from "../../lib/requirements/where-is.ts";
import { BREAKERS, UNBREAKABLE } from "../breakers.ts";

const root = process.cwd();
const read = (dir: string) =>
  readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => {
      const file = relative(root, join(e.parentPath, e.name));
      return { file, text: readFileSync(join(root, file), "utf8") };
    });
const tree = { sources: read("lib"), tests: read("test"), breakers: BREAKERS, unbreakable: UNBREAKABLE };

describe("whereIs, behind npm run where", () => {
  it("FED-IDT-08: environment, service (from the fault catalogue) and artefact checks, rule, faults, breakers", async () => {
    const r = await whereIs("FED-IDT-08", tree);
    expect(r.checks.map((c) => `${c.kind} ${c.key}`)).toEqual(
      expect.arrayContaining([
        "environment fed-idt-08",
        "service id-token-nonce-wrong",
        "service id-token-nonce-missing",
        "artefacts fed-idt-08",
      ]),
    );
    expect(r.rules).toEqual(
      expect.arrayContaining([expect.objectContaining({ file: "lib/checks/tokens/id-token.ts", name: "nonceFindings" })]),
    );
    expect(r.faults.map((f) => f.id)).toEqual(["id-token-nonce-missing", "id-token-nonce-wrong"]);
    expect(new Set(r.breakers.map((b) => b.kind))).toEqual(new Set(["environment", "service", "artefacts"]));
    expect(r.text).toMatch(/^FED-IDT-08 \[MUST\]/);
  });

  it("VOT-06 and UEV2-ERR-05 list their checks, faults or defects, and breakers", async () => {
    const vot = await whereIs("VOT-06", tree);
    expect(vot.checks.map((c) => c.kind)).toEqual(expect.arrayContaining(["environment", "service", "artefacts"]));
    expect(vot.faults.map((f) => f.id)).toContain("id-token-vot-outside-vtr");
    expect(vot.breakers.length).toBeGreaterThan(0);
    const err = await whereIs("UEV2-ERR-05", tree);
    expect(err.checks.map((c) => c.kind)).toEqual(expect.arrayContaining(["environment", "artefacts"]));
    expect(err.rules.length).toBeGreaterThan(0);
  });

  it("finds a rule by the ID in its source and names the enclosing function, ignoring comments", async () => {
    const sources = [
      {
        file: "lib/checks/x.ts",
        text: [
          '// "FED-JWT-02" in a comment',
          "export function algFindings(h: unknown) {",
          '  return [finding("FED-JWT-02", "passed", "x")];',
          "}",
        ].join("\n"),
      },
    ];
    const r = await whereIs("FED-JWT-02", { sources, tests: [], breakers: [], unbreakable: {} });
    expect(r.rules).toEqual([{ file: "lib/checks/x.ts", line: 3, name: "algFindings" }]);
  });
});

describe("findRequirement", () => {
  it("accepts any letter case and suggests the padded form of a typo", () => {
    expect(findRequirement(" fed-idt-08 ").requirement?.id).toBe("FED-IDT-08");
    expect(findRequirement("FED-IDT-8")).toEqual({ suggestion: "FED-IDT-08" });
    expect(findRequirement("NOPE")).toEqual({});
  });
});
