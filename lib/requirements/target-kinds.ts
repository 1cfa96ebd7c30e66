/**
 * Which target kinds can observe a catalogue row, from its subject: NHS login itself (OP, the
 * Users V2 and Provision Account providers) is checked as an environment and through captured
 * artefacts; the partner's service (RP, the Users V2 and Provision Account consumers) as a service.
 * A subject naming none of these (a fact about the harness, "–") gives no target kind.
 *
 * @example
 * ```ts
 * targetKinds("OP, RP") // ["environment", "artefacts", "service"]
 * subjectGroup("RP (app), OP") // "OP + RP"
 * ```
 */
export type TargetKind = "environment" | "service" | "artefacts";

const KINDS: Record<string, readonly TargetKind[]> = {
  OP: ["environment", "artefacts"],
  "UEV2-P": ["environment", "artefacts"],
  "PA-P": ["environment"],
  RP: ["service"],
  "UEV2-C": ["service"],
  "PA-C": ["service"],
};

/** The subject's parties, without qualifiers such as "(app)": "RP (native app), OP" → ["OP", "RP"]. */
export function subjectParties(subject: string): string[] {
  const parties = subject
    .replace(/\([^)]*\)/g, "")
    .split(/[,;/]|\band\b/)
    .map((p) => p.trim())
    .filter((p) => p in KINDS);
  return [...new Set(parties)].sort();
}

export function targetKinds(subject: string): TargetKind[] {
  return [...new Set(subjectParties(subject).flatMap((p) => KINDS[p] ?? []))];
}

/** One label per combination of parties, so per-subject counts add up to the catalogue. */
export function subjectGroup(subject: string): string {
  const parties = subjectParties(subject);
  return parties.length > 0 ? parties.join(" + ") : "none (descriptive)";
}
