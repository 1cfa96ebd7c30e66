/**
 * The embedded simulator's own output validates against the strict schemas: discovery, JWKS,
 * full code flows (personas p0, p5, p9 with several scope sets), refresh, trust mark, the
 * UserInfo PATCH round trip, the Users Endpoint V2 jwt-bearer grant and searches, and the error
 * responses of /token, /userinfo and /v2/Users.
 *
 * The simulator runs on 127.0.0.1 (port 0) but advertises an https issuer, as NHS login does
 * (EIS §2.1: no plain HTTP). Requests go to the loopback listener, at the path of each advertised
 * URL. The last block documents what the strict schemas refuse in the simulator's defaults.
 */
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { startSimulator, type Simulator } from "../../lib/simulator/start-simulator.ts";
import { createClientAssertion } from "../../lib/jose/create-client-assertion.ts";
import { gradedSchemaFindings, validatePayload, type SchemaName } from "../../lib/validate/index.ts";

const ISSUER = "https://auth.simulator.nhslogin-conformance.invalid";
const CLIENT_ID = "schema-check-rp";
const REDIRECT_URI = "https://schema-check-rp.example/callback";
const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const FEDERATION_SCOPES = [
  "profile",
  "basic_demographics",
  "profile_extended",
  "email",
  "phone",
  "landline",
  "gp_registration_details",
  "gp_integration_credentials",
  "client_metadata",
];
const USERS_V2_OPTIONAL = "profile profile_extended email phone landline gp_registration_details gp_integration_credentials";
/** The personas' NHS numbers and emails (lib/simulator/personas.ts), and a valid number nobody has. */
const P9_NHS = "9990010005";
const P5_EMAIL = "p5.simulated@example.org";
const UNUSED_NHS = "9990010021";

let sim: Simulator;
let privateKey: KeyObject;
let discovery: Record<string, string>;

/** The loopback URL serving an advertised URL (same path and query). */
function local(advertised: string): string {
  const u = new URL(advertised);
  return `${sim.url}${u.pathname}${u.search}`;
}

/** Expect `payload` to be valid against the strict `schema`, and graded `passed`. */
function expectValid(schema: SchemaName, payload: unknown, what: string): void {
  const result = validatePayload(schema, payload);
  expect(result.errors, `${what} against ${schema}: ${JSON.stringify(payload)}`).toEqual([]);
  expect(gradedSchemaFindings("FED-UI-07", schema, payload)[0]!.status).toBe("passed");
}

async function json(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  expect(() => JSON.parse(text), `not JSON: ${text.slice(0, 200)}`).not.toThrow();
  return JSON.parse(text) as Record<string, unknown>;
}

async function assertion(): Promise<string> {
  return createClientAssertion({ clientId: CLIENT_ID, privateKey, audience: discovery.token_endpoint! });
}

async function postToken(params: Record<string, string>): Promise<Response> {
  return fetch(local(discovery.token_endpoint!), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params).toString(),
  });
}

/** The auth-params of a WWW-Authenticate challenge, without realm (a challenge attribute, not an error member). */
function challengeParams(header: string | null): Record<string, string> {
  expect(header).toMatch(/^Bearer /);
  const out: Record<string, string> = {};
  for (const m of header!.matchAll(/([A-Za-z_]+)="((?:[^"\\]|\\.)*)"/g)) out[m[1]!] = m[2]!.replace(/\\(.)/g, "$1");
  delete out.realm;
  return out;
}

interface SignIn {
  tokens: Record<string, unknown>;
  idClaims: Record<string, unknown>;
  accessToken: string;
}

