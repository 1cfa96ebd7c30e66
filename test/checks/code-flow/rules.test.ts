/**
 * The pure finding functions behind the code-flow checks, on crafted answers: authorization
 * responses and errors, token responses, refresh, access tokens, JOSE headers and signatures,
 * and UserInfo.
 */
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { exportJWK, SignJWT } from "jose";
import {
  authorizationErrorFindings,
  authorizationSuccessFindings,
  codeReuseFindings,
  noRedirectFindings,
  refreshFindings,
  refreshWideningFindings,
  supersededRefreshFindings,
  tokenResponseFindings,
  unknownScopeFindings,
  type ErrorExpectation,
} from "../../../lib/checks/code-flow/rules.ts";
import { accessTokenClaimFindings, accessTokenLifetimeFindings } from "../../../lib/checks/tokens/access-token.ts";
import { jwsSignatureFindings, jwtHeaderFindings } from "../../../lib/checks/tokens/jwt-header.ts";
import {
  emptyValuePaths,
  metadataUpdateFindings,
  parseBearerChallenge,
  userinfoBearerErrorFindings,
  userinfoClaimFindings,
  userinfoQueryTokenFindings,
  userinfoResponseFindings,
  type UserinfoAnswer,
} from "../../../lib/checks/code-flow/userinfo.ts";
import { redirectUriVariants } from "../../../lib/checks/code-flow/authorize-errors.ts";
import { wideningScope } from "../../../lib/checks/code-flow/refresh.ts";
import { probeNonce, probeState } from "../../../lib/checks/code-flow/sessions.ts";
import { overallStatus } from "../../../lib/checks/grade.ts";
import { type Finding, finding } from "../../../lib/requirements/index.ts";

const statusOf = (f: Finding[]) => overallStatus(f);
const statusFor = (f: Finding[], id: string) => overallStatus(f.filter((x) => x.requirement === id));
const REDIRECT = "https://svc.example/callback";
const STATE = "s.a+b/c=d~";

