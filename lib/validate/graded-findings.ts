/**
 * Grade a payload against a strict schema and, where the catalogue lists an ambiguity for it,
 * its lenient variant: strict valid → `passed`; only the lenient variant valid → `warning`
 * naming the lenient choice that was needed (the catalogue ambiguity); neither → `failed` with
 * the strict errors.
 *
 * @example
 * ```ts
 * gradedSchemaFindings("FED-TRESP-04", "token-response", { access_token: jwt, token_type: "BEARER" })
 * // [{ requirement: "FED-TRESP-04", status: "warning", message: "... A1: token_type in a letter case ..." }]
 * ```
 */
import { finding, type Finding } from "../requirements/index.ts";
import { hasLenientVariant, validatePayload, type SchemaIssue, type SchemaName } from "./schemas.ts";

const SHOWN = 10;

export function gradedSchemaFindings(requirementId: string, name: SchemaName, data: unknown): Finding[] {
  const strict = validatePayload(name, data);
  if (strict.valid) return [finding(requirementId, "passed", `valid against the ${name} schema`)];
  if (hasLenientVariant(name) && validatePayload(`${name}.lenient`, data).valid) {
    return [finding(requirementId, "warning", `valid only against the lenient ${name} schema; needed: ${lenientChoices(strict.issues)}`)];
  }
  return [finding(requirementId, "failed", `does not match the ${name} schema: ${list(strict.errors)}`)];
}

/**
 * The lenient choices behind the strict violations: each distinct annotation with the places it
 * was needed. Violations without an annotation are side effects of the same deviation (the other
 * branches of an anyOf, for instance), since the lenient variant accepted the payload.
 */
function lenientChoices(issues: readonly SchemaIssue[]): string {
  const where = new Map<string, Set<string>>();
  for (const issue of issues) {
    if (!issue.lenient) continue;
    const paths = where.get(issue.lenient) ?? new Set<string>();
    paths.add(issue.instancePath || "/");
    where.set(issue.lenient, paths);
  }
  if (where.size === 0) return `a relaxation of the lenient variant (strict errors: ${list(issues.map((i) => i.message))})`;
  return [...where].map(([note, paths]) => `${note} (at ${[...paths].join(", ")})`).join("; ");
}

function list(errors: readonly string[]): string {
  const more = errors.length > SHOWN ? ` (and ${errors.length - SHOWN} more)` : "";
  return `${errors.slice(0, SHOWN).join("; ")}${more}`;
}
