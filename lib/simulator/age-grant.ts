/**
 * The clock hook for one grant: make an authorization code or a refresh token look `seconds`
 * older than it is, by moving its expiry that far into the past. Unlike shifting the simulator's
 * clock, it touches nothing else, so checks of lifetimes can run beside others on one simulator.
 * A refresh token's rotation chain shares one expiry, so ageing the newest token ages the chain.
 *
 * @example
 * ```ts
 * ageGrant(sim.state, { code, seconds: 660 }) // true: the code is now 11 minutes old
 * ```
 */
import type { SimulatorState } from "./state.ts";

export interface AgeGrantRequest {
  /** An authorization code the simulator issued. */
  code?: string;
  /** A refresh token the simulator issued. */
  refreshToken?: string;
  /** How much older it becomes: a positive number of seconds. */
  seconds: number;
}

/** Age one code or refresh token; false when the simulator does not hold it. Throws TypeError on a malformed request. */
export function ageGrant(state: Pick<SimulatorState, "codes" | "refreshTokens">, request: AgeGrantRequest): boolean {
  const { code, refreshToken, seconds } = request;
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds <= 0) throw new TypeError("seconds must be a positive number");
  if ((code === undefined) === (refreshToken === undefined)) throw new TypeError("name exactly one of code and refreshToken");
  const record = code !== undefined ? state.codes.get(String(code)) : state.refreshTokens.get(String(refreshToken));
  if (!record) return false;
  record.expiresAt -= Math.floor(seconds);
  return true;
}
