/**
 * Run an artefact check over a loaded set: every ID skipped with the reason when there is no
 * folder (e.g. "ARTEFACTS_DIR is not set") or a needed artefact is missing; failed with the reason
 * when a needed artefact is unreadable (garbage, oversized, wrong shape) or the check crashes.
 *
 * @example
 * ```ts
 * const findings = await runArtefactCheck(ARTEFACT_CHECKS[0], await loadArtefacts(dir))
 * ```
 */
import { finding, type Finding } from "../requirements/index.ts";
import type { ArtefactCheck, ArtefactNeed } from "./artefact-check.ts";
import type { Artefact, ArtefactSet, UsersV2Kind } from "./types.ts";

const KIND_NAMES: Record<UsersV2Kind, string> = {
  "token-response": "a Users V2 token response",
  "list-response": "a Users V2 search answer (ListResponse)",
  error: "a Users V2 error answer",
};

/** Why a need cannot be met: `missing` skips, `unreadable` fails; undefined when it is met. */
export function needProblem(set: ArtefactSet, need: ArtefactNeed): { state: "missing" | "unreadable"; reasons: string[] } | undefined {
  const file = (a: Artefact<unknown>) => (a.state === "ok" ? undefined : { state: a.state, reasons: [a.reason] });
  switch (need) {
    case "id-token":
      return file(set.idToken);
    case "access-token":
      return file(set.accessToken);
    case "userinfo":
      return file(set.userinfo);
    case "expected":
      return file(set.expected);
    default: {
      const kind = need.slice("users-v2-".length) as UsersV2Kind;
      const bad = set.usersV2.flatMap((a) => (a.state === "ok" ? [] : [a.reason]));
      if (bad.length > 0) return { state: "unreadable", reasons: bad };
      if (set.usersV2.some((a) => a.state === "ok" && a.value.kind === kind)) return undefined;
      return { state: "missing", reasons: [`no users-v2-*.json in ${set.dir} captures ${KIND_NAMES[kind]}`] };
    }
  }
}

export async function runArtefactCheck(check: ArtefactCheck, set: ArtefactSet): Promise<Finding[]> {
  if (set.dir === undefined) return check.ids.map((id) => finding(id, "skipped", set.unavailable ?? "there is no artefacts folder"));
  const problems = check.needs.map((n) => needProblem(set, n)).filter((p) => p !== undefined);
  const unreadable = problems.filter((p) => p.state === "unreadable").flatMap((p) => p.reasons);
  if (unreadable.length > 0) return unreadable.map((r) => finding(check.ids[0]!, "failed", `unusable artefact: ${r}`));
  const missing = problems.flatMap((p) => p.reasons);
  if (missing.length > 0) return check.ids.map((id) => finding(id, "skipped", missing.join("; ")));
  try {
    return await check.run(set);
  } catch (err) {
    return [finding(check.ids[0]!, "failed", `the check could not complete: ${(err as Error).message}`)];
  }
}
