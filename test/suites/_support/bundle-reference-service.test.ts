/**
 * The reference service bundled into one file: made once per process, named by its content, with
 * the packages left to node_modules; a source that does not compile is an error, tried again on
 * the next call.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundleReferenceService } from "../../../suites/_support/bundle-reference-service.ts";

const ROOT = resolve(import.meta.dirname, "../../..");
const copies: string[] = [];
afterAll(() => {
  for (const c of copies) rmSync(c, { recursive: true, force: true });
});

/** A copy of the sources the bundle reads, with this repository's node_modules linked in. */
function copyOfSources(): string {
  const dir = mkdtempSync(join(tmpdir(), "bundle-reference-service-"));
  copies.push(dir);
  for (const d of ["examples/reference-service", "lib"]) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  return dir;
}

describe("bundleReferenceService", () => {
  it("makes one ES module of the sources, packages imported from node_modules, named by its content, once per process", async () => {
    const file = await bundleReferenceService(ROOT);
    expect(file).toMatch(/node_modules\/\.cache\/nhslogin-conformance\/reference-service-[0-9a-f]{16}\.mjs$/);
    const text = readFileSync(file, "utf8");
    expect(text).toMatch(/from "fastify"/);
    expect(text).toMatch(/examples\/reference-service\/app\.ts/); // in the inline source map
    expect(await bundleReferenceService(ROOT)).toBe(file);
  });

  it("an edited source gets a file of its own; one that does not compile is an error, and the next call tries again", async () => {
    const dir = copyOfSources();
    const main = join(dir, "examples/reference-service/main.ts");
    const source = readFileSync(main, "utf8");
    writeFileSync(main, `${source}\nconst = ;\n`);
    await expect(bundleReferenceService(dir)).rejects.toThrow(/main\.ts/);
    writeFileSync(main, `${source}\n// edited\n`);
    const edited = await bundleReferenceService(dir);
    expect(basename(edited)).not.toBe(basename(await bundleReferenceService(ROOT)));
  });
});
