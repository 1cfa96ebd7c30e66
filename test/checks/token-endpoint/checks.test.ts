import { runCheck } from "../../../lib/checks/run-check.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOKEN_ENDPOINT_CHECKS } from "../../../lib/checks/token-endpoint/checks.ts";
import type { EnvironmentCheck } from "../../../lib/checks/environment/environment-check.ts";
import { startTestEnvironment, statusOf, type TestEnvironment } from "../environment/_env.ts";

let t: TestEnvironment;
beforeAll(async () => {
  t = await startTestEnvironment();
});
afterAll(() => t.stop());

const keyOf = (c: EnvironmentCheck) => `${c.ids.join(" ")}: ${c.title}`;

// What breaks each check, and the reason it must then give, is in test/breakers.ts (run by
// test/checks/environment/breakers.test.ts).
describe("token endpoint checks as data", () => {
  it("has distinct titles", () => {
    expect(new Set(TOKEN_ENDPOINT_CHECKS.map(keyOf)).size).toBe(TOKEN_ENDPOINT_CHECKS.length);
  });

  it("every check passes on a correct simulator", async () => {
    for (const c of TOKEN_ENDPOINT_CHECKS) {
      const { status, messages } = await statusOf(c, t);
      expect(status, `${keyOf(c)}\n${messages}`).toBe("passed");
    }
  });

  it("fed-token-02 does not probe client_credentials with a client that is also the Provision Account client", async () => {
    const check = TOKEN_ENDPOINT_CHECKS.find((c) => c.key === "fed-token-02")!;
    const { environmentGate } = await import("../../../lib/checks/environment/environment-check.ts");
    const shared = { ...t.env, provisionAccount: { ...t.env.provisionAccount!, clientId: t.env.harness!.clientId } };
    const findings = await runCheck(check, shared, environmentGate);
    expect(findings.map((f) => f.message).join("\n")).not.toMatch(/client_credentials/);
    expect(findings.some((f) => f.status === "passed" && /grant_type=password/.test(f.message))).toBe(true);
    const apart = await runCheck(check, t.env, environmentGate);
    expect(apart.some((f) => f.status === "passed" && /grant_type=client_credentials/.test(f.message))).toBe(true);
  });

  it("without a harness client every check is skipped with the reason", async () => {
    const { environmentGate } = await import("../../../lib/checks/environment/environment-check.ts");
    const env = { ...t.env, unavailable: { "harness-client": "no harness client configured" } };
    for (const c of TOKEN_ENDPOINT_CHECKS) {
      const findings = await runCheck(c, env, environmentGate);
      expect(findings.length).toBeGreaterThan(0);
      expect(
        findings.every((f) => f.status === "skipped" && f.message.includes("no harness client")),
        keyOf(c),
      ).toBe(true);
    }
  });

  it("a check against an endpoint that is not there is inconclusive with the reason instead of crashing", async () => {
    const { createEnvironmentContext } = await import("../../../lib/checks/environment/create-environment-context.ts");
    const { environmentGate } = await import("../../../lib/checks/environment/environment-check.ts");
    const env = createEnvironmentContext({
      issuer: "http://127.0.0.1:9",
      simulator: false,
      harness: t.env.harness!,
      usersScope: "x",
      http: { timeoutMs: 2000 },
    });
    try {
      for (const c of TOKEN_ENDPOINT_CHECKS) {
        const findings = await runCheck(c, env, environmentGate);
        expect(
          findings.map((f) => f.status),
          keyOf(c),
        ).toEqual(c.ids.map(() => "inconclusive"));
        expect(findings[0]!.message).toMatch(/could not complete: discovery document unavailable/);
      }
    } finally {
      await env.http.close();
    }
  });

  it("leaves no state behind: after every check the harness client can still sign in and redeem a code", async () => {
    for (const c of TOKEN_ENDPOINT_CHECKS) await statusOf(c, t);
    const env = t.fresh();
    try {
      const { tokenProber } = await import("../../../lib/checks/token-endpoint/probes.ts");
      const p = await tokenProber(env);
      const redirect = await env.signIn!({
        client_id: p.clientId,
        response_type: "code",
        scope: "openid",
        redirect_uri: env.harness!.redirectUri,
        state: "s",
        nonce: "n",
        vtr: JSON.stringify(env.vtr),
      });
      const code = redirect.searchParams.get("code");
      expect(code, redirect.toString()).toBeTruthy();
      const reply = await p.postForm({
        grant_type: "authorization_code",
        code: code!,
        redirect_uri: env.harness!.redirectUri,
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: await p.assertion(),
      });
      expect(reply.status, reply.text).toBe(200);
    } finally {
      await env.http.close();
    }
  });

  it("every probe of a check uses a fresh jti except the replay probe", async () => {
    t.sim.reset();
    const before = 0;
    for (const c of TOKEN_ENDPOINT_CHECKS) await statusOf(c, t);
    const jtis = t.sim.events
      .slice(before)
      .filter((e) => e.type === "token")
      .map((e) => (e.detail.assertion as { payload?: { jti?: unknown } } | undefined)?.payload?.jti)
      .filter((j): j is string => typeof j === "string");
    const counts = new Map<string, number>();
    for (const j of jtis) counts.set(j, (counts.get(j) ?? 0) + 1);
    const repeated = [...counts.values()].filter((n) => n > 1);
    expect(jtis.length).toBeGreaterThan(10);
    expect(repeated).toEqual([2]); // the replay probe, and only it
  });
});
