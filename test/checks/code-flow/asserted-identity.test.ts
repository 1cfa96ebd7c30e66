/**
 * The asserted_login_identity rule of lib/checks/code-flow/asserted-identity.ts on crafted
 * observations (the probe runs against the simulator in the environment suite and its breakers).
 */
import { describe, expect, it } from "vitest";
import {
  ASSERTED_IDENTITY_IDS,
  type AssertedIdentityObservation,
  assertedIdentityFindings,
} from "../../../lib/checks/code-flow/asserted-identity.ts";
import type { SsoAnswer } from "../../../lib/checks/code-flow/sso.ts";

const code = (label: string, authTime: number): SsoAnswer => ({ label, status: 302, code: "c", authTime, jti: "j" });
const error = (label: string, e = "sso_login_required"): SsoAnswer => ({ label, status: 302, error: e });
const good: AssertedIdentityObservation = {
  first: code("first", 100),
  honoured: code("honoured", 100),
  reused: error("reused"),
  longLived: error("long"),
  future: error("future", "login_required"),
  unconfigured: error("other client"),
};
const pairs = (o: AssertedIdentityObservation) => assertedIdentityFindings(o).map((f) => [f.requirement, f.status]);

describe("assertedIdentityFindings", () => {
  it("passes a silent honoured assertion and three refusals", () => {
    expect(pairs(good)).toEqual([
      ["SSO-11", "passed"],
      ["SSO-09", "passed"],
      ["TTL-05", "passed"],
      ["SSO-06", "passed"],
      ["TTL-05", "passed"],
      ["SSO-06", "passed"],
      ["TTL-05", "passed"],
      ["SSO-11", "passed"],
    ]);
    expect(assertedIdentityFindings(good)[1]!.message).toBe("reused: not honoured (error=sso_login_required)");
  });

  it("counts a code from a new authentication as a refusal", () => {
    const f = assertedIdentityFindings({ ...good, reused: code("reused", 107) });
    expect(f[1]).toMatchObject({
      requirement: "SSO-09",
      status: "passed",
      message: "reused: not honoured (a new authentication (auth_time 107))",
    });
  });

  it.each([
    ["reused", ["SSO-09", "TTL-05"]],
    ["longLived", ["SSO-06", "TTL-05"]],
    ["future", ["SSO-06", "TTL-05"]],
    ["unconfigured", ["SSO-11"]],
  ] as const)("fails a silent sign-in on the %s assertion under %j", (key, ids) => {
    const findings = assertedIdentityFindings({ ...good, [key]: code(key, 100) });
    const failed = findings.filter((f) => f.status === "failed");
    expect(failed.map((f) => f.requirement)).toEqual(ids);
    for (const f of failed)
      expect(f.message).toBe(`${key}: a code with the first sign-in's auth_time 100 (silent sign-in), expected a refusal`);
  });

  it("is inconclusive for a refusal of the request itself (not one of prompt=none's errors)", () => {
    const f = assertedIdentityFindings({ ...good, unconfigured: error("other client", "invalid_scope") });
    expect(f.at(-1)).toMatchObject({
      requirement: "SSO-11",
      status: "inconclusive",
      message: "other client: error=invalid_scope, a refusal of the request itself, so the assertion was not judged",
    });
  });

  it("skips the unconfigured pair with the reason when there is no second client", () => {
    const f = assertedIdentityFindings({ ...good, unconfigured: { skipped: "no second client" } });
    expect(f.at(-1)).toMatchObject({ requirement: "SSO-11", status: "skipped", message: "no second client" });
  });

  it("is inconclusive for an answer it could not read", () => {
    const f = assertedIdentityFindings({ ...good, longLived: { label: "long", status: 500, problem: "HTTP 500 without a redirect" } });
    expect(f.filter((x) => x.status === "inconclusive").map((x) => [x.requirement, x.message])).toEqual([
      ["SSO-06", "long: HTTP 500 without a redirect"],
      ["TTL-05", "long: HTTP 500 without a redirect"],
    ]);
  });

  it("fails SSO-11 and leaves the refusals inconclusive when a valid assertion is not honoured", () => {
    for (const honoured of [error("honoured"), code("honoured", 101)]) {
      const f = assertedIdentityFindings({ ...good, honoured });
      expect(f.map((x) => [x.requirement, x.status])).toEqual([
        ["SSO-11", "failed"],
        ["SSO-06", "inconclusive"],
        ["SSO-09", "inconclusive"],
        ["TTL-05", "inconclusive"],
      ]);
      expect(f[0]!.message).toMatch(
        /^honoured: not honoured \((error=sso_login_required|auth_time 101, not 100)\), expected a silent sign-in$/,
      );
      expect(f[1]!.message).toMatch(/^no valid asserted_login_identity was honoured/);
    }
    const unread = assertedIdentityFindings({ ...good, honoured: { label: "honoured", status: 0, problem: "no redirect" } });
    expect(unread[0]).toMatchObject({ requirement: "SSO-11", status: "inconclusive", message: "honoured: no redirect" });
  });

  it("is inconclusive for every ID when the first sign-in gave nothing to name", () => {
    for (const first of [
      error("first", "access_denied"),
      { ...code("first", 100), jti: undefined },
      { label: "first", status: 0, problem: "down" },
    ]) {
      const f = assertedIdentityFindings({ first });
      expect(f.map((x) => x.requirement)).toEqual([...ASSERTED_IDENTITY_IDS]);
      expect(f.every((x) => x.status === "inconclusive" && x.message.startsWith("no sign-in to assert: first gave nothing"))).toBe(true);
    }
  });
});
