/**
 * Run the simulator on several processes (`npm run simulator -- --workers N`), for load tests on
 * a machine with more cores than one process can use: N workers (node:cluster) share one port and
 * answer the requests, and this process owns the state they share. Every state operation of a
 * worker (claim a code, a `jti`, an armed scenario; record an event) runs here, one at a time, so
 * a code is redeemed once and a `jti` used once whichever workers see them; a worker answers a
 * request only once this process has run what the request changed. Keys and defects are set here
 * and sent to every worker. Events are kept (and journalled) here.
 *
 * @example
 * ```ts
 * const sim = await startSimulatorWorkers({ port: 9000, clients }, { workers: 4 })
 * sim.arm({ faults: ["slow-token"], times: Infinity, every: 20, delayMs: 500 })
 * // ... a load test against sim.issuer ...
 * await sim.stop()
 * ```
 */
import cluster, { type Worker } from "node:cluster";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { armedRecords } from "../armed-records.ts";
import { endpointsFor, usersScopeFor, type Endpoints } from "../context.ts";
import { registerClient, type RegisteredClient } from "../clients.ts";
import { isDefectId, type DefectId } from "../faults.ts";
import { keysForDefects, simulatorKeys } from "../keys.ts";
import { PERSONAS, type Persona } from "../personas.ts";
import type { ArmRequest, SimulatorOptions } from "../start-simulator.ts";
import { SimulatorState, type SimulatorEvent } from "../state.ts";
import { STATE_OP_NAMES, stateOps, type StateOps } from "../state-ops.ts";
import { COMPILED } from "../../package-root.ts";
import { SimulatorWorkersError } from "../../errors/index.ts";
import { freePort } from "../../http/free-port.ts";
import { keyPems, type Answer, type FromOwner, type ToOwner, type WorkerOptions } from "./_messages.ts";

export interface WorkersOptions {
  /** How many worker processes answer requests (1 to 64). */
  workers: number;
  /**
   * Called when no worker is left and none will be started again (more than 5 stopped within a
   * minute): the simulator refuses every connection from then on. The CLI exits.
   */
  onAllStopped?: (reason: string) => void;
}

/** The running workers, seen from the process that owns their state. */
export interface SimulatorWorkers {
  readonly issuer: string;
  readonly url: string;
  readonly port: number;
  readonly controlSecret: string;
  readonly usersScope: string;
  readonly endpoints: Endpoints;
  readonly personas: readonly Persona[];
  readonly clients: ReadonlyMap<string, RegisteredClient>;
  /** How many workers answer requests. */
  readonly workers: number;
  /** The workers' process ids, as they are now (a worker that died is replaced by another). */
  readonly pids: readonly number[];
  /** Everything the workers saw, oldest first (within the limits). */
  readonly events: readonly SimulatorEvent[];
  /** Arm a scenario, as Simulator.arm. */
  arm(request: ArmRequest): void;
  /** Stop every worker, then stop owning the state. */
  stop(): Promise<void>;
}

/** The most workers one simulator runs. */
const MAX_WORKERS = 64;
/** How long a worker has to stop before it is killed (ms). */
const STOP_GRACE_MS = 3_000;
/** How long a worker has to confirm a change of defects before it is taken for stuck (ms). */
const DEFECTS_ACK_TIMEOUT_MS = 10_000;
/** How long the workers have to start (ms). */
const START_TIMEOUT_MS = 30_000;
/** Workers that die while serving are started again, up to this many a minute. */
const MAX_REPLACED_A_MINUTE = 5;