describe("authorization responses", () => {
  const ok = () => {
    const u = new URL(REDIRECT);
    u.searchParams.set("code", "abc");
    u.searchParams.set("state", STATE);
    return u;
  };

  it("FED-ARESP-01/02: the exact redirect URI, a code, the state byte-identical", () => {
    expect(statusOf(authorizationSuccessFindings(ok(), { redirectUri: REDIRECT, state: STATE }))).toBe("passed");
    expect(ok().search).toContain("a%2Bb%2Fc%3Dd%7E");
  });

  it("fails another path, a fragment, a missing code, and a + left unencoded (it decodes to a space)", () => {
    const other = new URL(`${REDIRECT}/x?code=abc&state=${encodeURIComponent(STATE)}`);
    expect(statusFor(authorizationSuccessFindings(other, { redirectUri: REDIRECT, state: STATE }), "FED-ARESP-01")).toBe("failed");
    const frag = ok();
    frag.hash = "code=abc";
    expect(statusFor(authorizationSuccessFindings(frag, { redirectUri: REDIRECT, state: STATE }), "FED-ARESP-01")).toBe("failed");
    expect(
      statusFor(authorizationSuccessFindings(new URL(`${REDIRECT}?state=x`), { redirectUri: REDIRECT, state: "x" }), "FED-ARESP-01"),
    ).toBe("failed");
    const raw = new URL(`${REDIRECT}?code=abc&state=s.a+b/c=d~`);
    expect(statusFor(authorizationSuccessFindings(raw, { redirectUri: REDIRECT, state: STATE }), "FED-ARESP-02")).toBe("failed");
  });

  const expectation: ErrorExpectation = {
    redirectUri: REDIRECT,
    state: STATE,
    requirement: "FED-AUTHZ-02",
    expected: ["invalid_scope"],
    what: "no openid",
  };
  const errorAt = (params: Record<string, string>, hash = "") => {
    const u = new URL(REDIRECT);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    return { status: 302, location: `${u.href}${hash}`, url: "https://op.example/authorize" };
  };

  it("an error redirect with error, state and an ASCII description passes", () => {
    expect(
      statusOf(
        authorizationErrorFindings(errorAt({ error: "invalid_scope", error_description: "openid is required", state: STATE }), expectation),
      ),
    ).toBe("passed");
  });

  it("another Table 5 code only warns; a code outside Table 5 fails FED-ARESP-09", () => {
    expect(statusOf(authorizationErrorFindings(errorAt({ error: "invalid_request", state: STATE }), expectation))).toBe("warning");
    expect(statusFor(authorizationErrorFindings(errorAt({ error: "bad_scope", state: STATE }), expectation), "FED-ARESP-09")).toBe(
      "failed",
    );
  });

  it("FED-ARESP-07: no state, a code, a non-ASCII description or a fragment fail", () => {
    expect(statusFor(authorizationErrorFindings(errorAt({ error: "invalid_scope" }), expectation), "FED-ARESP-07")).toBe("failed");
    expect(
      statusFor(authorizationErrorFindings(errorAt({ error: "invalid_scope", state: STATE, code: "x" }), expectation), "FED-ARESP-07"),
    ).toBe("failed");
    expect(
      statusFor(
        authorizationErrorFindings(errorAt({ error: "invalid_scope", state: STATE, error_description: "caf\u00e9" }), expectation),
        "FED-ARESP-07",
      ),
    ).toBe("failed");
    expect(
      statusFor(
        authorizationErrorFindings(errorAt({ error: "invalid_scope", state: STATE, error_description: 'say "no"' }), expectation),
        "FED-ARESP-07",
      ),
    ).toBe("failed");
  });

  it("tokens in the fragment mean the implicit or hybrid flow was accepted", () => {
    const f = authorizationErrorFindings(errorAt({ state: STATE }, "#id_token=eyJ&access_token=x"), {
      ...expectation,
      requirement: "FED-GEN-02",
    });
    expect(statusFor(f, "FED-GEN-02")).toBe("failed");
  });

  it("an error page (4xx) counts as refused but not redirected; a 200 page or a redirect elsewhere was not refused", () => {
    const page = authorizationErrorFindings({ status: 400, url: "https://op.example/authorize" }, expectation);
    expect(statusFor(page, "FED-AUTHZ-02")).toBe("passed");
    expect(statusFor(page, "FED-ARESP-07")).toBe("failed");
    expect(statusFor(authorizationErrorFindings({ status: 200, url: "https://op.example/authorize" }, expectation), "FED-AUTHZ-02")).toBe(
      "failed",
    );
    expect(
      statusFor(
        authorizationErrorFindings({ status: 302, location: "/login?x=1", url: "https://op.example/authorize" }, expectation),
        "FED-AUTHZ-02",
      ),
    ).toBe("failed");
  });

  it("FED-ARESP-08: only a redirect to the untrusted URI fails", () => {
    const x = { forbidden: `${REDIRECT}/`, requirement: "FED-ARESP-08", what: "variant" };
    expect(statusOf(noRedirectFindings({ status: 400, url: "https://op.example/authorize" }, x))).toBe("passed");
    expect(
      statusOf(noRedirectFindings({ status: 302, location: "https://op.example/error", url: "https://op.example/authorize" }, x)),
    ).toBe("passed");
    expect(
      statusOf(noRedirectFindings({ status: 302, location: `${REDIRECT}/?error=invalid_request`, url: "https://op.example/authorize" }, x)),
    ).toBe("failed");
  });

  it("makes redirect URI variants that differ in slash, path, query and scheme", () => {
    const v = redirectUriVariants(REDIRECT).map((x) => x.uri);
    expect(v).toEqual([`${REDIRECT}/`, `${REDIRECT}/extra`, `${REDIRECT}?x=1`, "http://svc.example/callback"]);
    expect(redirectUriVariants("http://127.0.0.1:8765/cb/").map((x) => x.uri)).toEqual([
      "http://127.0.0.1:8765/cb",
      "http://127.0.0.1:8765/cb/extra",
      "http://127.0.0.1:8765/cb/?x=1",
      "https://127.0.0.1:8765/cb/",
    ]);
  });

  it("probe state and nonce are fresh and carry reserved characters", () => {
    expect(probeState()).not.toBe(probeState());
    expect(probeState()).toMatch(/\+.*\/.*=.*~$/);
    expect(probeNonce()).toMatch(/[A-Z].*[a-z]|[a-z].*[A-Z]/);
  });
});

