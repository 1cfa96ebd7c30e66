/**
 * Every file in schemas/ is a draft 2020-12 schema with a stable $id, a title and a description
 * citing the spec, compiles under ajv strict mode, and lines up with SCHEMA_NAMES.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  hasLenientVariant,
  loadedSchemaNames,
  SCHEMA_NAMES,
  SCHEMAS_DIR,
  LENIENT_KEYWORD,
  validatePayload,
} from "../../lib/validate/index.ts";

const ID_PATTERN = /^https:\/\/nhslogin-conformance\.invalid\/schemas\/([a-z0-9-]+(?:\.lenient)?)\.schema\.json$/;
const files = readdirSync(SCHEMAS_DIR)
  .filter((f) => f.endsWith(".schema.json"))
  .sort();
const read = (file: string) => JSON.parse(readFileSync(join(SCHEMAS_DIR, file), "utf8")) as Record<string, unknown>;

/** Every value of `key` anywhere in `node`. */
function collect(node: unknown, key: string, out: unknown[] = []): unknown[] {
  if (Array.isArray(node)) node.forEach((n) => collect(n, key, out));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === key) out.push(v);
      collect(v, key, out);
    }
  }
  return out;
}

describe("schema files", () => {
  it("has one file per SCHEMA_NAMES entry, plus defs and the lenient variants, and nothing else", () => {
    const names = files.map((f) => f.replace(/\.schema\.json$/, ""));
    for (const name of SCHEMA_NAMES) expect(names).toContain(name);
    for (const name of names) {
      const base = name.replace(/\.lenient$/, "");
      expect(name === "defs" || (SCHEMA_NAMES as readonly string[]).includes(base), `unexpected schema file ${name}`).toBe(true);
    }
    expect(names).toContain("defs");
  });

  it.each(files)("%s: draft 2020-12, $id matching its file name, title and a description citing the spec", (file) => {
    const schema = read(file);
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    const match = ID_PATTERN.exec(String(schema.$id));
    expect(match, `bad $id ${String(schema.$id)}`).not.toBeNull();
    expect(`${match![1]}.schema.json`).toBe(file);
    expect(schema.title).toBeTypeOf("string");
    expect(String(schema.title).length).toBeGreaterThan(3);
    expect(schema.description).toBeTypeOf("string");
    if (file !== "defs.schema.json") expect(String(schema.description)).toMatch(/\b(EIS|UEV2|RFC \d+)\b.*(Table|T\d|§)/);
  });

  it.each(files)("%s: every external $ref points at a schema of this project, with a fragment that resolves", (file) => {
    const refs = collect(read(file), "$ref") as string[];
    for (const ref of refs) {
      if (ref.startsWith("#")) continue;
      const [base, fragment] = ref.split("#");
      const target = ID_PATTERN.exec(base!);
      expect(target, `$ref ${ref}`).not.toBeNull();
      const doc = read(`${target![1]}.schema.json`);
      let node: unknown = doc;
      for (const part of (fragment ?? "").split("/").filter(Boolean)) node = (node as Record<string, unknown>)[decodeURIComponent(part)];
      expect(node, `$ref ${ref} does not resolve`).toBeDefined();
    }
  });

  it("compiles every file under ajv strict mode (each one is used once)", () => {
    const loaded = loadedSchemaNames();
    expect(loaded).toEqual(files.map((f) => f.replace(/\.schema\.json$/, "")).sort());
    for (const name of SCHEMA_NAMES) expect(() => validatePayload(name, {})).not.toThrow();
  });

  it("throws on an unknown schema name", () => {
    expect(() => validatePayload("no-such-schema" as never, {})).toThrow(RangeError);
  });

  it("lenient variants exist exactly where the catalogue lists an ambiguity, and cite it", () => {
    const lenient = SCHEMA_NAMES.filter((n) => hasLenientVariant(n)).sort();
    expect(lenient).toEqual([
      "client-assertion-payload",
      "id-token-payload",
      "token-response",
      "trustmark",
      "userinfo",
      "users-v2-access-token-payload",
      "users-v2-error",
      "users-v2-list-response",
      "users-v2-token-response",
      "users-v2-user",
    ]);
    for (const name of lenient) {
      const strict = read(`${name}.schema.json`);
      const loose = read(`${name}.lenient.schema.json`);
      expect(String(strict.description), name).toContain(".lenient.schema.json");
      expect(String(loose.description), name).toMatch(/catalogue (A\d+|UEV2-)/);
    }
  });

  it("x-lenient annotations appear only in strict schemas that have a lenient variant, and name the ambiguity", () => {
    for (const file of files) {
      const notes = collect(read(file), LENIENT_KEYWORD);
      const name = file.replace(/\.schema\.json$/, "");
      if (name.endsWith(".lenient") || name === "defs" || !hasLenientVariant(name as never)) {
        expect(notes, file).toEqual([]);
        continue;
      }
      // The list response inherits its annotations from users-v2-user through $ref.
      if (name !== "users-v2-list-response") expect(notes.length, file).toBeGreaterThan(0);
      for (const note of notes) expect(String(note)).toMatch(/^(A\d+|UEV2-[A-Z]+-\d+): \S/);
    }
  });
});
