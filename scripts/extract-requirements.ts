/**
 * Regenerate lib/requirements/catalogue.json from the shared requirements catalogue
 * (../shared/reference/requirements-catalogue.md). Run: `npx tsx scripts/extract-requirements.ts`.
 * The JSON is committed so the harness does not depend on shared/ at run time.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = process.argv[2] ?? join(root, "..", "shared", "reference", "requirements-catalogue.md");
const md = readFileSync(source, "utf8");

interface Row { id: string; level: string; title: string; rule: string; source: string; subject: string; section: string }
const rows: Row[] = [];
let section = "";
for (const line of md.split("\n")) {
  const heading = /^###\s+(.*)$/.exec(line);
  if (heading) section = heading[1]!.trim();
  const m = /^\|\s*([A-Z0-9]+(?:-[A-Z0-9]+)*-\d{2})\s*\|(.*)\|(.*)\|(.*)\|(.*)\|\s*$/.exec(line);
  if (!m) continue;
  const [, id, ruleRaw, src, subject] = m as unknown as [string, string, string, string, string];
  const rule = ruleRaw.trim();
  const tag = /^\[([A-Z/]+)/.exec(rule);
  const level = tag ? tag[1]! : "INFO";
  const text = rule.replace(/^\[[^\]]*\]\s*/, "").replace(/`/g, "");
  const title = (text.split(/(?<=[a-z0-9)])\.\s/)[0] ?? text).slice(0, 140);
  rows.push({ id: id!, level, title, rule: text, source: src.trim(), subject: subject.trim(), section });
}
const out = join(root, "lib", "requirements", "catalogue.json");
writeFileSync(out, `${JSON.stringify(rows, null, 1)}\n`);
process.stdout.write(`${rows.length} requirements written to ${out}\n`);
