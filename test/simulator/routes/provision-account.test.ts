import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Simulator } from "../../../lib/simulator/start-simulator.ts";
import { CLIENT_ASSERTION_TYPE, clientAssertion, makeClient, startTestSimulator, tokenRequest } from "../_helpers.ts";
import { decodeJwt } from "jose";

const gp = makeClient("gp-system");
const rp = makeClient("relying-party");
const GOOD = {
  nhs_number: "9990010013", // persona p5: an uplift
  email_address: "p5.simulated@example.org",
  date_of_birth: "2001-12-30",
  ods_code: "A12345",
  phone_number: "+447700900105",
};
/** Checksum-valid NHS numbers no persona has: a create. */
const NEW_PEOPLE = ["9990099995", "9990200009", "9990200017"];

let sim: Simulator;
beforeAll(async () => {
  sim = await startTestSimulator([{ ...gp.registration, provisionAccount: { odsCodes: ["A12345"] } }, rp.registration]);
});
afterAll(() => sim.stop());
beforeEach(() => sim.reset());

async function token(client = gp.client): Promise<string> {
  const res = await tokenRequest(sim, {
    grant_type: "client_credentials",
    client_assertion_type: CLIENT_ASSERTION_TYPE,
    client_assertion: await clientAssertion(sim, client.clientId, client.key),
  });
  expect(res.status, res.text).toBe(200);
  return String(res.json!.access_token);
}

