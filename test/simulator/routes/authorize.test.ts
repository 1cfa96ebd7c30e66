import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTHORIZE_ERROR_CODES } from "../../../lib/simulator/faults.ts";
import type { Simulator } from "../../../lib/simulator/start-simulator.ts";
import {
  authorize,
  exchangeCode,
  makeClient,
  RFC6749_DESCRIPTION,
  signInAndGetCode,
  startTestSimulator,
  type AuthorizeParams,
  type AuthorizeResult,
  type TestClient,
} from "../_helpers.ts";

let sim: Simulator;
/** Approved for every documented scope and registered for all twelve EIS vectors. */
let rp: TestClient;
/** Approved for profile only, registered for P9.Cp.Cd only. */
let narrow: TestClient;

beforeAll(async () => {
  const a = makeClient("rp-authz", { redirectUris: ["https://rp.example/callback", "https://rp.example/cb/"] });
  const b = makeClient("rp-narrow", { scopes: ["profile"], vtr: ["P9.Cp.Cd"], redirectUris: ["https://narrow.example/callback"] });
  rp = a.client;
  narrow = b.client;
  sim = await startTestSimulator([a.registration, b.registration]);
});
afterAll(async () => {
  await sim?.stop();
});

const req = (params: Partial<AuthorizeParams> = {}): AuthorizeParams => ({ clientId: rp.clientId, redirectUri: rp.redirectUri, ...params });

/** Expect an error redirect to the registered URI: the code, the sent state, no code, ASCII description. */
function expectRedirectError(res: AuthorizeResult, error: string, opts: { state?: "sent" | "absent"; redirectUri?: string } = {}): void {
  expect(res.status, res.body).toBe(302);
  expect(res.location).toBeDefined();
  const loc = res.location!;
  expect(`${loc.origin}${loc.pathname}`).toBe(opts.redirectUri ?? rp.redirectUri);
  expect(loc.hash).toBe("");
  expect(res.error, `error_description: ${res.errorDescription}`).toBe(error);
  expect(res.code).toBeUndefined();
  if ((opts.state ?? "sent") === "sent") expect(res.state).toBe(res.sent.state);
  else expect(res.state).toBeNull();
  if (res.errorDescription !== null && res.errorDescription !== undefined) expect(res.errorDescription).toMatch(RFC6749_DESCRIPTION);
  // Only error, error_description, error_uri and state may come back (FED-ARESP-07).
  for (const key of loc.searchParams.keys()) expect(["error", "error_description", "error_uri", "state"]).toContain(key);
  expect(res.headers.get("cache-control")).toBe("no-store");
}

/** Expect an HTML error page and no redirect at all (FED-ARESP-08). */
function expectErrorPage(res: AuthorizeResult): void {
  expect(res.status).toBe(400);
  expect(res.headers.get("location")).toBeNull();
  expect(res.headers.get("content-type")).toMatch(/^text\/html/);
  expect(res.body).toMatch(/<html/i);
  expect(res.code).toBeUndefined();
}

