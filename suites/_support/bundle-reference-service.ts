/**
 * The reference service (examples/reference-service/main.ts) as one JavaScript file, made with
 * esbuild from the sources on disk when a process first asks, so a child process runs it with
 * plain `node`. Through the tsx launcher, each start cost about 940 ms of CPU and 750 ms before it
 * listened (it transforms every file through loader hooks); the bundle costs about 430 ms and 350
 * ms (5 starts each, scratch measurements of stop 31). Packages stay outside the bundle and
 * resolve from this repository's node_modules, where the file is written
 * (node_modules/.cache/nhslogin-conformance/), named by the hash of its content, so processes that
 * bundle the same sources share one file and an edited source gets a new one (older ones are
 * removed once they are an hour old).
 *
 * Only for this repository: the installed package runs its compiled main.js instead
 * (reference-service.ts), and has no esbuild.
 *
 * @example
 * ```ts
 * const main = await bundleReferenceService(root)  // ".../node_modules/.cache/nhslogin-conformance/reference-service-1a2b….mjs"
 * spawn(process.execPath, ["--enable-source-maps", main], { env })
 * ```
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const made = new Map<string, Promise<string>>();

/** The bundle of the reference service of the repository at `root` (made once per process). */
export function bundleReferenceService(root: string): Promise<string> {
  let p = made.get(root);
  if (!p) {
    p = bundle(root);
    made.set(root, p);
    // A failure is not kept: the next start tries again (after the source is fixed, say).
    p.catch(() => made.delete(root));
  }
  return p;
}

async function bundle(root: string): Promise<string> {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [join(root, "examples/reference-service/main.ts")],
    absWorkingDir: root,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: "inline",
    write: false,
    logLevel: "silent",
  });
  const text = result.outputFiles[0]!.text;
  const dir = join(root, "node_modules/.cache/nhslogin-conformance");
  const file = join(dir, `reference-service-${createHash("sha256").update(text).digest("hex").slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const aside = `${file}.${process.pid}.tmp`;
    writeFileSync(aside, text);
    renameSync(aside, file);
    pruneOld(dir, file);
  }
  return file;
}

/** Remove the bundles of earlier sources, once they are an hour old (a process may still run one). */
function pruneOld(dir: string, keep: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (path === keep || !/^reference-service-[0-9a-f]{16}\.mjs$/.test(name)) continue;
    try {
      if (Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { force: true });
    } catch {
      // removed by another process meanwhile
    }
  }
}
