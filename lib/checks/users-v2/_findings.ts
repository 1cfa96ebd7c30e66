/**
 * Internal: collect findings for several requirement IDs and close each ID that saw no problem
 * with one `passed` finding. Only the Users V2 finding functions use this.
 *
 * @example
 * ```ts
 * const out = new FindingList()
 * out.fail("UEV2-TOKEN-12", "Cache-Control is absent, expected no-store")
 * out.passUnlessFlagged("UEV2-TOKEN-12", "200 application/json with no-store and no-cache")
 * out.list() // the failure only
 * ```
 */
import { deviationStatus, finding, type Finding } from "../../requirements/index.ts";

export class FindingList {
  private readonly items: Finding[] = [];

  fail(id: string, message: string): void {
    this.items.push(finding(id, "failed", message));
  }

  warn(id: string, message: string): void {
    this.items.push(finding(id, "warning", message));
  }

  /** A deviation, graded by the requirement's level (MUST fails, SHOULD/DERIVED/INFO warn). */
  deviate(id: string, message: string): void {
    this.items.push(finding(id, deviationStatus(id), message));
  }

  pass(id: string, message: string): void {
    this.items.push(finding(id, "passed", message));
  }

  skip(id: string, message: string): void {
    this.items.push(finding(id, "skipped", message));
  }

  add(findings: readonly Finding[]): void {
    this.items.push(...findings);
  }

  /** True when `id` already has a failed or warning finding. */
  flagged(id: string): boolean {
    return this.items.some((f) => f.requirement === id && (f.status === "failed" || f.status === "warning"));
  }

  /** Add a `passed` finding for `id` unless it already has a failure or warning. */
  passUnlessFlagged(id: string, message: string): void {
    if (!this.flagged(id)) this.pass(id, message);
  }

  list(): Finding[] {
    return [...this.items];
  }
}