describe("successful sign-in (FED-AUTHZ-01, FED-ARESP-01)", () => {
  it("GET returns 302 to the redirect URI with a code and the state", async () => {
    const res = await signInAndGetCode(sim, req());
    expect(`${res.location!.origin}${res.location!.pathname}`).toBe(rp.redirectUri);
    expect(res.state).toBe(res.sent.state);
    expect(res.location!.hash).toBe("");
    expect([...res.location!.searchParams.keys()].sort()).toEqual(["code", "state"]);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("POST with a form body works the same way", async () => {
    const res = await signInAndGetCode(sim, req({ method: "POST" }));
    expect(res.state).toBe(res.sent.state);
    const token = await exchangeCode(sim, rp, res.code);
    expect(token.status).toBe(200);
  });

  it("POST with a JSON body is refused with a page, not a redirect", async () => {
    const r = await fetch(`${sim.url}/authorize`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        client_id: rp.clientId,
        redirect_uri: rp.redirectUri,
        response_type: "code",
        scope: "openid",
        state: "s",
        nonce: "n",
      }),
    });
    expect(r.status).toBe(400);
    expect(r.headers.get("location")).toBeNull();
  });

  it("issues a different code every time", async () => {
    const codes = new Set<string>();
    for (let i = 0; i < 5; i++) codes.add((await signInAndGetCode(sim, req())).code);
    expect(codes.size).toBe(5);
  });

  it("sets an HttpOnly session cookie", async () => {
    const authorizeQuery = new URLSearchParams({
      client_id: rp.clientId,
      redirect_uri: rp.redirectUri,
      response_type: "code",
      scope: "openid",
      state: "s",
      nonce: "n",
    });
    const r = await fetch(`${sim.url}/authorize?${authorizeQuery}`, { redirect: "manual" });
    const cookie = r.headers.getSetCookie().find((c) => c.startsWith("nhsl_sim_session="));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/HttpOnly/i);
  });

  it("returns the state byte-identical, reserved and non-ASCII characters included (FED-ARESP-02)", async () => {
    for (const state of ["a+b/c=d~ é", "%20&x=y#frag", "  spaces  ", "\u{1F600}?;"]) {
      const res = await signInAndGetCode(sim, req({ state }));
      expect(res.state).toBe(state);
    }
  });

  it("returns the state byte-identical on error redirects too", async () => {
    const res = await authorize(sim, req({ state: "a+b/c=d~ é", scope: "profile" }));
    expectRedirectError(res, "invalid_scope");
    expect(res.state).toBe("a+b/c=d~ é");
  });

  it("accepts a second registered redirect URI, trailing slash and all", async () => {
    const res = await signInAndGetCode(sim, req({ redirectUri: "https://rp.example/cb/" }));
    expect(res.location!.href.startsWith("https://rp.example/cb/?")).toBe(true);
  });
});

describe("untrusted client or redirect URI: error page, never a redirect (FED-AUTHZ-06/07, FED-ARESP-08)", () => {
  it("an unknown client_id", async () => {
    expectErrorPage(await authorize(sim, req({ clientId: "no-such-client" })));
  });

  it("a missing client_id", async () => {
    const authorizeQuery = new URLSearchParams({
      redirect_uri: rp.redirectUri,
      response_type: "code",
      scope: "openid",
      state: "s",
      nonce: "n",
    });
    const r = await fetch(`${sim.url}/authorize?${authorizeQuery}`, { redirect: "manual" });
    expect(r.status).toBe(400);
    expect(r.headers.get("location")).toBeNull();
  });

  it("a repeated client_id", async () => {
    const r = await fetch(
      `${sim.url}/authorize?client_id=${rp.clientId}&client_id=${rp.clientId}&redirect_uri=${encodeURIComponent(rp.redirectUri)}` +
        "&response_type=code&scope=openid&state=s&nonce=n",
      { redirect: "manual" },
    );
    expect(r.status).toBe(400);
    expect(r.headers.get("location")).toBeNull();
  });

  const variants: [string, string][] = [
    ["a trailing slash added", "https://rp.example/callback/"],
    ["a trailing slash removed", "https://rp.example/cb"],
    ["an upper-case host", "https://RP.EXAMPLE/callback"],
    ["an upper-case path", "https://rp.example/Callback"],
    ["an extra path segment", "https://rp.example/callback/extra"],
    ["an added query", "https://rp.example/callback?x=1"],
    ["an added fragment", "https://rp.example/callback#x"],
    ["http instead of https", "http://rp.example/callback"],
    ["an explicit default port", "https://rp.example:443/callback"],
    ["a subdomain", "https://evil.rp.example/callback"],
    ["another client's URI", "https://narrow.example/callback"],
  ];
  for (const [what, uri] of variants) {
    it(`a redirect_uri with ${what}`, async () => {
      const res = await authorize(sim, req({ redirectUri: uri }));
      expectErrorPage(res);
      expect(res.body).not.toContain("code=");
    });
  }

  it("a missing redirect_uri", async () => {
    const authorizeQuery = new URLSearchParams({ client_id: rp.clientId, response_type: "code", scope: "openid", state: "s", nonce: "n" });
    const r = await fetch(`${sim.url}/authorize?${authorizeQuery}`, { redirect: "manual" });
    expect(r.status).toBe(400);
    expect(r.headers.get("location")).toBeNull();
  });

  it("escapes what it echoes on the error page", async () => {
    const res = await authorize(sim, req({ clientId: "<script>alert(1)</script>" }));
    expectErrorPage(res);
    expect(res.body).not.toContain("<script>");
  });
});

