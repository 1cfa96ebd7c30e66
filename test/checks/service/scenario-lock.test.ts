import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createScenarioLock } from "../../../lib/checks/service/scenario-lock.ts";

const dir = mkdtempSync(join(tmpdir(), "lock-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("scenario lock", () => {
  it("runs one scenario at a time, across lock instances sharing a directory", async () => {
    const a = createScenarioLock(dir);
    const b = createScenarioLock(dir);
    let inside = 0;
    let most = 0;
    const work = async () => {
      inside++;
      most = Math.max(most, inside);
      await new Promise((r) => setTimeout(r, 15));
      inside--;
    };
    await Promise.all([a.run(work), b.run(work), a.run(work), b.run(work)]);
    expect(most).toBe(1);
  });

  it("releases on failure", async () => {
    const lock = createScenarioLock(dir);
    await expect(
      lock.run(async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await expect(lock.run(async () => 42)).resolves.toBe(42);
  });

  it("takes over a lock left by a dead process, and gives up after its wait", async () => {
    const stale = mkdtempSync(join(tmpdir(), "lock-stale-"));
    mkdirSync(join(stale, "scenario.lock"));
    writeFileSync(join(stale, "scenario.lock", "owner"), "2147483646 x");
    await expect(createScenarioLock(stale).run(async () => "ok")).resolves.toBe("ok");
    mkdirSync(join(stale, "scenario.lock"));
    writeFileSync(join(stale, "scenario.lock", "owner"), `${process.ppid} x`);
    await expect(createScenarioLock(stale, 100).run(async () => "never")).rejects.toThrow(/waited/);
    rmSync(stale, { recursive: true, force: true });
  });
});
