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
    const cells = tableCells(line);
    if (!cells || cells.length < 4 || !/^[A-Z0-9]+(?:-[A-Z0-9]+)*-\d{2}$/.test(cells[0]!)) continue;
    const [id, ruleRaw, source, subject] = cells as [string, string, string, string];
    const rule = ruleRaw.trim();
    const tag = /^\[([A-Z/]+)/.exec(rule);
    const level = (tag ? tag[1]! : "INFO") as RequirementLevel;
    const text = rule.replace(/^\[[^\]]*\]\s*/, "").replace(/`/g, "");
    // The first sentence, not cut at abbreviations such as "i.e." or "e.g.".
    const sentence = text.split(/(?<=[a-z0-9)])(?<!\bi\.e|\be\.g|\betc|\bvs)\.\s/)[0] ?? text;
    const title = sentence.length > 160 ? `${sentence.slice(0, 159).replace(/\s+\S*$/, "")}…` : sentence;
    rows.push({ id, level, title, rule: text, source, subject, section });
  }
  return rows;
}

/**
 * The cells of a Markdown table row, trimmed, with `\|` (a pipe inside a cell) unescaped; undefined
 * when the line is not a table row.
 */
function tableCells(line: string): string[] | undefined {
  const row = line.trim();
  if (!row.startsWith("|") || !row.endsWith("|") || row.length < 2) return undefined;
  return row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((cell) => cell.replace(/\\\|/g, "|").trim());
}
