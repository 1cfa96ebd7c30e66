/**
 * Smoke test of the single-page fixture service (single-page.ts, launched by launch.ts with
 * `kind: "single-page"`) against the simulator, with its default (strict) client-assertion policy:
 * a landing page with nothing but a button, the sign-in URL its API gives, a sign-in through its
 * JSON API that sets an HttpOnly session cookie, its state and ID-token checks, and the variants
 * (CORS, no state or nonce, unvalidated ID token with the tokens handed to the page). Plain HTTP,
 * no browser, no redirect followed automatically.
 */
import { load } from "cheerio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERSONAS } from "../../../lib/simulator/personas.ts";
import { startSimulator, type Simulator } from "../../../lib/simulator/start-simulator.ts";
import { type FixtureService, type FixtureServicePlan, launchFixtureService, planFixtureService, SINGLE_PAGE_CLIENT_ID } from "./launch.ts";

let sim: Simulator | undefined;
let plan: FixtureServicePlan;
let service: FixtureService | undefined;

beforeAll(async () => {
  plan = await planFixtureService({ kind: "single-page" });
  sim = await startSimulator({ clients: [plan.registration] });
  service = await launchFixtureService(plan, sim.issuer);
});
afterAll(async () => {
  await service?.stop();
  await sim?.stop();
});

const p9 = PERSONAS.find((p) => p.id === "p9")!;
const ATTACKER = "https://attacker.example";

const get = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, { redirect: "manual", headers, signal: AbortSignal.timeout(5000) });

/** The URL `/api/login-url` gives. */
async function loginUrl(): Promise<URL> {
  const res = await get(`${service!.url}/api/login-url`);
  const body = (await res.json()) as { url: string };
  expect(res.status, JSON.stringify(body)).toBe(200);
  return new URL(body.url);
}

/** GET /authorize at the simulator and give the callback URL it redirects to. */
async function authorize(url: URL): Promise<URL> {
  const res = await get(url.toString());
  expect(res.status, await res.clone().text()).toBe(302);
  return new URL(res.headers.get("location")!);
}

