/**
 * Global setup of the unit project: the folder of the test key pool (key-pool.ts), made before
 * the first test file and removed after the last.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  interface ProvidedContext {
    /** Where the test key pool keeps its keys for this run. */
    keyPoolDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), "nhslogin-test-keys-"));
  project.provide("keyPoolDir", dir);
  // Retries: vitest tears down before its workers exit, and a timed-out test may still be adding a key.
  return () => rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}
