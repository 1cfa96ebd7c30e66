/**
 * A bare captured body (no envelope) carries no HTTP status or headers, so the rules about them
 * cannot be judged from it. This replaces the findings of those rules with one `skipped` finding
 * each, saying so; envelope captures keep every finding.
 *
 * @example
 * ```ts
 * bareTransport(tokenResponseFindings(capture, ctx), capture, ["UEV2-TOKEN-12"])
 * ```
 */
import { finding, type Finding } from "../requirements/index.ts";
import type { CapturedAnswer } from "./types.ts";

export function bareTransport(
  findings: readonly Finding[],
  answer: Pick<CapturedAnswer, "form">,
  transportIds: readonly string[],
  file: string,
): Finding[] {
  if (answer.form === "envelope") return [...findings];
  const kept = findings.filter((f) => !transportIds.includes(f.requirement));
  const noted = transportIds.map((id) =>
    finding(
      id,
      "skipped",
      `not judged: ${file} is a bare body, so the HTTP status and headers were not captured ` +
        "(capture { status, headers, body } to have them judged, see docs/artefacts.md)",
    ),
  );
  return [...kept, ...noted];
}
