/**
 * A service the harness did not start, described only by SERVICE_* variables: the reference
 * service run by the test (as a partner runs theirs), checked by `npm run conformance -- --suite service`.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { verdictFor } from "../../../lib/report/build-summary.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeRunDirs, runConformance } from "../../_support/run-conformance.ts";
import { simulatorTls } from "../../../lib/simulator/tls/simulator-tls.ts";
import {
  launchReferenceService,
  planReferenceService,
  REFERENCE_ODS_CODE,
  REFERENCE_SCOPES,
  REFERENCE_USERS_SCOPES,
  REFERENCE_VTR,
  type ReferenceService,
} from "../../../suites/_support/reference-service.ts";
import { SERVICE_CHECKS } from "../../../lib/checks/service/index.ts";
import { openJournal } from "../../../lib/journal/open-journal.ts";
import { freePort } from "../../../lib/http/free-port.ts";
import { runChecks, startServiceUnderTest } from "./_service.ts";

const services: ReferenceService[] = [];

/** A reference service of its own (it caches what it discovered of NHS login), and its SERVICE_* settings. */
async function externalService(tls?: { caFile: string }): Promise<Record<string, string>> {
  const simulatorPort = await freePort();
  const plan = await planReferenceService();
  const publicKeyFile = join(plan.dir, "public-key.pem");
  writeFileSync(publicKeyFile, plan.publicKeyPem);
  // The service starts before the simulator exists; it discovers NHS login on first use.
  const issuer = `${tls ? "https" : "http"}://127.0.0.1:${simulatorPort}`;
  const service = await launchReferenceService(plan, issuer, 30_000, tls ? { NODE_EXTRA_CA_CERTS: tls.caFile } : {});
  services.push(service);
  return {
    SERVICE_START_URL: service.startUrl,
    SERVICE_PROTECTED_URL: service.protectedUrl,
    SERVICE_STEP_UP_URL: service.stepUpUrl,
    SERVICE_CLIENT_ID: plan.clientId,
    SERVICE_REDIRECT_URIS: plan.redirectUri,
    SERVICE_PUBLIC_KEY_FILE: publicKeyFile,
    SERVICE_SCOPES: REFERENCE_SCOPES.join(" "),
    SERVICE_VTR: JSON.stringify(REFERENCE_VTR),
    SERVICE_TEST_CLOCK_URL: service.testClockUrl,
    SERVICE_USERS_LOOKUP_URL: service.usersLookupUrl,
    SERVICE_USERS_SCOPES: REFERENCE_USERS_SCOPES.join(" "),
    SERVICE_PROVISION_URL: service.provisionUrl,
    SERVICE_ODS_CODE: REFERENCE_ODS_CODE,
    SIMULATOR_PORT: String(simulatorPort),
  };
}

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  removeRunDirs();
});

