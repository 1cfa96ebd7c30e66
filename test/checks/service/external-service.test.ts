/**
 * A service the harness did not start, described only by SERVICE_* variables: the reference
 * service run by the test (as a partner runs theirs), checked by `npm run conformance -- --suite service`.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeRunDirs, runConformance } from "../../_support/run-conformance.ts";
import {
  freePort,
  launchReferenceService,
  planReferenceService,
  REFERENCE_SCOPES,
  REFERENCE_VTR,
  type ReferenceService,
} from "../../../suites/_support/reference-service.ts";

let service: ReferenceService;
let env: Record<string, string>;

beforeAll(async () => {
  const simulatorPort = await freePort();
  const plan = await planReferenceService();
  const publicKeyFile = join(plan.dir, "public-key.pem");
  writeFileSync(publicKeyFile, plan.publicKeyPem);
  // The service starts before the simulator exists; it discovers NHS login on first use.
  service = await launchReferenceService(plan, `http://127.0.0.1:${simulatorPort}`);
  env = {
    SERVICE_START_URL: service.startUrl,
    SERVICE_PROTECTED_URL: service.protectedUrl,
    SERVICE_CLIENT_ID: plan.clientId,
    SERVICE_REDIRECT_URIS: plan.redirectUri,
    SERVICE_PUBLIC_KEY_FILE: publicKeyFile,
    SERVICE_SCOPES: REFERENCE_SCOPES.join(" "),
    SERVICE_VTR: JSON.stringify(REFERENCE_VTR),
    SERVICE_TEST_CLOCK_URL: service.testClockUrl,
    SIMULATOR_PORT: String(simulatorPort),
  };
}, 60_000);
afterAll(async () => {
  await service?.stop();
  removeRunDirs();
});

describe("checking a service named by SERVICE_*", () => {
  it("passes every service check (loopback http warnings only), the session limits through the test clock", async () => {
    const run = await runConformance(["--suite", "service"], env);
    expect(run.code, run.out).toBe(0);
    const s = run.summary!;
    expect(s.totals.failed, run.out).toBe(0);
    expect(s.totals.skipped, run.out).toBe(0);
    expect(s.totals.warnings).toBe(2);
    expect(s.checks.find((c) => c.id === "SESSION-05")?.status).toBe("passed");
  }, 180_000);

  it("without SERVICE_PROTECTED_URL, every service check is inconclusive naming what is missing (exit 3)", async () => {
    const { SERVICE_PROTECTED_URL: _omit, ...partial } = env;
    const run = await runConformance(["--suite", "service", "--grep", "FED-AUTHZ-06"], partial);
    expect(run.code).toBe(3);
    const checks = run.summary!.checks;
    expect(checks.length).toBeGreaterThan(0);
    for (const c of checks) {
      expect(c.status).toBe("inconclusive");
      expect(c.message).toMatch(/SERVICE_PROTECTED_URL/);
    }
  }, 180_000);
});
