/**
 * The harness's JSON Schemas (2020-12, strict and lenient variants) and a validator: the package's
 * `nhslogin-conformance/schemas`. Every token and payload the checks read is validated with these.
 *
 * @example
 * ```ts
 * import { validatePayload } from "nhslogin-conformance/schemas"
 * validatePayload("id-token-payload", claims) // { valid: true, errors: [], issues: [] }
 * ```
 */
export {
  validatePayload,
  hasLenientVariant,
  loadedSchemaNames,
  SCHEMA_NAMES,
  SCHEMAS_DIR,
  LENIENT_KEYWORD,
  type SchemaName,
  type LenientSchemaName,
  type SchemaIssue,
  type ValidationResult,
} from "./schemas.ts";
export { schemaFindings } from "./schema-findings.ts";
export { gradedSchemaFindings } from "./graded-findings.ts";
