/**
 * Smoke test of the server-rendered fixture service (server-rendered.ts, launched by launch.ts)
 * against the simulator: its landing link, a sign-in that shows the persona's details, and its
 * crash and hang on an error callback. Plain HTTP, no redirect followed automatically.
 */
import { load } from "cheerio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERSONAS } from "../../../lib/simulator/personas.ts";
import { startSimulator, type Simulator } from "../../../lib/simulator/start-simulator.ts";
import { LENIENT_CLIENT_ASSERTION } from "../../../suites/_support/reference-service.ts";
import {
  FIXTURE_NONCE,
  FIXTURE_STATE,
  launchFixtureService,
  planFixtureService,
  type FixtureService,
  type FixtureServicePlan,
} from "./launch.ts";

let sim: Simulator | undefined;
let plan: FixtureServicePlan;
let service: FixtureService | undefined;

beforeAll(async () => {
  plan = await planFixtureService({ onError: "die" });
  sim = await startSimulator({ clients: [plan.registration], clientAssertion: LENIENT_CLIENT_ASSERTION });
  service = await launchFixtureService(plan, sim.issuer);
});
afterAll(async () => {
  await service?.stop();
  await sim?.stop();
});

const get = (url: string, timeoutMs = 5000) => fetch(url, { redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });

/** The sign-in link of the landing page. */
async function signInLink(): Promise<URL> {
  const res = await get(service!.startUrl);
  expect(res.status).toBe(200);
  const $ = load(await res.text());
  expect($("title").text()).not.toBe("");
  const href = $("a")
    .filter((_, a) => $(a).text() === "Continue to NHS login")
    .attr("href");
  expect(href).toBeDefined();
  return new URL(href!);
}

/** GET /authorize at the simulator and give the callback URL it redirects to. */
async function authorize(link: URL): Promise<string> {
  const res = await get(link.toString());
  expect(res.status, await res.clone().text()).toBe(302);
  return res.headers.get("location")!;
}

describe("the server-rendered fixture service", () => {
  it("links to the simulator's /authorize with a hard-coded state and nonce", async () => {
    const link = await signInLink();
    expect(`${link.origin}${link.pathname}`).toBe(`${sim!.issuer}/authorize`);
    expect(Object.fromEntries(link.searchParams)).toEqual({
      client_id: plan.clientId,
      redirect_uri: plan.redirectUri,
      response_type: "code",
      scope: "openid profile",
      state: FIXTURE_STATE,
      nonce: FIXTURE_NONCE,
      vtr: '["P9.Cp.Cd"]',
    });
    expect((await signInLink()).toString()).toBe(link.toString());
  });

  it("signs the persona in and shows their NHS number from UserInfo", async () => {
    const callback = await authorize(await signInLink());
    expect(callback.startsWith(`${plan.redirectUri}?code=`)).toBe(true);
    const res = await get(callback);
    const html = await res.text();
    expect(res.status, html).toBe(200);
    const p9 = PERSONAS.find((p) => p.id === "p9")!;
    expect(load(html)("#nhs_number").text()).toBe(p9.nhsNumber);
    expect(load(html)("#family_name").text()).toBe(p9.familyName);
  });

  it('onError "die": an access_denied callback redeems an empty code, then the process crashes', async () => {
    sim!.arm({ faults: ["authorize-error:access_denied"], clientId: plan.clientId });
    const callback = await authorize(await signInLink());
    expect(new URL(callback).searchParams.get("error")).toBe("access_denied");
    await expect(get(callback)).rejects.toThrow();
    expect(await service!.waitForExit(5000)).toBe(true);
    expect(service!.alive()).toBe(false);
    const last = sim!.events.filter((e) => e.type === "token").at(-1);
    expect(last?.detail).toMatchObject({ outcome: "invalid_request" });
  });

  it('onError "hang": an access_denied callback is never answered; restart() brings it back', async () => {
    await service!.stop();
    service = await launchFixtureService(plan, sim!.issuer, { onError: "hang" });
    sim!.arm({ faults: ["authorize-error:access_denied"], clientId: plan.clientId });
    const callback = await authorize(await signInLink());
    await expect(get(callback, 2000)).rejects.toThrow(/timeout|aborted/i);
    expect(service.alive()).toBe(true);
    await service.restart();
    expect((await get(service.startUrl)).status).toBe(200);
  });

  it('startPage "redirect" and protectedPage "always-200"', async () => {
    await service!.stop();
    service = await launchFixtureService(plan, sim!.issuer, { startPage: "redirect", protectedPage: "always-200" });
    const res = await get(service.startUrl);
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get("location")!).searchParams.get("state")).toBe(FIXTURE_STATE);
    const account = await get(service.protectedUrl!);
    expect(account.status).toBe(200);
    expect(load(await account.text())("title").text()).toBe("Your account");
  });
});
