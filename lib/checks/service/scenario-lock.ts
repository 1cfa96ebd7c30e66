/**
 * One browser at a time: scenarios arm faults and reset the one simulator, so they must not
 * overlap, neither inside a worker nor across workers. A promise chain serialises a worker; a
 * lock directory (atomic `mkdir`) serialises workers. A lock left by a dead process is taken over.
 *
 * @example
 * ```ts
 * const lock = createScenarioLock(target.lockDir)
 * const result = await lock.run(async () => runScenario())
 * ```
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

export interface ScenarioLock {
  run<T>(fn: () => Promise<T>): Promise<T>;
}

export function createScenarioLock(dir?: string, maxWaitMs = 300_000): ScenarioLock {
  let chain: Promise<unknown> = Promise.resolve();
  return {
    run<T>(fn: () => Promise<T>): Promise<T> {
      const next = chain.then(async () => {
        const release = dir ? await acquire(dir, maxWaitMs) : () => {};
        try {
          return await fn();
        } finally {
          release();
        }
      });
      chain = next.catch(() => {});
      return next;
    },
  };
}

async function acquire(dir: string, maxWaitMs: number): Promise<() => void> {
  const path = join(dir, "scenario.lock");
  const token = `${process.pid} ${randomUUID()}`;
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    try {
      mkdirSync(path);
      writeFileSync(join(path, "owner"), token);
      return () => {
        try {
          if (readFileSync(join(path, "owner"), "utf8") === token) rmSync(path, { recursive: true, force: true });
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    if (ownerIsDead(path)) rmSync(path, { recursive: true, force: true });
    if (Date.now() > deadline) throw new Error(`waited ${Math.round(maxWaitMs / 1000)} s for another scenario to finish`);
    await sleep(20);
  }
}

function ownerIsDead(path: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(path, "owner"), "utf8").split(" ")[0]);
  } catch {
    return false; // being written
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}
