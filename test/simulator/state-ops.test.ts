import { describe, expect, it } from "vitest";
import { TEST_GRANT } from "./_helpers.ts";
import { SimulatorState } from "../../lib/simulator/state.ts";
import { STATE_OP_NAMES, stateOps } from "../../lib/simulator/state-ops.ts";

const grant = TEST_GRANT;

function withCode(code = "c1") {
  const state = new SimulatorState();
  const ops = stateOps(state);
  state.codes.set(code, { grant, expiresAt: 10_000, used: false, issued: { accessJtis: [], refreshTokens: [] } });
  const token = (jti: string) => state.accessTokens.set(jti, { kind: "federation", clientId: "rp", expiresAt: 10_000, grant });
  const refresh = (rt: string) => state.refreshTokens.set(rt, { grant, expiresAt: 10_000, code });
  return { state, ops, token, refresh };
}

describe("stateOps: each check and the change it guards run as one", () => {
  it("names every operation, for the workers' messages", () => {
    expect(Object.keys(stateOps(new SimulatorState())).sort()).toEqual([...STATE_OP_NAMES].sort());
  });

  it("claim sets a key once: a second use of the same jti is refused and keeps the first expiry", async () => {
    const { ops, state } = withCode();
    expect(await ops.claim("assertionJtis", "rp j1", 100)).toBe(true);
    expect(await ops.claim("assertionJtis", "rp j1", 200)).toBe(false);
    expect(state.assertionJtis.get("rp j1")).toBe(100);
  });

  it("take hands a pending sign-in to one caller only; stampUnlessWithin stamps one request per window", async () => {
    const { ops, state } = withCode();
    await ops.set("pending", "t1", { params: {}, expiresAt: 5 });
    expect(await ops.take("pending", "t1")).toEqual({ params: {}, expiresAt: 5 });
    expect(await ops.take("pending", "t1")).toBeUndefined();
    expect(await ops.stampUnlessWithin("provisionRequests", "9990000000", 10, 100)).toBeUndefined();
    expect(await ops.stampUnlessWithin("provisionRequests", "9990000000", 20, 100)).toBe(10);
    expect(state.provisionRequests.get("9990000000")).toBe(10);
    expect(await ops.stampUnlessWithin("provisionRequests", "9990000000", 110, 100)).toBe(10);
    expect(await ops.stampUnlessWithin("provisionRequests", "9990000000", 111, 0)).toBe(110);
    expect(state.provisionRequests.get("9990000000")).toBe(111);
  });

  it("redeemCode marks a code used; a replay revokes what it produced, and what it produces after", async () => {
    const { ops, state, token, refresh } = withCode();
    expect(await ops.redeemCode("c1", true)).toMatchObject({ replayed: false, grant });
    token("a1");
    refresh("r1");
    await ops.noteIssued("c1", "a1", "r1");
    expect(await ops.redeemCode("c1", true)).toMatchObject({ replayed: true });
    expect(state.accessTokens.get("a1")?.revoked).toBe(true);
    expect(state.refreshTokens.get("r1")?.invalid).toBe(true);
    // Issued by an exchange (or refresh) still signing when the replay came: revoked as it is noted.
    token("a2");
    refresh("r2");
    await ops.noteIssued("c1", "a2", "r2");
    expect(state.accessTokens.get("a2")?.revoked).toBe(true);
    expect(state.refreshTokens.get("r2")?.invalid).toBe(true);
    expect(await ops.redeemCode("nope", true)).toBeUndefined();
  });

  it("redeemCode without revokeOnReplay (the code-reuse defect) says replayed and revokes nothing", async () => {
    const { ops, state, token, refresh } = withCode();
    await ops.redeemCode("c1", false);
    token("a1");
    refresh("r1");
    await ops.noteIssued("c1", "a1", "r1");
    expect(await ops.redeemCode("c1", false)).toMatchObject({ replayed: true });
    expect(state.accessTokens.get("a1")?.revoked).toBeUndefined();
    expect(state.refreshTokens.get("r1")?.invalid).toBeUndefined();
  });

  it("noteIssued keeps the newest 100 of each kind", async () => {
    const { ops, state } = withCode();
    for (let i = 0; i < 105; i++) await ops.noteIssued("c1", `a${i}`, `r${i}`);
    const issued = state.codes.get("c1")!.issued;
    expect(issued.accessJtis).toHaveLength(100);
    expect(issued.accessJtis[0]).toBe("a5");
    expect(issued.refreshTokens.at(-1)).toBe("r104");
  });

  it("supersedeRefresh ends a refresh token once: of two rotations of the same token, one wins", async () => {
    const { ops, refresh } = withCode();
    refresh("r1");
    expect(await Promise.all([ops.supersedeRefresh("r1"), ops.supersedeRefresh("r1")])).toEqual([true, false]);
    expect(await ops.supersedeRefresh("unknown")).toBe(false);
  });

  it("takeScenario and takeCallFaults count an armed scenario down across callers", async () => {
    const { ops } = withCode();
    await ops.arm({ faults: ["id-token-nonce-wrong"], remaining: 2 }, [{ fault: "uev2-answer-slow", on: "search", remaining: 1 }]);
    expect((await ops.takeScenario("rp"))?.faults).toEqual(["id-token-nonce-wrong"]);
    expect((await ops.takeScenario("rp"))?.faults).toEqual(["id-token-nonce-wrong"]);
    expect(await ops.takeScenario("rp")).toBeUndefined();
    expect(await ops.takeCallFaults("rp", "search")).toEqual({ faults: ["uev2-answer-slow"] });
    expect(await ops.takeCallFaults("rp", "search")).toEqual({ faults: [] });
  });
});
