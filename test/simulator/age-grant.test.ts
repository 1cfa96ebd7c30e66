/**
 * lib/simulator/age-grant.ts on the simulator's own stores: the expiry of exactly the named code
 * or refresh token moves back, nothing else changes, and a malformed request is refused.
 */
import { describe, expect, it } from "vitest";
import { TEST_GRANT } from "./_helpers.ts";
import { ageGrant } from "../../lib/simulator/age-grant.ts";
import { SimulatorState } from "../../lib/simulator/state.ts";

const grant = TEST_GRANT;

function stores() {
  const state = new SimulatorState();
  state.codes.set("c1", { grant, expiresAt: 1600, used: false, issued: { accessJtis: [], refreshTokens: [] } });
  state.codes.set("c2", { grant, expiresAt: 1600, used: false, issued: { accessJtis: [], refreshTokens: [] } });
  state.refreshTokens.set("r1", { grant, expiresAt: 1000 + 30 * 86400 });
  return state;
}

describe("ageGrant", () => {
  it("moves back the expiry of the named code only", () => {
    const state = stores();
    expect(ageGrant(state, { code: "c1", seconds: 660 })).toBe(true);
    expect(state.codes.get("c1")!.expiresAt).toBe(940);
    expect(state.codes.get("c2")!.expiresAt).toBe(1600);
    expect(state.refreshTokens.get("r1")!.expiresAt).toBe(1000 + 30 * 86400);
  });

  it("moves back the expiry of the named refresh token, in whole seconds", () => {
    const state = stores();
    expect(ageGrant(state, { refreshToken: "r1", seconds: 86400.7 })).toBe(true);
    expect(state.refreshTokens.get("r1")!.expiresAt).toBe(1000 + 29 * 86400);
    expect(state.codes.get("c1")!.expiresAt).toBe(1600);
  });

  it("answers false for a grant it does not hold, without changing anything", () => {
    const state = stores();
    expect(ageGrant(state, { code: "r1", seconds: 60 })).toBe(false);
    expect(ageGrant(state, { refreshToken: "c1", seconds: 60 })).toBe(false);
    expect(state.codes.get("c1")!.expiresAt).toBe(1600);
  });

  it("refuses seconds that are not a positive number, and a request naming both or neither", () => {
    const state = stores();
    for (const seconds of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, "60" as unknown as number])
      expect(() => ageGrant(state, { code: "c1", seconds }), String(seconds)).toThrow(/seconds must be a positive number/);
    expect(() => ageGrant(state, { code: "c1", refreshToken: "r1", seconds: 5 })).toThrow(/exactly one of code and refreshToken/);
    expect(() => ageGrant(state, { seconds: 5 })).toThrow(/exactly one of code and refreshToken/);
    expect(state.codes.get("c1")!.expiresAt).toBe(1600);
  });
});
