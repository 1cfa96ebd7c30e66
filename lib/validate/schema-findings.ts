/**
 * Turn a schema validation into findings for a requirement.
 *
 * @example
 * ```ts
 * schemaFindings("FED-UI-07", "userinfo", body) // [{ requirement: "FED-UI-07", status: "passed", ... }]
 * ```
 */
import { finding, type Finding, type FindingStatus } from "../requirements/index.ts";
import { validatePayload, type SchemaName } from "./schemas.ts";

export function schemaFindings(requirementId: string, schema: SchemaName, data: unknown, onViolation: FindingStatus = "failed"): Finding[] {
  const { valid, errors } = validatePayload(schema, data);
  if (valid) return [finding(requirementId, "passed", `valid against the ${schema} schema`)];
  const shown = errors.slice(0, 10).join("; ");
  const more = errors.length > 10 ? ` (and ${errors.length - 10} more)` : "";
  return [finding(requirementId, onViolation, `does not match the ${schema} schema: ${shown}${more}`)];
}
