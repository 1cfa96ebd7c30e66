/**
 * The `answerDelayMs` hook of a slow-answer fault: it holds the answer at `endpoint` for the arm
 * request's `delayMs`, or for `defaultMs` when the arm request named none; other endpoints as they are.
 *
 * @example
 * ```ts
 * hooks: { answerDelayMs: slowAnswer("users-v2", 1200) } // a search held 1.2 s, or the armed delayMs
 * ```
 */
import type { Hooks, SlowEndpoint } from "./hook-points.ts";

export function slowAnswer(endpoint: SlowEndpoint, defaultMs: number): NonNullable<Hooks["answerDelayMs"]> {
  return (v, env) => (env.endpoint === endpoint ? (env.armedMs ?? defaultMs) : v);
}
