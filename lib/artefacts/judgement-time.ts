/**
 * When a captured token is judged. Captured tokens are normally expired by the time someone
 * checks them, so "is it expired now?" says nothing about the flow. The time of judgement is
 * `captured_at` from `expected.json` when given, else the token's own `iat` (so only lifetimes and
 * consistency are judged); the token's state now is reported as information, never as a failure.
 *
 * @example
 * ```ts
 * const t = judgementTime(payload, expected)          // { now: 1700000000, basis: "iat" }
 * idTokenClaimFindings(payload, { ...x, now: t.now })
 * findings.push(expiryNote("FED-IDT-04", "ID token", payload, t))
 * ```
 */
import { finding, type Finding } from "../requirements/index.ts";
import type { ArtefactExpectations } from "./types.ts";

export interface JudgementTime {
  /** Epoch seconds the token is judged at. */
  now: number;
  basis: "captured_at" | "iat" | "clock";
}

export function judgementTime(payload: unknown, expected: Pick<ArtefactExpectations, "capturedAt"> | undefined): JudgementTime {
  if (expected?.capturedAt !== undefined) return { now: expected.capturedAt, basis: "captured_at" };
  const iat = payload !== null && typeof payload === "object" ? (payload as { iat?: unknown }).iat : undefined;
  if (Number.isInteger(iat)) return { now: iat as number, basis: "iat" };
  return { now: Math.floor(Date.now() / 1000), basis: "clock" };
}

const BASIS: Record<JudgementTime["basis"], string> = {
  captured_at: "judged as at captured_at from expected.json",
  iat: "judged as at its own iat, since expected.json gives no captured_at",
  clock: "judged against the clock, since it has no usable iat and expected.json gives no captured_at",
};

/** A `passed` finding under `id` telling whether the token is expired now, and how it was judged. */
export function expiryNote(
  id: string,
  token: string,
  payload: unknown,
  time: JudgementTime,
  clock = Math.floor(Date.now() / 1000),
): Finding {
  const exp = payload !== null && typeof payload === "object" ? (payload as { exp?: unknown }).exp : undefined;
  if (!Number.isInteger(exp))
    return finding(id, "passed", `information: the ${token} has no integer exp to tell its expiry by (${BASIS[time.basis]})`);
  const at = new Date((exp as number) * 1000).toISOString();
  const now =
    (exp as number) <= clock ? `expired at ${at}, ${clock - (exp as number)} s before this check ran` : `is still valid until ${at}`;
  return finding(id, "passed", `information: the ${token} ${now}; ${BASIS[time.basis]}`);
}
