/**
 * Where the harness's own files are, whether it runs from this repository (TypeScript, through
 * tsx) or from the installed package (compiled JavaScript under `dist/`): the suites, the schemas
 * and the catalogue are found from here, never from the current directory, which is the user's
 * project (its `.env`, its `reports/`).
 *
 * @example
 * ```ts
 * join(HARNESS_ROOT, "suites", "environment") // <repository>/suites/environment, or <package>/dist/suites/environment
 * join(PACKAGE_ROOT, "package.json")          // the harness's package.json either way
 * ```
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

/** The folder holding lib/, suites/ and schemas/: the repository, or `dist/` of the installed package. */
export const HARNESS_ROOT = resolve(import.meta.dirname, "..");

/** The folder holding the harness's package.json (the repository, or the installed package). */
export const PACKAGE_ROOT = existsSync(join(HARNESS_ROOT, "package.json")) ? HARNESS_ROOT : resolve(HARNESS_ROOT, "..");

/** True when running the compiled JavaScript of the installed package. */
export const COMPILED = import.meta.url.endsWith(".js");
