/**
 * `npm run build` (and `prepack`): compile the harness to JavaScript with type declarations in
 * dist/ (git-ignored), and copy what the compiled code reads at run time beside it: the JSON
 * Schemas (dist/schemas/). The catalogue travels with the code (imported as JSON).
 */
import { execFileSync } from "node:child_process";
import { cpSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";

const root = resolve(import.meta.dirname, "..");
const dist = join(root, "dist");
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { cwd: root, stdio: "inherit" });
cpSync(join(root, "schemas"), join(dist, "schemas"), { recursive: true });
process.stdout.write(`built ${dist}\n`);
