/**
 * Parse the requirements catalogue (Markdown) into rows: every table row whose first cell is a
 * requirement ID such as `FED-IDT-08`, with its level tag, rule, source, subject and section.
 *
 * @example
 * ```ts
 * parseCatalogue(readFileSync("requirements-catalogue.md", "utf8")).length // 378
 * ```
 */
import type { Requirement, RequirementLevel } from "./index.ts";

export function parseCatalogue(markdown: string): Requirement[] {
  const rows: Requirement[] = [];
  let section = "";
  for (const line of markdown.split("\n")) {
    const heading = /^###\s+(.*)$/.exec(line);
    if (heading) section = heading[1]!.trim();
    const m = /^\|\s*([A-Z0-9]+(?:-[A-Z0-9]+)*-\d{2})\s*\|(.*)\|(.*)\|(.*)\|(.*)\|\s*$/.exec(line);
    if (!m) continue;
    const [, id, ruleRaw, source, subject] = m as unknown as [string, string, string, string, string];
    const rule = ruleRaw.trim();
    const tag = /^\[([A-Z/]+)/.exec(rule);
    const level = (tag ? tag[1]! : "INFO") as RequirementLevel;
    const text = rule.replace(/^\[[^\]]*\]\s*/, "").replace(/`/g, "");
    // The first sentence, not cut at abbreviations such as "i.e." or "e.g.".
    const sentence = text.split(/(?<=[a-z0-9)])(?<!\bi\.e|\be\.g|\betc|\bvs)\.\s/)[0] ?? text;
    const title = sentence.length > 160 ? `${sentence.slice(0, 159).replace(/\s+\S*$/, "")}…` : sentence;
    rows.push({ id, level, title, rule: text, source: source.trim(), subject: subject.trim(), section });
  }
  return rows;
}
