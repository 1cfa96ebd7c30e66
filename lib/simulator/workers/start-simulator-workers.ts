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
import { createPublicKey, randomBytes, type KeyObject } from "node:crypto";
import { fileURLToPath } from "node:url";
import { armedRecords } from "../armed-records.ts";
import { endpointsFor, type Endpoints } from "../context.ts";
import { registerClient, type ClientRegistration, type RegisteredClient } from "../clients.ts";
import { isDefectId, type DefectId } from "../faults.ts";
import { signingKeyBits, simulatorKeys } from "../keys.ts";
import { PERSONAS, type Persona } from "../personas.ts";
import type { ArmRequest, SimulatorOptions } from "../start-simulator.ts";
import { SimulatorState, type SimulatorEvent } from "../state.ts";
import { STATE_OP_NAMES, stateOps, type StateOps } from "../state-ops.ts";
import { keyPems, type FromOwner, type ToOwner, type WorkerOptions } from "./_messages.ts";

export interface WorkersOptions {
  /** How many worker processes answer requests (1 to 64). */
  workers: number;
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

export async function startSimulatorWorkers(options: SimulatorOptions, workersOptions: WorkersOptions): Promise<SimulatorWorkers> {
  const count = workersOptions.workers;
  if (!Number.isInteger(count) || count < 1 || count > MAX_WORKERS)
    throw new TypeError(`workers must be a whole number from 1 to ${MAX_WORKERS}`);
  if (!cluster.isPrimary) throw new Error("startSimulatorWorkers runs in the primary process of node:cluster");
  const defects = new Set<DefectId>(options.defects ?? []);
  for (const d of defects) if (!isDefectId(d)) throw new TypeError(`unknown defect "${d}"`);
  const personas = options.personas ?? PERSONAS;
  // Judged here, before any worker starts (the workers judge them again as they start).
  for (const reg of options.clients ?? []) registerClient(reg);

  const state = new SimulatorState(options.limits);
  const ops = stateOps(state);
  let keys = await simulatorKeys(options.signingKey, defects);
  const controlSecret = options.controlSecret ?? randomBytes(32).toString("base64url");
  const workerOptions: WorkerOptions = {
    ...withoutLocalOnly(options),
    controlSecret,
    clients: (options.clients ?? []).map(crossable),
  };
  let stopping = false;
  const sweeper = setInterval(() => state.sweep(Math.floor(Date.now() / 1000)), 60_000);
  sweeper.unref();

  cluster.setupPrimary({ exec: fileURLToPath(new URL("./worker-main.ts", import.meta.url)), serialization: "advanced" });
  const live = new Set<Worker>();
  let defectsRound = 0;
  /** Workers yet to confirm a change of defects, by round: a worker that dies meanwhile counts as done. */
  const defectsAcks = new Map<number, { worker: Worker; done: () => void }>();

  async function setDefects(list: unknown): Promise<void> {
    if (!Array.isArray(list)) throw new TypeError("defects must be an array");
    for (const d of list) if (!isDefectId(d)) throw new TypeError(`unknown defect "${String(d)}"`);
    const bitsBefore = signingKeyBits(defects);
    defects.clear();
    for (const d of list as DefectId[]) defects.add(d);
    if (bitsBefore !== signingKeyBits(defects) && !options.signingKey) keys = await simulatorKeys(undefined, defects);
    const pems = keyPems(keys);
    await Promise.all(
      [...live].map(
        (w) =>
          new Promise<void>((resolve) => {
            const id = defectsRound++;
            defectsAcks.set(id, { worker: w, done: resolve });
            send(w, { t: "defects", id, keys: pems, defects: [...defects] });
          }),
      ),
    );
  }

  async function answer(w: Worker, id: number, op: string, args: unknown[]): Promise<void> {
    try {
      if (op === "setDefects") {
        await setDefects(args[0]);
        return send(w, { t: "answer", id });
      }
      if (!(STATE_OP_NAMES as readonly string[]).includes(op)) throw new TypeError(`no state operation "${op}"`);
      if (op === "record") {
        // Kept, journalled, and not sent back: the worker waits only to know it is kept.
        // Apart from the call: `onEvent?.(await …)` would not record at all without a journal.
        const kept = await ops.record(args[0] as SimulatorEvent);
        options.onEvent?.(kept);
        return send(w, { t: "answer", id });
      }
      const run = ops[op as keyof StateOps] as (...a: unknown[]) => Promise<unknown>;
      send(w, { t: "answer", id, value: await run(...args) });
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      send(w, { t: "answer", id, error: { name: e.name, message: e.message } });
    }
  }

  const started = new Promise<number>((resolve, reject) => {
    let listening = 0;
    let port = 0;
    cluster.on("listening", (_w, address) => {
      port = address.port;
      if (++listening === count) resolve(port);
    });
    cluster.on("exit", (w, code, signal) => {
      live.delete(w);
      for (const [id, ack] of defectsAcks) {
        if (ack.worker !== w) continue;
        defectsAcks.delete(id);
        ack.done();
      }
      if (stopping) return;
      if (listening < count) {
        reject(new Error(`a simulator worker stopped while starting (${signal ?? `exit code ${code}`})`));
        return;
      }
      // A worker that dies while serving is replaced; the state it shared lives on here.
      process.stderr.write(`simulator: worker ${w.id} stopped (${signal ?? `exit code ${code}`}); starting another\n`);
      fork();
    });
  });

  function fork(): void {
    const w = cluster.fork();
    live.add(w);
    w.on("message", (m: ToOwner) => {
      if (m.t === "ready") send(w, { t: "init", keys: keyPems(keys), defects: [...defects], options: workerOptions, worker: w.id });
      else if (m.t === "op") void answer(w, m.id, m.op, m.args);
      else if (m.t === "defects-set") {
        defectsAcks.get(m.id)?.done();
        defectsAcks.delete(m.id);
      } else if (m.t === "failed") process.stderr.write(`simulator: a worker could not start: ${m.message}\n`);
    });
  }

  for (let i = 0; i < count; i++) fork();
  let port: number;
  try {
    port = await started;
  } catch (err) {
    stopping = true;
    clearInterval(sweeper);
    for (const w of live) w.kill();
    throw err;
  }
  const url = `${options.tls ? "https" : "http"}://127.0.0.1:${port}`;
  const issuer = options.issuer ?? url;
  const usersScope = options.usersScope ?? `${issuer.replace(/\/$/, "")}/Users.retrieve`;
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
  if (w.isConnected()) w.send(m);
}

/** The options a worker can be sent: no signing key, event callback or shared state (they stay here). */
function withoutLocalOnly(options: SimulatorOptions): WorkerOptions {
  const { signingKey: _k, onEvent: _e, shared: _s, defects: _d, ...rest } = options;
  return rest;
}

/** A registration that crosses to another process: its public key as PEM. */
function crossable(reg: ClientRegistration): ClientRegistration {
  const key = reg.publicKey;
  if (typeof key === "string" || !isKeyObject(key)) return reg;
  const pub = key.type === "private" ? createPublicKey(key) : key;
  return { ...reg, publicKey: pub.export({ type: "spki", format: "pem" }).toString() };
}

function isKeyObject(k: unknown): k is KeyObject {
  return typeof k === "object" && k !== null && typeof (k as KeyObject).export === "function" && "asymmetricKeyType" in k;
}
