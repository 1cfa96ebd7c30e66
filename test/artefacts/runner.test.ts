/**
 * `npm run conformance -- --suite artefacts` as a user runs it: a child process over a folder
 * captured from the simulator (without jwks.json, so the runner fetches the JWKS from the
 * simulator's issuer), over a tampered copy, and without ARTEFACTS_DIR.
 */
import { rmSync } from "node:fs";
import { verdictFor } from "../../lib/report/build-summary.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeRunDirs, runConformance } from "../_support/run-conformance.ts";
import { ARTEFACT_CHECKS } from "../../lib/artefacts/checks.ts";
import { captureArtefacts, editJson, type Captured } from "./_capture.ts";

let cap: Captured;
beforeAll(async () => {
  cap = await captureArtefacts();
}, 60_000);
afterAll(async () => {
  removeRunDirs();
  await cap?.stop();
});

describe("npm run conformance -- --suite artefacts", () => {
  it("over a good capture (JWKS fetched from the issuer) passes every check and exits 0", async () => {
    const dir = cap.copy();
    rmSync(join(dir, "jwks.json"));
    const run = await runConformance(["--suite", "artefacts", "--no-html"], { ARTEFACTS_DIR: dir });
    expect(run.code, run.out).toBe(0);
    const t = run.summary!.totals;
    expect(t.failed, run.out).toBe(0);
    expect(t.skipped, run.out).toBe(0);
    expect(t.passed + t.warnings).toBe(ARTEFACT_CHECKS.length);
    expect(run.summary!.checks.every((c) => c.suite === "artefacts")).toBe(true);
    expect(verdictFor(run.summary!, "FED-IDT-17")?.verdict.message).toContain(`keys from ${cap.sim.issuer}/.well-known/jwks.json`);
  }, 120_000);

  it("over a capture whose expected nonce differs, fails FED-IDT-08 and exits 1", async () => {
    const dir = cap.copy();
    editJson(dir, "expected.json", (x) => void (x.nonce = "not-the-nonce-sent"));
    const run = await runConformance(["--suite", "artefacts", "--no-html"], { ARTEFACTS_DIR: dir });
    expect(run.code, run.out).toBe(1);
    const s = run.summary!;
    expect(s.totals.failed).toBe(1);
    expect(verdictFor(s, "FED-IDT-08")?.verdict).toMatchObject({
      status: "failed",
      message: expect.stringMatching(/expected exactly "not-the-nonce-sent"/),
    });
  }, 120_000);

  it("without ARTEFACTS_DIR declares every check, skips each with the reason, and (nothing ran) exits 1", async () => {
    const run = await runConformance(["--suite", "artefacts", "--no-html"], {});
    expect(run.code, run.out).toBe(1);
    expect(run.out).toMatch(/no check ran/);
    const s = run.summary!;
    expect(s.totals).toMatchObject({ passed: 0, failed: 0, warnings: 0, skipped: ARTEFACT_CHECKS.length });
    for (const c of s.checks) expect(c.message).toMatch(/ARTEFACTS_DIR is not set/);
  }, 120_000);

  it("refuses an ARTEFACTS_DIR that does not exist, naming it, exit 2", async () => {
    const run = await runConformance(["--suite", "artefacts", "--no-html"], {
      ARTEFACTS_DIR: join(tmpdir(), "no-such-artefacts-dir-here"),
    });
    expect(run.code).toBe(2);
    expect(run.out).toMatch(/ARTEFACTS_DIR/);
  }, 60_000);
});