describe("invalid requests answered at the redirect URI (FED-AUTHZ-22, FED-ARESP-07)", () => {
  it("a missing state gives invalid_request without a state", async () => {
    expectRedirectError(await authorize(sim, req({ state: null })), "invalid_request", { state: "absent" });
  });

  it("a missing nonce gives invalid_request with the state (A11)", async () => {
    expectRedirectError(await authorize(sim, req({ nonce: null })), "invalid_request");
  });

  it("a missing response_type gives invalid_request with the state", async () => {
    expectRedirectError(await authorize(sim, req({ responseType: null })), "invalid_request");
  });

  for (const rt of ["token", "id_token", "code id_token", "Code"]) {
    it(`response_type=${rt} gives unsupported_response_type (FED-GEN-02)`, async () => {
      expectRedirectError(await authorize(sim, req({ responseType: rt })), "unsupported_response_type");
    });
  }

  it("a repeated state gives invalid_request", async () => {
    const res = await authorize(sim, req({ state: null, extra: { state: ["one", "two"] } }));
    expect(res.status).toBe(302);
    expect(res.error).toBe("invalid_request");
    expect(res.code).toBeUndefined();
  });

  it("a repeated nonce gives invalid_request with the state", async () => {
    expectRedirectError(await authorize(sim, req({ nonce: null, extra: { nonce: ["one", "two"] } })), "invalid_request");
  });

  it("a repeated scope gives invalid_request with the state", async () => {
    expectRedirectError(await authorize(sim, req({ scope: null, extra: { scope: ["openid", "openid profile"] } })), "invalid_request");
  });

  it("response_mode other than query gives invalid_request (FED-AUTHZ-11)", async () => {
    expectRedirectError(await authorize(sim, req({ extra: { response_mode: "fragment" } })), "invalid_request");
    await signInAndGetCode(sim, req({ extra: { response_mode: "query" } }));
  });

  it("an unknown prompt value gives invalid_request; blank and login are fine (FED-AUTHZ-13)", async () => {
    expectRedirectError(await authorize(sim, req({ prompt: "consent" })), "invalid_request");
    await signInAndGetCode(sim, req({ prompt: "" }));
    await signInAndGetCode(sim, req({ prompt: "login" }));
  });

  it("request, request_uri and registration give their *_not_supported errors", async () => {
    expectRedirectError(await authorize(sim, req({ extra: { request: "eyJhbGciOiJub25lIn0.e30." } })), "request_not_supported");
    expectRedirectError(await authorize(sim, req({ extra: { request_uri: "https://rp.example/req.jwt" } })), "request_uri_not_supported");
    expectRedirectError(await authorize(sim, req({ extra: { registration: "{}" } })), "registration_not_supported");
  });
});