export async function startSimulatorWorkers(options: SimulatorOptions, workersOptions: WorkersOptions): Promise<SimulatorWorkers> {
  const count = workersOptions.workers;
  if (!Number.isInteger(count) || count < 1 || count > MAX_WORKERS)
    throw new TypeError(`workers must be a whole number from 1 to ${MAX_WORKERS}`);
  if (!cluster.isPrimary) throw new Error("startSimulatorWorkers runs in the primary process of node:cluster");
  const defects = new Set<DefectId>(options.defects ?? []);
  for (const d of defects) if (!isDefectId(d)) throw new TypeError(`unknown defect "${d}"`);
  const personas = options.personas ?? PERSONAS;
  // Judged here, before any worker starts (the workers judge them again as they start).
  const judged = (options.clients ?? []).map((reg) => ({ reg, publicKey: registerClient(reg).publicKey }));

  const state = new SimulatorState(options.limits);
  const ops = stateOps(state);
  let keys = await simulatorKeys(options.signingKey, defects);
  const controlSecret = options.controlSecret ?? randomBytes(32).toString("base64url");
  // A port chosen now, not 0: node:cluster closes the listener when its last worker is gone, and
  // a worker started after that would get another "any free port".
  let port = options.port || (await freePort());
  const workerOptions: WorkerOptions = {
    ...withoutLocalOnly(options),
    port,
    controlSecret,
    // Each public key as PEM, which crosses to another process (a KeyObject does not).
    clients: judged.map(({ reg, publicKey }) => ({ ...reg, publicKey: publicKey.export({ type: "spki", format: "pem" }).toString() })),
  };
  let stopping = false;
  const sweeper = setInterval(() => state.sweep(Math.floor(Date.now() / 1000)), 60_000);
  sweeper.unref();

  // worker-main.ts here, worker-main.js in the compiled package.
  const workerMain = fileURLToPath(new URL(`./worker-main.${COMPILED ? "js" : "ts"}`, import.meta.url));
  cluster.setupPrimary({ exec: workerMain, serialization: "advanced" });
  /** Every worker forked and not yet gone. */
  const live = new Set<Worker>();
  /** The workers told the defects and keys (sent `init`): the ones a change of defects is sent to. */
  const informed = new Set<Worker>();
  /** The workers serving (they said `started`). */
  const serving = new Set<Worker>();
  /** Counts changes of defects (and keys): a worker that started from an older one is sent the newest. */
  let version = 0;
  let defectsRound = 0;
  /** Workers yet to confirm a change of defects, by round: a worker that dies meanwhile counts as done. */
  const defectsAcks = new Map<number, { worker: Worker; done: () => void }>();
  /** Changes of defects one after the other (each may make new keys). */
  let defectsQueue: Promise<unknown> = Promise.resolve();
  const defectsMessage = (id: number): FromOwner => ({ t: "defects", id, version, keys: keyPems(keys), defects: [...defects] });

  function setDefects(list: unknown): Promise<void> {
    const change = defectsQueue.then(async () => {
      if (!Array.isArray(list)) throw new TypeError("defects must be an array");
      for (const d of list) if (!isDefectId(d)) throw new TypeError(`unknown defect "${String(d)}"`);
      const next = new Set(list as DefectId[]);
      // The new keys first, then defects, keys and version together: a worker told of them meanwhile
      // gets the old three, and a failure to make keys changes nothing.
      const nextKeys = await keysForDefects(keys, defects, next, options.signingKey);
      defects.clear();
      for (const d of next) defects.add(d);
      keys = nextKeys;
      version += 1;
      await Promise.all(
        [...informed].map(
          (w) =>
            new Promise<void>((resolve) => {
              const id = defectsRound++;
              // A worker that does not confirm in time is stuck: it is stopped (and replaced), and the change goes on.
              const stuck = setTimeout(() => w.kill("SIGKILL"), DEFECTS_ACK_TIMEOUT_MS);
              defectsAcks.set(id, {
                worker: w,
                done: () => {
                  clearTimeout(stuck);
                  resolve();
                },
              });
              send(w, defectsMessage(id));
            }),
        ),
      );
    });
    defectsQueue = change.catch(() => undefined);
    return change;
  }

  async function answer(w: Worker, id: number, op: string, args: unknown[]): Promise<void> {
    let value: unknown;
    try {
      if (op === "setDefects") await setDefects(args[0]);
      else if (!(STATE_OP_NAMES as readonly string[]).includes(op)) throw new TypeError(`no state operation "${op}"`);
      else if (op === "record") {
        // Kept, journalled, and not sent back: the worker waits only to know it is kept.
        const kept = await ops.record(args[0] as SimulatorEvent);
        try {
          options.onEvent?.(kept);
        } catch (err) {
          process.stderr.write(`simulator: an event is kept but not journalled: ${(err as Error).message}\n`);
        }
      } else value = await (ops[op as keyof StateOps] as (...a: unknown[]) => Promise<unknown>)(...args);
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      return reply(w, { id, error: { name: e.name, message: e.message } });
    }
    reply(w, { id, value });
  }

  // The answers of one turn of the event loop go to each worker in one message.
  const outbox = new Map<Worker, Answer[]>();
  function reply(w: Worker, a: Answer): void {
    let box = outbox.get(w);
    if (!box) {
      const items: Answer[] = [];
      box = items;
      outbox.set(w, items);
      setImmediate(() => {
        outbox.delete(w);
        sendAnswers(w, items);
      });
    }
    box.push(a);
  }
  function sendAnswers(w: Worker, items: Answer[]): void {
    try {
      send(w, { t: "answers", items });
    } catch {
      // One answer that cannot be sent (it cannot be cloned) fails alone.
      for (const a of items) {
        try {
          send(w, { t: "answers", items: [a] });
        } catch (err) {
          send(w, {
            t: "answers",
            items: [{ id: a.id, error: { name: "Error", message: `the answer could not be sent: ${(err as Error).message}` } }],
          });
        }
      }
    }
  }

  let failure: string | undefined;
  /** Until every worker serves: a worker that stops then fails the start, and is not replaced. */
  let starting = true;
  const replaced: number[] = [];
  let onStarted: (() => void) | undefined;
  let onStartFailed: ((err: Error) => void) | undefined;

  function fork(): void {
    const w = cluster.fork();
    live.add(w);
    w.on("message", (m: ToOwner) => {
      if (m.t === "ready") {
        if (stopping) return send(w, { t: "stop" });
        informed.add(w);
        send(w, { t: "init", version, keys: keyPems(keys), defects: [...defects], options: workerOptions, worker: w.id });
      } else if (m.t === "ops") for (const [id, op, args] of m.calls) void answer(w, id, op, args);
      else if (m.t === "started") {
        serving.add(w);
        // Defects changed while it started: it gets the newest now (nobody waits for it).
        if (m.version !== version) send(w, defectsMessage(-1));
        if (serving.size === count) onStarted?.();
      } else if (m.t === "defects-set") {
        defectsAcks.get(m.id)?.done();
        defectsAcks.delete(m.id);
      } else if (m.t === "failed") {
        failure = m.message;
        process.stderr.write(`simulator: a worker could not start: ${m.message}\n`);
      }
    });
    // A send to a worker that has just died fails with EPIPE: the worker's exit is what counts.
    w.on("error", (err) => {
      if (!stopping) process.stderr.write(`simulator: worker ${w.id}: ${err.message}\n`);
    });
    w.on("exit", (code, signal) => {
      live.delete(w);
      informed.delete(w);
      serving.delete(w);
      for (const [id, ack] of defectsAcks) {
        if (ack.worker !== w) continue;
        defectsAcks.delete(id);
        ack.done();
      }
      if (stopping) return;
      const how = signal ?? `exit code ${code}`;
      if (starting) {
        onStartFailed?.(new SimulatorWorkersError(`a simulator worker stopped while starting (${failure ?? how})`));
        return;
      }
      // A worker that dies while serving is replaced, unless they keep dying; the state lives on here.
      const now = Date.now();
      replaced.push(now);
      while (replaced.length > 0 && replaced[0]! < now - 60_000) replaced.shift();
      if (replaced.length > MAX_REPLACED_A_MINUTE) {
        process.stderr.write(
          `simulator: worker ${w.id} stopped (${how}); ${replaced.length} stopped within a minute, none started again\n`,
        );
        if (live.size === 0) workersOptions.onAllStopped?.(`every worker stopped (the last: ${how}), ${replaced.length} within a minute`);
        return;
      }
      process.stderr.write(`simulator: worker ${w.id} stopped (${how}); starting another\n`);
      fork();
    });
  }

  const startAll = () =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new SimulatorWorkersError(`the simulator's workers did not start within ${START_TIMEOUT_MS / 1000} s`)),
        START_TIMEOUT_MS,
      );
      onStarted = () => {
        clearTimeout(timer);
        resolve();
      };
      onStartFailed = (err) => {
        clearTimeout(timer);
        reject(err);
      };
      for (let i = 0; i < count; i++) fork();
    });
  const killAll = () =>
    Promise.all(
      [...live].map((w) => {
        const gone = new Promise<void>((r) => w.once("exit", () => r()));
        w.kill("SIGKILL");
        return gone;
      }),
    );
  for (let attempt = 1; ; attempt++) {
    try {
      await startAll();
      break;
    } catch (err) {
      onStartFailed = undefined;
      await killAll();
      // A port chosen here may have been taken before the workers listened: choose another, twice at most.
      if (!options.port && attempt < 3 && /EADDRINUSE/.test(failure ?? "")) {
        failure = undefined;
        port = await freePort();
        workerOptions.port = port;
        continue;
      }
      stopping = true;
      clearInterval(sweeper);
      throw err;
    }
  }
  starting = false;
  onStarted = undefined;
  onStartFailed = undefined;
  const url = `${options.tls ? "https" : "http"}://127.0.0.1:${port}`;
  const issuer = options.issuer ?? url;
  const usersScope = options.usersScope ?? usersScopeFor(issuer);
  const clients = new Map((options.clients ?? []).map((reg) => [reg.clientId, registerClient(reg, usersScope)]));

  return {
    issuer,
    url,
    port,
    controlSecret,
    usersScope,
    endpoints: endpointsFor(issuer),
    personas,
    clients,
    workers: count,
    get pids() {
      return [...live].map((w) => w.process.pid ?? 0);
    },
    get events() {
      return state.events;
    },
    arm: (request) => {
      const { scenario, perCall } = armedRecords(request, personas);
      state.arm(scenario, perCall);
    },
    stop: async () => {
      stopping = true;
      clearInterval(sweeper);
      await Promise.all(
        [...live].map(
          (w) =>
            new Promise<void>((resolve) => {
              const kill = setTimeout(() => w.kill("SIGKILL"), STOP_GRACE_MS);
              w.once("exit", () => {
                clearTimeout(kill);
                resolve();
              });
              send(w, { t: "stop" });
            }),
        ),
      );
    },
  };
}

function send(w: Worker, m: FromOwner): void {
  // A worker that died a moment ago still looks connected: the failed write ends on its "error" listener.
  if (w.isConnected()) w.send(m);
}

/** The options a worker can be sent: no signing key, event callback or shared state (they stay here). */
function withoutLocalOnly(options: SimulatorOptions): WorkerOptions {
  const { signingKey: _k, onEvent: _e, shared: _s, defects: _d, ...rest } = options;
  return rest;
}
