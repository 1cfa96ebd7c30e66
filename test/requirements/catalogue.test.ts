import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REQUIREMENTS, deviationStatus, finding, requirement } from "../../lib/requirements/index.ts";
import { parseCatalogue } from "../../lib/requirements/parse-catalogue.ts";

const shared = join(process.cwd(), "..", "shared", "reference", "requirements-catalogue.md");

describe("requirements catalogue data", () => {
  it("holds the 378 rows the catalogue counts, each ID once", () => {
    expect(REQUIREMENTS).toHaveLength(378);
    expect(new Set(REQUIREMENTS.map((r) => r.id)).size).toBe(378);
  });

  it.skipIf(!existsSync(shared))(
    "matches the shared catalogue it was generated from (regenerate with lib/requirements/extract-catalogue.ts)",
    () => {
      expect(parseCatalogue(readFileSync(shared, "utf8"))).toEqual(REQUIREMENTS);
    },
  );

  it("grades deviations by level: MUST fails, SHOULD and DERIVED warn", () => {
    expect(requirement("FED-IDT-08").level).toBe("MUST");
    expect(deviationStatus("FED-IDT-08")).toBe("failed");
    expect(deviationStatus("FED-TRESP-06")).toBe("warning");
    expect(deviationStatus("FED-IDT-16".replace("16", "07"))).toBe("failed");
  });

  it("keeps an escaped pipe inside a cell (FED-IDT-10's vot pattern) instead of splitting the row there", () => {
    const md = [
      "### 2.10 ID token (FED-IDT)",
      "| ID | Rule | Source | Subject | How |",
      "|---|---|---|---|---|",
      "| FED-IDT-10 | [MUST] `vot` matches `^P(0\\|5\\|9)`. | EIS §4.2 T16 | OP, RP | OP: a string matching `^P(0\\|5\\|9)`. |",
    ].join("\n");
    const [row] = parseCatalogue(md);
    expect(row).toMatchObject({
      id: "FED-IDT-10",
      level: "MUST",
      rule: "vot matches ^P(0|5|9).",
      source: "EIS §4.2 T16",
      subject: "OP, RP",
    });
    expect(requirement("FED-IDT-10")).toMatchObject({ source: "EIS §4.2 T16, §5.1.4", subject: "OP, RP" });
  });

  it("refuses an unknown requirement ID loudly", () => {
    expect(() => finding("FED-NOPE-01", "passed", "x")).toThrow(/unknown requirement ID/);
  });
});
