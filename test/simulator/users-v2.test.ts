/**
 * Users Endpoint V2 in the simulator: the jwt-bearer grant at /token and GET /v2/Users.
 * Every request goes to the simulator's loopback listener.
 */
import { createPublicKey, generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT, UnsecuredJWT, type JSONWebKeySet } from "jose";
import { startSimulator, type Simulator } from "../../lib/simulator/start-simulator.ts";
import { PERSONAS, type Persona } from "../../lib/simulator/personas.ts";
import { USERS_V2_ERRORS } from "../../lib/nhs/scim-filter/index.ts";
import { mintAccessToken } from "../../lib/simulator/tokens/mint-tokens.ts";

const GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const OPTIONAL = ["profile", "profile_extended", "email", "phone", "landline", "gp_registration_details", "gp_integration_credentials"];
const LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const EXT = "uk:nhs:login:auth:1.0:User";

const persona = (id: string): Persona => PERSONAS.find((p) => p.id === id)!;
const P9 = persona("p9");
const P5 = persona("p5");
const P0 = persona("p0");

interface Client {
  id: string;
  key: KeyObject;
}

let sim: Simulator;
let USERS: string;
const key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
/** Approved for every Users V2 scope. */
const full: Client = { id: "uev2-full", key };
/** Approved for Users.retrieve and profile only. */
const limited: Client = { id: "uev2-limited", key };
/** Approved for optional scopes but not Users.retrieve. */
const noRetrieve: Client = { id: "uev2-no-retrieve", key };

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  USERS = sim.usersScope;
  const publicKey = key;
  const reg = (id: string, usersV2Scopes: string[]) =>
    sim.addClient({ clientId: id, redirectUris: [`https://${id}.example/cb`], publicKey, usersV2Scopes });
  reg(full.id, [USERS, ...OPTIONAL]);
  reg(limited.id, [USERS, "profile"]);
  reg(noRetrieve.id, ["profile", "email"]);
});

afterAll(async () => {
  await sim?.stop();
});

// --- helpers --------------------------------------------------------------------------------

interface AssertionOptions {
  alg?: "RS512" | "RS256";
  aud?: string;
  expOffset?: number;
}

async function assertion(client: Client, opts: AssertionOptions = {}): Promise<string> {
  const now = sim.context.now();
  return new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: opts.alg ?? "RS512", typ: "JWT" })
    .setIssuer(client.id)
    .setSubject(client.id)
    .setAudience(opts.aud ?? sim.context.endpoints.token)
    .setIssuedAt(now)
    .setExpirationTime(now + (opts.expOffset ?? 60))
    .sign(client.key);
}

