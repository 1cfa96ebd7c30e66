/**
 * The order in which a conformance run starts its suite files: the service suite's file first,
 * then vitest's own order. That file runs its scenarios one at a time and is the run's longest, so
 * every other file fits beside it on the other workers. Vitest alone orders files by the durations
 * of the last run in this checkout (any run: a `--grep` that ran three service checks counts), or
 * by file size when there is none (a new clone, where this file happens to be the largest). After
 * a filtered run it came after the environment suite's longest files and started once a worker
 * was free.
 *
 * @example
 * ```ts
 * // vitest.config.ts
 * test: { sequence: { sequencer: ConformanceSequencer } }
 * ```
 */
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** The file that goes first, by its path from the project root without its extension. */
const CRITICAL_PATH_FILE = "suites/service/service.conformance";

export class ConformanceSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const conformance = (f: TestSpecification) => f.project.name === "conformance";
    const critical = sorted.findIndex(
      (f) =>
        conformance(f) &&
        f.moduleId
          .replace(/\\/g, "/")
          .replace(/\.[cm]?[jt]s$/, "")
          .endsWith(`/${CRITICAL_PATH_FILE}`),
    );
    if (critical < 0) return sorted;
    // To the front of the conformance project's files, wherever vitest placed that project among others.
    const front = sorted.findIndex(conformance);
    const [file] = sorted.splice(critical, 1);
    sorted.splice(front, 0, file!);
    return sorted;
  }
}
