/**
 * Runs once per conformance run. The runner (bin/conformance.ts) starts the targets itself, while
 * vitest loads, and provides them; then there is nothing to do here. When vitest runs the suites
 * without the runner (`npx vitest --project conformance`), this starts them (see targets.ts) and
 * stops them in teardown.
 */
import type { TestProject } from "vitest/node";

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (project.getProvidedContext().targetsStarted) return undefined;
  // Imported only when needed: vitest transforms whatever this file imports before calling it.
  const [{ loadConfig }, { startTargets }] = await Promise.all([import("../../lib/config/index.ts"), import("./targets.ts")]);
  const targets = await startTargets(loadConfig());
  project.provide("environmentTarget", targets.environment!);
  project.provide("serviceTarget", targets.service!);
  return () => targets.stop();
}
