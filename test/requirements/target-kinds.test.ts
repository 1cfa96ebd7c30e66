import { describe, expect, it } from "vitest";
import { REQUIREMENTS } from "../../lib/requirements/index.ts";
import { subjectGroup, targetKinds } from "../../lib/requirements/target-kinds.ts";

describe("targetKinds", () => {
  it("maps providers to the environment and artefacts, consumers and the RP to the service", () => {
    expect(targetKinds("OP, RP")).toEqual(["environment", "artefacts", "service"]);
    expect(targetKinds("RP (native app), OP")).toEqual(["environment", "artefacts", "service"]);
    expect(targetKinds("PA-C")).toEqual(["service"]);
    expect(targetKinds("PA-P")).toEqual(["environment"]);
    expect(targetKinds("harness")).toEqual([]);
    expect(targetKinds("–")).toEqual([]);
  });

  it("groups every catalogue subject under its parties, qualifiers dropped", () => {
    expect(subjectGroup("RP (RP1), OP")).toBe("OP + RP");
    expect(subjectGroup("–")).toBe("none (descriptive)");
    const groups = new Set(REQUIREMENTS.map((r) => subjectGroup(r.subject)));
    for (const g of groups) expect(g).toMatch(/^(?:none \(descriptive\)|[A-Z0-9-]+(?: \+ [A-Z0-9-]+)*)$/);
  });
});
