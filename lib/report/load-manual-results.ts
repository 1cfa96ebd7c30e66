/**
 * Read the testers' record of the manual scenarios (`manual-results.json`, schema
 * `schemas/config/manual-results.schema.json`): one entry per scenario walked through, with the
 * outcome, the date, who did it and where the evidence is. The conformance statement shows each
 * one and reports every scenario without an entry as open. A file that does not parse, breaks the
 * schema, names an unknown scenario or names one twice is refused, naming MANUAL_RESULTS_FILE.
 *
 * @example
 * ```ts
 * const recorded = loadManualResults("manual-results.json")
 * recorded.get("M-G1")?.outcome // "passed"
 * ```
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { ConfigError } from "../errors/index.ts";
import { MANUAL_SCENARIOS } from "../requirements/manual-scenarios.ts";

export interface ManualResult {
  scenario: string;
  outcome: "passed" | "failed" | "not applicable";
  date: string;
  tester: string;
  evidence?: string;
  notes?: string;
}

const SCHEMA_PATH = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "schemas", "config", "manual-results.schema.json");
const VARIABLE = "MANUAL_RESULTS_FILE";
const EXPECTED = "a manual results file matching schemas/config/manual-results.schema.json";

export function loadManualResults(path: string): ReadonlyMap<string, ManualResult> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new ConfigError(VARIABLE, EXPECTED, `${path}: ${(err as Error).message}`);
  }
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  (addFormatsModule as unknown as (a: Ajv2020) => Ajv2020)(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as object);
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`);
    throw new ConfigError(VARIABLE, EXPECTED, `${path}: ${problems.slice(0, 5).join("; ")}`);
  }
  const out = new Map<string, ManualResult>();
  const known = new Set(MANUAL_SCENARIOS.map((s) => s.id));
  for (const r of (data as { results: ManualResult[] }).results) {
    if (!known.has(r.scenario))
      throw new ConfigError(VARIABLE, EXPECTED, `${path}: ${r.scenario} is not a manual scenario of the catalogue`);
    if (out.has(r.scenario)) throw new ConfigError(VARIABLE, EXPECTED, `${path}: ${r.scenario} is recorded twice`);
    out.set(r.scenario, r);
  }
  return out;
}
