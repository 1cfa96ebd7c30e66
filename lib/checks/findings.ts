/**
 * The one finding collector every rule uses: problems graded by the requirement's level (a MUST
 * deviation fails, a SHOULD/DERIVED/INFO one warns), explicit statuses where a rule needs them,
 * and `pass()`, which records a requirement as passed only when no problem (failed, warning or
 * inconclusive) was recorded for it: a pass never hides a problem, and a rule may pass the same
 * requirement on several observations.
 *
 * @example
 * ```ts
 * const out = new Findings()
 * if (header.alg !== "RS512")
 *   out.deviation("FED-JWT-01", `alg is ${header.alg}, expected RS512`, { expected: "RS512", actual: header.alg })
 * out.pass("FED-JWT-01", "alg is RS512") // ignored when FED-JWT-01 already has a problem
 * return out.list()
 * ```
 */
import { deviationStatus, type Evidence, type Finding, type FindingStatus, finding } from "../requirements/index.ts";

export class Findings {
  private readonly items: Finding[] = [];

  /** A deviation from `id`, failed or warning according to its level. */
  deviation(id: string, message: string, evidence?: Evidence): this {
    return this.add(id, deviationStatus(id), message, evidence);
  }

  /** A failure whatever the level (e.g. a SHOULD whose breach the catalogue grades as a failure). */
  fail(id: string, message: string, evidence?: Evidence): this {
    return this.add(id, "failed", message, evidence);
  }

  /** A warning whatever the level (e.g. a recorded ambiguity). */
  warn(id: string, message: string, evidence?: Evidence): this {
    return this.add(id, "warning", message, evidence);
  }

  /** Nothing could be observed for `id`; the message says what was missing. */
  inconclusive(id: string, message: string, evidence?: Evidence): this {
    return this.add(id, "inconclusive", message, evidence);
  }

  skip(id: string, message: string): this {
    return this.add(id, "skipped", message);
  }

  /** A finding with an explicit status. */
  add(id: string, status: FindingStatus, message: string, evidence?: Evidence): this {
    this.items.push(finding(id, status, message, evidence));
    return this;
  }

  /** Add findings made elsewhere (e.g. schema findings). */
  addAll(findings: readonly Finding[]): this {
    this.items.push(...findings);
    return this;
  }

  /** True when `id` already has a failed, warning or inconclusive finding. */
  flagged(id: string): boolean {
    return this.items.some((f) => f.requirement === id && (f.status === "failed" || f.status === "warning" || f.status === "inconclusive"));
  }

  /** Record `id` as passed unless it already has a problem (a failed, warning or inconclusive finding). */
  pass(id: string, message: string, evidence?: Evidence): this {
    if (!this.flagged(id)) this.add(id, "passed", message, evidence);
    return this;
  }

  list(): Finding[] {
    return [...this.items];
  }
}

/**
 * The findings `findings` holds for requirement `from`, cited under each of `to` instead (a rule
 * written once for one specification, applied under another that asks the same; a failure is
 * graded by the new requirement's level).
 *
 * @example
 * ```ts
 * citedAs(assertionClaimFindings(req, clientId, tokenEndpoint), "FED-TOKEN-07", ["UEV2-TOKEN-06", "UEV2-TOKEN-07"])
 * ```
 */
export function citedAs(findings: readonly Finding[], from: string, to: readonly string[]): Finding[] {
  return findings
    .filter((f) => f.requirement === from)
    .flatMap((f) =>
      to.map((id) => ({ ...f, requirement: id, status: f.status === "failed" ? deviationStatus(id) : f.status }) satisfies Finding),
    );
}
