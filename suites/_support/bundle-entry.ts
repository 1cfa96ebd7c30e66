/**
 * A TypeScript program of this repository (the reference service, examples/reference-service/main.ts,
 * or a test's fixture service) as one JavaScript file, made with esbuild from the sources on disk
 * when a process first asks, so a child process runs it with plain `node`. Through tsx, each start
 * of the reference service cost about 940 ms of CPU and 750 ms before it listened (every file goes
 * through loader hooks); the bundle costs about 430 ms and 350 ms (5 starts each). Packages stay
 * outside the bundle and resolve from this repository's node_modules, where the file is written
 * (node_modules/.cache/nhslogin-conformance/), named by the program and the hash of its content:
 * processes that bundle the same sources share one file, and an edited source gets a new one
 * (older ones are removed once they are an hour old).
 *
 * Only for this repository: the installed package runs its compiled JavaScript instead
 * (reference-service.ts), and has no esbuild.
 *
 * @example
 * ```ts
 * const main = await bundleEntry(root, "examples/reference-service/main.ts")
 * // ".../node_modules/.cache/nhslogin-conformance/main-1a2b….mjs"
 * spawn(process.execPath, ["--enable-source-maps", main], { env })
 * ```
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, extname, join } from "node:path";

const made = new Map<string, Promise<string>>();

/** The bundle of `entry` (a path relative to `root`, the repository), made once per process. */
export function bundleEntry(root: string, entry: string): Promise<string> {
  const key = join(root, entry);
  let p = made.get(key);
  if (!p) {
    p = bundle(root, entry);
    made.set(key, p);
    // A failure is not kept: the next start tries again (after the source is fixed, say).
    p.catch(() => made.delete(key));
  }
  return p;
}

async function bundle(root: string, entry: string): Promise<string> {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [join(root, entry)],
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
  const name = basename(entry, extname(entry));
  const file = join(dir, `${name}-${createHash("sha256").update(text).digest("hex").slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const aside = `${file}.${process.pid}.tmp`;
    writeFileSync(aside, text);
    renameSync(aside, file);
    pruneOld(dir, name, file);
  }
  return file;
}

/** Remove the bundles of earlier sources of the program `name`, once they are an hour old (a process may still run one). */
function pruneOld(dir: string, name: string, keep: string): void {
  for (const f of readdirSync(dir)) {
    const path = join(dir, f);
    if (path === keep || !f.startsWith(`${name}-`) || !/-[0-9a-f]{16}\.mjs$/.test(f)) continue;
    try {
      if (Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { force: true });
    } catch {
      // removed by another process meanwhile
    }
  }
}
