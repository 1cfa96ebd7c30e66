/**
 * Start one of the project's TypeScript entry points quickly:
 *
 *   node bin/launch.mjs bin/conformance.ts --suite environment
 *
 * With `node --import tsx`, every module the process loads, including each file of vitest, fastify
 * or Allure, goes through tsx's loader hooks on a separate thread; measured here, that makes
 * importing vitest alone take 1.15 s instead of 0.35 s. This launcher first imports the entry's
 * big JavaScript dependencies with Node's own loader, then registers tsx for the TypeScript. The
 * modules are the same ones the TypeScript later imports (same files, same instances), and
 * worker threads (vitest's) start without the hooks and load TypeScript through vitest itself.
 */
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

/** Per entry point: the JavaScript packages to load natively first (those it always needs). */
const NATIVE = {
  "bin/conformance.ts": [
    "vitest/node",
    "fastify",
    "@fastify/cookie",
    "@fastify/formbody",
    "undici",
    "jose",
    "ajv/dist/2020.js",
    "ajv-formats",
    "commander",
    "dotenv",
    "allure-vitest/reporter",
    "allure-js-commons/sdk/reporter",
  ],
  "examples/reference-service/main.ts": ["fastify", "@fastify/cookie", "@fastify/formbody", "openid-client", "jose", "dotenv"],
};

const [entry, ...args] = process.argv.slice(2);
const root = resolve(import.meta.dirname, "..");
const key = entry
  ? resolve(entry)
      .slice(root.length + 1)
      .split("\\")
      .join("/")
  : "";
if (!entry || !(key in NATIVE)) {
  process.stderr.write(`usage: node bin/launch.mjs <${Object.keys(NATIVE).join("|")}> [arguments]\n`);
  process.exit(2);
}
// Colour decisions are made when the libraries load: no colour unless stdout is a terminal, never
// with NO_COLOR (https://no-color.org) or when the conformance runner writes JSON to stdout.
if (process.env.NO_COLOR || !process.stdout.isTTY || args.includes("--reporter=json") || args.join(" ").includes("--reporter json")) {
  process.env.NO_COLOR = "1";
  process.env.FORCE_COLOR = "0";
}
await Promise.all(NATIVE[key].map((m) => import(m)));
const { register } = await import("tsx/esm/api");
register();
// The entry reads its own arguments.
process.argv = [process.argv[0], resolve(entry), ...args];
await import(pathToFileURL(resolve(entry)).href);