describe("scope (FED-AUTHZ-02..04, FED-AUTHZ-23, SCOPE-04)", () => {
  it("a scope without openid gives invalid_scope", async () => {
    expectRedirectError(await authorize(sim, req({ scope: "profile email" })), "invalid_scope");
  });

  it("a missing scope is refused", async () => {
    const res = await authorize(sim, req({ scope: null }));
    expect(res.status).toBe(302);
    expect(["invalid_request", "invalid_scope"]).toContain(res.error);
    expect(res.code).toBeUndefined();
  });

  it("profile with basic_demographics gives invalid_scope", async () => {
    expectRedirectError(await authorize(sim, req({ scope: "openid profile basic_demographics" })), "invalid_scope");
  });

  it("a documented scope the client is not approved for gives invalid_scope", async () => {
    const res = await authorize(sim, {
      clientId: narrow.clientId,
      redirectUri: narrow.redirectUri,
      scope: "openid profile gp_integration_credentials",
      vtr: ["P9.Cp.Cd"],
    });
    expectRedirectError(res, "invalid_scope", { redirectUri: narrow.redirectUri });
  });

  it("the same client may ask for the scopes it is approved for", async () => {
    await signInAndGetCode(sim, { clientId: narrow.clientId, redirectUri: narrow.redirectUri, scope: "openid profile", vtr: ["P9.Cp.Cd"] });
  });

  it("an unknown scope is ignored and not granted (FED-AUTHZ-03, FED-TRESP-07)", async () => {
    const res = await signInAndGetCode(sim, req({ scope: "openid profile x_unknown_scope" }));
    const token = await exchangeCode(sim, rp, res.code);
    expect(token.status).toBe(200);
    const granted = String(token.json!.scope).split(" ");
    expect(granted.sort()).toEqual(["openid", "profile"]);
    const claims = JSON.parse(Buffer.from(String(token.json!.access_token).split(".")[1]!, "base64url").toString());
    expect(claims.scope.split(" ")).not.toContain("x_unknown_scope");
  });

  it("scope tokens are case-sensitive: OPENID is not openid (SCOPE-15)", async () => {
    expectRedirectError(await authorize(sim, req({ scope: "OPENID" })), "invalid_scope");
  });
});

describe("vtr (FED-AUTHZ-15/16, FED-REG-06)", () => {
  for (const [what, vtr] of [
    ["not JSON", "P9.Cp.Cd"],
    ["curly quotes", "[\u201cP9.Cp.Cd\u201d]"],
    ["the EIS example's closing curly quote", '["P9.Cp.Cd\u201d]'],
    ["an unknown component", '["P9.Cx"]'],
    ["a non-ASCII unknown component", '["P9.C\u00e9"]'],
    ["two proofing levels", '["P9.P5.Cp"]'],
    ["an empty array", "[]"],
    ["an object", '{"vtr":"P9.Cp.Cd"}'],
    ["a trailing space inside a vector", '["P9.Cp.Cd "]'],
  ] as const) {
    it(`${what} gives invalid_request with the state and an ASCII description`, async () => {
      expectRedirectError(await authorize(sim, req({ vtr })), "invalid_request");
    });
  }

  it("a vtr not registered for the client gives invalid_request", async () => {
    const res = await authorize(sim, { clientId: narrow.clientId, redirectUri: narrow.redirectUri, scope: "openid", vtr: ["P0.Cp"] });
    expectRedirectError(res, "invalid_request", { redirectUri: narrow.redirectUri });
  });

  it("a client registered for P9.Cp.Cd only cannot rely on the default vtr", async () => {
    const res = await authorize(sim, { clientId: narrow.clientId, redirectUri: narrow.redirectUri, scope: "openid" });
    expectRedirectError(res, "invalid_request", { redirectUri: narrow.redirectUri });
  });

  it("a P5 person with the default P9 vtr gets access_denied (no uplift)", async () => {
    sim.arm({ persona: "p5", clientId: rp.clientId });
    expectRedirectError(await authorize(sim, req()), "access_denied");
  });

  it("a P5 person with a P5 vtr signs in", async () => {
    sim.arm({ persona: "p5", clientId: rp.clientId });
    await signInAndGetCode(sim, req({ vtr: ["P5.Cp.Cd"] }));
  });

  it("an armed uplift: the P5 person with a P5 session steps up to P9 with the same sub (step-up)", async () => {
    sim.arm({ persona: "p5", clientId: rp.clientId });
    const first = await signInAndGetCode(sim, req({ vtr: ["P5.Cp.Cd"] }));
    sim.arm({ persona: "p5", uplift: "P9", clientId: rp.clientId });
    const stepped = await signInAndGetCode(sim, req({ cookie: first.cookie! }));
    const grant = (code: string) => sim.state.codes.get(code)!.grant;
    expect(grant(first.code).vot).toBe("P5.Cp.Cd");
    expect(grant(stepped.code).vot).toBe("P9.Cp.Cd");
    expect(grant(stepped.code).persona.sub).toBe(grant(first.code).persona.sub);
    expect(grant(stepped.code).persona.proofing).toBe("P9");
    const events = sim.events.filter((e) => e.type === "authorize");
    expect(events.at(-1)?.detail.uplift).toBe("P5 to P9");
    // The uplift is armed per sign-in: the next one is P5 again, and declines the P9 vtr.
    sim.arm({ persona: "p5", clientId: rp.clientId });
    expectRedirectError(await authorize(sim, req()), "access_denied");
  });

  it("refuses an uplift to anything but P5 or P9", () => {
    expect(() => sim.arm({ persona: "p5", uplift: "P0" as "P5" })).toThrow(/uplift must be "P5" or "P9"/);
  });
});

