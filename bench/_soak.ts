/**
 * Figure 7: the simulator's resident memory over a long mixed run. Workers repeat one unit (a
 * code flow, a Users V2 token and search, and five malformed requests: ten requests) until the
 * total is reached, while the simulator child's RSS is sampled from /proc; then its event log is
 * read for what its limits dropped (lib/simulator/limits.ts).
 */
import { readFileSync } from "node:fs";
import { request } from "undici";
import { codeFlow, MALFORMED_COUNT, malformedRequests, usersV2Flow, type SimulatorTarget } from "./_flows.ts";

/** The documented ceiling for the resident memory after 100,000 mixed requests (README, bench/README.md). */
export const SOAK_CEILING_MIB = 300;

export interface SoakResult {
  requests: number;
  seconds: number;
  errors: number;
  firstError?: string;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  rssPeakMiB: number;
  eventLogBytes?: number;
  dropped?: Record<string, number>;
}

/** Resident memory of `pid` in MiB (NaN off Linux). */
function rssMiB(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** Run `units` units (10 requests each) with `concurrency` workers against the simulator child `pid`. */
export async function runSoak(
  t: SimulatorTarget,
  pid: number,
  controlSecret: string,
  units: number,
  concurrency: number,
): Promise<SoakResult> {
  const perUnit = 3 + 2 + MALFORMED_COUNT;
  const rssBeforeMiB = rssMiB(pid);
  let peak = rssBeforeMiB;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMiB(pid));
  }, 250);
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const worker = async () => {
    while (next < units) {
      next++;
      try {
        await codeFlow(t);
        await usersV2Flow(t);
        await malformedRequests(t);
      } catch (err) {
        errors++;
        firstError ??= (err as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const rssAfterMiB = rssMiB(pid);
  const res = await request(`${t.url}/__control/events`, { headers: { authorization: `Bearer ${controlSecret}` } });
  const body = (await res.body.json()) as { eventLogBytes?: number; dropped?: Record<string, number> };
  return {
    requests: units * perUnit,
    seconds,
    errors,
    ...(firstError ? { firstError } : {}),
    rssBeforeMiB,
    rssAfterMiB,
    rssPeakMiB: Math.max(peak, rssAfterMiB),
    ...(body.eventLogBytes !== undefined ? { eventLogBytes: body.eventLogBytes } : {}),
    ...(body.dropped ? { dropped: body.dropped } : {}),
  };
}

/** The figure's lines. */
export function soakLines(r: SoakResult): string[] {
  const mib = (n: number) => (Number.isFinite(n) ? `${n.toFixed(0)} MiB` : "n/a");
  const dropped = Object.entries(r.dropped ?? {})
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`);
  return [
    `7. soak: ${r.requests.toLocaleString("en-GB")} mixed requests (code flow, Users V2 token and search, five malformed) ` +
      `in ${r.seconds.toFixed(1)} s (${Math.round(r.requests / r.seconds)} req/s), ${r.errors} errors`,
    `   simulator RSS: before ${mib(r.rssBeforeMiB)}, after ${mib(r.rssAfterMiB)}, peak ${mib(r.rssPeakMiB)}; ` +
      `ceiling ${SOAK_CEILING_MIB} MiB: ${r.rssPeakMiB <= SOAK_CEILING_MIB ? "within" : "OVER"}`,
    `   event log ${r.eventLogBytes === undefined ? "n/a" : `${(r.eventLogBytes / 1024 / 1024).toFixed(1)} MiB`}; ` +
      `dropped by the limits: ${dropped.length > 0 ? dropped.join(", ") : "nothing"}`,
    ...(r.firstError ? [`   first error: ${r.firstError.slice(0, 200)}`] : []),
  ];
}
