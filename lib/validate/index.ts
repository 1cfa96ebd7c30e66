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