/** A full code flow for `persona`: authorize (no redirect follow), token exchange, userinfo; every payload checked. */
async function signIn(persona: string, scope: string, vtr?: string[]): Promise<SignIn> {
  sim.arm({ persona, clientId: CLIENT_ID });
  const q = new URLSearchParams({
    response_type: "code",
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    scope,
    state: `st-${persona}-${Math.random()}`,
    nonce: `n-${Math.random()}`,
  });
  if (vtr) q.set("vtr", JSON.stringify(vtr));
  const auth = await fetch(`${local(discovery.authorization_endpoint!)}?${q}`, { redirect: "manual" });
  expect(auth.status).toBe(302);
  const location = new URL(auth.headers.get("location")!);
  expect(location.searchParams.get("error"), location.search).toBeNull();
  const code = location.searchParams.get("code")!;

  const clientAssertion = await assertion();
  expectValid("client-assertion-payload", decodeJwt(clientAssertion), "the harness's client assertion");
  expectValid("jwt-header", decodeProtectedHeader(clientAssertion), "the harness's client assertion header");

  const res = await postToken({
    grant_type: "authorization_code",
    code,
    redirect_uri: REDIRECT_URI,
    client_assertion_type: CLIENT_ASSERTION_TYPE,
    client_assertion: clientAssertion,
  });
  expect(res.status).toBe(200);
  const tokens = await json(res);
  expectValid("token-response", tokens, "token response");
  const idToken = String(tokens.id_token);
  const accessToken = String(tokens.access_token);
  expectValid("jwt-header", decodeProtectedHeader(idToken), "ID token header");
  expectValid("jwt-header", decodeProtectedHeader(accessToken), "access token header");
  const idClaims = decodeJwt(idToken) as Record<string, unknown>;
  expectValid("id-token-payload", idClaims, "ID token");
  expectValid("access-token-payload", decodeJwt(accessToken), "access token");

  const ui = await fetch(local(discovery.userinfo_endpoint!), { headers: { authorization: `Bearer ${accessToken}` } });
  expect(ui.status).toBe(200);
  expectValid("userinfo", await json(ui), `userinfo of ${persona} (${scope})`);
  return { tokens, idClaims, accessToken };
}

beforeAll(async () => {
  const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
  privateKey = pair.privateKey;
  sim = await startSimulator({
    port: 0,
    issuer: ISSUER,
    clients: [
      {
        clientId: CLIENT_ID,
        redirectUris: [REDIRECT_URI],
        publicKey: pair.publicKey.export({ type: "spki", format: "pem" }).toString(),
        scopes: FEDERATION_SCOPES,
        usersV2Scopes: "all",
      },
    ],
  });
  const res = await fetch(`${sim.url}/.well-known/openid-configuration`);
  expect(res.status).toBe(200);
  discovery = (await json(res)) as Record<string, string>;
});

afterAll(async () => {
  await sim?.stop();
});

describe("simulator metadata", () => {
  it("discovery validates", () => {
    expectValid("discovery", discovery, "discovery");
    expect(discovery.issuer).toBe(ISSUER);
  });

  it("the JWKS validates", async () => {
    const res = await fetch(local(discovery.jwks_uri!));
    expect(res.status).toBe(200);
    expectValid("jwks", await json(res), "JWKS");
  });
});

