/**
 * lib/checks/code-flow/lifetimes.ts: the ages in words, and the probes' paths a correct simulator
 * and the breakers (test/checks/environment/breakers.test.ts) do not take: no clock hook, no
 * refresh token, a refresh refused early. The verdicts on a correct simulator and under the
 * lifetime defects are in the breaker test.
 */
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CODE_FLOW_CHECKS } from "../../../lib/checks/code-flow/checks.ts";
import { codeLifetimeProbe, describeAge, PROBE_AGES, refreshLifetimeProbe } from "../../../lib/checks/code-flow/lifetimes.ts";
import { environmentGate, type EnvironmentContext } from "../../../lib/checks/environment/environment-check.ts";
import { runCheck } from "../../../lib/checks/run-check.ts";
import { startTestEnvironment, type TestEnvironment } from "../environment/_env.ts";

let t: TestEnvironment;
beforeAll(async () => {
  t = await startTestEnvironment();
});
afterAll(() => t.stop());

describe("describeAge", () => {
  it("names days, hours and minutes, and falls back to seconds", () => {
    expect(describeAge(PROBE_AGES.codeInside)).toBe("9 minutes");
    expect(describeAge(PROBE_AGES.codePast)).toBe("11 minutes");
    expect(describeAge(PROBE_AGES.refreshInside)).toBe("29 days");
    expect(describeAge(PROBE_AGES.refreshPast)).toBe("30 days and 1 hour");
    expect(describeAge(86400 + 7200 + 60)).toBe("1 day and 2 hours and 1 minute");
    expect(describeAge(45)).toBe("45 seconds");
  });
  it("keeps each age just inside or just past EIS Table 18's lifetimes", () => {
    expect(PROBE_AGES.codeInside).toBeLessThan(600);
    expect(PROBE_AGES.codePast).toBeGreaterThan(600);
    expect(PROBE_AGES.refreshInside).toBeLessThan(30 * 86400);
    expect(PROBE_AGES.refreshPast).toBeGreaterThan(30 * 86400);
  });
});

describe("the lifetime checks", () => {
  it("are skipped as manual checks, with instructions, where there is no clock hook (a real environment)", async () => {
    for (const key of ["code-lifetime", "refresh-lifetime"]) {
      const check = CODE_FLOW_CHECKS.find((c) => c.key === key)!;
      const env = { ...t.fresh(), ageGrant: undefined, unavailable: { clock: "no clock hook here" } };
      try {
        const findings = await runCheck(check, env, environmentGate);
        expect(findings.map((f) => f.status)).toEqual(check.ids.map(() => "skipped"));
        expect(findings[0]!.message).toMatch(/^manual check: no clock hook here\. (Sign in|Keep a refresh token)/);
      } finally {
        await env.http.close();
      }
    }
  });

  it("skip the refresh lifetime, with the reason, when the code exchange issues no refresh token", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const aged: unknown[] = [];
    const env = {
      ...t.fresh(),
      harness: { clientId: "rp", privateKey, redirectUri: "https://rp.example/cb" },
      discovery: async () => ({ token_endpoint: "https://op.example/token", authorization_endpoint: "https://op.example/authorize" }),
      signIn: async () => new URL("https://rp.example/cb?code=c1&state=s"),
      ageGrant: async (r: unknown) => void aged.push(r),
      http: {
        request: async () => ({ status: 200, headers: {}, text: JSON.stringify({ access_token: "a", token_type: "Bearer" }) }),
        close: async () => {},
      },
    } as unknown as EnvironmentContext;
    const findings = await refreshLifetimeProbe(env);
    expect(findings.map((f) => [f.requirement, f.status])).toEqual([
      ["FED-REFRESH-04", "skipped"],
      ["TTL-04", "skipped"],
    ]);
    expect(findings[0]!.message).toBe("the code exchange issued no refresh_token (optional, FED-TRESP-05; HTTP 200)");
    expect(aged).toEqual([]);
  });

  it("report a refusal inside the lifetime and stop there; pass both halves on a correct simulator", async () => {
    const env = t.fresh();
    try {
      const code = await codeLifetimeProbe(env);
      expect(code.map((f) => [f.requirement, f.status])).toEqual([
        ["TTL-01", "passed"],
        ["FED-ARESP-05", "passed"],
        ["TTL-01", "passed"],
      ]);
      const refresh = await refreshLifetimeProbe(env);
      expect(refresh.map((f) => [f.requirement, f.status])).toEqual([
        ["FED-REFRESH-04", "passed"],
        ["TTL-04", "passed"],
        ["FED-REFRESH-04", "passed"],
        ["TTL-04", "passed"],
      ]);
      expect(refresh[2]!.message).toMatch(/the newest refresh token of the chain made 30 days and 1 hour old was refused/);
    } finally {
      await env.http.close();
    }
  });
});
