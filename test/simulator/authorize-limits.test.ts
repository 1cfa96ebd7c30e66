import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../lib/simulator/start-simulator.ts";
import { authorize, makeClient, startTestSimulator } from "./_helpers.ts";

const { client, registration } = makeClient("limits-client");
let sim: Simulator;
beforeAll(async () => {
  sim = await startTestSimulator([registration]);
});
afterAll(() => sim.stop());

describe("/authorize size limits", () => {
  it("refuses an overlong state with invalid_request and does not echo it into the redirect", async () => {
    const r = await authorize(sim, { clientId: client.clientId, redirectUri: client.redirectUri, state: "%".repeat(5000), method: "POST" });
    expect(r.status).toBe(302);
    expect(r.error).toBe("invalid_request");
    expect(r.state).toBeNull();
    expect(r.headers.get("location")!.length).toBeLessThan(1000);
  });

  it("refuses an overlong nonce with invalid_request, keeping the state", async () => {
    const r = await authorize(sim, { clientId: client.clientId, redirectUri: client.redirectUri, state: "s-1", nonce: "n".repeat(2049) });
    expect(r.error).toBe("invalid_request");
    expect(r.state).toBe("s-1");
  });

  it("accepts a 2048-character state and returns it byte for byte", async () => {
    const state = "a+b/c=d~".repeat(256);
    const r = await authorize(sim, { clientId: client.clientId, redirectUri: client.redirectUri, state, method: "POST" });
    expect(r.code).toBeTruthy();
    expect(r.state).toBe(state);
  });
});
