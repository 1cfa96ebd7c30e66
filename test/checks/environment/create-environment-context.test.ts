import { runCheck } from "../../../lib/checks/run-check.ts";
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CODE_FLOW_CHECKS } from "../../../lib/checks/code-flow/checks.ts";
import { createEnvironmentContext, environmentGate } from "../../../lib/checks/environment/checks.ts";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });

describe("environment context capabilities", () => {
  it("without a registered redirect URI, the redirect-based checks are skipped with the reason, not failed", async () => {
    // Nothing listens at this issuer: a skipped check must not even try to reach it.
    const env = createEnvironmentContext({
      issuer: "http://127.0.0.1:1",
      simulator: false,
      harness: { clientId: "c", privateKey, redirectUri: "" },
    });
    try {
      const redirectBased = CODE_FLOW_CHECKS.filter((c) => c.needs?.includes("redirect-uri"));
      expect(redirectBased.length).toBeGreaterThan(20);
      for (const check of redirectBased) {
        const findings = await runCheck(check, env, environmentGate);
        expect(
          findings.every((f) => f.status === "skipped"),
          check.title,
        ).toBe(true);
        expect(findings[0]!.message).toMatch(/NHSLOGIN_REDIRECT_URI/);
      }
      expect(env.http.exchanges).toHaveLength(0);
    } finally {
      await env.http.close();
    }
  });

  it("against a real environment there is no unattended sign-in: code-flow checks skip unless a sign-in function is given", () => {
    const env = createEnvironmentContext({
      issuer: "https://auth.example.invalid",
      simulator: false,
      harness: { clientId: "c", privateKey, redirectUri: "http://127.0.0.1:8765/cb" },
    });
    expect(env.signIn).toBeUndefined();
    expect(env.unavailable["code-flow"]).toMatch(/assisted mode/);
    expect(env.unavailable["redirect-uri"]).toBeUndefined();
  });
});
