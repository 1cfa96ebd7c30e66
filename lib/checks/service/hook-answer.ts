/**
 * Read what a test hook of the service answered (the Users V2 lookup hook, the Provision Account
 * hook): the JSON object of a 200, or why it cannot be read. Not reached or not a JSON object is
 * inconclusive (nothing was observed); any other status is the service's failure (a crash is
 * charged to the scenario under test).
 *
 * @example
 * ```ts
 * const read = readHookAnswer(obs.answers[0], obs.label, "the lookup hook", "lookup")
 * if ("problem" in read) return [finding(id, read.status, read.problem)]
 * read.body.outcome // "found"
 * ```
 */
import type { LookupAnswer } from "./service-context.ts";

export type HookAnswerRead = { body: Record<string, unknown> } | { problem: string; status: "failed" | "inconclusive" };

export function readHookAnswer(
  answer: Omit<LookupAnswer, "query"> | undefined,
  label: string,
  /** The hook, in words, e.g. "the lookup hook". */
  hook: string,
  /** What was asked of it, e.g. "lookup". */
  asked: string,
): HookAnswerRead {
  const where = `${label}: ${hook}`;
  if (!answer) return { problem: `${label}: no ${asked} was asked`, status: "inconclusive" };
  if (answer.error !== undefined) return { problem: `${where} could not be reached (${answer.error})`, status: "inconclusive" };
  if (answer.status !== 200)
    return { problem: `${where} answered HTTP ${answer.status}${answer.text ? ` (${answer.text.slice(0, 80)})` : ""}`, status: "failed" };
  const body = answer.body as Record<string, unknown> | undefined;
  if (!body || typeof body !== "object" || Array.isArray(body))
    return { problem: `${where} answered 200 without a JSON object (${JSON.stringify(answer.text ?? null)})`, status: "inconclusive" };
  return { body };
}
