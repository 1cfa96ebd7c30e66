/**
 * Hold an answer at `endpoint` for as long as an armed slow-answer fault says (the arm request's
 * `delayMs`, or the fault's default: 2 s for `slow-*`, 1.2 s for the consumers' slow answers); at
 * once when none is armed. `onHold` is told the delay before the wait (a consumer's request is
 * recorded as it arrives). Resolves with the milliseconds held.
 *
 * @example
 * ```ts
 * const heldMs = await holdAnswer(ctx, "token", grant) // 2000 under slow-token armed without delayMs
 * ```
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Grant } from "../state.ts";
import type { SimulatorContext } from "../context.ts";
import { applyHook, type ActiveDefects } from "../hooks/apply-hook.ts";
import type { SlowEndpoint } from "../hooks/hook-points.ts";

export async function holdAnswer(
  active: ActiveDefects & Pick<SimulatorContext, "stopping">,
  endpoint: SlowEndpoint,
  armed: Pick<Grant, "faults" | "delayMs">,
  onHold?: (ms: number) => void,
): Promise<number> {
  if (armed.faults.length === 0) return 0;
  const ms = applyHook(active, "answerDelayMs", 0, { endpoint, armedMs: armed.delayMs }, armed.faults);
  if (ms <= 0) return 0;
  onHold?.(ms);
  // A simulator that stops sends the answer at once (ctx.stopping).
  await sleep(ms, undefined, { signal: active.stopping }).catch(() => undefined);
  return ms;
}
