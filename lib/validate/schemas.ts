/**
 * Load every JSON Schema in `schemas/` once (ajv, draft 2020-12; each is compiled when first used),
 * and validate payloads against them by name. A `<name>.lenient.schema.json` file, where one exists, is loaded
 * as `<name>.lenient`.
 *
 * @example
 * ```ts
 * const result = validatePayload("id-token-payload", claims)
 * if (!result.valid) console.log(result.errors) // ["/vot: must match pattern ..."]
 * validatePayload("token-response.lenient", body) // the lenient variant (catalogue A1)
 * ```
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

/** Every payload schema, by file name without `.schema.json`. */
export const SCHEMA_NAMES = [
  "discovery",
  "jwks",
  "token-response",
  "token-error",
  "jwt-header",
  "id-token-payload",
  "access-token-payload",
  "users-v2-access-token-payload",
  "userinfo",
  "userinfo-error",
  "trustmark",
  "client-assertion-payload",
  "users-v2-token-response",
  "users-v2-list-response",
  "users-v2-user",
  "users-v2-error",
] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];
/** The lenient variant of a schema (only some schemas have one; see {@link hasLenientVariant}). */
export type LenientSchemaName = `${SchemaName}.lenient`;

export const SCHEMAS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "schemas");

/**
 * Annotation keyword of the strict schemas: placed on the subschema whose failure the lenient
 * variant forgives, naming the catalogue ambiguity (e.g. `"A2: emails[].primary sent as a string"`).
 * It does not validate anything.
 */
export const LENIENT_KEYWORD = "x-lenient";

/** One violation, structured. */
export interface SchemaIssue {
  /** JSON pointer to the offending value (`""` for the root). */
  instancePath: string;
  /** The ajv keyword that failed (`type`, `required`, `pattern`, ...). */
  keyword: string;
  /** Human-readable text, as in {@link ValidationResult.errors}. */
  message: string;
  /** The {@link LENIENT_KEYWORD} annotation of the failing subschema, when it has one. */
  lenient?: string;
}

export interface ValidationResult {
  valid: boolean;
  /** `instancePath: message` for each violation (empty when valid). */
  errors: string[];
  /** The same violations, structured (empty when valid). */
  issues: SchemaIssue[];
}

let loaded: { ajv: Ajv2020; names: Set<string> } | undefined;

/** Every schema file added to one ajv instance; each is compiled when first used. */
function loadAll(): { ajv: Ajv2020; names: Set<string> } {
  const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
  // verbose: errors carry their parentSchema, which is where the x-lenient annotation is read.
  // Strict mode needs no relaxation: where a subschema only adds `required` (an allOf branch
  // carrying an x-lenient note, an if/then), it also lists those names under `properties` with
  // the schema `true`, which satisfies strictRequired without changing what validates.
  const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true });
  addFormats(ajv);
  ajv.addKeyword({ keyword: LENIENT_KEYWORD, schemaType: "string" });
  const files = readdirSync(SCHEMAS_DIR).filter((f) => f.endsWith(".schema.json"));
  for (const file of files) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS_DIR, file), "utf8")) as object, nameOf(file));
  return { ajv, names: new Set(files.map(nameOf)) };
}

function nameOf(file: string): string {
  return file.replace(/\.schema\.json$/, "");
}

/** The compiled validator of a schema file (ajv caches it), or undefined when there is none. */
function validator(name: string): ValidateFunction | undefined {
  loaded ??= loadAll();
  return loaded.names.has(name) ? loaded.ajv.getSchema(name) : undefined;
}

/** Names of every schema file, including `defs` and the `.lenient` variants; each compiles. */
export function loadedSchemaNames(): string[] {
  loaded ??= loadAll();
  return [...loaded.names].filter((n) => validator(n) !== undefined).sort();
}

/** True when `schemas/<name>.lenient.schema.json` exists. */
export function hasLenientVariant(name: SchemaName): boolean {
  loaded ??= loadAll();
  return loaded.names.has(`${name}.lenient`);
}

/** Validate `data` against the named schema (or its lenient variant). Throws if the schema does not exist. */
export function validatePayload(name: SchemaName | LenientSchemaName, data: unknown): ValidationResult {
  const validate = validator(name);
  if (!validate) throw new RangeError(`no schema named "${name}" in ${SCHEMAS_DIR}`);
  const valid = validate(data) as boolean;
  if (valid) return { valid, errors: [], issues: [] };
  const issues = (validate.errors ?? []).map(toIssue);
  return { valid, errors: issues.map((i) => i.message), issues };
}

function toIssue(e: ErrorObject): SchemaIssue {
  const issue: SchemaIssue = { instancePath: e.instancePath, keyword: e.keyword, message: formatError(e) };
  const parent = e.parentSchema as Record<string, unknown> | undefined;
  const note = parent?.[LENIENT_KEYWORD];
  if (typeof note === "string") issue.lenient = note;
  return issue;
}

function formatError(e: ErrorObject): string {
  const where = e.instancePath || "/";
  const params = e.params as Record<string, unknown>;
  let detail = "";
  if ("additionalProperty" in params) detail = ` (${String(params.additionalProperty)})`;
  else if (e.keyword === "enum" && Array.isArray(params.allowedValues))
    detail = `: ${params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
  else if (e.keyword === "const") detail = `: ${JSON.stringify(params.allowedValue)}`;
  else if (e.keyword === "false schema") detail = " (this member is not allowed)";
  else if (e.keyword === "not") {
    const negated = e.schema as Record<string, unknown> | undefined;
    if (typeof negated?.title === "string") detail = ` (${negated.title})`;
  }
  return `${where}: ${e.message ?? "invalid"}${detail}`;
}