describe("federation code flow", () => {
  const scopeSets = [
    "openid",
    "openid profile email phone",
    "openid profile profile_extended email phone landline gp_registration_details gp_integration_credentials client_metadata",
    "openid basic_demographics profile_extended email x_unknown_scope",
  ];
  const levels: [string, string[]][] = [
    ["p0", ["P0.Cp.Cd"]],
    ["p5", ["P5.Cp.Cd"]],
    ["p9", ["P9.Cp.Cd", "P9.Cm"]],
  ];
  const cases = levels.flatMap(([persona, vtr]) => scopeSets.map((scope) => [persona, scope, vtr] as const));

  it.each(cases)(
    '%s with scope "%s": token response, both JWT headers, ID token, access token and userinfo validate',
    async (persona, scope, vtr) => {
      const { idClaims } = await signIn(persona, scope, [...vtr]);
      expect(String(idClaims.vot).slice(0, 2)).toBe(vtr[0]!.slice(0, 2));
    },
  );

  it("p9 with the default vtr (none sent) and with P9.Cm", async () => {
    expect((await signIn("p9", "openid profile")).idClaims.vot).toBe("P9.Cp.Cd");
    expect((await signIn("p9", "openid profile", ["P9.Cm"])).idClaims.vot).toBe("P9.Cm");
  });

  it("a multi-level vtr answered by a P5 user", async () => {
    const { idClaims } = await signIn("p5", "openid profile", ["P5.Cp.Cd", "P9.Cp.Cd"]);
    expect(idClaims.vot).toBe("P5.Cp.Cd");
  });

  it("the trust mark at the vtm URL validates", async () => {
    const { idClaims } = await signIn("p9", "openid");
    const res = await fetch(local(String(idClaims.vtm)));
    expect(res.status).toBe(200);
    expectValid("trustmark", await json(res), "trust mark");
  });

  it("the refresh grant's token response and access token validate", async () => {
    const { tokens } = await signIn("p9", "openid profile email");
    const res = await postToken({
      grant_type: "refresh_token",
      refresh_token: String(tokens.refresh_token),
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: await assertion(),
    });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).not.toHaveProperty("id_token");
    expectValid("token-response", body, "refresh token response");
    expectValid("access-token-payload", decodeJwt(String(body.access_token)), "refreshed access token");
  });

  it("userinfo with a generated client_user_metadata validates", async () => {
    const { accessToken } = await signIn("p0", "openid email client_metadata", ["P0.Cp.Cd"]);
    const endpoint = local(discovery.userinfo_endpoint!);
    const patch = await fetch(endpoint, {
      method: "PATCH",
      headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
      body: JSON.stringify({ client_user_metadata: "auto" }),
    });
    expect(patch.status).toBe(204);
    const body = await json(await fetch(endpoint, { headers: { authorization: `Bearer ${accessToken}` } }));
    expect(body.client_user_metadata).toBeTypeOf("string");
    expectValid("userinfo", body, "userinfo with client_user_metadata");
  });
});

