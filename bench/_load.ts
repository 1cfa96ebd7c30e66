/**
 * A closed-loop load generator: `concurrency` workers each run `task` back to back for a warm-up
 * and then a measured window. Only operations that start inside the window count; those still in
 * flight when it closes are awaited (bounded by the HTTP timeouts) but finish outside it, so
 * throughput = completed-in-window / window.
 */
import { performance } from "node:perf_hooks";

export interface LoadOptions {
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  task: () => Promise<void>;
  /** Optional hooks at the window edges (e.g. to read a child's CPU time). */
  onWindowStart?: () => Promise<void> | void;
  onWindowEnd?: () => Promise<void> | void;
}

export interface LoadResult {
  /** Operations that started and finished inside the measured window. */
  completed: number;
  /** Seconds of the measured window. */
  seconds: number;
  /** Latencies (ms) of the operations that started in the window, sorted ascending. */
  latencies: number[];
  /** Failed operations, warm-up included. */
  errors: number;
  /** Up to five distinct error messages with their counts. */
  errorSamples: { message: string; count: number }[];
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const t0 = performance.now();
  const windowStart = t0 + opts.warmupMs;
  const windowEnd = windowStart + opts.durationMs;
  const latencies: number[] = [];
  let completed = 0;
  let errors = 0;
  const samples = new Map<string, number>();

  const edges = (async () => {
    await sleep(opts.warmupMs);
    await opts.onWindowStart?.();
    await sleep(Math.max(0, windowEnd - performance.now()));
    await opts.onWindowEnd?.();
  })();

  const worker = async () => {
    while (performance.now() < windowEnd) {
      const begin = performance.now();
      try {
        await opts.task();
        const end = performance.now();
        if (begin >= windowStart) {
          latencies.push(end - begin);
          if (end <= windowEnd) completed += 1;
        }
      } catch (err) {
        errors += 1;
        const message = describe(err);
        if (samples.has(message) || samples.size < 5) samples.set(message, (samples.get(message) ?? 0) + 1);
      }
    }
  };
  await Promise.all([...Array.from({ length: opts.concurrency }, worker), edges]);
  latencies.sort((a, b) => a - b);
  return {
    completed,
    seconds: opts.durationMs / 1000,
    latencies,
    errors,
    errorSamples: [...samples].map(([message, count]) => ({ message, count })),
  };
}

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return `${typeof code === "string" ? `${code}: ` : ""}${err.message}`.slice(0, 300);
  }
  return String(err).slice(0, 300);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