// These runs skip the Allure HTML (--no-html): test/report/ tests it; here it would cost each run about 1.5 s of CPU.
describe("checking a service named by SERVICE_*", () => {
  it("passes every service check (loopback http warnings only), the session limits through the test clock", async () => {
    const run = await runConformance(["--suite", "service", "--no-html"], await externalService());
    expect(run.code, run.out).toBe(0);
    const s = run.summary!;
    expect(s.totals.failed, run.out).toBe(0);
    // Only the three checks a browser alone can make (SERVICE_DRIVER=browser) are skipped.
    expect(s.totals.skipped, run.out).toBe(3);
    expect(run.out).toMatch(
      /a browser that runs the service's scripts can observe this \(SERVICE_DRIVER=browser\)\n +3 checks: FED-GEN-03, FED-GEN-04\n/,
    );
    expect(s.totals.warnings).toBe(2);
    expect(verdictFor(s, "SESSION-05")?.verdict.status).toBe("passed");
  }, 180_000);

  it("SIMULATOR_TLS: with the simulator on https (a service trusting its CA), the same verdicts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "simulator-tls-"));
    try {
      const tls = (await simulatorTls({ tls: true }, dir))!;
      const chain = join(dir, "chain.pem");
      writeFileSync(chain, `${tls.cert}\n${tls.ca[0]}`);
      const env = { ...(await externalService({ caFile: tls.caFile! })), SIMULATOR_TLS: "true" };
      const run = await runConformance(["--suite", "service", "--no-html"], {
        ...env,
        SIMULATOR_TLS_CERT: chain,
        SIMULATOR_TLS_KEY: join(dir, "key.pem"),
      });
      expect(run.code, run.out).toBe(0);
      const s = run.summary!;
      expect(s.totals.failed, run.out).toBe(0);
      expect(s.totals.inconclusive, run.out).toBe(0);
      expect(s.totals.warnings).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it("SERVICE_USERS_LOOKUP_URL and SERVICE_PROVISION_URL without SERVICE_START_URL: checked as a consumer only", async () => {
    const { SERVICE_START_URL: _s, SERVICE_PROTECTED_URL: _p, SERVICE_REDIRECT_URIS: _r, ...consumer } = await externalService();
    const run = await runConformance(["--suite", "service", "--no-html"], consumer);
    expect(run.code, run.out).toBe(0);
    const s = run.summary!;
    expect(s.totals.failed, run.out).toBe(0);
    expect(s.totals.inconclusive, run.out).toBe(0);
    const consumerIds = s.checks.filter((c) => c.status === "passed").flatMap((c) => c.ids);
    expect(consumerIds).toEqual(
      expect.arrayContaining(["UEV2-TOKEN-05", "UEV2-ERR-15", "UEV2-FILTER-12", "NHSNO-03", "PA-02", "PA-08", "PA-16", "PA-21"]),
    );
    const signIn = verdictFor(s, "FED-AUTHZ-05")?.verdict;
    expect(signIn?.status).toBe("skipped");
    expect(signIn?.message).toMatch(/not applicable: SERVICE_START_URL is not set/);
  }, 180_000);

  it("--journal: traffic recorded from a run is judged with the same rules, and nothing is driven", async () => {
    const s = await startServiceUnderTest();
    const dir = mkdtempSync(join(tmpdir(), "journal-"));
    try {
      await runChecks(
        s.ctx,
        SERVICE_CHECKS.filter((c) => ["token-request", "users-assertion", "users-token-401", "users-search-request"].includes(c.key)),
      );
      const file = join(dir, "traffic.jsonl");
      const journal = openJournal(file, {
        issuer: s.sim.issuer,
        tokenEndpoint: s.sim.context.endpoints.token,
        usersScope: s.sim.usersScope,
      });
      for (const e of s.events) journal.write(e);
      journal.close();
      const publicKeyFile = join(dir, "public-key.pem");
      writeFileSync(publicKeyFile, s.target.publicKeyPem);
      const run = await runConformance(["--suite", "service", "--journal", file, "--no-html"], {
        SERVICE_CLIENT_ID: s.target.clientId,
        SERVICE_PUBLIC_KEY_FILE: publicKeyFile,
        SERVICE_USERS_SCOPES: REFERENCE_USERS_SCOPES.join(" "),
      });
      expect(run.code, run.out).toBe(0);
      const summary = run.summary!;
      expect(summary.totals.failed, run.out).toBe(0);
      const judged = summary.checks.filter((c) => c.title.startsWith("recorded:"));
      expect(judged.length).toBeGreaterThan(10);
      const driven = summary.checks.filter((c) => !c.title.startsWith("recorded:") && !c.id.startsWith("M-"));
      expect(driven.filter((c) => c.status !== "skipped")).toEqual([]);
      const recorded = (id: string) => judged.flatMap((c) => c.requirements).find((v) => v.id === id)?.status;
      expect(recorded("UEV2-TOKEN-05")).toBe("passed");
      expect(recorded("FED-TOKEN-11")).toBe("passed");
      // A file that is not a journal is refused before anything runs.
      const notJournal = join(dir, "not-a-journal.txt");
      writeFileSync(notJournal, "hello\n");
      const refused = await runConformance(["--suite", "service", "--journal", notJournal], { SERVICE_CLIENT_ID: "x" });
      expect(refused.code, refused.out).toBe(2);
      expect(refused.out).toMatch(/journal .*not-a-journal\.txt line 1 is not JSON/);
    } finally {
      await s.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it("without SERVICE_PROTECTED_URL, signed in is told by the person's data on the page: the same verdicts", async () => {
    const { SERVICE_PROTECTED_URL: _omit, ...partial } = await externalService();
    const run = await runConformance(["--suite", "service", "--no-html"], partial);
    expect(run.code, run.out).toBe(0);
    const s = run.summary!;
    expect(s.totals.failed, run.out).toBe(0);
    expect(s.totals.inconclusive, run.out).toBe(0);
    expect(s.totals.skipped, run.out).toBe(3);
    expect(run.out).toMatch(
      /a browser that runs the service's scripts can observe this \(SERVICE_DRIVER=browser\)\n +3 checks: FED-GEN-03, FED-GEN-04\n/,
    );
    expect(s.totals.warnings).toBe(2);
  }, 180_000);
});
