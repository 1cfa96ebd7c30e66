/**
 * A TypeScript program of this repository (the reference service, examples/reference-service/main.ts,
 * or a test's fixture service) as one JavaScript file, made with esbuild from the sources on disk
 * when a process first asks, so a child process runs it with plain `node`. Through tsx, each start
 * of the reference service cost about 940 ms of CPU and 750 ms before it listened (every file goes
 * through loader hooks); the bundle costs about 430 ms and 350 ms (5 starts each). Packages stay
 * outside the bundle and resolve from this repository's node_modules, where the file is written
 * (node_modules/.cache/nhslogin-conformance/), named by the program and the hash of its content:
 * processes that bundle the same sources share one file, and an edited source gets a new one.
 * Bundles of a program not made or reused for an hour are removed.
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
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { basename, extname, join } from "node:path";

const made = new Map<string, Promise<string>>();

/**
 * The bundle of `entry` (a path relative to `root`, the repository), made once per process, and
 * again when the file has gone meanwhile. The path is the file's real path (node_modules may be a
 * link, as in a git worktree), which is what a program sees as its own `import.meta.url`.
 */
export async function bundleEntry(root: string, entry: string): Promise<string> {
  const key = join(root, entry);
  let p = made.get(key);
  if (p && !existsSync(await p.catch(() => ""))) p = undefined;
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
  mkdirSync(join(root, "node_modules/.cache/nhslogin-conformance"), { recursive: true });
  const dir = realpathSync(join(root, "node_modules/.cache/nhslogin-conformance"));
  const name = basename(entry, extname(entry));
  const result = await build({
    entryPoints: [join(root, entry)],
    absWorkingDir: root,
    // Where the bundle lands (only its folder counts): the source map names the sources from there.
    outfile: join(dir, `${name}.mjs`),
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
  const file = join(dir, `${name}-${createHash("sha256").update(text).digest("hex").slice(0, 16)}.mjs`);
  if (existsSync(file)) {
    // In use: younger than an hour for pruneOld, whenever it was made.
    const now = new Date();
    utimesSync(file, now, now);
  } else {
    const aside = `${file}.${randomUUID()}.tmp`;
    writeFileSync(aside, text);
    renameSync(aside, file);
  }
  pruneOld(dir, name, file);
  return file;
}

/** Remove the other bundles of the program `name` not made or reused for an hour (a process may still run a younger one). */
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
