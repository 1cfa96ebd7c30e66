/**
 * The one way a route lets faults and defects change what it does: it computes the conformant
 * value, then asks each active entry of the fault table (every defect switched on, in table
 * order, then the sign-in's armed faults, in armed order) for its hook at that point.
 *
 * @example
 * ```ts
 * const alg = applyHook(ctx, "signingAlgorithm", "RS512")                       // "RS256" under rs256-signing
 * const claims = applyHook(ctx, "idTokenClaims", payload, { grant, now, ttl }, grant.faults)
 * ```
 */
import { DEFECTS, DEFECT_IDS, FAULTS, type DefectId, type FaultEntry, type FaultId } from "../faults.ts";
import type { Hook, HookPoint, HookPoints } from "./hook-points.ts";

/** What is switched on: the simulator's defects. */
export interface ActiveDefects {
  readonly defects: ReadonlySet<DefectId>;
}

/** The defect table, read by hook point. */
const DEFECT_ENTRIES: Readonly<Record<DefectId, FaultEntry>> = DEFECTS;

type Rest<P extends HookPoint> = HookPoints[P]["env"] extends undefined
  ? [env?: undefined, faults?: readonly FaultId[]]
  : [env: HookPoints[P]["env"], faults?: readonly FaultId[]];

export function applyHook<P extends HookPoint>(
  active: ActiveDefects,
  point: P,
  value: HookPoints[P]["value"],
  ...[env, faults = []]: Rest<P>
): HookPoints[P]["value"] {
  // Called many times a request (77 call sites in the simulator): no closure made per call,
  // and a conformant simulator (no defect on) does not walk the defect table.
  let out = value;
  const at = env as HookPoints[P]["env"];
  if (active.defects.size > 0)
    for (const id of DEFECT_IDS) {
      const hook = active.defects.has(id) ? (DEFECT_ENTRIES[id].hooks[point] as Hook<P> | undefined) : undefined;
      if (hook) out = hook(out, at);
    }
  for (const id of faults) {
    const hook = FAULTS[id].hooks[point] as Hook<P> | undefined;
    if (hook) out = hook(out, at);
  }
  return out;
}

/** True when some active defect or fault has a hook at `point` (for routes that take another path altogether). */
export function isHooked(active: ActiveDefects, point: HookPoint, faults: readonly FaultId[] = []): boolean {
  return (
    (active.defects.size > 0 && DEFECT_IDS.some((id) => active.defects.has(id) && DEFECT_ENTRIES[id].hooks[point])) ||
    faults.some((id) => FAULTS[id].hooks[point])
  );
}
