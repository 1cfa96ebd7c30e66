export { validatePayload, SCHEMA_NAMES, SCHEMAS_DIR, type SchemaName, type ValidationResult } from "./schemas.ts";
export { schemaFindings } from "./schema-findings.ts";
