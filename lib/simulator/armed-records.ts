/**
 * Judge an arm request and build what it arms: a scenario for the next sign-in(s), and the
 * consumer faults that wait for a client's calls (Users V2 searches, Provision Account requests,
 * their token requests). Throws TypeError naming what is wrong; arms nothing itself.
 *
 * @example
 * ```ts
 * const { scenario, perCall } = armedRecords({ faults: ["slow-token"], delayMs: 500 }, PERSONAS)
 * state.arm(scenario, perCall)
 * ```
 */
import type { ArmRequest } from "./start-simulator.ts";
import type { ArmedCallFault, ArmedScenario } from "./state.ts";
import type { Persona } from "./personas.ts";
import { FAULT_IDS, FAULTS, isFaultId, type FaultInfo } from "./faults.ts";

/** What one arm request arms. */
export interface ArmedRecords {
  scenario?: ArmedScenario;
  perCall: ArmedCallFault[];
}

/** The longest delay a slow-answer fault may be armed with (ms). */
const MAX_DELAY_MS = 60_000;

/** The fault kinds armed per call, and the call each waits for. */
const PER_CALL: Partial<Record<FaultInfo["kind"], ArmedCallFault["on"]>> = {
  "users-v2-search": "search",
  "users-v2-token": "token",
  "pa-provision": "provision",
  "pa-token": "pa-token",
};

export function armedRecords(req: ArmRequest, personas: readonly Persona[]): ArmedRecords {
  for (const f of req.faults ?? []) if (!isFaultId(f)) throw new TypeError(`unknown fault "${String(f)}"`);
  if (req.persona !== undefined && !personas.some((p) => p.id === req.persona)) throw new TypeError(`unknown persona "${req.persona}"`);
  if (req.uplift !== undefined && req.uplift !== "P5" && req.uplift !== "P9") throw new TypeError('uplift must be "P5" or "P9"');
  const times = req.times ?? 1;
  if (!(times >= 1)) throw new TypeError("times must be at least 1");
  const every = req.every ?? 1;
  if (!Number.isInteger(every) || every < 1 || every > 1_000_000) throw new TypeError("every must be a whole number from 1 to 1000000");
  const share = every > 1 ? { every } : {};
  const { delayMs } = req;
  if (delayMs !== undefined && (!Number.isInteger(delayMs) || delayMs < 1 || delayMs > MAX_DELAY_MS))
    throw new TypeError(`delayMs must be a whole number of milliseconds from 1 to ${MAX_DELAY_MS}`);
  if (delayMs !== undefined && !(req.faults ?? []).some((f) => FAULTS[f].hooks.answerDelayMs))
    throw new TypeError(
      `delayMs applies to the slow answers (${FAULT_IDS.filter((f) => FAULTS[f].hooks.answerDelayMs).join(", ")}), and none is armed`,
    );
  // Consumer faults wait for the client's calls; the rest for its sign-ins.
  const perCall: ArmedCallFault[] = [];
  const signIn = (req.faults ?? []).filter((f) => PER_CALL[FAULTS[f].kind] === undefined);
  for (const f of req.faults ?? []) {
    const on = PER_CALL[FAULTS[f].kind];
    if (on === undefined) continue;
    perCall.push({
      fault: f,
      on,
      remaining: times,
      ...share,
      ...(req.clientId !== undefined ? { clientId: req.clientId } : {}),
      ...(delayMs !== undefined && FAULTS[f].hooks.answerDelayMs ? { delayMs } : {}),
    });
  }
  if (signIn.length === 0 && req.persona === undefined && req.uplift === undefined && (req.faults ?? []).length > 0) return { perCall };
  const scenario: ArmedScenario = { faults: signIn, remaining: times, ...share, ...(delayMs !== undefined ? { delayMs } : {}) };
  if (req.persona !== undefined) scenario.persona = req.persona;
  if (req.uplift !== undefined) scenario.uplift = req.uplift;
  if (req.clientId !== undefined) scenario.clientId = req.clientId;
  return { scenario, perCall };
}
