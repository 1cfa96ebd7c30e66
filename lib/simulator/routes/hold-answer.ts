/**
 * Hold a sign-in's answer at `endpoint` for as long as its armed `slow-*` fault says (the arm
 * request's `delayMs`, default {@link DEFAULT_SLOW_ANSWER_MS}); at once when none is armed.
 * Resolves with the milliseconds held.
 *
 * @example
 * ```ts
 * const heldMs = await holdAnswer(ctx, "token", grant) // 2000 under slow-token armed without delayMs
 * ```
 */
import { setTimeout as sleep } from "node:timers/promises";
import { DEFAULT_SLOW_ANSWER_MS } from "../faults.ts";
import type { Grant } from "../state.ts";
import type { SimulatorContext } from "../context.ts";
import { applyHook, type ActiveDefects } from "../hooks/apply-hook.ts";

export async function holdAnswer(
  active: ActiveDefects & Pick<SimulatorContext, "stopping">,
  endpoint: "authorize" | "token" | "userinfo",
  armed: Pick<Grant, "faults" | "delayMs">,
): Promise<number> {
  if (armed.faults.length === 0) return 0;
  const ms = applyHook(active, "answerDelayMs", 0, { endpoint, armedMs: armed.delayMs ?? DEFAULT_SLOW_ANSWER_MS }, armed.faults);
  // A simulator that stops sends the answer at once (ctx.stopping).
  if (ms > 0) await sleep(ms, undefined, { signal: active.stopping }).catch(() => undefined);
  return ms;
}
