/**
 * The requirements catalogue as data (generated from the shared catalogue by
 * `lib/requirements/extract-catalogue.ts`), and the finding type every check returns.
 *
 * @example
 * ```ts
 * requirement("FED-DISC-01").level // "MUST"
 * const f = finding("FED-DISC-01", "failed", "discovery lacks jwks_uri")
 * ```
 */
import catalogue from "./catalogue.json" with { type: "json" };

export type RequirementLevel = "MUST" | "SHOULD" | "MAY" | "COND" | "DERIVED" | "INFO" | "N/S";

export interface Requirement {
  id: string;
  level: RequirementLevel;
  title: string;
  rule: string;
  source: string;
  subject: string;
  section: string;
}

export const REQUIREMENTS: readonly Requirement[] = Object.freeze(catalogue as Requirement[]);
const BY_ID = new Map(REQUIREMENTS.map((r) => [r.id, r]));

/** The requirement with this ID; throws on an unknown ID so a typo fails loudly. */
export function requirement(id: string): Requirement {
  const r = BY_ID.get(id);
  if (!r) throw new RangeError(`unknown requirement ID "${id}"`);
  return r;
}

/** True when `id` is in the catalogue. */
export function isRequirementId(id: string): boolean {
  return BY_ID.has(id);
}

/**
 * `passed`, `failed` (a received answer breaks the rule), `warning` (a SHOULD/DERIVED deviation or
 * a lenient reading), `skipped` (not configured or not applicable, with the reason) and
 * `inconclusive` (nothing could be observed: no answer, the fault never delivered, the check crashed).
 */
export type FindingStatus = "passed" | "failed" | "warning" | "skipped" | "inconclusive";

/**
 * What a finding rests on, for tests and reports that must not parse prose: the value the rule
 * expects, the value observed, and where it was observed (an exchange such as "POST /token", an
 * artefact file name, a page URL).
 */
export interface Evidence {
  expected?: string;
  actual?: string;
  /** The exchange the value came from, e.g. "POST http://127.0.0.1:8765/token (probe: expired assertion)". */
  exchange?: string;
  /** The artefact file the value came from, e.g. "id_token.jwt". */
  artefact?: string;
}

/** One verdict of a check about one requirement. */
export interface Finding {
  requirement: string;
  status: FindingStatus;
  message: string;
  evidence?: Evidence;
}

/** Make a finding; the requirement ID must exist in the catalogue. */
export function finding(requirementId: string, status: FindingStatus, message: string, evidence?: Evidence): Finding {
  requirement(requirementId);
  return evidence ? { requirement: requirementId, status, message, evidence } : { requirement: requirementId, status, message };
}

/**
 * How a deviation from this requirement grades: a MUST (or COND, N/S) violation fails; a SHOULD,
 * MAY, DERIVED or INFO deviation is a warning.
 */
export function deviationStatus(id: string): "failed" | "warning" {
  const level = requirement(id).level;
  return level === "MUST" || level === "COND" || level === "N/S" ? "failed" : "warning";
}