describe("token responses", () => {
  const headers = { "content-type": "application/json", "cache-control": "no-store", pragma: "no-cache" };
  const body = { access_token: "a.b.c", token_type: "Bearer", expires_in: 300, id_token: "d.e.f", refresh_token: "r", scope: "openid" };

  it("passes a conformant code-grant response; token_type in any case passes, another word warns (A1)", () => {
    expect(statusOf(tokenResponseFindings({ status: 200, headers, body }, { grant: "authorization_code" }))).toBe("passed");
    expect(
      statusOf(tokenResponseFindings({ status: 200, headers, body: { ...body, token_type: "BEARER" } }, { grant: "authorization_code" })),
    ).toBe("passed");
    expect(
      statusOf(tokenResponseFindings({ status: 200, headers, body: { ...body, token_type: "mac" } }, { grant: "authorization_code" })),
    ).toBe("warning");
    expect(
      statusOf(tokenResponseFindings({ status: 200, headers, body: { ...body, token_type: 1 } }, { grant: "authorization_code" })),
    ).toBe("failed");
    expect(
      statusFor(
        tokenResponseFindings({ status: 200, headers, body: { ...body, expires_in: "300" } }, { grant: "authorization_code" }),
        "FED-TRESP-04",
      ),
    ).toBe("failed");
  });

  it("fails without the cache headers, without id_token on the code grant, or with one on refresh", () => {
    expect(
      statusFor(
        tokenResponseFindings({ status: 200, headers: { "content-type": "application/json" }, body }, { grant: "authorization_code" }),
        "FED-TRESP-02",
      ),
    ).toBe("failed");
    const { id_token: _i, ...noId } = body;
    expect(statusFor(tokenResponseFindings({ status: 200, headers, body: noId }, { grant: "authorization_code" }), "FED-TRESP-08")).toBe(
      "failed",
    );
    expect(statusFor(tokenResponseFindings({ status: 200, headers, body }, { grant: "refresh_token" }), "FED-TRESP-08")).toBe("failed");
    expect(
      statusOf(tokenResponseFindings({ status: 400, headers, body: { error: "invalid_grant" } }, { grant: "authorization_code" })),
    ).toBe("failed");
  });

  it("FED-AUTHZ-03 / FED-TRESP-07: the unknown scope is not granted and the scope is named", () => {
    const x = { unknownScope: "x_unknown_scope" };
    expect(statusOf(unknownScopeFindings({ status: 200, headers, body }, "openid", x))).toBe("passed");
    expect(
      statusFor(unknownScopeFindings({ status: 200, headers, body: { ...body, scope: undefined } }, "openid", x), "FED-TRESP-07"),
    ).toBe("failed");
    expect(statusFor(unknownScopeFindings({ status: 200, headers, body }, "openid x_unknown_scope", x), "FED-AUTHZ-03")).toBe("failed");
    expect(statusOf(unknownScopeFindings({ status: 400, headers, body: { error: "invalid_scope" } }, undefined, x))).toBe("failed");
  });

  it("FED-ARESP-04: a second redemption must be 400 invalid_grant", () => {
    expect(statusOf(codeReuseFindings({ status: 400, headers, body: { error: "invalid_grant" } }))).toBe("passed");
    expect(statusOf(codeReuseFindings({ status: 400, headers, body: { error: "invalid_request" } }))).toBe("failed");
    expect(statusOf(codeReuseFindings({ status: 200, headers, body }))).toBe("failed");
  });

  it("refresh: a new access token without id_token; widening refused with invalid_scope; reuse recorded", () => {
    const { id_token: _i, ...refreshed } = body;
    expect(statusOf(refreshFindings({ status: 200, headers, body: refreshed }, { previousAccessToken: "x.y.z" }))).toBe("passed");
    expect(statusOf(refreshFindings({ status: 200, headers, body: refreshed }, { previousAccessToken: "a.b.c" }))).toBe("failed");
    expect(statusOf(refreshFindings({ status: 400, headers, body: { error: "invalid_grant" } }, {}))).toBe("failed");
    expect(statusOf(refreshWideningFindings({ status: 400, headers, body: { error: "invalid_scope" } }, { extraScope: "email" }))).toBe(
      "passed",
    );
    expect(
      statusOf(refreshWideningFindings({ status: 200, headers, body: { ...refreshed, scope: "openid email" } }, { extraScope: "email" })),
    ).toBe("failed");
    expect(
      statusOf(refreshWideningFindings({ status: 200, headers, body: { ...refreshed, scope: "openid" } }, { extraScope: "email" })),
    ).toBe("warning");
    expect(statusOf(supersededRefreshFindings({ status: 400, headers, body: { error: "invalid_grant" } }))).toBe("passed");
    expect(statusOf(supersededRefreshFindings({ status: 200, headers, body: refreshed }))).toBe("warning");
    expect(statusOf(supersededRefreshFindings(undefined))).toBe("passed");
  });

  it("widens with a documented scope not yet granted", () => {
    expect(wideningScope(["openid", "profile", "email", "phone"])).toBe("profile_extended");
    expect(wideningScope(["openid", "email"])).toBe("profile");
  });
});

