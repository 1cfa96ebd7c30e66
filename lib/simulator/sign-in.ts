/**
 * Decide the outcome of a sign-in: which vector of trust the person can present for a `vtr`.
 */
import { parseVector, proofingRank, type Vector } from "../nhs/vot.ts";
import type { Persona } from "./personas.ts";

/**
 * The `vot` a persona returns for `vtr` (VOT-06, VOT-09): the satisfiable vector with the highest
 * proofing level, in request order among equals; `undefined` when the person is below every
 * requested vector or lacks the credentials.
 *
 * @example
 * ```ts
 * chooseVot(p9, ["P5.Cp.Cd", "P9.Cp.Cd"]) // "P9.Cp.Cd"
 * chooseVot(p5, ["P9.Cp.Cd"])             // undefined
 * ```
 */
export function chooseVot(persona: Persona, vtr: readonly (string | Vector)[]): string | undefined {
  const personaRank = proofingRank(persona.proofing);
  const candidates = vtr
    .map((v) => (typeof v === "string" ? parseVector(v) : v))
    .filter((v) => (v.proofing ? proofingRank(v.proofing) <= personaRank : true))
    .filter((v) => v.credentials.every((c) => persona.credentials.includes(c)));
  if (candidates.length === 0) return undefined;
  const rank = (v: Vector) => proofingRank(v.proofing ?? persona.proofing);
  const best = candidates.reduce((a, b) => (rank(b) > rank(a) ? b : a));
  const credentials = best.credentials.length > 0 ? best.credentials : persona.credentials.filter((c) => c === "Cp" || c === "Cd");
  return [best.proofing ?? persona.proofing, ...credentials].join(".");
}
