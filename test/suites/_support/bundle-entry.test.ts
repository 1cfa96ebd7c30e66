/**
 * A program (the reference service) bundled into one file: made once per process, named by its content, with
 * the packages left to node_modules; a source that does not compile is an error, tried again on
 * the next call.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundleEntry } from "../../../suites/_support/bundle-entry.ts";

const ROOT = resolve(import.meta.dirname, "../../..");
const MAIN = "examples/reference-service/main.ts";
const copies: string[] = [];
afterAll(() => {
  for (const c of copies) rmSync(c, { recursive: true, force: true });
});

/** A copy of the sources the bundle reads, with this repository's node_modules linked in. */
function copyOfSources(): string {
  const dir = mkdtempSync(join(tmpdir(), "bundle-entry-"));
  copies.push(dir);
  for (const d of ["examples/reference-service", "lib"]) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  return dir;
}

describe("bundleEntry", () => {
  it("makes one ES module of the sources, packages imported from node_modules, named by its content, once per process", async () => {
    const file = await bundleEntry(ROOT, MAIN);
    expect(file).toMatch(/node_modules\/\.cache\/nhslogin-conformance\/main-[0-9a-f]{16}\.mjs$/);
    const text = readFileSync(file, "utf8");
    expect(text).toMatch(/from "fastify"/);
    expect(text).toMatch(/examples\/reference-service\/app\.ts/); // in the inline source map
    expect(await bundleEntry(ROOT, MAIN)).toBe(file);
  });

  it("names the sources in its source map from where it lies, so stack traces point at real files", async () => {
    const file = await bundleEntry(ROOT, MAIN);
    const map = readFileSync(file, "utf8").match(/sourceMappingURL=data:application\/json;base64,(\S+)/)?.[1];
    const sources = (JSON.parse(Buffer.from(map!, "base64").toString()) as { sources: string[] }).sources;
    expect(sources.length).toBeGreaterThan(5);
    for (const s of sources) expect(existsSync(resolve(dirname(file), s)), s).toBe(true);
  });

  it("makes the file again when it has gone (pruned by another process), and keeps a reused one young", async () => {
    // On a copy: the repository's own bundle is what other test files start the reference service from.
    const dir = copyOfSources();
    const file = await bundleEntry(dir, MAIN);
    expect(basename(file)).not.toBe(basename(await bundleEntry(ROOT, MAIN)));
    const old = new Date(Date.now() - 2 * 3_600_000);
    utimesSync(file, old, old);
    rmSync(file);
    const again = await bundleEntry(dir, MAIN);
    expect(again).toBe(file);
    expect(existsSync(again)).toBe(true);
    expect(Date.now() - statSync(again).mtimeMs).toBeLessThan(60_000);
  });

  it("an edited source gets a file of its own; one that does not compile is an error, and the next call tries again", async () => {
    const dir = copyOfSources();
    const main = join(dir, "examples/reference-service/main.ts");
    const source = readFileSync(main, "utf8");
    writeFileSync(main, `${source}\nconst = ;\n`);
    await expect(bundleEntry(dir, MAIN)).rejects.toThrow(/main\.ts/);
    writeFileSync(main, `${source}\n// edited\n`);
    const edited = await bundleEntry(dir, MAIN);
    expect(basename(edited)).not.toBe(basename(await bundleEntry(ROOT, MAIN)));
  });
});
