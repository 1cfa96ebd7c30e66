import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Simulator } from "../../../lib/simulator/start-simulator.ts";
import { DEFAULT_SLOW_ANSWER_MS, FAULTS } from "../../../lib/simulator/faults.ts";
import { holdAnswer } from "../../../lib/simulator/routes/hold-answer.ts";
import {
  authorize,
  exchangeCode,
  expectTokenError,
  makeClient,
  signInAndExchange,
  signInAndGetCode,
  startTestSimulator,
  type TestClient,
  userinfoRequest,
} from "../_helpers.ts";

let sim: Simulator;
let rp: TestClient;

beforeAll(async () => {
  const a = makeClient("rp-slow");
  rp = a.client;
  sim = await startTestSimulator([a.registration]);
});
afterAll(async () => {
  await sim?.stop();
});
beforeEach(() => sim.reset());

/** The delay each endpoint's events recorded, in the order they came. */
const delays = () => sim.events.map((e) => [e.type, e.detail.delayedMs]);

describe("slow answers (slow-authorize, slow-token, slow-userinfo)", () => {
  it("each holds its own endpoint's answer for the armed delayMs, and only that one", async () => {
    sim.arm({ faults: ["slow-token"], delayMs: 120 });
    const started = Date.now();
    const t = await signInAndExchange(sim, rp);
    expect(Date.now() - started).toBeGreaterThanOrEqual(120);
    expect((await userinfoRequest(sim, { accessToken: t.accessToken })).status).toBe(200);
    expect(delays()).toEqual([
      ["authorize", undefined],
      ["token", 120],
      ["userinfo", undefined],
    ]);

    sim.reset();
    sim.arm({ faults: ["slow-authorize", "slow-userinfo"], delayMs: 80 });
    const u = await signInAndExchange(sim, rp);
    const before = Date.now();
    expect((await userinfoRequest(sim, { accessToken: u.accessToken })).status).toBe(200);
    expect(Date.now() - before).toBeGreaterThanOrEqual(80);
    expect(delays()).toEqual([
      ["authorize", 80],
      ["token", undefined],
      ["userinfo", 80],
    ]);
  });

  it("holds nothing when no slow fault is armed, and 2 s when the arm request named no delayMs", async () => {
    expect(await holdAnswer(sim.context, "token", { faults: [] })).toBe(0);
    expect(await holdAnswer(sim.context, "token", { faults: ["id-token-nonce-wrong"], delayMs: 500 })).toBe(0);
    const hook = FAULTS["slow-userinfo"].hooks.answerDelayMs!;
    expect(hook(0, { endpoint: "token", armedMs: 700 })).toBe(0);
    const started = Date.now();
    expect(await holdAnswer(sim.context, "token", { faults: ["slow-token"] })).toBe(DEFAULT_SLOW_ANSWER_MS);
    expect(Date.now() - started).toBeGreaterThanOrEqual(DEFAULT_SLOW_ANSWER_MS - 5);
  });

  it("a code replayed while its exchange is held still revokes the tokens that exchange issued", async () => {
    sim.arm({ faults: ["slow-token"], delayMs: 300 });
    const auth = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    const first = exchangeCode(sim, rp, auth.code);
    await new Promise((r) => setTimeout(r, 100));
    expectTokenError(await exchangeCode(sim, rp, auth.code), "invalid_grant");
    const issued = await first;
    expect(issued.status).toBe(200);
    const after = await userinfoRequest(sim, { accessToken: String(issued.json!.access_token) });
    expect(after.status).toBe(401);
    expect(after.headers.get("www-authenticate")).toMatch(/revoked/);
  });

  it("UserInfo held while the code is replayed answers 401: the token is judged again after the hold", async () => {
    const t = await signInAndExchange(sim, rp);
    sim.arm({ faults: ["slow-userinfo"], delayMs: 300 });
    const t2 = await signInAndExchange(sim, rp);
    const held = userinfoRequest(sim, { accessToken: t2.accessToken });
    await new Promise((r) => setTimeout(r, 100));
    expectTokenError(await exchangeCode(sim, rp, t2.authorize.code), "invalid_grant");
    const answer = await held;
    expect(answer.status).toBe(401);
    expect(answer.headers.get("www-authenticate")).toMatch(/revoked/);
    // The first sign-in, not slowed and not replayed, is untouched.
    expect((await userinfoRequest(sim, { accessToken: t.accessToken })).status).toBe(200);
  });

  it("refuses a delayMs that is not a whole number of milliseconds from 1 to 60000, or that no slow fault would use", () => {
    for (const delayMs of [0, -5, 1.5, 60_001, Number.NaN])
      expect(() => sim.arm({ faults: ["slow-token"], delayMs }), String(delayMs)).toThrow(/delayMs must be a whole number/);
    for (const faults of [[], ["authorize-error:server_error"], ["uev2-answer-401"]] as const)
      expect(() => sim.arm({ faults: [...faults], delayMs: 500 }), faults.join()).toThrow(
        /delayMs applies to the slow answers \(slow-authorize, slow-token, slow-userinfo, uev2-answer-slow, pa-answer-slow\), and none/,
      );
  });
});

describe("a simulator that stops while it holds an answer", () => {
  it("stops at once: the held answer goes out and its connection is closed", async () => {
    const c = makeClient("rp-slow-stop");
    const stopping = await startTestSimulator([c.registration]);
    stopping.arm({ faults: ["slow-authorize"], delayMs: 4000 });
    const pending = authorize(stopping, { clientId: c.client.clientId, redirectUri: c.client.redirectUri }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    await stopping.stop();
    expect(Date.now() - started).toBeLessThan(1500);
    await pending;
  });
});

describe("slow answers with the persona picker (interactive mode)", () => {
  it("slow-authorize holds the picker page, and the chosen person's code exchange keeps the armed slow-token delay", async () => {
    const b = makeClient("rp-slow-picker");
    const picker = await startTestSimulator([b.registration], { interactive: true });
    try {
      picker.arm({ faults: ["slow-authorize", "slow-token"], delayMs: 90 });
      const page = await authorize(picker, { clientId: b.client.clientId, redirectUri: b.client.redirectUri });
      expect(page.status).toBe(200);
      const txn = /name="txn" value="([^"]+)"/.exec(page.body)?.[1];
      expect(txn).toBeDefined();
      const chosen = await fetch(`${picker.url}/authorize/continue`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ txn: txn!, persona: "p9" }).toString(),
        redirect: "manual",
      });
      const code = new URL(chosen.headers.get("location")!).searchParams.get("code")!;
      expect((await exchangeCode(picker, b.client, code)).status).toBe(200);
      expect(picker.events.map((e) => [e.type, e.detail.delayedMs])).toEqual([
        ["authorize", 90],
        ["token", 90],
      ]);
    } finally {
      await picker.stop();
    }
  });
});
