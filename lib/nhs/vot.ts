/**
 * Vectors of Trust (VOT-01..06, FED-AUTHZ-15/16): parse a `vtr`, and decide whether a returned
 * `vot` satisfies it.
 *
 * @example
 * ```ts
 * const vtr = parseVtr('["P9.Cp.Cd","P9.Cm"]')
 * votSatisfiesVtr("P9.Cp.Cd", vtr) // true
 * votSatisfiesVtr("P5.Cp.Cd", vtr) // false
 * ```
 */

export const PROOFING_LEVELS = ["P0", "P5", "P9"] as const;
export type ProofingLevel = (typeof PROOFING_LEVELS)[number];
export const CREDENTIALS = ["Cp", "Cd", "Ck", "Cm"] as const;
export type Credential = (typeof CREDENTIALS)[number];

/** The `vtr` NHS login assumes when a request carries none (EIS §3.4.1 Table 1). */
export const DEFAULT_VTR: readonly string[] = Object.freeze(["P9.Cp.Cd", "P9.Cp.Ck", "P9.Cm"]);

/** The twelve profiles of EIS Table 21. */
export const EIS_PROFILES: readonly string[] = Object.freeze(
  PROOFING_LEVELS.flatMap((p) => [`${p}.Cp`, `${p}.Cp.Cd`, `${p}.Cp.Ck`, `${p}.Cm`]),
);

/** The profiles the developer docs offer for selection, plus `P5.Cm` used in their example 2. */
export const DOCS_PROFILES: readonly string[] = Object.freeze(["P0.Cp", "P5.Cp.Cd", "P5.Cp.Ck", "P5.Cm", "P9.Cp.Cd", "P9.Cp.Ck", "P9.Cm"]);

export interface Vector {
  /** The proofing level, when the vector names one. */
  proofing?: ProofingLevel;
  /** Credential components, in order, possibly repeated. */
  credentials: Credential[];
  /** The vector as written. */
  raw: string;
}

const PROOFING_RANK: Record<ProofingLevel, number> = { P0: 0, P5: 1, P9: 2 };

/** Rank of a proofing level, for comparisons (P0 < P5 < P9). */
export function proofingRank(level: ProofingLevel): number {
  return PROOFING_RANK[level];
}

/** Why a vector or vtr was refused. */
export class VectorSyntaxError extends Error {
  readonly code = "ERR_VECTOR_SYNTAX" as const;
}

/**
 * Parse one vector string such as `P9.Cp.Cd`. Throws {@link VectorSyntaxError} on an unknown
 * component, more than one proofing component, whitespace or an empty component.
 */
export function parseVector(raw: string): Vector {
  if (typeof raw !== "string" || raw.length === 0) throw new VectorSyntaxError("a vector must be a non-empty string");
  const parts = raw.split(".");
  const vector: Vector = { credentials: [], raw };
  for (const part of parts) {
    if ((PROOFING_LEVELS as readonly string[]).includes(part)) {
      if (vector.proofing) throw new VectorSyntaxError(`"${raw}" names more than one proofing level`);
      vector.proofing = part as ProofingLevel;
    } else if ((CREDENTIALS as readonly string[]).includes(part)) {
      vector.credentials.push(part as Credential);
    } else {
      throw new VectorSyntaxError(`"${raw}" has an unknown component "${part}"`);
    }
  }
  return vector;
}

/**
 * Parse a `vtr` value: a JSON array of vector strings (ASCII quotes). An empty array is refused.
 * Throws {@link VectorSyntaxError} with the reason.
 */
export function parseVtr(value: string): Vector[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new VectorSyntaxError('vtr is not valid JSON (expected an array such as ["P9.Cp.Cd"])');
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw new VectorSyntaxError("vtr must be a non-empty JSON array of strings");
  return parsed.map((v) => {
    if (typeof v !== "string") throw new VectorSyntaxError("every vtr element must be a string");
    return parseVector(v);
  });
}

/** True when the returned vector contains every component of the requested vector. */
export function vectorSatisfies(returned: Vector, requested: Vector): boolean {
  if (requested.proofing && returned.proofing !== requested.proofing) return false;
  return requested.credentials.every((c) => returned.credentials.includes(c));
}

/**
 * VOT-06: a `vot` satisfies a `vtr` when, for at least one requested vector, it holds every
 * component of that vector. An unparseable `vot` never satisfies; a malformed requested vector
 * is satisfied by nothing.
 */
export function votSatisfiesVtr(vot: string, vtr: readonly (Vector | string)[]): boolean {
  let returned: Vector;
  try {
    returned = parseVector(vot);
  } catch {
    return false;
  }
  return vtr.some((v) => {
    if (typeof v !== "string") return vectorSatisfies(returned, v);
    try {
      return vectorSatisfies(returned, parseVector(v));
    } catch {
      return false; // a malformed requested vector is satisfied by nothing
    }
  });
}
