/**
 * The one runner for every check of every target kind: ask the kind's gate whether the check can
 * run (skipped, inconclusive or failed with the reasons when not), run it, and keep its verdicts
 * honest: a crash is `inconclusive` ("could not complete: …"), never failed or passed; a check
 * that returns nothing, or nothing for one of its requirement IDs, is `inconclusive` for those IDs
 * (or `skipped`, for the same reasons, when everything it did return was skipped).
 *
 * @example
 * ```ts
 * const findings = await runCheck(check, env, environmentGate)
 * overallStatus(findings) // "passed" | "failed" | "warning" | "skipped" | "inconclusive"
 * ```
 */
import { type Finding, finding } from "../requirements/index.ts";
import type { Check, GateFunction } from "./check.ts";

export async function runCheck<Ctx, Need extends string>(
  check: Check<Ctx, Need>,
  ctx: Ctx,
  gate?: GateFunction<Ctx, Need>,
): Promise<Finding[]> {
  const blocked = gate?.(check, ctx);
  if (blocked) {
    if (blocked.status === "failed") return blocked.reasons.map((r) => finding(check.ids[0]!, "failed", r));
    return check.ids.map((id) => finding(id, blocked.status, blocked.reasons.join("; ")));
  }
  let findings: Finding[];
  try {
    findings = await check.run(ctx);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return check.ids.map((id) => finding(id, "inconclusive", `could not complete: ${message}`));
  }
  const unobserved = check.ids.filter((id) => !findings.some((f) => f.requirement === id));
  if (unobserved.length === check.ids.length) {
    return check.ids.map((id) => finding(id, "inconclusive", "the check observed nothing (it returned no finding)"));
  }
  // A check that skipped itself (e.g. no test identity) skips the IDs it did not mention for the same reasons.
  if (findings.every((f) => f.status === "skipped")) {
    const reasons = [...new Set(findings.map((f) => f.message))].join("; ");
    return [...findings, ...unobserved.map((id) => finding(id, "skipped", reasons))];
  }
  return [...findings, ...unobserved.map((id) => finding(id, "inconclusive", `the check returned no finding for ${id}`))];
}
