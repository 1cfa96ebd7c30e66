/**
 * A small collector for check functions: problems graded by the requirement's level (a MUST
 * deviation fails, a SHOULD/DERIVED/INFO one warns), and a `passed` finding for each requirement
 * that ended up with no problem.
 *
 * @example
 * ```ts
 * const c = new FindingCollector()
 * if (header.alg !== "RS512") c.deviation("FED-JWT-01", `alg is ${header.alg}, expected RS512`)
 * c.pass("FED-JWT-01", "alg is RS512")
 * return c.findings()
 * ```
 */
import { deviationStatus, finding, type Finding, type FindingStatus } from "../../requirements/index.ts";

export class FindingCollector {
  private readonly list: Finding[] = [];

  /** A deviation from `id`, failed or warning according to its level. */
  deviation(id: string, message: string): this {
    this.list.push(finding(id, deviationStatus(id), message));
    return this;
  }

  /** A finding with an explicit status (e.g. a recorded ambiguity that only warns). */
  add(id: string, status: FindingStatus, message: string): this {
    this.list.push(finding(id, status, message));
    return this;
  }

  /** Add findings made elsewhere (e.g. schema findings). */
  addAll(findings: readonly Finding[]): this {
    this.list.push(...findings);
    return this;
  }

  /** True when `id` already has a failed or warning finding. */
  hasProblem(id: string): boolean {
    return this.list.some((f) => f.requirement === id && (f.status === "failed" || f.status === "warning"));
  }

  /** Record `id` as passed unless it already has a problem or a passed finding. */
  pass(id: string, message: string): this {
    if (!this.list.some((f) => f.requirement === id)) this.list.push(finding(id, "passed", message));
    return this;
  }

  findings(): Finding[] {
    return [...this.list];
  }
}

/** True for a JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A value for a message: JSON, shortened. */
export function show(value: unknown, max = 120): string {
  const text = value === undefined ? "absent" : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max)}...` : text;
}