async function postToken(params: Record<string, string>): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const res = await fetch(`${sim.url}/token`, { method: "POST", body: new URLSearchParams(params) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

async function tokenFor(
  client: Client,
  scope: string | undefined,
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const params: Record<string, string> = { grant_type: GRANT, assertion: await assertion(client) };
  if (scope !== undefined) params.scope = scope;
  return postToken(params);
}

async function accessToken(client: Client, scope: string): Promise<string> {
  const res = await tokenFor(client, scope);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.access_token as string;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // biome-ignore lint/suspicious/noExplicitAny: a JSON body of any shape, read by the assertions
  body: any;
}

/** GET `path` exactly as given (no URL normalisation), via node:http. */
function rawRequest(method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: sim.port, method, path, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          /* keep text */
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

/** GET /v2/Users with `filter` percent-encoded (or a raw query when `filter` is an object). */
function search(token: string | undefined, filter: string | { raw: string }): Promise<Answer> {
  const query = typeof filter === "string" ? `filter=${encodeURIComponent(filter)}` : filter.raw;
  return rawRequest("GET", `/v2/Users${query ? `?${query}` : ""}`, token ? { authorization: `Bearer ${token}` } : {});
}

const errorBody = (description: string, code: "400" | "403") => ({ Errors: [{ description, code }] });
const ids = (a: Answer) => (a.body.Resources as { id: string }[]).map((r) => r.id).sort();

// --- token endpoint ------------------------------------------------------------------------

describe("jwt-bearer grant at /token", () => {
  it("issues a Bearer token for 300 s with the approved part of the requested scope", async () => {
    const res = await tokenFor(limited, `${USERS} profile email phone`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("pragma")).toBe("no-cache");
    expect(Object.keys(res.body).sort()).toEqual(["access_token", "expires_in", "scope", "token_type"]);
    expect(res.body.token_type).toBe("Bearer");
    expect(res.body.expires_in).toBe(300);
    expect(res.body.scope).toBe(`${USERS} profile`);
  });

  it("signs the access token RS512 with the T13 claims", async () => {
    const res = await tokenFor(full, `${USERS} profile email`);
    const token = res.body.access_token as string;
    expect(token.split(".")).toHaveLength(3);
    const header = decodeProtectedHeader(token);
    expect(header).toMatchObject({ alg: "RS512", typ: "JWT" });
    const jwks = (await (await fetch(sim.context.endpoints.jwks)).json()) as JSONWebKeySet;
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), { algorithms: ["RS512"] });
    expect(payload).toMatchObject({
      iss: sim.issuer,
      sub: full.id,
      aud: full.id,
      scope: `${USERS} profile email`,
      version: 0,
      client_id: full.id,
      reason_for_request: "directcare",
      requesting_system: full.id,
      token_use: "access",
    });
    expect(Number.isInteger(payload.iat)).toBe(true);
    expect(payload.exp! - payload.iat!).toBe(300);
  });

  it("drops scopes that are unknown or not approved, and keeps the requested order", async () => {
    const res = await tokenFor(full, `email openid ${USERS} profile nonsense email`);
    expect(res.body.scope).toBe(`email ${USERS} profile`);
  });

  it("refuses a replayed assertion with invalid_client", async () => {
    const a = await assertion(full);
    const first = await postToken({ grant_type: GRANT, assertion: a, scope: USERS });
    expect(first.status).toBe(200);
    const again = await postToken({ grant_type: GRANT, assertion: a, scope: USERS });
    expect(again.status).toBe(400);
    expect(again.body.error).toBe("invalid_client");
    expect(again.headers.get("cache-control")).toBe("no-store");
  });

  it.each<[string, AssertionOptions]>([
    ["expired", { expOffset: -120 }],
    ["RS256-signed", { alg: "RS256" }],
    ["for another audience", { aud: "https://auth.login.nhs.uk/token" }],
  ])("refuses an assertion %s with invalid_client", async (_name, opts) => {
    const res = await postToken({ grant_type: GRANT, assertion: await assertion(full, opts), scope: USERS });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("invalid_client");
  });

  it("refuses a request without assertion or scope, or using client_assertion, with invalid_request", async () => {
    expect((await postToken({ grant_type: GRANT, scope: USERS })).body.error).toBe("invalid_request");
    expect((await tokenFor(full, undefined)).body.error).toBe("invalid_request");
    const viaClientAssertion = await postToken({
      grant_type: GRANT,
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: await assertion(full),
      scope: USERS,
    });
    expect(viaClientAssertion.status).toBe(400);
    expect(viaClientAssertion.body.error).toBe("invalid_request");
  });

  it("refuses the grant type typo of the spec example", async () => {
    const res = await postToken({
      grant_type: "urn:ietf:params:oauth:grant-assertion-type:jwt-bearer",
      assertion: await assertion(full),
      scope: USERS,
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("unsupported_grant_type");
  });
});

// --- searching ---------------------------------------------------------------------------------

describe("GET /v2/Users: search", () => {
  let token: string;
  beforeAll(async () => {
    token = await accessToken(full, USERS);
  });

  it("finds a user by NHS number, as a SCIM ListResponse", async () => {
    const a = await search(token, `nhsnumber eq "${P9.nhsNumber}"`);
    expect(a.status).toBe(200);
    expect(a.headers["content-type"]).toMatch(/^application\/scim\+json/);
    expect(a.body).toEqual({
      schemas: [LIST],
      totalResults: 1,
      Resources: [
        {
          schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", EXT],
          id: P9.accountId,
          active: true,
          [EXT]: { vectorsOfTrust: { IdentityProofing: "P9" } },
        },
      ],
    });
  });

  it("finds a user by email, including a P0 user without NHS number", async () => {
    expect(ids(await search(token, `email eq "${P5.email}"`))).toEqual([P5.accountId]);
    expect(ids(await search(token, `email eq "${P0.email}"`))).toEqual([P0.accountId]);
  });

  it("combines terms with or and and", async () => {
    expect(ids(await search(token, `nhsnumber eq "${P9.nhsNumber}" or email eq "${P5.email}"`))).toEqual(
      [P9.accountId, P5.accountId].sort(),
    );
    expect(ids(await search(token, `email eq "${P9.email}" and nhsnumber eq "${P9.nhsNumber}"`))).toEqual([P9.accountId]);
    expect((await search(token, `email eq "${P9.email}" and nhsnumber eq "${P5.nhsNumber}"`)).body.totalResults).toBe(0);
  });

  it("applies and before or (only U2 matches the catalogue's precedence example)", async () => {
    const a = await search(token, `email eq "${P9.email}" and nhsnumber eq "${P5.nhsNumber}" or email eq "${P5.email}"`);
    expect(a.status).toBe(200);
    expect(ids(a)).toEqual([P5.accountId]);
  });

  it("accepts upper-case operators and + for spaces", async () => {
    expect(ids(await search(token, `email EQ "${P9.email}" OR nhsnumber eq "${P5.nhsNumber}"`))).toEqual(
      [P9.accountId, P5.accountId].sort(),
    );
    const plus = `filter=nhsnumber+eq+%22${P9.nhsNumber}%22`;
    expect(ids(await search(token, { raw: plus }))).toEqual([P9.accountId]);
  });

  it("answers 200 with totalResults 0 and Resources [] when nothing matches", async () => {
    for (const filter of ['nhsnumber eq "9990000018"', `email eq "${P9.email.toUpperCase()}"`, 'email eq "nobody@example.org"']) {
      const a = await search(token, filter);
      expect(a.status).toBe(200);
      expect(a.body).toEqual({ schemas: [LIST], totalResults: 0, Resources: [] });
    }
  });

  it("accepts five expressions", async () => {
    const five = Array.from({ length: 5 }, () => `nhsnumber eq "${P9.nhsNumber}"`).join(" or ");
    expect((await search(token, five)).status).toBe(200);
  });

  it("ignores SCIM attribute-selection parameters", async () => {
    const a = await search(token, { raw: `attributes=id&filter=${encodeURIComponent(`nhsnumber eq "${P9.nhsNumber}"`)}&count=1` });
    expect(a.status).toBe(200);
    expect(Object.keys(a.body.Resources[0]).sort()).toEqual(["active", "id", "schemas", EXT].sort());
  });

  it("records each request", async () => {
    await search(token, `email eq "${P5.email}"`);
    const last = sim.events.filter((e) => e.type === "users-v2").at(-1)!;
    expect(last.clientId).toBe(full.id);
    expect(last.detail).toMatchObject({ filter: `email eq "${P5.email}"`, status: 200, totalResults: 1 });
  });
});

// --- attributes per scope ----------------------------------------------------------------------

describe("GET /v2/Users: attributes per granted scope", () => {
  async function userWith(scopes: string[], who: Persona = P9) {
    const token = await accessToken(full, [USERS, ...scopes].join(" "));
    const filter = who.nhsNumber ? `nhsnumber eq "${who.nhsNumber}"` : `email eq "${who.email}"`;
    const a = await search(token, filter);
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(a.body.totalResults).toBe(1);
    return a.body.Resources[0];
  }
  const base = (p: Persona) => ({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", EXT], id: p.accountId, active: true });

  it("Users.retrieve only: exactly schemas, id, active and vectorsOfTrust", async () => {
    const u = await userWith([]);
    expect(Object.keys(u).sort()).toEqual(["active", "id", "schemas", EXT].sort());
    expect(u).toEqual({ ...base(P9), [EXT]: { vectorsOfTrust: { IdentityProofing: "P9" } } });
  });

  it("profile: familyName, nhsNumber, birthdate", async () => {
    expect(await userWith(["profile"])).toEqual({
      ...base(P9),
      [EXT]: { vectorsOfTrust: { IdentityProofing: "P9" }, nhsNumber: P9.nhsNumber, birthdate: P9.birthdate },
      name: { familyName: P9.familyName },
    });
  });

  it("every scope: the full resource, emails[].primary a boolean", async () => {
    expect(await userWith(OPTIONAL)).toEqual({
      ...base(P9),
      [EXT]: {
        vectorsOfTrust: { IdentityProofing: "P9" },
        nhsNumber: P9.nhsNumber,
        birthdate: P9.birthdate,
        gpOdsCode: P9.gpOdsCode,
        gpUserId: P9.gpUserId,
        gpLinkageKey: P9.gpLinkageKey,
      },
      name: { familyName: P9.familyName, givenName: P9.givenName },
      userName: P9.email,
      emails: [{ value: P9.email, type: "home", primary: true }],
      phoneNumbers: [
        { type: "mobile", value: P9.phoneNumber },
        { type: "landline", value: P9.landlineNumber },
      ],
    });
  });

  // biome-ignore lint/suspicious/noExplicitAny: a user resource of any shape, read by the assertions
  it.each<[string, string[], (u: any) => void]>([
    [
      "profile_extended",
      ["profile", "profile_extended"],
      (u) => expect(u.name).toEqual({ familyName: P9.familyName, givenName: P9.givenName }),
    ],
    [
      "email",
      ["profile", "email"],
      (u) => expect([u.userName, u.emails]).toEqual([P9.email, [{ value: P9.email, type: "home", primary: true }]]),
    ],
    ["phone", ["profile", "phone"], (u) => expect(u.phoneNumbers).toEqual([{ type: "mobile", value: P9.phoneNumber }])],
    ["landline", ["profile", "landline"], (u) => expect(u.phoneNumbers).toEqual([{ type: "landline", value: P9.landlineNumber }])],
    ["gp_registration_details", ["profile", "gp_registration_details"], (u) => expect(u[EXT].gpOdsCode).toBe(P9.gpOdsCode)],
    [
      "gp_integration_credentials",
      ["profile", "gp_integration_credentials"],
      (u) => expect([u[EXT].gpUserId, u[EXT].gpLinkageKey]).toEqual([P9.gpUserId, P9.gpLinkageKey]),
    ],
  ])("%s adds only its attributes", async (_name, scopes, check) => {
    const u = await userWith(scopes);
    check(u);
    const keys = Object.keys(u).filter((k) => !["schemas", "id", "active", EXT, "name"].includes(k));
    const extKeys = Object.keys(u[EXT]).filter((k) => !["vectorsOfTrust", "nhsNumber", "birthdate"].includes(k));
    const expected: Record<string, [string[], string[]]> = {
      profile_extended: [[], []],
      email: [["emails", "userName"], []],
      phone: [["phoneNumbers"], []],
      landline: [["phoneNumbers"], []],
      gp_registration_details: [[], ["gpOdsCode"]],
      gp_integration_credentials: [[], ["gpLinkageKey", "gpUserId"]],
    };
    expect([keys.sort(), extKeys.sort()]).toEqual(expected[_name]);
  });

  it("leaves out what a persona lacks instead of sending null (P0 with every scope)", async () => {
    const u = await userWith(OPTIONAL, P0);
    expect(u).toEqual({
      ...base(P0),
      [EXT]: { vectorsOfTrust: { IdentityProofing: "P0" } },
      userName: P0.email,
      emails: [{ value: P0.email, type: "home", primary: true }],
      phoneNumbers: [{ type: "mobile", value: P0.phoneNumber }],
    });
    expect(JSON.stringify(u)).not.toContain("null");
  });
});

// --- Table 10 ---------------------------------------------------------------------------------

describe("GET /v2/Users: every row of Table 10", () => {
  let token: string;
  beforeAll(async () => {
    token = await accessToken(full, USERS);
  });
  const six = Array.from({ length: 6 }, () => `nhsnumber eq "${P9.nhsNumber}"`).join(" or ");

  it.each<[string, string | { raw: string }, string]>([
    ["row 1, structure", "email eq", "Invalid syntax"],
    ["row 2, a known SCIM attribute", 'userName eq "a@b.c"', "Invalid attribute"],
    ["row 3, operator", 'email co "a@b.c"', "Invalid operator"],
    ["row 4, six expressions", six, "More than 5 expressions provided"],
    ["row 5, NHS number", 'nhsnumber eq "123456789"', "Invalid NHS number"],
    ["row 6, email", 'email eq "not-an-email"', "Invalid email"],
    ["row 7, unexpected attribute", 'mail eq "a@b.c"', 'Either one of "nhsnumber" or "email" must be used for each query'],
    ["row 8, no filter", { raw: "" }, 'Query string "filter" not present'],
    ["row 8, another parameter only", { raw: "Filter=x&attributes=id" }, 'Query string "filter" not present'],
  ])("%s", async (_name, filter, description) => {
    const a = await search(token, filter);
    expect(a.status).toBe(400);
    expect(a.body).toEqual(errorBody(description, "400"));
  });

  it.each<[string, { raw: string }]>([
    [
      "repeated filter",
      { raw: `filter=${encodeURIComponent(`nhsnumber eq "${P9.nhsNumber}"`)}&filter=${encodeURIComponent(`email eq "${P9.email}"`)}` },
    ],
    ["empty filter", { raw: "filter=" }],
    ["filter without =", { raw: "filter" }],
    ["bad percent-encoding", { raw: "filter=email%20eq%20%" }],
    ["percent-encoding that is not UTF-8", { raw: "filter=email%20eq%20%22%C3%28%22" }],
    ["curly quotes (percent-encoded)", { raw: `filter=${encodeURIComponent(`nhsnumber eq “${P9.nhsNumber}”`)}` }],
    ["tab", { raw: `filter=${encodeURIComponent(`nhsnumber\teq "${P9.nhsNumber}"`)}` }],
    ["double space", { raw: `filter=${encodeURIComponent(`nhsnumber  eq "${P9.nhsNumber}"`)}` }],
    ["unbalanced quote", { raw: `filter=${encodeURIComponent(`nhsnumber eq "${P9.nhsNumber}`)}` }],
    ["brackets", { raw: `filter=${encodeURIComponent(`(nhsnumber eq "${P9.nhsNumber}")`)}` }],
    ["not", { raw: `filter=${encodeURIComponent(`not nhsnumber eq "${P9.nhsNumber}"`)}` }],
    ["NUL byte", { raw: "filter=%00" }],
  ])("Invalid syntax for an odd query string: %s", async (_name, filter) => {
    const a = await search(token, filter);
    expect(a.status).toBe(400);
    expect(a.body).toEqual(errorBody("Invalid syntax", "400"));
  });

  it("Invalid operator for pr", async () => {
    expect((await search(token, "email pr")).body).toEqual(errorBody("Invalid operator", "400"));
  });

  it("row 9: no scope requested at all", async () => {
    const t = await tokenFor(full, "");
    expect(t.status).toBe(200);
    expect(t.body.scope).toBe("");
    const a = await search(t.body.access_token as string, `nhsnumber eq "${P9.nhsNumber}"`);
    expect(a.status).toBe(403);
    expect(a.body).toEqual(errorBody("No scope was present in the request", "403"));
  });

  it("row 10: Users.retrieve not granted", async () => {
    const t = await accessToken(noRetrieve, `${USERS} profile email`);
    const a = await search(t, `nhsnumber eq "${P9.nhsNumber}"`);
    expect(a.status).toBe(403);
    expect(a.body).toEqual(errorBody(`Scope "${USERS}" required for access was not present in request`, "403"));
  });

  it("row 10: an optional scope granted without profile", async () => {
    const t = await accessToken(full, `${USERS} email`);
    const a = await search(t, `nhsnumber eq "${P9.nhsNumber}"`);
    expect(a.status).toBe(403);
    expect(a.body).toEqual(errorBody('Scope "profile" required for access was not present in request', "403"));
  });

  it("row 11: none of the requested scopes approved", async () => {
    const t = await tokenFor(limited, "email phone");
    expect(t.status).toBe(200);
    expect(t.body.scope).toBe("");
    const a = await search(t.body.access_token as string, `nhsnumber eq "${P9.nhsNumber}"`);
    expect(a.status).toBe(403);
    expect(a.body).toEqual(errorBody(`Requested scopes: email phone did not match the clients approved scopes: ${USERS} profile`, "403"));
  });

  it("checks scopes before the filter", async () => {
    const t = await accessToken(full, `${USERS} email`);
    expect((await search(t, { raw: "" })).status).toBe(403);
  });

  it("uses the Table 10 data exported for checks", () => {
    expect(USERS_V2_ERRORS.filterMissing.description).toBe('Query string "filter" not present');
  });
});

// --- bearer tokens, methods, other resources --------------------------------------------------------

describe("GET /v2/Users: bearer token and methods", () => {
  const filter = `nhsnumber eq "${P9.nhsNumber}"`;

  it("answers 401 with WWW-Authenticate when no token is sent", async () => {
    const a = await search(undefined, filter);
    expect(a.status).toBe(401);
    expect(a.headers["www-authenticate"]).toMatch(/^Bearer realm="users-v2"$/);
  });

  it.each([
    ["not a JWT", "Bearer not-a-token"],
    ["wrong scheme", "Basic dXNlcjpwYXNz"],
    ["no scheme (the spec example)", "h480djs93hd8"],
  ])("answers 401 invalid_token for %s", async (_name, authorization) => {
    const a = await rawRequest("GET", `/v2/Users?filter=${encodeURIComponent(filter)}`, { authorization });
    expect(a.status).toBe(401);
    expect(a.headers["www-authenticate"]).toMatch(/^Bearer .*error="invalid_token"/);
  });

  it("answers 401 for a token signed by another key", async () => {
    const forged = await new SignJWT({ jti: randomUUID(), scope: USERS })
      .setProtectedHeader({ alg: "RS512", typ: "JWT" })
      .setIssuer(sim.issuer)
      .setIssuedAt(sim.context.now())
      .setExpirationTime(sim.context.now() + 300)
      .sign(key);
    expect((await search(forged, filter)).status).toBe(401);
  });

  it("answers 401 for a federation access token (wrong kind)", async () => {
    const now = sim.context.now();
    const federation = await mintAccessToken(sim.context, {
      clientId: full.id,
      redirectUri: `https://${full.id}.example/cb`,
      scopes: ["openid", "profile"],
      vtr: ["P9.Cp.Cd"],
      vot: "P9.Cp.Cd",
      persona: P9,
      authTime: now,
      faults: [],
    });
    const a = await search(federation.token, filter);
    expect(a.status).toBe(401);
    expect(a.headers["www-authenticate"]).toMatch(/error="invalid_token"/);
  });

  it("answers 401 for a revoked token", async () => {
    const t = await accessToken(full, USERS);
    sim.state.accessTokens.get(decodeJwt(t).jti as string)!.revoked = true;
    expect((await search(t, filter)).status).toBe(401);
  });

  it("answers 401 once the token is older than 300 s", async () => {
    const t = await accessToken(full, USERS);
    expect((await search(t, filter)).status).toBe(200);
    sim.advanceClock(301);
    try {
      const a = await search(t, filter);
      expect(a.status).toBe(401);
      expect(a.headers["www-authenticate"]).toMatch(/error="invalid_token"/);
    } finally {
      sim.advanceClock(-301);
    }
  });

  it.each(["POST", "PUT", "PATCH", "DELETE"])("answers %s /v2/Users with 405 and Allow: GET", async (method) => {
    const t = await accessToken(full, USERS);
    const a = await rawRequest(method, `/v2/Users?filter=${encodeURIComponent(filter)}`, {
      authorization: `Bearer ${t}`,
      "content-type": "application/scim+json",
    });
    expect(a.status).toBe(405);
    expect(a.headers.allow).toBe("GET");
  });

  it.each(["/v2/Groups", "/v2/Schemas", "/v2/ResourceTypes", "/v2/Bulk", `/v2/Users/${P9.accountId}`])(
    "answers GET %s with a JSON 404",
    async (path) => {
      const a = await rawRequest("GET", path);
      expect(a.status).toBe(404);
      expect(a.headers["content-type"]).toMatch(/^application\/json/);
      expect(typeof a.body).toBe("object");
    },
  );
});

// --- defects ------------------------------------------------------------------------------------

describe("GET /v2/Users: environment defects", () => {
  afterAll(async () => {
    await sim.setDefects([]);
  });

  it("uev2-wrong-error-text: the descriptions no longer match Table 10", async () => {
    const token = await accessToken(full, USERS);
    await sim.setDefects(["uev2-wrong-error-text"]);
    const syntax = await search(token, "email eq");
    expect(syntax.status).toBe(400);
    expect(syntax.body.Errors[0].description).not.toBe("Invalid syntax");
    expect(syntax.body).not.toEqual(errorBody("Invalid syntax", "400"));
    const missing = await search(token, { raw: "" });
    expect(missing.body.Errors[0].description).not.toBe('Query string "filter" not present');
    const t = await tokenFor(full, "");
    const noScope = await search(t.body.access_token as string, "email eq");
    expect(noScope.status).toBe(403);
    expect(USERS_V2_ERRORS.noScope.pattern.test(noScope.body.Errors[0].description)).toBe(false);
    await sim.setDefects([]);
    expect((await search(token, "email eq")).body).toEqual(errorBody("Invalid syntax", "400"));
  });

  it("uev2-six-expressions-accepted: six expressions answer 200", async () => {
    const token = await accessToken(full, USERS);
    const six = Array.from({ length: 6 }, () => `nhsnumber eq "${P9.nhsNumber}"`).join(" or ");
    await sim.setDefects(["uev2-six-expressions-accepted"]);
    const a = await search(token, six);
    expect(a.status).toBe(200);
    expect(ids(a)).toEqual([P9.accountId]);
    await sim.setDefects([]);
    expect((await search(token, six)).body).toEqual(errorBody("More than 5 expressions provided", "400"));
  });
});

describe("the provider-half defects (issue 12)", () => {
  afterAll(async () => {
    await sim.setDefects([]);
  });
  const numbers = `nhsnumber eq "${P9.nhsNumber}" or nhsnumber eq "${P5.nhsNumber}"`;

  /** A code-grant token request authenticated by an assertion signed `alg`: the federation grant. */
  async function federationToken(alg: "RS512" | "RS256") {
    return postToken({
      grant_type: "authorization_code",
      code: "no-such-code",
      redirect_uri: `https://${full.id}.example/cb`,
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: await assertion(full, { alg }),
    });
  }

  it("refuses HS256 (keyed with the public key) and alg none on the jwt-bearer grant with invalid_client (UEV2-TOKEN-05)", async () => {
    const pem = createPublicKey(key).export({ type: "spki", format: "pem" }) as string;
    const now = sim.context.now();
    const claims = { iss: full.id, sub: full.id, aud: sim.context.endpoints.token, iat: now, exp: now + 60 };
    const hs = await new SignJWT({ ...claims, jti: randomUUID() })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .sign(new TextEncoder().encode(pem));
    const none = new UnsecuredJWT({ ...claims, jti: randomUUID() }).encode();
    for (const a of [hs, none]) {
      const res = await postToken({ grant_type: GRANT, assertion: a, scope: USERS });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe("invalid_client");
    }
  });

  it("UEV2-TOKEN-05, uev2-assertion-rs256-accepted: RS256 gets a Users V2 token, the federation grant stays RS512", async () => {
    await sim.setDefects(["uev2-assertion-rs256-accepted"]);
    const rs256 = await postToken({ grant_type: GRANT, assertion: await assertion(full, { alg: "RS256" }), scope: USERS });
    expect(rs256.status).toBe(200);
    expect(rs256.body.scope).toBe(USERS);
    const federation = await federationToken("RS256");
    expect(federation.status).toBe(400);
    expect(federation.body.error).toBe("invalid_client");
    // The same federation request signed RS512 gets past client authentication (to the unknown code).
    expect((await federationToken("RS512")).body.error).toBe("invalid_grant");
    await sim.setDefects([]);
    expect((await postToken({ grant_type: GRANT, assertion: await assertion(full, { alg: "RS256" }), scope: USERS })).status).toBe(400);
  });

  it("UEV2-TOKEN-18, uev2-token-error-code-unlisted: jwt-bearer refusals say access_denied; other grants keep their codes", async () => {
    await sim.setDefects(["uev2-token-error-code-unlisted"]);
    const res = await postToken({ grant_type: GRANT, scope: USERS });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("access_denied");
    expect((await federationToken("RS512")).body.error).toBe("invalid_grant");
    await sim.setDefects([]);
    expect((await postToken({ grant_type: GRANT, scope: USERS })).body.error).toBe("invalid_request");
  });

  it("UEV2-TOKEN-04, uev2-scope-optional: a request without scope is granted every approved scope", async () => {
    await sim.setDefects(["uev2-scope-optional"]);
    const res = await tokenFor(limited, undefined);
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe(`${USERS} profile`);
    await sim.setDefects([]);
    expect((await tokenFor(limited, undefined)).body.error).toBe("invalid_request");
  });

  it("UEV2-SCOPE-03..08, uev2-optional-scopes-ignored: only the Users.retrieve and profile attributes come back", async () => {
    const token = await accessToken(full, `${USERS} profile email landline`);
    await sim.setDefects(["uev2-optional-scopes-ignored"]);
    const user = (await search(token, `nhsnumber eq "${P9.nhsNumber}"`)).body.Resources[0];
    expect(user.emails).toBeUndefined();
    expect(user.phoneNumbers).toBeUndefined();
    expect(user[EXT].nhsNumber).toBe(P9.nhsNumber);
    await sim.setDefects([]);
    expect((await search(token, `nhsnumber eq "${P9.nhsNumber}"`)).body.Resources[0].phoneNumbers).toEqual([
      { type: "landline", value: P9.landlineNumber },
    ]);
  });

  it("UEV2-RESP-06, uev2-one-user-per-answer: an or of two accounts answers one", async () => {
    const token = await accessToken(full, USERS);
    expect((await search(token, numbers)).body.totalResults).toBe(2);
    await sim.setDefects(["uev2-one-user-per-answer"]);
    const a = await search(token, numbers);
    expect(a.body.totalResults).toBe(1);
    expect(a.body.Resources).toHaveLength(1);
  });

  it("UEV2-GEN-03, uev2-attributes-param-honoured: attributes=id cuts each resource to schemas and id", async () => {
    const token = await accessToken(full, `${USERS} profile`);
    await sim.setDefects(["uev2-attributes-param-honoured"]);
    const a = await search(token, { raw: `filter=${encodeURIComponent(`nhsnumber eq "${P9.nhsNumber}"`)}&attributes=id` });
    expect(a.status).toBe(200);
    expect(Object.keys(a.body.Resources[0]).sort()).toEqual(["id", "schemas"]);
    const plain = await search(token, `nhsnumber eq "${P9.nhsNumber}"`);
    expect(plain.body.Resources[0].name.familyName).toBe(P9.familyName);
  });

  it("UEV2-GEN-01, uev2-token-endpoint-plain-http: discovery names a public http token endpoint; /token still answers", async () => {
    await sim.setDefects(["uev2-token-endpoint-plain-http"]);
    const doc = (await (await fetch(`${sim.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(doc.token_endpoint).toBe("http://auth.conformance.invalid/token");
    expect((await tokenFor(full, USERS)).status).toBe(200);
  });

  it("UEV2-ERR-12, uev2-500-wrong-body: a non-ASCII filter fails with 500 and the Errors envelope instead of T10 row 12", async () => {
    const token = await accessToken(full, USERS);
    const unicode = 'email eq "ünïcode@example.org"';
    expect((await search(token, unicode)).status).not.toBe(500);
    await sim.setDefects(["uev2-500-wrong-body"]);
    const a = await search(token, unicode);
    expect(a.status).toBe(500);
    expect(a.body).toEqual({ Errors: [{ description: "Internal error", code: "500" }] });
    expect((await search(token, `nhsnumber eq "${P9.nhsNumber}"`)).status).toBe(200);
  });
});