/** What the callback page's script does: POST the code and state to /api/session. */
function postSession(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${service!.url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
}

/** A whole sign-in, up to the answer of /api/session. */
async function signIn(): Promise<Response> {
  const callback = await authorize(await loginUrl());
  expect(`${callback.origin}${callback.pathname}`).toBe(plan.redirectUri);
  return postSession({ code: callback.searchParams.get("code"), state: callback.searchParams.get("state") });
}

/** The `sid=...` pair of the answer's session cookie, checking its attributes. */
function sessionCookie(res: Response): string {
  const cookies = res.headers.getSetCookie();
  expect(cookies).toHaveLength(1);
  const [pair, ...attributes] = cookies[0]!.split(";").map((s) => s.trim());
  expect(pair).toMatch(/^sid=[\w-]{20,}$/);
  expect(attributes.map((a) => a.toLowerCase()).sort()).toEqual(["httponly", "path=/", "samesite=lax"]);
  return pair!;
}

async function relaunch(overrides: Parameters<typeof launchFixtureService>[2]): Promise<void> {
  await service!.stop();
  service = await launchFixtureService(plan, sim!.issuer, overrides);
}

describe("the single-page fixture service", () => {
  it("has its own client id, and an /account page", () => {
    expect(plan.clientId).toBe(SINGLE_PAGE_CLIENT_ID);
    expect(plan.registration.clientId).toBe(SINGLE_PAGE_CLIENT_ID);
    expect(service!.protectedUrl).toBe(`${plan.baseUrl}/account`);
    expect(service!.state).toBeUndefined();
  });

  it("shows a sign-in button and no link or form to /authorize", async () => {
    const res = await get(service!.startUrl);
    const html = await res.text();
    expect(res.status).toBe(200);
    const $ = load(html);
    expect($("title").text()).toBe("Single-page fixture");
    expect($("button#sign-in").text()).toBe("Sign in with NHS login");
    expect($("a[href], form")).toHaveLength(0);
    expect(html).not.toContain("authorize");
    expect(html).toContain("/api/login-url");
  });

  it("gives a URL to the simulator's /authorize with a fresh random state and nonce", async () => {
    const url = await loginUrl();
    expect(`${url.origin}${url.pathname}`).toBe(`${sim!.issuer}/authorize`);
    const { state, nonce, ...rest } = Object.fromEntries(url.searchParams);
    expect(rest).toEqual({
      response_type: "code",
      client_id: plan.clientId,
      redirect_uri: plan.redirectUri,
      scope: "openid profile",
      vtr: '["P9.Cp.Cd"]',
    });
    expect(state).toMatch(/^[\w-]{32}$/);
    expect(nonce).toMatch(/^[\w-]{32}$/);
    const again = await loginUrl();
    expect(again.searchParams.get("state")).not.toBe(state);
    expect(again.searchParams.get("nonce")).not.toBe(nonce);
  });

  it("signs p9 in through its API, with an HttpOnly session cookie that /api/me accepts", async () => {
    const res = await signIn();
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toEqual({ familyName: p9.familyName, nhsNumber: p9.nhsNumber });
    const sid = sessionCookie(res);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();

    const me = await get(`${service!.url}/api/me`, { cookie: sid });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ familyName: "NINE-SIMULATED", nhsNumber: "9990010005" });
    const anonymous = await get(`${service!.url}/api/me`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ error: "not signed in" });
    const token = sim!.events.filter((e) => e.type === "token").at(-1);
    expect(token?.detail).toMatchObject({ outcome: "issued" });
  });

  it("serves the callback and account pages as static pages whose scripts call the API", async () => {
    for (const [path, api] of [
      ["/callback?code=x&state=y", "/api/session"],
      ["/account", "/api/me"],
    ] as const) {
      const res = await get(`${service!.url}${path}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(api);
    }
    const callback = await (await get(`${service!.url}/callback`)).text();
    expect(callback).toContain("textContent");
    expect(callback).not.toContain("innerHTML");
    expect((await get(`${service!.url}/nowhere`)).status).toBe(404);
    expect((await get(`${service!.url}/api/nowhere`)).status).toBe(404);
  });

  it("refuses a missing, unknown or replayed state, and bad bodies, with JSON errors", async () => {
    const callback = await authorize(await loginUrl());
    const code = callback.searchParams.get("code");
    const state = callback.searchParams.get("state");
    for (const body of [{ code }, { code, state: "not-a-state" }, null, "text", [1]]) {
      const res = await postSession(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json()).toEqual({ error: "unknown or missing state" });
    }
    expect((await postSession({ code, state })).status).toBe(200);
    const replay = await postSession({ code, state });
    expect(replay.status).toBe(400);
    const notJson = await fetch(`${service!.url}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: "the body is not JSON" });
    const form = await fetch(`${service!.url}/api/session`, { method: "POST", body: new URLSearchParams({ code: code! }) });
    expect(form.status).toBe(415);
    expect(service!.alive()).toBe(true);
  });

  it("refuses an ID token with another nonce (401) and a code the token endpoint refuses (502)", async () => {
    sim!.arm({ faults: ["id-token-nonce-wrong"], clientId: plan.clientId });
    const wrongNonce = await signIn();
    expect(wrongNonce.status).toBe(401);
    expect(((await wrongNonce.json()) as { error: string }).error).toMatch(/invalid ID token: the nonce/);
    expect(wrongNonce.headers.getSetCookie()).toEqual([]);

    const callback = await authorize(await loginUrl());
    const bad = await postSession({ code: "not-a-code", state: callback.searchParams.get("state") });
    expect(bad.status).toBe(502);
    expect(((await bad.json()) as { error: string }).error).toMatch(/the token endpoint answered 400/);
  });

  it("has no CORS headers by default", async () => {
    const me = await get(`${service!.url}/api/me`, { origin: ATTACKER });
    expect(me.headers.get("access-control-allow-origin")).toBeNull();
    expect(me.headers.get("access-control-allow-credentials")).toBeNull();
    const preflight = await fetch(`${service!.url}/api/session`, {
      method: "OPTIONS",
      headers: { origin: ATTACKER, "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(404);
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });

  it('cors "permissive": reflects any Origin with credentials, and allows any preflight', async () => {
    await relaunch({ cors: "permissive" });
    const res = await signIn();
    expect(res.status).toBe(200);
    const me = await get(`${service!.url}/api/me`, { origin: ATTACKER, cookie: sessionCookie(res) });
    expect(me.status).toBe(200);
    expect(me.headers.get("access-control-allow-origin")).toBe(ATTACKER);
    expect(me.headers.get("access-control-allow-credentials")).toBe("true");
    const preflight = await fetch(`${service!.url}/api/session`, {
      method: "OPTIONS",
      headers: { origin: ATTACKER, "access-control-request-method": "DELETE", "access-control-request-headers": "x-anything" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(ATTACKER);
    expect(preflight.headers.get("access-control-allow-credentials")).toBe("true");
    expect(preflight.headers.get("access-control-allow-methods")).toBe("DELETE");
    expect(preflight.headers.get("access-control-allow-headers")).toBe("x-anything");
  });

  it('stateAndNonce "none": the URL carries neither', async () => {
    await relaunch({ stateAndNonce: "none" });
    const url = await loginUrl();
    expect(url.searchParams.has("state")).toBe(false);
    expect(url.searchParams.has("nonce")).toBe(false);
    expect(url.searchParams.get("client_id")).toBe(plan.clientId);
  });

  it('idToken "unvalidated" with tokensToPage: signs in despite another nonce, and hands the tokens to the page', async () => {
    await relaunch({ idToken: "unvalidated", tokensToPage: true });
    sim!.arm({ faults: ["id-token-nonce-wrong"], clientId: plan.clientId });
    const res = await signIn();
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ familyName: p9.familyName, nhsNumber: p9.nhsNumber });
    for (const name of ["id_token", "access_token", "refresh_token"]) expect(typeof body[name], name).toBe("string");
    const callback = await (await get(`${service!.url}/callback`)).text();
    expect(callback).toContain("localStorage.setItem");
  });

  it("refuses options of the other fixture", async () => {
    await expect(planFixtureService({ kind: "single-page", onError: "die" })).rejects.toThrow(/has no option "onError"/);
    await expect(planFixtureService({ kind: "single-page", stateAndNonce: "static" })).rejects.toThrow(/"random" or "none"/);
    await expect(planFixtureService({ cors: "permissive" })).rejects.toThrow(/server-rendered fixture has no option "cors"/);
  });
});