async function provision(body: unknown, options: { token?: string | null; contentType?: string; method?: string } = {}) {
  const bearer = options.token === undefined ? await token() : options.token;
  const res = await fetch(`${sim.url}/provision-account`, {
    method: options.method ?? "POST",
    headers: {
      "content-type": options.contentType ?? "application/json",
      ...(bearer !== null ? { authorization: `Bearer ${bearer}` } : {}),
    },
    ...(options.method === "GET" ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: text.startsWith("{") ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  };
}

describe("the client_credentials grant (PA §3.2; PA-01..04)", () => {
  it("issues a 300 s RS512 access token naming the client as sub and aud, not to be cached (PA-03)", async () => {
    const res = await tokenRequest(sim, {
      grant_type: "client_credentials",
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: await clientAssertion(sim, gp.client.clientId, gp.client.key),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("pragma")).toBe("no-cache");
    expect(res.json).toMatchObject({ token_type: "Bearer", expires_in: 300 });
    const claims = decodeJwt(String(res.json!.access_token));
    expect(claims).toMatchObject({ iss: sim.issuer, sub: "gp-system", aud: "gp-system" });
    expect(claims.exp! - claims.iat!).toBe(300);
  });

  it("refuses a client without Provision Account access (unauthorized_client) and an RS256 assertion (invalid_client; PA-02)", async () => {
    const other = await tokenRequest(sim, {
      grant_type: "client_credentials",
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: await clientAssertion(sim, rp.client.clientId, rp.client.key),
    });
    expect(other.json?.error).toBe("unauthorized_client");
    const rs256 = await tokenRequest(sim, {
      grant_type: "client_credentials",
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: await clientAssertion(sim, gp.client.clientId, gp.client.key, { alg: "RS256" }),
    });
    expect(rs256.json?.error).toBe("invalid_client");
  });

  it("refuses a replayed assertion (PA-02)", async () => {
    const assertion = await clientAssertion(sim, gp.client.clientId, gp.client.key);
    const params = { grant_type: "client_credentials", client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion };
    expect((await tokenRequest(sim, params)).status).toBe(200);
    expect((await tokenRequest(sim, params)).json?.error).toBe("invalid_client");
  });
});

describe("POST /provision-account (PA §3.3)", () => {
  it("uplifts a persona below P9 and creates anybody else (PA-11)", async () => {
    expect((await provision(GOOD)).json).toEqual({ code: "uplift", description: "User able to uplift an existing account" });
    const created = await provision({ ...GOOD, nhs_number: NEW_PEOPLE[0], email_address: "new.person@example.org" });
    expect(created.status).toBe(200);
    expect(created.json).toEqual({ code: "create", description: "User able to create a new account" });
  });

  it("answers each rule of T11 with its code, as 400 {code, description} (PA-12)", async () => {
    const fresh = { ...GOOD, nhs_number: NEW_PEOPLE[1], email_address: "fresh@example.org" };
    const code = async (body: unknown) => (await provision(body)).json?.code;
    expect(await code({ ...fresh, date_of_birth: "1993-17-12" })).toBe("11010");
    expect(await code({ ...fresh, nhs_number: "9990010014" })).toBe("11010");
    expect(await code({ ...fresh, phone_number: "07700900105" })).toBe("11010");
    expect(await code({ ...fresh, ods_code: "B12345" })).toBe("11021");
    expect(await code({ ...fresh, nhs_number: "9990010005" })).toBe("11005");
    expect(await code({ ...fresh, email_address: "p0.simulated@example.org" })).toBe("11004");
    expect(await code(fresh)).toBe("create");
    const again = await provision(fresh);
    expect(again.status).toBe(400);
    expect(again.json).toEqual({
      code: "11003",
      description: "User already has a pending provision account request from within last 7 days.",
    });
  });

  it("answers a body that is not JSON with 11010, never a 500", async () => {
    expect((await provision("{not json")).json?.code).toBe("11010");
    expect((await provision("nhs_number=1", { contentType: "application/x-www-form-urlencoded" })).json?.code).toBe("11010");
    expect((await provision("[]")).json?.code).toBe("11010");
  });

  it("needs a Provision Account bearer token (401 with WWW-Authenticate), and POST only (405)", async () => {
    const none = await provision(GOOD, { token: null });
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="provision-account"');
    const forged = await provision(GOOD, { token: "not.a.token" });
    expect(forged.headers.get("www-authenticate")).toMatch(/error="invalid_token"/);
    const get = await provision(undefined, { method: "GET", token: null });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
  });

  it("answers with an armed fault for as many calls as armed, and records every call", async () => {
    sim.arm({ faults: ["pa-answer:11011"], clientId: "gp-system", times: 2 });
    const bearer = await token();
    const body = { ...GOOD, nhs_number: NEW_PEOPLE[2], email_address: "third@example.org" };
    expect((await provision(body, { token: bearer })).json?.code).toBe("11011");
    expect((await provision(body, { token: bearer })).json?.code).toBe("11011");
    expect((await provision(body, { token: bearer })).json?.code).toBe("create");
    const calls = sim.events.filter((e) => e.type === "provision-account");
    expect(calls.map((e) => e.detail.code)).toEqual(["11011", "11011", "create"]);
    expect(calls[0]!.detail).toMatchObject({ faults: ["pa-answer:11011"], body: { json: true, fields: body } });
  });

  it("holds a provisioning answer 1.2 s under pa-answer-slow, or the arm request's delayMs, recorded as it arrives", async () => {
    const bearer = await token();
    const held = async (delayMs?: number) => {
      sim.arm({ faults: ["pa-answer-slow"], clientId: "gp-system", ...(delayMs !== undefined ? { delayMs } : {}) });
      const started = Date.now();
      // A body that breaks a rule: the answer is its error, whatever the delay.
      expect((await provision({ ...GOOD, ods_code: "X" }, { token: bearer })).status).toBe(400);
      return Date.now() - started;
    };
    expect(await held()).toBeGreaterThanOrEqual(1150);
    const quick = await held(150);
    expect(quick).toBeGreaterThanOrEqual(145);
    expect(quick).toBeLessThan(1150);
    const late = sim.events.filter((e) => e.type === "provision-account" && e.detail.status === "answered late");
    expect(late.map((e) => e.detail.delayedMs)).toEqual([1200, 150]);
  });

  it("checks the bearer token before reading the body: a malformed body without a token is 401", async () => {
    const res = await provision("{not json", { token: null });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="provision-account"');
  });

  it("keeps a token valid across a reset of its stores (NHS login does not forget tokens), until its exp", async () => {
    const bearer = await token();
    sim.reset();
    expect((await provision({ ...GOOD, nhs_number: NEW_PEOPLE[0], email_address: "kept@example.org" }, { token: bearer })).status).toBe(
      200,
    );
    sim.advanceClock(301);
    try {
      const expired = await provision(GOOD, { token: bearer });
      expect(expired.status).toBe(401);
      expect(expired.headers.get("www-authenticate")).toMatch(/expired/);
    } finally {
      sim.advanceClock(-301);
    }
  });

  it("records the body's fields only when they are test data; another NHS number's are masked, with the rules they break", async () => {
    await provision({ ...GOOD, nhs_number: "4010232137", date_of_birth: "1993-17-12" });
    const body = sim.events.filter((e) => e.type === "provision-account").at(-1)!.detail.body as Record<string, unknown>;
    expect(body).toMatchObject({ json: true, masked: true, fields: { nhs_number: "9999999999", ods_code: "A12345" } });
    expect(body.problems).toEqual([
      {
        field: "date_of_birth",
        requirement: "PA-08",
        status: "failed",
        problem: "date_of_birth breaks PA Table 7 (value not kept: not test data)",
      },
    ]);
    expect(JSON.stringify(sim.events)).not.toContain("4010232137");
  });

  it("under a defect, lets what T11 refuses through", async () => {
    await sim.setDefects(["pa-pending-ignored", "pa-error-shape-wrong"]);
    try {
      expect((await provision(GOOD)).json?.code).toBe("uplift");
      expect((await provision(GOOD)).json?.code).toBe("uplift");
      expect((await provision({ ...GOOD, ods_code: "B12345" })).json).toEqual({
        errorCode: 11021,
        message: "Service not supported for ODS code provided",
      });
    } finally {
      await sim.setDefects([]);
    }
  });
});