describe("access tokens", () => {
  const NOW = 1_700_000_000;
  const id = { sub: "s-1", vot: "P9.Cp.Cd", vtm: "https://auth.example.nhs.uk/trustmark/auth.example.nhs.uk", nhs_number: "9990010005" };
  const at = (o: Record<string, unknown> = {}) => ({
    iss: "https://auth.example.nhs.uk",
    sub: "s-1",
    aud: "svc",
    iat: NOW,
    exp: NOW + 300,
    jti: "a-1",
    scope: "openid profile",
    vot: id.vot,
    vtm: id.vtm,
    nhs_number: "9990010005",
    ...o,
  });
  const x = {
    issuer: "https://auth.example.nhs.uk",
    clientId: "svc",
    vtr: ["P9.Cp.Cd"],
    scopes: ["openid", "profile"],
    requestedScopes: ["openid", "profile", "x_unknown_scope"],
    idToken: id,
  };

  it("passes T17 claims equal to the ID token's", () => {
    const f = accessTokenClaimFindings(at(), x);
    expect(statusOf(f), JSON.stringify(f)).toBe("passed");
  });

  it("fails scope beyond the request or without openid, missing vot/vtm, nhs_number without profile", () => {
    expect(statusFor(accessTokenClaimFindings(at({ scope: "openid email" }), x), "FED-AT-03")).toBe("failed");
    expect(statusFor(accessTokenClaimFindings(at({ scope: "profile" }), x), "FED-AT-03")).toBe("failed");
    expect(statusFor(accessTokenClaimFindings(at({ vot: undefined }), x), "FED-AT-04")).toBe("failed");
    expect(statusFor(accessTokenClaimFindings(at({ scope: "openid" }), x), "FED-AT-05")).toBe("failed");
  });

  it("warns when vot differs from the ID token's (VOT-05, DERIVED equality)", () => {
    expect(statusFor(accessTokenClaimFindings(at({ vot: "P9.Cm" }), x), "VOT-05")).toBe("warning");
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ["a sub that is not printable ASCII", { sub: "s\u00e91" }, "FED-AT-02 failed", 'access token sub is "s\u00e91", expected 1 to 255'],
    ["no sub", { sub: undefined }, "FED-AT-02 failed", "access token sub is absent, expected 1 to 255"],
    ["a sub other than the ID token's", { sub: "s-2" }, "FED-AT-02 warning", 'access token sub "s-2" differs from the ID token\'s "s-1"'],
    ["a string exp", { exp: String(NOW + 300) }, "FED-AT-02 failed", "access token exp is "],
    ["no iat", { iat: undefined }, "FED-AT-02 failed", "access token iat is absent, expected an integer"],
    ["an empty jti", { jti: "" }, "FED-AT-02 failed", 'access token jti is "", expected a non-empty string'],
    ["a scope that is not a string", { scope: ["openid"] }, "FED-AT-03 failed", "access token scope is"],
    ["an empty vtm", { vtm: "" }, "FED-AT-04 failed", 'access token vtm is "", expected the trust mark URL'],
    [
      "a vtm other than the ID token's",
      { vtm: "https://auth.example.nhs.uk/trustmark/other" },
      "FED-AT-04 warning",
      "differs from the ID token's",
    ],
    ["a vot array", { vot: ["P9.Cp.Cd"] }, "VOT-05 failed", 'access token vot is ["P9.Cp.Cd"], expected a single string'],
    ["an invalid nhs_number", { nhs_number: "9990010006" }, "FED-AT-05 failed", "expected a 10-digit string with a valid check digit"],
    ["another nhs_number than the ID token's", { nhs_number: "9990010013" }, "FED-AT-05 failed", "nhs_number differs from the ID token's"],
    [
      "no nhs_number though profile and the ID token has one",
      { nhs_number: undefined },
      "FED-AT-05 warning",
      "the ID token carries nhs_number",
    ],
    ["a string auth_time", { auth_time: "1" }, "FED-AT-05 failed", 'access token auth_time is "1", expected an integer'],
  ])("an access token with %s: %s", (_what, change, verdict, reason) => {
    const f = accessTokenClaimFindings(at(change), x);
    const [id, status] = verdict.split(" ");
    const hit = f.filter((g) => g.requirement === id && g.status === status);
    expect(
      hit.some((g) => g.message.includes(reason)),
      JSON.stringify(f, null, 1),
    ).toBe(true);
    expect(statusFor(f, id!)).toBe(status);
  });

  it("judges the vot in the ID token too, and says a non-object payload is not one", () => {
    const f = accessTokenClaimFindings(at(), { ...x, idToken: { ...id, vot: ["P9.Cp.Cd"] } });
    expect(f.find((g) => g.requirement === "VOT-05" && g.status === "failed")?.message).toBe(
      'ID token vot is ["P9.Cp.Cd"], expected a single string',
    );
    expect(accessTokenClaimFindings("x.y.z", x)).toEqual([finding("FED-AT-02", "failed", "the access token payload is not a JSON object")]);
    expect(statusOf(accessTokenClaimFindings(at({ nhs_number: undefined }), { ...x, idToken: { ...id, nhs_number: undefined } }))).toBe(
      "passed",
    );
    const passed = accessTokenClaimFindings(at({ nhs_number: undefined }), {
      ...x,
      scopes: ["openid"],
      idToken: { ...id, nhs_number: undefined },
    });
    expect(passed.find((g) => g.requirement === "FED-AT-05")?.message).toBe("no nhs_number, as expected");
  });

  it("TTL-03 names the lifetime, and FED-TRESP-06 an expires_in that disagrees with it", () => {
    expect(accessTokenLifetimeFindings(at({ exp: NOW + 3600 }), 3600).map((g) => `${g.requirement} ${g.status}: ${g.message}`)).toEqual([
      "TTL-03 failed: the access token lives 3600 s (exp − iat), expected 300 s",
      "FED-TRESP-06 warning: expires_in is 3600, expected 300",
    ]);
    expect(accessTokenLifetimeFindings(at(), 200).map((g) => `${g.requirement} ${g.status}: ${g.message}`)).toEqual([
      "FED-TRESP-06 warning: expires_in 200 disagrees with the access token's exp − iat 300",
      "TTL-03 passed: the access token lives 300 s",
      "FED-TRESP-06 warning: expires_in is 200, expected 300",
    ]);
    expect(accessTokenLifetimeFindings(at({ exp: NOW + 301 }), 301).map((g) => g.status)).toEqual(["passed", "warning"]);
    expect(accessTokenLifetimeFindings(at({ iat: "x" }), 300)[0]!.message).toBe(
      'access token exp 1700000300 and iat "x" must both be integers to tell the lifetime',
    );
  });

  it("TTL-03 fails a lifetime other than 300 s; FED-TRESP-06 warns on expires_in", () => {
    expect(statusOf(accessTokenLifetimeFindings(at(), 300))).toBe("passed");
    expect(statusFor(accessTokenLifetimeFindings(at({ exp: NOW + 3600 }), 3600), "TTL-03")).toBe("failed");
    expect(statusOf(accessTokenLifetimeFindings(at(), 3600))).toBe("warning");
    expect(statusOf(accessTokenLifetimeFindings(at(), undefined))).toBe("warning");
  });
});

