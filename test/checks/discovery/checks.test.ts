import { runCheck } from "../../../lib/checks/run-check.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DISCOVERY_CHECKS } from "../../../lib/checks/discovery/checks.ts";
import { startTestEnvironment, statusOf, type TestEnvironment } from "../environment/_env.ts";

let t: TestEnvironment;
beforeAll(async () => {
  t = await startTestEnvironment();
});
afterAll(() => t.stop());

// What breaks each check, and the reason it must then give, is in test/breakers.ts (run by
// test/checks/environment/breakers.test.ts).
describe("discovery checks as data", () => {
  // What the plain-http simulator, which offers no FIDO UAF, gives nothing to judge for.
  const SKIPPED: Record<string, RegExp> = {
    "tls-versions": /serves plain http on loopback \(the embedded simulator\): no TLS to judge/,
    "fed-disc-04": /discovery names no FIDO UAF endpoint: this environment offers no FIDO UAF/,
  };

  it("every check passes (or only warns about loopback http) on a correct simulator; TLS and FIDO are skipped", async () => {
    for (const c of DISCOVERY_CHECKS) {
      const { status, messages } = await statusOf(c, t);
      if (SKIPPED[c.key]) {
        expect(status, messages).toBe("skipped");
        expect(messages).toMatch(SKIPPED[c.key]!);
        continue;
      }
      expect(["passed", "warning"], messages).toContain(status);
      expect(messages).not.toMatch(/ failed:/);
    }
  });

  it("the TLS check passes on the simulator's https mode", async () => {
    const { makeRunCertificates } = await import("../../../lib/simulator/tls/make-run-certificates.ts");
    const c = await makeRunCertificates();
    const secure = await startTestEnvironment({ tls: { cert: c.certPem, key: c.keyPem } }, { ca: c.caPem });
    try {
      const { status, messages } = await statusOf(DISCOVERY_CHECKS.find((x) => x.key === "tls-versions")!, secure);
      expect(status, messages).toBe("passed");
      expect(messages).toMatch(/refused TLS 1\.0 and 1\.1 .* and negotiated TLSv1\.3/);
    } finally {
      await secure.stop();
    }
  });

  it("a check whose capability is missing is skipped with the reason, not failed", async () => {
    const { environmentGate } = await import("../../../lib/checks/environment/environment-check.ts");
    const findings = await runCheck(
      { ...DISCOVERY_CHECKS[0]!, needs: ["users-v2"] },
      { ...t.env, unavailable: { "users-v2": "no scope configured" } },
      environmentGate,
    );
    expect(findings.every((f) => f.status === "skipped" && f.message === "no scope configured")).toBe(true);
  });
});
