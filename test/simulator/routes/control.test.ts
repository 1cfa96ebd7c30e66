import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAULT_IDS, DEFECT_IDS } from "../../../lib/simulator/faults.ts";
import type { Simulator } from "../../../lib/simulator/start-simulator.ts";
import {
  authorize,
  exchangeCode,
  makeClient,
  signInAndExchange,
  signInAndGetCode,
  startTestSimulator,
  type TestClient,
} from "../_helpers.ts";

let sim: Simulator;
let rp: TestClient;

beforeAll(async () => {
  const a = makeClient("rp-control");
  rp = a.client;
  sim = await startTestSimulator([a.registration]);
});
afterAll(async () => {
  await sim?.stop();
});

async function control(method: string, path: string, init: { secret?: string | null; body?: unknown; authorization?: string } = {}) {
  const headers: Record<string, string> = {};
  if (init.authorization !== undefined) headers.authorization = init.authorization;
  else if (init.secret !== null) headers.authorization = `Bearer ${init.secret ?? sim.controlSecret}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${sim.url}/__control${path}`, {
    method,
    headers,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

describe("/__control is guarded by the secret", () => {
  const routes: [string, string, unknown][] = [
    ["POST", "/arm", { faults: ["authorize-error:server_error"] }],
    ["PUT", "/defects", { defects: ["discovery-missing-field"] }],
    ["POST", "/reset", undefined],
    ["POST", "/age", { code: "x", seconds: 1 }],
    ["GET", "/events", undefined],
    ["GET", "/catalogue", undefined],
  ];
  for (const [method, path, body] of routes) {
    it(`${method} ${path} without a secret, with a wrong one, or with the wrong scheme is 401`, async () => {
      const wrongSameLength = sim.controlSecret.replace(/./, (c) => (c === "A" ? "B" : "A"));
      const attempts = [
        await control(method, path, { secret: null, body }),
        await control(method, path, { secret: "wrong", body }),
        await control(method, path, { secret: wrongSameLength, body }),
        await control(method, path, { authorization: `Basic ${sim.controlSecret}`, body }),
        await control(method, path, { authorization: sim.controlSecret, body }),
      ];
      for (const res of attempts) {
        expect(res.status).toBe(401);
        expect(res.headers.get("www-authenticate")).toMatch(/^Bearer /);
      }
    });
  }

  it("nothing happened because of the refused requests", async () => {
    // Refused arm and defects calls above must not have changed the simulator.
    expect([...sim.context.defects]).toEqual([]);
    await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
  });

  it("the secret is long and random", () => {
    expect(sim.controlSecret.length).toBeGreaterThanOrEqual(32);
  });
});

describe("/__control with the secret", () => {
  it("arm: an authorize fault applies to the next sign-in", async () => {
    const res = await control("POST", "/arm", { body: { faults: ["authorize-error:temporarily_unavailable"], clientId: rp.clientId } });
    expect(res.status).toBe(204);
    const a = await authorize(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    expect(a.error).toBe("temporarily_unavailable");
    await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
  });

  it("arm: a persona and times: null (until reset)", async () => {
    expect((await control("POST", "/arm", { body: { persona: "p5", times: null } })).status).toBe(204);
    for (let i = 0; i < 3; i++) {
      const t = await signInAndExchange(sim, rp, { vtr: ["P5.Cp.Cd"], scope: "openid profile" });
      expect(t.idClaims.identity_proofing_level).toBe("P5");
    }
    expect((await control("POST", "/reset")).status).toBe(204);
    const after = await signInAndExchange(sim, rp, { scope: "openid profile" });
    expect(after.idClaims.identity_proofing_level).toBe("P9");
  });

  it("arm: every: n applies the faults to every n-th sign-in only, the same ones each run (a share for load tests)", async () => {
    const body = { faults: ["authorize-error:temporarily_unavailable"], times: null, every: 3 };
    expect((await control("POST", "/arm", { body })).status).toBe(204);
    const outcomes: string[] = [];
    for (let i = 0; i < 7; i++)
      outcomes.push((await authorize(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri })).error ?? "code");
    const e = "temporarily_unavailable";
    expect(outcomes).toEqual(["code", "code", e, "code", "code", e, "code"]);
    expect((await control("POST", "/reset")).status).toBe(204);
    for (const every of [0, 1.5, -2]) expect((await control("POST", "/arm", { body: { ...body, every } })).status, String(every)).toBe(400);
  });

  it("arm: delayMs over HTTP, for a slow-* fault only and within 1 to 60000", async () => {
    expect((await control("POST", "/reset")).status).toBe(204);
    for (const body of [
      { faults: ["slow-token"], delayMs: 0 },
      { faults: ["slow-token"], delayMs: "soon" },
      { faults: ["id-token-nonce-wrong"], delayMs: 100 },
    ]) {
      const res = await control("POST", "/arm", { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(String(res.json!.error_description)).toMatch(/delayMs (must be a whole number|applies to the slow answers)/);
    }
    expect((await control("POST", "/arm", { body: { faults: ["slow-token"], delayMs: 50, clientId: rp.clientId } })).status).toBe(204);
    await signInAndExchange(sim, rp);
    expect(sim.events.find((e) => e.type === "token")?.detail.delayedMs).toBe(50);
    expect((await control("POST", "/reset")).status).toBe(204);
  });

  it("arm: an unknown fault, an unknown persona, bad times or a malformed body give 400", async () => {
    for (const body of [
      { faults: ["no-such-fault"] },
      { faults: "id-token-wrong-iss-typo" },
      { faults: 42 },
      { persona: "p7" },
      { faults: ["id-token-wrong-iss"], times: 0 },
    ]) {
      const res = await control("POST", "/arm", { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json!.error).toBe("invalid_request");
    }
    // None of them was armed.
    await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    const t = await signInAndExchange(sim, rp);
    expect(t.idClaims.iss).toBe(sim.issuer);
  });

  it("age: a code made 11 minutes old is refused with invalid_grant; one made 9 minutes old is redeemed", async () => {
    const late = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    expect((await control("POST", "/age", { body: { code: late.code, seconds: 660 } })).status).toBe(204);
    const refused = await exchangeCode(sim, rp, late.code);
    expect(refused.status).toBe(400);
    expect(refused.json!.error).toBe("invalid_grant");
    const early = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    expect((await control("POST", "/age", { body: { code: early.code, seconds: 540 } })).status).toBe(204);
    expect((await exchangeCode(sim, rp, early.code)).status).toBe(200);
  });

  it("age: an unknown grant is 404, a malformed request 400", async () => {
    const unknown = await control("POST", "/age", { body: { code: "no-such-code", seconds: 60 } });
    expect(unknown.status).toBe(404);
    expect(unknown.json!.error).toBe("not_found");
    for (const body of [{ code: "x" }, { code: "x", seconds: -5 }, { code: "x", refreshToken: "y", seconds: 5 }, { seconds: 5 }]) {
      const res = await control("POST", "/age", { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json!.error).toBe("invalid_request");
    }
  });

  it("events: lists what the simulator saw, filtered by since", async () => {
    await control("POST", "/reset");
    await signInAndExchange(sim, rp);
    const res = await control("GET", "/events");
    expect(res.status).toBe(200);
    const events = res.json!.events as { type: string; at: number; clientId?: string }[];
    expect(events.map((e) => e.type)).toEqual(["authorize", "token"]);
    expect(events.every((e) => e.clientId === rp.clientId)).toBe(true);
    const future = await control("GET", `/events?since=${events[1]!.at + 3600}`);
    expect(future.json!.events).toEqual([]);
    // No raw secrets leak into the event log.
    expect(res.text).not.toMatch(/eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{20,}/);
  });

  it("reset: forgets events, armed scenarios and sessions", async () => {
    const session = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    await control("POST", "/arm", { body: { faults: ["authorize-error:server_error"], clientId: rp.clientId } });
    expect(sim.events.length).toBeGreaterThan(0);
    expect((await control("POST", "/reset")).status).toBe(204);
    expect(sim.events).toHaveLength(0);
    // The armed fault is gone and the session cookie no longer works for prompt=none.
    const none = await authorize(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri, prompt: "none", cookie: session.cookie! });
    expect(none.error).toBe("sso_login_required");
    await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
  });

  it("defects: sets and clears environment defects; refuses unknown ones and non-arrays", async () => {
    expect((await control("PUT", "/defects", { body: { defects: ["discovery-missing-field"] } })).status).toBe(204);
    const broken = (await (await fetch(`${sim.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(broken).not.toHaveProperty("userinfo_endpoint");
    expect((await control("PUT", "/defects", { body: { defects: ["no-such-defect"] } })).status).toBe(400);
    expect((await control("PUT", "/defects", { body: { defects: "discovery-missing-field" } })).status).toBe(400);
    expect((await control("PUT", "/defects", { body: {} })).status).toBe(400);
    // A refused update leaves the previous defects in place.
    expect([...sim.context.defects]).toEqual(["discovery-missing-field"]);
    expect((await control("PUT", "/defects", { body: { defects: [] } })).status).toBe(204);
    const fixed = (await (await fetch(`${sim.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(fixed).toHaveProperty("userinfo_endpoint");
  });

  it("catalogue: lists every fault, defect and persona", async () => {
    const res = await control("GET", "/catalogue");
    expect(res.status).toBe(200);
    expect(Object.keys(res.json!.faults as object).sort()).toEqual([...FAULT_IDS].sort());
    expect(Object.keys(res.json!.defects as object).sort()).toEqual([...DEFECT_IDS].sort());
    expect((res.json!.personas as { id: string }[]).map((p) => p.id).sort()).toEqual(["p0", "p5", "p9", "p9-zero"]);
  });
});

describe("no client can blind the event log", () => {
  const b64 = (s: string) => Buffer.from(s).toString("base64url");
  /** An unsigned JWT whose claims nest `depth` objects deep. */
  const nestedJwt = (depth: number) => `${b64('{"alg":"RS512","typ":"JWT"}')}.${b64(`${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`)}.c2ln`;
  const token = (params: Record<string, string>) =>
    fetch(`${sim.url}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(params).toString(),
    });
  const codeGrant = (assertion: string, grant = "authorization_code"): Record<string, string> =>
    grant === "authorization_code"
      ? {
          grant_type: grant,
          code: "c",
          redirect_uri: rp.redirectUri,
          client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
          client_assertion: assertion,
        }
      : { grant_type: grant, scope: sim.usersScope, assertion };

  for (const grant of ["authorization_code", "urn:ietf:params:oauth:grant-type:jwt-bearer"]) {
    it(`an assertion nesting 5,000 objects (${grant.split(":").at(-1)}) is refused undecoded; the events stay readable`, async () => {
      await control("POST", "/reset");
      const jwt = nestedJwt(5_000);
      const res = await token(codeGrant(jwt, grant));
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe("invalid_client");
      const events = await control("GET", "/events");
      expect(events.status).toBe(200);
      const [event] = (events.json?.events ?? []) as { detail: { assertion?: { error?: string } } }[];
      expect(event?.detail.assertion?.error).toBe(`not decoded: ${jwt.length} chars, over the 16384-char limit for an assertion`);
    });
  }

  it("an assertion under the size limit that nests 1,900 objects is kept cut to depth, and the events stay readable", async () => {
    await control("POST", "/reset");
    const jwt = nestedJwt(1_900);
    expect(jwt.length).toBeLessThanOrEqual(16 * 1024);
    await token(codeGrant(jwt));
    const events = await control("GET", "/events");
    expect(events.status).toBe(200);
    expect(events.text).toMatch(/"a":"…\(nested deeper than 10 levels\)"/);
    expect(events.json?.dropped).toMatchObject({ truncatedEvents: 1, events: 0 });
  });

  it("a 200 kB junk parameter is kept as its first 2,048 characters, and the answer names the limits", async () => {
    await control("POST", "/reset");
    await token({ grant_type: "authorization_code", junk: "j".repeat(200_000) });
    const events = await control("GET", "/events");
    expect(events.status).toBe(200);
    expect(events.text.length).toBeLessThan(6_000);
    expect(events.text).toContain(`${"j".repeat(2_048)}…(cut: 200000 chars)`);
    expect(events.json?.limits).toEqual({
      storeEntries: 20_000,
      storeBytes: 16 * 1024 * 1024,
      eventLogEntries: 2_000,
      eventLogBytes: 8 * 1024 * 1024,
    });
  });
});
