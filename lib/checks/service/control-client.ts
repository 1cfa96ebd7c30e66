/**
 * The simulator's scenario control channel, over HTTP: arm faults, reset, read events. Workers
 * use only this; they never touch a simulator in their own process.
 *
 * @example
 * ```ts
 * const control = createControlClient(target.simulator, http)
 * await control.reset()
 * await control.arm({ faults: ["id-token-nonce-wrong"], clientId })
 * const events = await control.events()
 * ```
 */
import type { HttpClient } from "../../http/index.ts";
import type { SimulatorEvent } from "../../simulator/state.ts";
import type { FaultId } from "../../simulator/faults.ts";
import type { AgeGrantRequest } from "../../simulator/age-grant.ts";

export interface ControlArm {
  faults?: FaultId[];
  persona?: string;
  /** The person completes NHS login's uplift to this level during the sign-in (a step-up). */
  uplift?: "P5" | "P9";
  clientId?: string;
  /** Sign-ins (or Users V2 requests) it applies to; `null` keeps it armed until reset. */
  times?: number | null;
}

export interface ControlClient {
  arm(request: ControlArm): Promise<void>;
  reset(): Promise<void>;
  events(): Promise<SimulatorEvent[]>;
  /** Make one code or refresh token older (the simulator's clock hook for one grant); throws when it is unknown. */
  age(request: AgeGrantRequest): Promise<void>;
}

export function createControlClient(simulator: { url: string; controlSecret: string }, http: HttpClient): ControlClient {
  const base = `${simulator.url.replace(/\/$/, "")}/__control`;
  const headers = { authorization: `Bearer ${simulator.controlSecret}` };
  const expect = (status: number, what: string, res: { status: number; text: string }) => {
    if (res.status !== status) throw new Error(`simulator control ${what} answered ${res.status}: ${res.text.slice(0, 200)}`);
  };
  return {
    arm: async (request) => expect(204, "arm", await http.request({ method: "POST", url: `${base}/arm`, headers, json: request })),
    reset: async () => expect(204, "reset", await http.request({ method: "POST", url: `${base}/reset`, headers, json: {} })),
    age: async (request) => expect(204, "age", await http.request({ method: "POST", url: `${base}/age`, headers, json: request })),
    events: async () => {
      const res = await http.request({ method: "GET", url: `${base}/events`, headers });
      expect(200, "events", res);
      return res.json<{ events: SimulatorEvent[] }>().events;
    },
  };
}