describe("federation error responses", () => {
  it("a token error (unknown code) validates", async () => {
    const res = await postToken({
      grant_type: "authorization_code",
      code: "not-a-code",
      redirect_uri: REDIRECT_URI,
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: await assertion(),
    });
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error).toBe("invalid_grant");
    expectValid("token-error", body, "token error");
  });

  it("a token error (unsupported grant type) validates", async () => {
    const res = await postToken({
      grant_type: "password",
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: await assertion(),
    });
    expect(res.status).toBe(400);
    expectValid("token-error", await json(res), "token error");
  });

  it("userinfo 401 (invalid token): the WWW-Authenticate error validates", async () => {
    const res = await fetch(local(discovery.userinfo_endpoint!), { headers: { authorization: "Bearer abc.def.ghi" } });
    expect(res.status).toBe(401);
    const params = challengeParams(res.headers.get("www-authenticate"));
    expect(params.error).toBe("invalid_token");
    expectValid("userinfo-error", params, "userinfo 401 challenge");
  });

  it("userinfo 403 (PATCH without client_metadata): the WWW-Authenticate error validates", async () => {
    const { accessToken } = await signIn("p9", "openid email");
    const res = await fetch(local(discovery.userinfo_endpoint!), {
      method: "PATCH",
      headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(403);
    const params = challengeParams(res.headers.get("www-authenticate"));
    expect(params).toMatchObject({ error: "insufficient_scope", scope: "client_metadata" });
    expectValid("userinfo-error", params, "userinfo 403 challenge");
  });

  it("userinfo 400 (token in the header and the query): the JSON body validates", async () => {
    const { accessToken } = await signIn("p9", "openid");
    const res = await fetch(`${local(discovery.userinfo_endpoint!)}?access_token=${accessToken}`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("www-authenticate")).toBeNull();
    expectValid("userinfo-error", await json(res), "userinfo 400 body");
  });
});

describe("Users Endpoint V2", () => {
  async function usersToken(scope: string): Promise<{ body: Record<string, unknown>; token: string }> {
    const res = await postToken({ grant_type: JWT_BEARER, assertion: await assertion(), scope });
    expect(res.status).toBe(200);
    const body = await json(res);
    expectValid("users-v2-token-response", body, `UEV2 token response (${scope})`);
    const token = String(body.access_token);
    expectValid("jwt-header", decodeProtectedHeader(token), "UEV2 access token header");
    expectValid("users-v2-access-token-payload", decodeJwt(token), `UEV2 access token (${scope})`);
    return { body, token };
  }

  async function search(token: string | undefined, filter: string | undefined): Promise<Response> {
    const url = new URL(`${sim.url}/v2/Users`);
    if (filter !== undefined) url.searchParams.set("filter", filter);
    return fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  }

  async function expectList(token: string, filter: string, total: number): Promise<void> {
    const res = await search(token, filter);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.totalResults).toBe(total);
    expectValid("users-v2-list-response", body, `ListResponse for ${filter}`);
    for (const [i, resource] of ((body.Resources as unknown[] | undefined) ?? []).entries())
      expectValid("users-v2-user", resource, `Resources[${i}]`);
  }

  const filters: [string, string, number][] = [
    ["one match", `nhsnumber eq "${P9_NHS}"`, 1],
    ["two matches with or", `nhsnumber eq "${P9_NHS}" or email eq "${P5_EMAIL}"`, 2],
    ["no match", `nhsnumber eq "${UNUSED_NHS}"`, 0],
  ];

  it.each(filters)("all scopes, %s: token response, access token, ListResponse and each User validate", async (_name, filter, total) => {
    const { token } = await usersToken(`${sim.usersScope} ${USERS_V2_OPTIONAL}`);
    await expectList(token, filter, total);
  });

  it.each(filters)("Users.retrieve only, %s: validates", async (_name, filter, total) => {
    const { token } = await usersToken(sim.usersScope);
    await expectList(token, filter, total);
  });

  it("profile and email only: validates", async () => {
    const { token } = await usersToken(`${sim.usersScope} profile email`);
    await expectList(token, `email eq "${P5_EMAIL}"`, 1);
  });

  it("a token error of the jwt-bearer grant (no scope) validates", async () => {
    const res = await postToken({ grant_type: JWT_BEARER, assertion: await assertion() });
    expect(res.status).toBe(400);
    expectValid("token-error", await json(res), "UEV2 token error");
  });

  const badFilters: [string, string | undefined, string][] = [
    ["a broken filter", "email eq", "Invalid syntax"],
    ["no filter", undefined, 'Query string "filter" not present'],
    ["a 9-digit NHS number", 'nhsnumber eq "123456789"', "Invalid NHS number"],
    ["an unsupported operator", 'email co "a@b.c"', "Invalid operator"],
  ];

  it.each(badFilters)("400 for %s: the Errors envelope validates", async (_name, filter, description) => {
    const { token } = await usersToken(sim.usersScope);
    const res = await search(token, filter);
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body).toEqual({ Errors: [{ description, code: "400" }] });
    expectValid("users-v2-error", body, "UEV2 400");
  });

  it("403 without Users.retrieve: the Errors envelope validates", async () => {
    const { token } = await usersToken("profile");
    const res = await search(token, `nhsnumber eq "${P9_NHS}"`);
    expect(res.status).toBe(403);
    expectValid("users-v2-error", await json(res), "UEV2 403 (Users.retrieve)");
  });

  it("403 for an optional scope without profile: the Errors envelope validates", async () => {
    const { token } = await usersToken(`${sim.usersScope} email`);
    const res = await search(token, `nhsnumber eq "${P9_NHS}"`);
    expect(res.status).toBe(403);
    expectValid("users-v2-error", await json(res), "UEV2 403 (profile)");
  });

  it("401 without a token: the body validates (shape only; not a Table 10 row)", async () => {
    const res = await search(undefined, `nhsnumber eq "${P9_NHS}"`);
    expect(res.status).toBe(401);
    expectValid("users-v2-error", await json(res), "UEV2 401");
  });
});

