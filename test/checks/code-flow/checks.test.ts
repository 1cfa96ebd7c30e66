/**
 * The code-flow checks as a suite runs them: they share sign-ins, and they skip with the reason
 * what the configuration does not allow. That each check passes on a correct simulator and fails
 * under its breakers is proven for every requirement in test/checks/environment/breakers.test.ts.
 */
import { LEVELS, LEVEL_SCOPE_SETS } from "../../../lib/checks/code-flow/claims-by-level.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CODE_FLOW_CHECKS } from "../../../lib/checks/code-flow/checks.ts";
import { environmentGate } from "../../../lib/checks/environment/environment-check.ts";
import { runCheck } from "../../../lib/checks/run-check.ts";
import { type BreakableEnvironment, METADATA_SCOPES, startBreakableEnvironment } from "../environment/_breaker-env.ts";

let b: BreakableEnvironment;
beforeAll(async () => {
  b = await startBreakableEnvironment();
});
afterAll(() => b.stop());

describe("code-flow checks as a suite runs them", () => {
  it("share sign-ins: 3, 2 for code binding, 1 per level and scope set, 4 for SSO, 3 for lifetimes, 2 asserted", async () => {
    const env = { ...b.t.fresh(), scopes: METADATA_SCOPES };
    const signIns = () => b.t.sim.events.filter((e) => e.type === "authorize" && e.detail.outcome === "code").length;
    const before = signIns();
    try {
      for (const c of CODE_FLOW_CHECKS) await runCheck(c, env, environmentGate);
    } finally {
      await env.http.close();
    }
    // The single sign-on probe: a first sign-in, then three answered with a code (silent, prompt=none, prompt=login);
    // the lifetime probes: two codes and one refresh token of their own; asserted_login_identity: a sign-in and a silent one.
    // And one without client_metadata, for PATCH /userinfo; one per level for client_metadata (SCOPE-11).
    expect(signIns() - before).toBe(3 + 2 + LEVELS.length * LEVEL_SCOPE_SETS.length + 4 + 3 + 2 + 1 + LEVELS.length);
  });

  it("skip PATCH /userinfo with the reason when client_metadata is not among the scopes", async () => {
    const c = CODE_FLOW_CHECKS.find((x) => x.ids.includes("FED-UIP-01"))!;
    const env = b.t.fresh();
    try {
      const findings = await runCheck(c, env, environmentGate);
      expect(findings.every((f) => f.status === "skipped" && /client_metadata/.test(f.message))).toBe(true);
    } finally {
      await env.http.close();
    }
  });

  it("skip, not fail, the sign-in checks when code-flow is unavailable (assisted mode under CI)", async () => {
    const env = { ...b.t.fresh(), unavailable: { "code-flow": "assisted sign-in needs a person; skipped under CI" } };
    try {
      for (const c of CODE_FLOW_CHECKS.filter((x) => x.needs?.includes("code-flow"))) {
        const findings = await runCheck(c, env, environmentGate);
        expect(
          findings.every((f) => f.status === "skipped"),
          c.key,
        ).toBe(true);
      }
    } finally {
      await env.http.close();
    }
  });
});
