import { runCheck } from "../../../lib/checks/run-check.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOKEN_ENDPOINT_CHECKS } from "../../../lib/checks/token-endpoint/checks.ts";
import type { EnvironmentCheck } from "../../../lib/checks/environment/environment-check.ts";
import type { DefectId } from "../../../lib/simulator/faults.ts";
import { startTestEnvironment, statusOf, type TestEnvironment } from "../environment/_env.ts";

let t: TestEnvironment;
beforeAll(async () => {
  t = await startTestEnvironment();
});
afterAll(() => t.stop());

const keyOf = (c: EnvironmentCheck) => `${c.ids.join(" ")}: ${c.title}`;
const byTitle = (start: string) => {
  const c = TOKEN_ENDPOINT_CHECKS.find((x) => x.title.startsWith(start));
  if (!c) throw new Error(`no check titled "${start}..."`);
  return keyOf(c);
};

/** Each check, the defect that must break it, and the status it must then have. */
const BREAKS: Record<string, { defect: DefectId; expected: "failed" | "warning" }> = {
  [byTitle("an unknown authorization code")]: { defect: "token-wrong-error-codes", expected: "failed" },
  [byTitle("assertions whose aud")]: { defect: "token-lax-client-auth", expected: "failed" },
  [byTitle("assertions with sub different")]: { defect: "token-lax-client-auth", expected: "failed" },
  [byTitle("an expired assertion")]: { defect: "token-lax-client-auth", expected: "failed" },
  [byTitle("assertions signed by another key")]: { defect: "token-lax-client-auth", expected: "failed" },
  [byTitle("an RS256-signed assertion")]: { defect: "token-lax-client-auth", expected: "warning" },
  [byTitle("a replayed assertion jti")]: { defect: "token-lax-client-auth", expected: "warning" },
  [byTitle("a missing client_assertion_type")]: { defect: "token-lax-client-auth", expected: "failed" },
  [byTitle("a token request without private_key_jwt")]: { defect: "token-lax-client-auth", expected: "failed" },
  [byTitle("grant types other than")]: { defect: "token-wrong-error-codes", expected: "failed" },
  [byTitle("a token request with a JSON body")]: { defect: "token-accepts-json-body", expected: "failed" },
  [byTitle("an HTTP Basic header plus")]: { defect: "token-lax-client-auth", expected: "failed" },
  [byTitle("token errors are HTTP 400")]: { defect: "token-error-not-json", expected: "failed" },
  [byTitle("token errors carry Cache-Control")]: { defect: "token-no-cache-headers", expected: "warning" },
  [byTitle("a Users V2 jwt-bearer token response")]: { defect: "token-no-cache-headers", expected: "failed" },
};

/** Further defects that must also break a check (the error-code checks see every wrong code). */
const ALSO_BREAKS: { check: string; defect: DefectId; expected: "failed" | "warning" }[] = [
  { check: byTitle("an expired assertion"), defect: "token-wrong-error-codes", expected: "failed" },
  { check: byTitle("an HTTP Basic header plus"), defect: "token-error-not-json", expected: "failed" },
  { check: byTitle("an unknown authorization code"), defect: "token-error-not-json", expected: "failed" },
  { check: byTitle("a token request with a JSON body"), defect: "token-error-not-json", expected: "failed" },
];

async function withDefect<T>(defect: DefectId, fn: () => Promise<T>): Promise<T> {
  await t.sim.setDefects([defect]);
  try {
    return await fn();
  } finally {
    await t.sim.setDefects([]);
  }
}

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

  for (const c of TOKEN_ENDPOINT_CHECKS) {
    const key = keyOf(c);
    it(`${key} goes ${BREAKS[key]?.expected} with the ${BREAKS[key]?.defect} defect`, async () => {
      const b = BREAKS[key];
      expect(b, `no defect listed for ${key}`).toBeDefined();
      const { status, messages } = await withDefect(b!.defect, () => statusOf(c, t));
      expect(status, messages).toBe(b!.expected);
    });
  }

  for (const a of ALSO_BREAKS) {
    it(`${a.check} goes ${a.expected} with the ${a.defect} defect`, async () => {
      const c = TOKEN_ENDPOINT_CHECKS.find((x) => keyOf(x) === a.check)!;
      const { status, messages } = await withDefect(a.defect, () => statusOf(c, t));
      expect(status, messages).toBe(a.expected);
    });
  }

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
