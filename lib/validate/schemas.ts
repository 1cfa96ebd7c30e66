/**
 * Load and compile every JSON Schema in `schemas/` once (ajv, draft 2020-12), and validate
 * payloads against them by name.
 *
 * @example
 * ```ts
 * const result = validatePayload("id-token-payload", claims)
 * if (!result.valid) console.log(result.errors) // ["/vot: must match pattern ..."]
 * ```
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

/** Every schema, by file name without `.schema.json`. */
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

export const SCHEMAS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "schemas");

export interface ValidationResult {
  valid: boolean;
  /** `instancePath: message` for each violation (empty when valid). */
  errors: string[];
}

let compiled: Map<string, ValidateFunction> | undefined;

function compileAll(): Map<string, ValidateFunction> {
  const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  const files = readdirSync(SCHEMAS_DIR).filter((f) => f.endsWith(".schema.json"));
  for (const file of files) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS_DIR, file), "utf8")) as object, file.replace(/\.schema\.json$/, ""));
  const out = new Map<string, ValidateFunction>();
  for (const file of files) {
    const name = file.replace(/\.schema\.json$/, "");
    out.set(name, ajv.getSchema(name)!);
  }
  return out;
}

/** Validate `data` against the named schema. Throws if the schema does not exist. */
export function validatePayload(name: SchemaName, data: unknown): ValidationResult {
  compiled ??= compileAll();
  const validate = compiled.get(name);
  if (!validate) throw new RangeError(`no schema named "${name}" in ${SCHEMAS_DIR}`);
  const valid = validate(data) as boolean;
  return {
    valid,
    errors: valid ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"}: ${e.message ?? "invalid"}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`),
  };
}
