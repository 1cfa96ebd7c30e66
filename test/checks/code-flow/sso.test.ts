/**
 * The single sign-on rule on crafted observations (the probe runs against the simulator in the
 * environment suite and its breakers).
 */
import { describe, expect, it } from "vitest";
import { SSO_IDS, ssoFindings, type SsoAnswer, type SsoObservation } from "../../../lib/checks/code-flow/sso.ts";

const code = (label: string, authTime: number, vot = "P9.Cp.Cd"): SsoAnswer => ({ label, status: 302, code: "c", authTime, vot });
const error = (label: string, e: string): SsoAnswer => ({ label, status: 302, error: e });
const good: SsoObservation = {
  first: code("first", 100),
  noneWithoutSession: error("prompt=none without a session", "sso_login_required"),
  noPromptWithSession: code("no prompt, with the session", 100),
  noneWithSession: code("prompt=none, with the session", 100),
  noneBeyondSession: error("prompt=none for P9.Cm", "sso_login_required"),
  loginWithSession: code("prompt=login, with the session", 101),
};
const by = (o: SsoObservation, id: string) => ssoFindings(o).filter((f) => f.requirement === id);

describe("ssoFindings", () => {
  it("passes silent SSO, prompt=none both ways, prompt=login asking again, and a session kept below its vectors", () => {
    for (const id of SSO_IDS)
      expect(
        by(good, id).map((f) => f.status),
        id,
      ).toEqual(id === "SSO-02" ? ["passed", "passed"] : ["passed"]);
  });

  it.each([
    ["SSO-01", { noPromptWithSession: code("no prompt, with the session", 101) }, /auth_time 101, not the session's 100/],
    ["SSO-02", { noneWithSession: error("prompt=none, with the session", "sso_login_required") }, /expected a code from the session/],
    ["SSO-02", { noneWithoutSession: code("prompt=none without a session", 101) }, /a code, although no one could be asked/],
    ["SSO-03", { loginWithSession: code("prompt=login, with the session", 100) }, /reused without asking/],
    ["VOT-10", { noneBeyondSession: code("prompt=none for P9.Cm", 100, "P9.Cm") }, /a code \(vot P9\.Cm\) without signing in again/],
  ])("flags %s", (id, change, message) => {
    const out = by({ ...good, ...change }, id).filter((f) => f.status !== "passed");
    expect(out.map((f) => f.status)).toEqual(["failed"]);
    expect(out[0]!.message).toMatch(message);
  });

  it("warns on prompt=none without a session answered with another error code", () => {
    const out = by({ ...good, noneWithoutSession: error("prompt=none without a session", "login_required") }, "SSO-02");
    expect(out.map((f) => f.status)).toEqual(["passed", "warning"]);
  });

  it("is inconclusive without a first sign-in to reuse, or when a request gave nothing to read", () => {
    const none = ssoFindings({ first: { label: "first", status: 200, problem: "HTTP 200 without a redirect" } });
    expect(none.map((f) => f.status)).toEqual(["inconclusive", "inconclusive", "inconclusive", "inconclusive"]);
    const lost = by({ ...good, loginWithSession: { label: "prompt=login", status: 500, problem: "HTTP 500" } }, "SSO-03");
    expect(lost.map((f) => f.status)).toEqual(["inconclusive"]);
  });
});
