/**
 * Regenerate lib/requirements/catalogue.json from the shared requirements catalogue
 * (../shared/reference/requirements-catalogue.md). Run: `npx tsx lib/requirements/extract-catalogue.ts [path]`.
 * The JSON is committed so the harness does not depend on shared/ at run time; a test compares
 * the two whenever the shared catalogue is present.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { parseCatalogue } from "./parse-catalogue.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const source = process.argv[2] ?? join(root, "..", "shared", "reference", "requirements-catalogue.md");
const rows = parseCatalogue(readFileSync(source, "utf8"));
const out = join(root, "lib", "requirements", "catalogue.json");
writeFileSync(out, `${JSON.stringify(rows, null, 1)}\n`);
process.stdout.write(`${rows.length} requirements written to ${out}\n`);