describe("JOSE header and signature", () => {
  const jwks = { keys: [{ kty: "RSA", kid: "k1", use: "sig", n: "x", e: "AQAB" }] };

  it("passes RS512 / JWT / a published kid, and fails the alternatives", () => {
    expect(statusOf(jwtHeaderFindings({ alg: "RS512", typ: "JWT", kid: "k1" }, { jwks }))).toBe("passed");
    expect(statusFor(jwtHeaderFindings({ alg: "RS256", typ: "JWT", kid: "k1" }, { jwks }), "FED-JWT-01")).toBe("failed");
    expect(statusFor(jwtHeaderFindings({ alg: "RS512", typ: "jwt", kid: "k1" }, { jwks }), "FED-JWT-02")).toBe("failed");
    expect(statusFor(jwtHeaderFindings({ alg: "RS512", typ: "JWT", kid: "k1", jku: "https://x" }, { jwks }), "FED-JWT-03")).toBe("failed");
    expect(statusFor(jwtHeaderFindings({ alg: "RS512", typ: "JWT", kid: "k9" }, { jwks }), "FED-DISC-02")).toBe("failed");
    expect(statusFor(jwtHeaderFindings({ alg: "RS512", typ: "JWT" }, { jwks }), "FED-DISC-02")).toBe("warning");
  });

  it("reports under another requirement when asked (FED-AT-01)", () => {
    const f = jwtHeaderFindings({ alg: "none" }, { requirement: "FED-AT-01", token: "access token" });
    expect(statusFor(f, "FED-AT-01")).toBe("failed");
    expect(f.some((x) => x.requirement.startsWith("FED-JWT"))).toBe(false);
  });

  it("verifies RS512 with the JWKS, and refuses RS256 and keys under 2048 bits", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const set = { keys: [{ ...(await exportJWK(publicKey)), kid: "k1", use: "sig" }] };
    const good = await new SignJWT({ sub: "x" }).setProtectedHeader({ alg: "RS512", typ: "JWT", kid: "k1" }).sign(privateKey);
    expect(statusOf(await jwsSignatureFindings(good, set))).toBe("passed");
    const rs256 = await new SignJWT({ sub: "x" }).setProtectedHeader({ alg: "RS256", typ: "JWT", kid: "k1" }).sign(privateKey);
    expect(statusOf(await jwsSignatureFindings(rs256, set))).toBe("failed");
    const [h, p, s] = good.split(".") as [string, string, string];
    const flipped = `${h}.${p}.${s.startsWith("A") ? `B${s.slice(1)}` : `A${s.slice(1)}`}`;
    expect(statusOf(await jwsSignatureFindings(flipped, set))).toBe("failed");
    const weak = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const weakSet = { keys: [{ ...(await exportJWK(weak.publicKey)), kid: "k1", use: "sig" }] };
    const f = await jwsSignatureFindings(good, weakSet);
    expect(statusOf(f)).toBe("failed");
    expect(f[0]!.message).toMatch(/2048/);
    expect(statusOf(await jwsSignatureFindings(undefined, set))).toBe("failed");
  });
});

