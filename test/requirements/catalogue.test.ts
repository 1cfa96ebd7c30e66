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

  it("refuses an unknown requirement ID loudly", () => {
    expect(() => finding("FED-NOPE-01", "passed", "x")).toThrow(/unknown requirement ID/);
  });
});
