/**
 * Servers under benchmark run in child processes, so the load generator (which signs client
 * assertions) and the server do not share one event loop.
 *
 * Protocol over the child's stdio, one JSON object per line:
 * - child → parent, first line: whatever the child wants to announce (issuer, URLs).
 * - parent → child `cpu`: the child answers `{"user":µs,"system":µs}` (its process.cpuUsage(),
 *   all threads, so the libuv pool doing WebCrypto work counts too).
 * - parent closes the child's stdin: the child stops its server and exits. A child whose parent
 *   dies therefore exits as well (its stdin closes).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";

// ---------------------------------------------------------------------------------------------
// Parent side

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort: whatever happens to the parent, no child outlives it.
  process.on("exit", () => {
    for (const c of live) {
      try {
        c.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
  });
}

export interface CpuTime {
  /** Microseconds of user + system CPU time. */
  micros: number;
}

export interface Child<T> {
  readonly info: T;
  readonly pid: number;
  /** CPU time the child has used so far (all its threads). */
  cpu(): Promise<CpuTime>;
  /** Ask the child to stop (stdin closed), then SIGTERM after 3 s and SIGKILL after 6 s. Idempotent. */
  stop(): Promise<void>;
}

function tsxImport(): string {
  try {
    return import.meta.resolve("tsx");
  } catch {
    return "tsx";
  }
}

/** Start `script` (a .ts file) under node + tsx and wait for its first stdout line (JSON). */
export async function startChild<T>(script: string, env: Record<string, string> = {}, readyTimeoutMs = 30_000): Promise<Child<T>> {
  installExitHook();
  // BENCH_PROFILE_DIR: every server child writes a V8 CPU profile there when it stops (open it in Chrome's DevTools).
  const profile = process.env.BENCH_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, "--import", tsxImport(), script], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, ...env },
  });
  live.add(child);
  // A child that is gone makes writes to its stdin fail (EPIPE, write after end): never fatal here.
  child.stdin!.on("error", () => undefined);
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => {
      live.delete(child);
      resolve();
    });
  });
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  const rl = createInterface({ input: child.stdout! });
  rl.on("line", (line) => {
    const w = waiters.shift();
    if (w) w(line);
    else lines.push(line);
  });
  const nextLine = (timeoutMs: number, what: string) =>
    new Promise<string>((resolve, reject) => {
      const queued = lines.shift();
      if (queued !== undefined) return resolve(queued);
      const timer = setTimeout(() => reject(new Error(`${script}: no ${what} within ${timeoutMs} ms`)), timeoutMs);
      const onExit = (code: number | null, signal: string | null) => {
        clearTimeout(timer);
        reject(new Error(`${script} exited (${code ?? signal}) before sending ${what}`));
      };
      child.once("exit", onExit);
      waiters.push((line) => {
        clearTimeout(timer);
        child.off("exit", onExit);
        resolve(line);
      });
    });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin?.end();
      const term = setTimeout(() => child.kill("SIGTERM"), 3_000);
      const kill = setTimeout(() => child.kill("SIGKILL"), 6_000);
      await exited;
      clearTimeout(term);
      clearTimeout(kill);
      rl.close();
    })());

  let info: T;
  try {
    child.once("error", (err) => process.stderr.write(`[bench] ${script}: ${err.message}\n`));
    info = JSON.parse(await nextLine(readyTimeoutMs, "ready line")) as T;
  } catch (err) {
    child.kill("SIGKILL");
    await exited;
    throw err;
  }
  return {
    info,
    pid: child.pid!,
    cpu: async () => {
      if (stopping || child.exitCode !== null || child.signalCode !== null || !child.stdin!.writable) {
        throw new Error(`${script} is stopped`);
      }
      child.stdin!.write("cpu\n");
      const { user, system } = JSON.parse(await nextLine(5_000, "cpu answer")) as { user: number; system: number };
      return { micros: user + system };
    },
    stop,
  };
}

// ---------------------------------------------------------------------------------------------
// Child side

/**
 * Announce `info`, answer `cpu` requests, and run `stop` then exit when stdin closes or on SIGTERM.
 * `cpu` is this process's CPU time unless the child counts more (its own children, say).
 */
export function serveParent(
  info: unknown,
  stop: () => Promise<void>,
  cpu: () => { user: number; system: number } = () => process.cpuUsage(),
): void {
  process.stdout.write(`${JSON.stringify(info)}\n`);
  let done = false;
  const finish = async () => {
    if (done) return;
    done = true;
    const guard = setTimeout(() => process.exit(1), 5_000);
    guard.unref();
    try {
      await stop();
    } finally {
      process.exit(0);
    }
  };
  const rl = createInterface({ input: process.stdin });
  rl.on("line", (line) => {
    if (line.trim() === "cpu") {
      const { user, system } = cpu();
      process.stdout.write(`${JSON.stringify({ user, system })}\n`);
    }
  });
  rl.on("close", () => void finish());
  process.on("SIGTERM", () => void finish());
  process.on("SIGINT", () => void finish());
}

/** Clock ticks per second of /proc's CPU times (getconf CLK_TCK; 100 on Linux unless told). */
let ticksPerSecond: number | undefined;

/** User + system CPU time of process `pid` so far, in µs, from /proc/<pid>/stat (Linux); 0 when it is gone. */
export function procCpuMicros(pid: number): number {
  ticksPerSecond ??= Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / ticksPerSecond;
  } catch {
    return 0;
  }
}
