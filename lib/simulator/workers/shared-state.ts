/**
 * A worker's view of the state its owner keeps (`npm run simulator -- --workers N`): every state
 * operation is a message to the owner, which runs it and answers, so a worker that waits for the
 * answers to all it sent ({@link SharedState.flush}) knows the owner has run them. The
 * keys and defects are the owner's too: a worker asks the owner to change the defects, and the
 * owner tells every worker.
 *
 * @example
 * ```ts
 * // in a worker process of node:cluster
 * const { shared, options } = await sharedState(process)
 * const sim = await startSimulator({ ...options, defects: shared.defects, shared })
 * ```
 */
import { createPrivateKey } from "node:crypto";
import type { DefectId } from "../faults.ts";
import { signingKeyFrom, type SimulatorKeys } from "../keys.ts";
import { STATE_OP_NAMES, type StateOps } from "../state-ops.ts";
import type { FromOwner, KeyPems, ToOwner, WorkerOptions } from "./_messages.ts";

/** What a worker's simulator shares with the others (SimulatorOptions.shared). */
export interface SharedState {
  /** The owner's operations on the state. */
  ops: StateOps;
  /** The keys, the same in every worker. */
  keys: SimulatorKeys;
  /** This worker's number (node:cluster's), sent on every answer as `x-simulator-worker`. */
  worker: number;
  /** The defects the owner had when this worker started, and their `version` (counted by the owner). */
  defects: DefectId[];
  version: number;
  /** Ask the owner to set the defects in every worker (TypeError on an unknown one). */
  setDefects(defects: DefectId[]): Promise<void>;
  /** Called when the owner sets defects (and keys) in this worker. */
  onDefects(apply: (defects: DefectId[], keys: SimulatorKeys) => void): void;
  /** Resolves once the owner has run every operation this worker sent so far (a change of defects apart). */
  flush(): Promise<void>;
}

/** The channel to the owner: a cluster worker's `process`. */
export interface OwnerChannel {
  send(message: ToOwner): unknown;
  on(event: "message", listener: (message: FromOwner) => void): unknown;
}

/** Wait for the owner's options, keys and defects, then answer them with the view of its state. */
export async function sharedState(channel: OwnerChannel): Promise<{ shared: SharedState; options: WorkerOptions }> {
  let nextId = 0;
  const waiting = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  let applyDefects: ((defects: DefectId[], keys: SimulatorKeys) => void) | undefined;
  let applying: Promise<unknown> = Promise.resolve();
  let early: { defects: DefectId[]; keys: SimulatorKeys } | undefined;
  type Init = { keys: SimulatorKeys; defects: DefectId[]; version: number; options: WorkerOptions; worker: number };
  let resolveInit: (init: Init) => void;
  const init = new Promise<Init>((r) => {
    resolveInit = r;
  });

  channel.on("message", (m: FromOwner) => {
    if (m.t === "answers") {
      for (const a of m.items) {
        const w = waiting.get(a.id);
        if (!w) continue;
        waiting.delete(a.id);
        if (a.error) w.reject(a.error.name === "TypeError" ? new TypeError(a.error.message) : new Error(a.error.message));
        else w.resolve(a.value);
      }
    } else if (m.t === "init") {
      void keysFrom(m.keys).then((keys) =>
        resolveInit({ keys, defects: m.defects, version: m.version, options: m.options, worker: m.worker }),
      );
    } else if (m.t === "defects") {
      // Applied in the order sent (making keys takes a moment), and confirmed once applied; one that
      // comes before the simulator can apply it is kept, and applied as it starts (before it listens).
      applying = applying
        .then(() => keysFrom(m.keys))
        .then((keys) => {
          if (applyDefects) applyDefects(m.defects, keys);
          else early = { defects: m.defects, keys };
        })
        .catch((err: Error) => process.stderr.write(`simulator: a worker could not change its defects: ${err.message}\n`))
        .then(() => void channel.send({ t: "defects-set", id: m.id }));
    }
  });
  /** Operations sent and not yet answered, that `flush` waits for. */
  const tracked = new Set<Promise<unknown>>();
  // The operations of one turn of the event loop go in one message (under load, many requests' worth).
  let outgoing: [number, string, unknown[]][] = [];
  const sendOutgoing = () => {
    const calls = outgoing;
    outgoing = [];
    try {
      channel.send({ t: "ops", calls });
    } catch {
      // One call that cannot be sent (it cannot be cloned) fails alone.
      for (const call of calls) {
        try {
          channel.send({ t: "ops", calls: [call] });
        } catch (err) {
          waiting.get(call[0])?.reject(err as Error);
          waiting.delete(call[0]);
        }
      }
    }
  };
  /** Send one operation; `flush` waits for it unless `untracked` (a change of defects waits on its own). */
  const call = (op: string, args: unknown[], untracked = false) => {
    const answer = new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      outgoing.push([id, op, args]);
      if (outgoing.length === 1) setImmediate(sendOutgoing);
    });
    if (!untracked) {
      const settled: Promise<unknown> = answer.then(
        () => tracked.delete(settled),
        () => tracked.delete(settled),
      );
      tracked.add(settled);
    }
    return answer;
  };
  const ops = Object.fromEntries(STATE_OP_NAMES.map((op) => [op, (...args: unknown[]) => call(op, args)])) as unknown as StateOps;
  channel.send({ t: "ready" });
  const { keys, defects, version, options, worker } = await init;
  const shared: SharedState = {
    ops,
    worker,
    keys,
    defects,
    version,
    setDefects: async (list) => void (await call("setDefects", [list], true)),
    onDefects: (apply) => {
      applyDefects = apply;
      if (early) apply(early.defects, early.keys);
      early = undefined;
    },
    flush: async () => {
      // A microtask first: an event recorded in a route's `finally`, right after its reply was sent, is queued before this looks.
      await null;
      if (tracked.size > 0) await Promise.all([...tracked]);
    },
  };
  return { shared, options };
}

async function keysFrom(pems: KeyPems): Promise<SimulatorKeys> {
  const key = (pem: string, alg: "RS512" | "RS256") => signingKeyFrom(createPrivateKey(pem), alg);
  const [signing, attacker, next] = await Promise.all([
    key(pems.signing, pems.algs.signing),
    key(pems.attacker, pems.algs.attacker),
    key(pems.next, pems.algs.next),
  ]);
  return { signing, attacker, next };
}
