/** The messages between the owner of the simulator's state and its workers (private to workers/). */
import type { DefectId } from "../faults.ts";
import type { SimulatorKeys } from "../keys.ts";
import type { SimulatorOptions } from "../start-simulator.ts";

/** What a worker starts its simulator with: the options that cross a process (no keys, functions or state). */
export type WorkerOptions = Omit<SimulatorOptions, "signingKey" | "onEvent" | "shared" | "defects">;

/** The three keys as PKCS#8 PEM, and their algorithms. */
export interface KeyPems {
  signing: string;
  attacker: string;
  next: string;
  algs: { signing: "RS512" | "RS256"; attacker: "RS512" | "RS256"; next: "RS512" | "RS256" };
}

export interface Answer {
  id: number;
  value?: unknown;
  error?: { name: string; message: string };
}

export type ToOwner =
  | { t: "ready" }
  /** State operations, each `[id, op, args]`: those of one turn of the worker's event loop together. */
  | { t: "ops"; calls: [number, string, unknown[]][] }
  | { t: "started"; version: number }
  | { t: "defects-set"; id: number }
  | { t: "failed"; message: string };

export type FromOwner =
  | { t: "init"; version: number; keys: KeyPems; defects: DefectId[]; options: WorkerOptions; worker: number }
  | { t: "stop" }
  /** Answers to operations, in the order they were run: those of one turn of the owner's event loop together. */
  | { t: "answers"; items: Answer[] }
  /** A change of defects (`id` -1: not waited for), numbered by `version`. */
  | { t: "defects"; id: number; version: number; keys: KeyPems; defects: DefectId[] };

export function keyPems(keys: SimulatorKeys): KeyPems {
  const pem = (k: SimulatorKeys["signing"]) => k.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  return {
    signing: pem(keys.signing),
    attacker: pem(keys.attacker),
    next: pem(keys.next),
    algs: { signing: keys.signing.alg, attacker: keys.attacker.alg, next: keys.next.alg },
  };
}
