/**
 * Whether an artefact check can run over a loaded set ({@link artefactGate}, for `runCheck`), and
 * why a need cannot be met.
 *
 * @example
 * ```ts
 * const findings = await runCheck(ARTEFACT_CHECKS[0], await loadArtefacts(dir), artefactGate)
 * ```
 */
import type { GateFunction } from "../checks/check.ts";
import type { ArtefactNeed } from "./artefact-check.ts";
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
    case "public-key":
      return file(set.publicKey);
    default: {
      const kind = need.slice("users-v2-".length) as UsersV2Kind;
      const bad = set.usersV2.flatMap((a) => (a.state === "ok" ? [] : [a.reason]));
      if (bad.length > 0) return { state: "unreadable", reasons: bad };
      if (set.usersV2.some((a) => a.state === "ok" && a.value.kind === kind)) return undefined;
      return { state: "missing", reasons: [`no users-v2-*.json in ${set.dir} captures ${KIND_NAMES[kind]}`] };
    }
  }
}

/**
 * The artefact gate: skipped with the reason when there is no folder or a needed artefact is
 * missing; failed when a needed artefact is unreadable (garbage, oversized, wrong shape: the
 * captured answer itself breaks the rule of its format).
 */
export const artefactGate: GateFunction<ArtefactSet, ArtefactNeed> = (check, set) => {
  if (set.dir === undefined) return { status: "skipped", reasons: [set.unavailable ?? "there is no artefacts folder"] };
  const problems = (check.needs ?? []).map((n) => needProblem(set, n)).filter((p) => p !== undefined);
  const unreadable = problems.filter((p) => p.state === "unreadable").flatMap((p) => p.reasons);
  if (unreadable.length > 0) return { status: "failed", reasons: unreadable.map((r) => `unusable artefact: ${r}`) };
  const missing = problems.flatMap((p) => p.reasons);
  return missing.length > 0 ? { status: "skipped", reasons: missing } : undefined;
};
