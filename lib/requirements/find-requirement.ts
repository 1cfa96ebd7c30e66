/**
 * Look a requirement up by an ID typed by a person: letter case and surrounding space ignored;
 * when nothing matches, the closest ID of the same family as a suggestion.
 *
 * @example
 * ```ts
 * findRequirement("fed-idt-08").requirement?.id // "FED-IDT-08"
 * findRequirement("FED-IDT-8").suggestion        // "FED-IDT-08"
 * ```
 */
import { REQUIREMENTS, type Requirement } from "./index.ts";

export function findRequirement(typed: string): { requirement?: Requirement; suggestion?: string } {
  const id = typed.trim().toUpperCase();
  const exact = REQUIREMENTS.find((r) => r.id === id);
  if (exact) return { requirement: exact };
  const m = /^(.*?)-?(\d+)$/.exec(id);
  const padded = m ? `${m[1]}-${m[2]!.padStart(2, "0")}` : undefined;
  const family = id.replace(/-?\d+$/, "");
  const suggestion = REQUIREMENTS.find((r) => r.id === padded)?.id ?? REQUIREMENTS.find((r) => r.id.startsWith(`${family}-`))?.id;
  return suggestion ? { suggestion } : {};
}