describe("prompt=none and SSO (FED-AUTHZ-13, FED-ARESP-10)", () => {
  it("prompt=none with no session gives sso_login_required", async () => {
    expectRedirectError(await authorize(sim, req({ prompt: "none" })), "sso_login_required");
  });

  it("prompt=none with an unknown session cookie gives sso_login_required", async () => {
    expectRedirectError(await authorize(sim, req({ prompt: "none", cookie: "nhsl_sim_session=forged" })), "sso_login_required");
  });

  it("prompt=none after a sign-in, with its cookie, gives a code", async () => {
    const first = await signInAndGetCode(sim, req());
    expect(first.cookie).toBeDefined();
    const second = await signInAndGetCode(sim, req({ prompt: "none", cookie: first.cookie! }));
    expect(second.code).not.toBe(first.code);
    expect(second.state).toBe(second.sent.state);
  });

  it("prompt=none with a P5 session and the P9 vtr gives sso_login_required (VOT-10)", async () => {
    sim.arm({ persona: "p5", clientId: rp.clientId });
    const p5 = await signInAndGetCode(sim, req({ vtr: ["P5.Cp.Cd"] }));
    expectRedirectError(await authorize(sim, req({ prompt: "none", cookie: p5.cookie! })), "sso_login_required");
  });
});

describe("authorize faults", () => {
  for (const code of AUTHORIZE_ERROR_CODES) {
    it(`authorize-error:${code} redirects with error=${code}, the state and no code`, async () => {
      sim.arm({ faults: [`authorize-error:${code}`], clientId: rp.clientId });
      const res = await authorize(sim, req());
      expectRedirectError(res, code);
      // The fault is used up: the next sign-in succeeds.
      await signInAndGetCode(sim, req());
    });
  }

  it("authorize-state-wrong returns a code with a different state", async () => {
    sim.arm({ faults: ["authorize-state-wrong"], clientId: rp.clientId });
    const res = await authorize(sim, req());
    expect(res.status).toBe(302);
    expect(res.code).toBeTruthy();
    expect(res.state).toBeTruthy();
    expect(res.state).not.toBe(res.sent.state);
  });

  it("authorize-state-missing returns a code without a state", async () => {
    sim.arm({ faults: ["authorize-state-missing"], clientId: rp.clientId });
    const res = await authorize(sim, req());
    expect(res.status).toBe(302);
    expect(res.code).toBeTruthy();
    expect(res.state).toBeNull();
  });

  it("a fault armed for another client is not taken by this one", async () => {
    sim.arm({ faults: ["authorize-error:server_error"], clientId: narrow.clientId });
    await signInAndGetCode(sim, req());
    const res = await authorize(sim, { clientId: narrow.clientId, redirectUri: narrow.redirectUri, vtr: ["P9.Cp.Cd"] });
    expectRedirectError(res, "server_error", { redirectUri: narrow.redirectUri });
  });
});

describe("events", () => {
  it("records each authorize request with its outcome", async () => {
    const before = sim.events.length;
    await authorize(sim, req({ scope: "profile" }));
    const ev = sim.events.slice(before).find((e) => e.type === "authorize");
    expect(ev).toBeDefined();
    expect(ev!.clientId).toBe(rp.clientId);
    expect(ev!.detail.outcome).toBe("redirect-error:invalid_scope");
  });
});
