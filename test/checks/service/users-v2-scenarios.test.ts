import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServiceContext } from "../../../lib/checks/service/service-context.ts";
import { lookup } from "../../../lib/checks/service/users-v2-scenarios.ts";
import { tokenExpiryFindings } from "../../../lib/checks/service/users-v2-consumer.ts";
import { startServiceUnderTest, type ServiceUnderTest } from "./_service.ts";

let sut: ServiceUnderTest;
beforeAll(async () => {
  sut = await startServiceUnderTest();
}, 60_000);
afterAll(async () => {
  await sut?.stop();
});

/** The kinds of request the simulator saw from `from` on, in order, runs of one kind folded into one. */
function kinds(from: number): string[] {
  const out: string[] = [];
  for (const e of sut.events.slice(from)) {
    const kind = e.type === "users-v2" ? "search" : e.type === "provision-account" ? "provision" : undefined;
    if (kind && out.at(-1) !== kind) out.push(kind);
  }
  return out;
}

describe("the expiry lookup's wait (UEV2-TOKEN-15)", () => {
  it("in a full run, is spent on the Provision Account scenarios, and both parts are judged together", async () => {
    const from = sut.events.length;
    const obs = await lookup(sut.ctx, "expiry");
    // The search before the wait, every provisioning in the wait, the search after it.
    expect(kinds(from)).toEqual(["search", "provision", "search"]);
    const [f] = tokenExpiryFindings(obs);
    expect([f?.status, f?.message]).toEqual(["passed", expect.stringMatching(/a new token was fetched once the 2 s token had expired/)]);
    expect(obs.searches.length).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it("in a narrowed run, waits instead and sends nothing else", async () => {
    const narrowed = createServiceContext(sut.target, { spendWaits: false });
    try {
      const from = sut.events.length;
      const started = Date.now();
      const obs = await lookup(narrowed, "expiry");
      expect(Date.now() - started).toBeGreaterThanOrEqual(2200);
      expect(kinds(from)).toEqual(["search"]);
      expect(tokenExpiryFindings(obs)[0]?.status).toBe("passed");
    } finally {
      await narrowed.close();
    }
  }, 60_000);
});
