/**
 * The conformance run starts the service suite's file first, whatever the durations vitest
 * remembers from the last run in this checkout (a filtered run leaves that file looking short).
 */
import { describe, expect, it } from "vitest";
import type { TestSpecification } from "vitest/node";
import { ConformanceSequencer } from "../../../suites/_support/sequencer.ts";

const ROOT = "/repo";

/** A spec as the sequencer reads it: its project's name and config, and its file. */
const spec = (project: string, file: string) =>
  ({
    project: { name: project, config: { sequence: { groupOrder: 0 }, isolate: false } },
    moduleId: `${ROOT}/${file}`,
  }) as unknown as TestSpecification;

/** A sequencer whose cache remembers `durations` (ms) by "project:file". */
function sequencer(durations: Record<string, number>): ConformanceSequencer {
  const ctx = {
    config: { root: ROOT },
    cache: {
      getFileTestResults: (key: string) => (key in durations ? { duration: durations[key], failed: false } : undefined),
      getFileStats: () => ({ size: 100 }),
    },
  };
  return new ConformanceSequencer(ctx as never);
}

const files = (sorted: TestSpecification[]) => sorted.map((s) => `${s.project.name}:${s.moduleId.slice(ROOT.length + 1)}`);

describe("ConformanceSequencer", () => {
  it("starts the service suite's file first when the last run left it looking short (a --grep run)", async () => {
    const specs = [
      spec("conformance", "suites/environment/code-flow.conformance.ts"),
      spec("conformance", "suites/service/service.conformance.ts"),
      spec("conformance", "suites/environment/token-endpoint.conformance.ts"),
      spec("conformance", "suites/service/manual-scenarios.conformance.ts"),
    ];
    const sorted = await sequencer({
      "conformance:suites/environment/code-flow.conformance.ts": 1419,
      "conformance:suites/environment/token-endpoint.conformance.ts": 809,
      "conformance:suites/service/service.conformance.ts": 290,
      "conformance:suites/service/manual-scenarios.conformance.ts": 0,
    }).sort(specs);
    expect(files(sorted)).toEqual([
      "conformance:suites/service/service.conformance.ts",
      "conformance:suites/environment/code-flow.conformance.ts",
      "conformance:suites/environment/token-endpoint.conformance.ts",
      "conformance:suites/service/manual-scenarios.conformance.ts",
    ]);
  });

  it("finds the compiled file of the package (.js) too, and leaves other projects' files where vitest put them", async () => {
    const specs = [
      spec("unit", "test/a.test.ts"),
      spec("conformance", "dist/suites/environment/code-flow.conformance.js"),
      spec("conformance", "dist/suites/service/service.conformance.js"),
      spec("unit", "test/b.test.ts"),
    ];
    const sorted = await sequencer({
      "unit:test/a.test.ts": 5000,
      "unit:test/b.test.ts": 10,
      "conformance:dist/suites/environment/code-flow.conformance.js": 1400,
      "conformance:dist/suites/service/service.conformance.js": 300,
    }).sort(specs);
    expect(files(sorted)).toEqual([
      "conformance:dist/suites/service/service.conformance.js",
      "conformance:dist/suites/environment/code-flow.conformance.js",
      "unit:test/a.test.ts",
      "unit:test/b.test.ts",
    ]);
  });

  it("keeps vitest's order when the run has no service suite (--suite environment)", async () => {
    const specs = [
      spec("conformance", "suites/environment/discovery.conformance.ts"),
      spec("conformance", "suites/environment/code-flow.conformance.ts"),
    ];
    const sorted = await sequencer({
      "conformance:suites/environment/discovery.conformance.ts": 10,
      "conformance:suites/environment/code-flow.conformance.ts": 1400,
    }).sort(specs);
    expect(files(sorted)).toEqual([
      "conformance:suites/environment/code-flow.conformance.ts",
      "conformance:suites/environment/discovery.conformance.ts",
    ]);
  });
});