describe("UserInfo", () => {
  const json = { "content-type": "application/json; charset=utf-8" };
  const p9 = {
    iss: "https://auth.example.nhs.uk",
    aud: "svc",
    sub: "s-1",
    email: "a@example.org",
    email_verified: true,
    nhs_number: "9990010005",
    family_name: "SMITH",
    birthdate: "1984-02-29",
    identity_proofing_level: "P9",
  };
  const answer = (body: unknown, status = 200, headers: Record<string, string> = json) => ({
    status,
    headers,
    text: JSON.stringify(body),
    body,
  });

  it("FED-UI-02/05/07: 200 JSON, the ID token's sub, the userinfo schema", () => {
    expect(statusOf(userinfoResponseFindings(answer(p9), { idTokenSub: "s-1" }))).toBe("passed");
    expect(statusFor(userinfoResponseFindings(answer(p9), { idTokenSub: "s-2" }), "FED-UI-05")).toBe("failed");
    expect(
      statusFor(userinfoResponseFindings(answer(p9, 200, { "content-type": "application/jwt" }), { idTokenSub: "s-1" }), "FED-UI-02"),
    ).toBe("failed");
    expect(statusFor(userinfoResponseFindings(answer({ ...p9, email_verified: "true" }), { idTokenSub: "s-1" }), "FED-UI-07")).toBe(
      "failed",
    );
    const jwt = { status: 200, headers: json, text: "eyJhbGciOiJSUzUxMiJ9.eyJzdWIiOiJ4In0.c2ln", body: undefined };
    expect(statusOf(userinfoResponseFindings(jwt, { idTokenSub: "s-1" }))).toBe("failed");
  });

  it("claims exactly per scope and level: extra claims and empty values fail, data-dependent gaps warn", () => {
    const scopes = ["openid", "profile", "email"];
    expect(statusOf(userinfoClaimFindings(p9, { scopes, level: "P9" }))).toBe("passed");
    expect(statusFor(userinfoClaimFindings({ ...p9, phone_number: "+447700900109" }, { scopes, level: "P9" }), "FED-UI-04")).toBe("failed");
    expect(statusFor(userinfoClaimFindings({ ...p9, family_name: "" }, { scopes, level: "P9" }), "FED-UI-03")).toBe("failed");
    const { email: _e, ...noEmail } = p9;
    expect(statusFor(userinfoClaimFindings(noEmail, { scopes, level: "P9" }), "FED-UI-08")).toBe("failed");
    expect(statusOf(userinfoClaimFindings(p9, { scopes: [...scopes, "profile_extended"], level: "P9" }))).toBe("warning");
    expect(statusFor(userinfoClaimFindings(p9, { scopes, level: "P0" }), "FED-UI-04")).toBe("failed");
    const { nhs_number: _n, ...basic } = p9;
    expect(statusOf(userinfoClaimFindings(basic, { scopes: ["openid", "basic_demographics", "email"], level: "P9" }))).toBe("passed");
    const { birthdate: _b, ...noBirthdate } = basic;
    expect(
      statusFor(userinfoClaimFindings(noBirthdate, { scopes: ["openid", "basic_demographics", "email"], level: "P9" }), "SCOPE-03"),
    ).toBe("failed");
  });

  it("finds null and empty values at any depth", () => {
    expect(emptyValuePaths({ a: 1, b: { c: null, d: [1, ""] } })).toEqual(["/b/c", "/b/d/1"]);
  });

  it("FED-UI-17/18: 401 with WWW-Authenticate, invalid_token for a bad token; the Bearer scheme leniently (A14)", () => {
    const e = (status: number, www?: string): UserinfoAnswer => ({
      status,
      headers: www ? { "www-authenticate": www } : {},
      text: "",
      body: undefined,
    });
    expect(statusOf(userinfoBearerErrorFindings(e(401, 'Bearer realm="userinfo"'), { case: "missing", what: "none" }))).toBe("passed");
    expect(statusOf(userinfoBearerErrorFindings(e(401, 'Bearer error="invalid_token"'), { case: "invalid", what: "bad" }))).toBe("passed");
    expect(
      statusOf(userinfoBearerErrorFindings(e(401, 'error="invalid_token", error_description="x"'), { case: "invalid", what: "bad" })),
    ).toBe("warning");
    expect(statusOf(userinfoBearerErrorFindings(e(401, 'Bearer error="invalid_request"'), { case: "invalid", what: "bad" }))).toBe(
      "failed",
    );
    expect(statusOf(userinfoBearerErrorFindings(e(401), { case: "missing", what: "none" }))).toBe("failed");
    expect(statusOf(userinfoBearerErrorFindings(e(400, 'Bearer error="invalid_token"'), { case: "invalid", what: "bad" }))).toBe("warning");
    expect(statusOf(userinfoBearerErrorFindings(e(200), { case: "missing", what: "none" }))).toBe("failed");
    expect(parseBearerChallenge('Bearer realm="u", error="invalid_token"')).toEqual({ bearer: true, error: "invalid_token" });
  });

  it("FED-UI-01 and FED-UIP-06", () => {
    expect(statusOf(userinfoQueryTokenFindings({ status: 400, headers: {}, text: "", body: undefined }))).toBe("passed");
    expect(statusOf(userinfoQueryTokenFindings({ status: 200, headers: {}, text: "{}", body: {} }))).toBe("failed");
    expect(statusOf(metadataUpdateFindings({ status: 204, headers: {}, text: "", body: undefined }, "set"))).toBe("passed");
    expect(statusOf(metadataUpdateFindings({ status: 200, headers: {}, text: "{}", body: {} }, "set"))).toBe("failed");
  });
});
