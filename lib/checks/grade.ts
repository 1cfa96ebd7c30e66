/**
 * Grade the findings of one check into one status: failed beats inconclusive beats warning beats
 * passed; all skipped is skipped; no finding at all is inconclusive (no check passes on zero
 * observations).
 *
 * @example
 * ```ts
 * overallStatus([finding("FED-JWT-01", "passed", "RS512"), finding("FED-JWT-02", "warning", "…")]) // "warning"
 * overallStatus([]) // "inconclusive"
 * ```
 */
import type { Finding, FindingStatus } from "../requirements/index.ts";

export function overallStatus(findings: readonly Finding[]): FindingStatus {
  if (findings.length === 0) return "inconclusive";
  if (findings.some((f) => f.status === "failed")) return "failed";
  if (findings.some((f) => f.status === "inconclusive")) return "inconclusive";
  if (findings.every((f) => f.status === "skipped")) return "skipped";
  if (findings.some((f) => f.status === "warning")) return "warning";
  return "passed";
}