/**
 * What the strict schemas refuse in the simulator's defaults, pinned so that a change is noticed,
 * and the loopback-http allowance that lets the default simulator validate.
 */
describe("documented simulator deviations", () => {
  it('a jwt-bearer grant where nothing is granted answers scope "" (RFC 6749 §3.3 needs at least one scope token)', async () => {
    const res = await postToken({ grant_type: JWT_BEARER, assertion: await assertion(), scope: "x_not_a_users_scope" });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(validatePayload("users-v2-token-response", body).errors).toEqual([expect.stringMatching(/^\/scope: must match pattern/)]);
    expect(validatePayload("users-v2-access-token-payload", decodeJwt(String(body.access_token))).errors).toEqual([
      expect.stringMatching(/^\/scope: must match pattern/),
    ]);
    // The 403 that follows at /v2/Users is itself conformant (Table 10 row 11).
    const users = await fetch(`${sim.url}/v2/Users?filter=${encodeURIComponent(`nhsnumber eq "${P9_NHS}"`)}`, {
      headers: { authorization: `Bearer ${String(body.access_token)}` },
    });
    expect(users.status).toBe(403);
    expectValid("users-v2-error", await json(users), "UEV2 403 (scopes not approved)");
  });

  const defaultIssuerTitle =
    "with its default http://127.0.0.1 issuer everything validates (plain http is allowed on loopback only), " +
    "and a non-loopback http issuer does not";
  it(defaultIssuerTitle, async () => {
    const { privateKey: key, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const plain = await startSimulator({
      port: 0,
      clients: [
        { clientId: "plain", redirectUris: [REDIRECT_URI], publicKey: publicKey.export({ type: "spki", format: "pem" }).toString() },
      ],
    });
    try {
      expect(plain.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const doc = await json(await fetch(`${plain.url}/.well-known/openid-configuration`));
      const failing = (schema: SchemaName, data: unknown) =>
        validatePayload(schema, data).issues.map((i) => `${i.instancePath} ${i.keyword}`);
      expect(failing("discovery", doc)).toEqual([]);
      expect(failing("discovery", { ...doc, token_endpoint: "http://auth.example.org/token" })).toEqual(["/token_endpoint pattern"]);

      const q = new URLSearchParams({
        response_type: "code",
        client_id: "plain",
        redirect_uri: REDIRECT_URI,
        scope: "openid",
        state: "s",
        nonce: "n",
      });
      const code = new URL((await fetch(`${plain.url}/authorize?${q}`, { redirect: "manual" })).headers.get("location")!).searchParams.get(
        "code",
      )!;
      const clientAssertion = await createClientAssertion({ clientId: "plain", privateKey: key, audience: String(doc.token_endpoint) });
      const tokens = await json(
        await fetch(`${plain.url}/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({
            grant_type: "authorization_code",
            code,
            redirect_uri: REDIRECT_URI,
            client_assertion_type: CLIENT_ASSERTION_TYPE,
            client_assertion: clientAssertion,
          }).toString(),
        }),
      );
      expect(failing("token-response", tokens)).toEqual([]);
      const idToken = decodeJwt(String(tokens.id_token));
      expect(failing("id-token-payload", idToken)).toEqual([]);
      expect(failing("id-token-payload", { ...idToken, iss: "http://auth.example.org", vtm: "http://auth.example.org/trustmark" })).toEqual(
        ["/iss pattern", "/vtm pattern"],
      );
      expect(failing("access-token-payload", decodeJwt(String(tokens.access_token)))).toEqual([]);
      const ui = await json(await fetch(`${plain.url}/userinfo`, { headers: { authorization: `Bearer ${String(tokens.access_token)}` } }));
      expect(failing("userinfo", ui)).toEqual([]);
      const tm = await json(await fetch(`${plain.url}/trustmark/${new URL(plain.issuer).host}`));
      expect(failing("trustmark", tm)).toEqual([]);
    } finally {
      await plain.stop();
    }
  });
});
