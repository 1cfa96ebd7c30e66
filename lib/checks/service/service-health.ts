/**
 * Whether the service under test still answers, asked before and after every scenario. Before: a
 * bounded wait for SERVICE_READY_URL (default the start URL) to answer anything; a service that
 * stopped answering is restarted with SERVICE_RESTART_COMMAND when there is one, else the
 * scenario is not run (ServiceDownError, so its checks are inconclusive, naming the scenario after
 * which the service went down). After: a short wait; a service that no longer answers is recorded
 * as down, with the scenario that left it so, shared between workers through the lock directory.
 *
 * @example
 * ```ts
 * const health = createServiceHealth(target)
 * await health.before("error:access_denied")         // throws ServiceDownError when it is down
 * const down = await health.after("error:access_denied") // "the service stopped answering after error=access_denied: …"
 * ```
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ServiceDownError } from "../../errors/index.ts";
import { createHttpClient } from "../../http/index.ts";
import type { ServiceTarget } from "./service-target.ts";

export interface ServiceHealth {
  before(scenario: string): Promise<void>;
  /** Undefined while the service answers; else why it is down, naming `scenario`. */
  after(scenario: string): Promise<string | undefined>;
  close(): Promise<void>;
}

/** How long a scenario waits for the service to answer before it, and after it. */
export const READY_WAIT_MS = { before: 5000, after: 2000, restart: 60_000 } as const;

/** A scenario key, as a reader says it. */
export function describeScenario(key: string): string {
  if (key.startsWith("error:")) return key === "error:unknown-error" ? "an undefined error code" : `error=${key.slice(6)}`;
  if (key.startsWith("fault:")) return `the fault ${key.slice(6)}`;
  return `the ${key} scenario`;
}

export function createServiceHealth(
  target: ServiceTarget,
  waits: { before: number; after: number; restart: number } = READY_WAIT_MS,
): ServiceHealth {
  const url = target.readyUrl ?? target.startUrl;
  // A client of its own: these requests are not the service's exchanges, and each is short.
  const http = createHttpClient({
    timeoutMs: Math.min(target.http.timeoutMs, 3000),
    maxResponseBytes: target.http.maxResponseBytes,
    ...(target.http.ca ? { ca: target.http.ca } : {}),
  });
  const file = target.lockDir ? join(target.lockDir, "service-down.json") : undefined;
  let memory: string | undefined;
  const read = (): string | undefined => {
    if (!file) return memory;
    return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { reason: string }).reason : undefined;
  };
  const write = (reason: string | undefined) => {
    if (!file) memory = reason;
    else if (reason === undefined) rmSync(file, { force: true });
    else writeFileSync(file, JSON.stringify({ reason }));
  };

  // Test deployments named by host (target.resolve, like curl's --resolve) are asked at their address.
  const asked = new URL(url);
  const mapped = target.resolve?.[asked.hostname];
  const request =
    mapped !== undefined && asked.protocol === "http:"
      ? { method: "GET", url: Object.assign(new URL(url), { hostname: mapped }), headers: { host: asked.host } }
      : { method: "GET", url };

  /** Undefined once `url` answers anything within `ms`; else the last error. */
  async function waitForAnswer(ms: number): Promise<string | undefined> {
    const deadline = Date.now() + ms;
    let last = "no answer";
    do {
      try {
        await http.request(request);
        return undefined;
      } catch (err) {
        last = (err as Error).message;
      }
      await sleep(200);
    } while (Date.now() < deadline);
    return last;
  }

  async function restart(): Promise<string | undefined> {
    const command = target.restartCommand!;
    const exited = await new Promise<string | undefined>((resolve) => {
      const child = spawn(command, { shell: true, stdio: "ignore" });
      child.once("error", (err) => resolve(`SERVICE_RESTART_COMMAND could not be run: ${err.message}`));
      child.once("exit", (code) => resolve(code === 0 ? undefined : `SERVICE_RESTART_COMMAND exited with ${code}`));
    });
    if (exited) return exited;
    const still = await waitForAnswer(waits.restart);
    return still ? `after SERVICE_RESTART_COMMAND, GET ${url} still did not answer within ${waits.restart / 1000} s: ${still}` : undefined;
  }

  return {
    async before(scenario) {
      const down = read();
      if (down && !target.restartCommand) throw new ServiceDownError(`${describeScenario(scenario)} was not run: ${down}`);
      const problem = await waitForAnswer(down ? 0 : waits.before);
      if (!problem) return write(undefined);
      const why = down ?? `the service did not answer GET ${url} within ${waits.before / 1000} s: ${problem}`;
      if (target.restartCommand) {
        const failed = await restart();
        if (!failed) return write(undefined);
        write(`${why}; ${failed}`);
        throw new ServiceDownError(`${describeScenario(scenario)} was not run: ${why}; ${failed}`);
      }
      write(why);
      throw new ServiceDownError(`${describeScenario(scenario)} was not run: ${why}`);
    },
    async after(scenario) {
      const problem = await waitForAnswer(waits.after);
      if (!problem) return undefined;
      const why = `the service stopped answering after ${describeScenario(scenario)} (GET ${url}: ${problem})`;
      write(why);
      return why;
    },
    close: () => http.close(),
  };
}
