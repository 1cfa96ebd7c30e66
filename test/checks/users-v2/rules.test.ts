/**
 * The Users V2 finding functions on crafted responses and tokens: what passes, what warns,
 * what fails, independent of any environment (the same functions serve captured artefacts).
 */
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { exportJWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { accessTokenClaimsFindings, accessTokenSignatureFindings } from "../../../lib/checks/users-v2/access-token.ts";
import { errorResponseFindings, expectedError, expectedScopeRequired } from "../../../lib/checks/users-v2/error-response.ts";
import { filterExpectation, sameSet } from "../../../lib/checks/users-v2/filter-expectation.ts";
import { listResponseFindings } from "../../../lib/checks/users-v2/list-response.ts";
import { refusedTokenRequestFindings } from "../../../lib/checks/users-v2/token-error.ts";
import { scopeReleases, userResourceFindings } from "../../../lib/checks/users-v2/user-resource.ts";
import { tokenResponseFindings } from "../../../lib/checks/users-v2/token-response.ts";
import type { CapturedResponse } from "../../../lib/checks/users-v2/response.ts";
import { USERS_V2_ERRORS } from "../../../lib/nhs/scim-filter/index.ts";
import type { Finding, FindingStatus } from "../../../lib/requirements/index.ts";
import { overallStatus } from "../../../lib/checks/grade.ts";

const USERS = "https://auth.sandpit.signin.nhs.uk/Users.retrieve";
const ISSUER = "https://auth.sandpit.signin.nhs.uk";
const CLIENT = "client-1";
const NOW = 1_700_000_000;

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });

function response(status: number, body: unknown, headers: Record<string, string> = {}): CapturedResponse {
  return {
    status,
    headers: { "content-type": "application/json", ...headers },
    text: typeof body === "string" ? body : JSON.stringify(body),
  };
}

/** Status of the findings for one requirement (or overall when `id` is omitted). */
function statusOf(findings: readonly Finding[], id?: string): FindingStatus {
  return overallStatus(id ? findings.filter((f) => f.requirement === id) : findings);
}

async function sign(claims: Record<string, unknown>, key: KeyObject = privateKey, alg = "RS512"): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg, typ: "JWT", kid: "k1" }).sign(key);
}

function goodClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    iss: ISSUER,
    sub: CLIENT,
    aud: CLIENT,
    iat: NOW,
    exp: NOW + 300,
    scope: `${USERS} profile`,
    version: 0,
    client_id: CLIENT,
    reason_for_request: "directcare",
    requesting_system: CLIENT,
    token_use: "access",
    ...overrides,
  };
  for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete claims[k];
  return claims;
}

const atContext = { issuer: ISSUER, clientId: CLIENT, usersScope: USERS, requestedScopes: [USERS, "profile"], now: NOW + 10 };
const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };

describe("tokenResponseFindings", () => {
  const ctx = { requestedScopes: [USERS, "profile", "email"], usersScope: USERS };
  const body = async (overrides: Record<string, unknown> = {}) => ({
    access_token: await sign(goodClaims()),
    token_type: "Bearer",
    expires_in: 300,
    scope: `${USERS} profile`,
    ...overrides,
  });

  it("passes a conformant response and names the scopes not granted", async () => {
    const findings = tokenResponseFindings(response(200, await body(), NO_STORE), ctx);
    expect(statusOf(findings), JSON.stringify(findings)).toBe("passed");
    expect(findings.find((f) => f.requirement === "UEV2-TOKEN-16")!.message).toMatch(/not granted.*email/);
  });

  it("fails without the cache headers, on a wrong lifetime, and on an error status", async () => {
    expect(statusOf(tokenResponseFindings(response(200, await body()), ctx), "UEV2-TOKEN-12")).toBe("failed");
    expect(statusOf(tokenResponseFindings(response(200, await body({ expires_in: 3600 }), NO_STORE), ctx), "UEV2-TOKEN-15")).toBe("failed");
    const longLived = await body({ access_token: await sign(goodClaims({ exp: NOW + 3600 })) });
    expect(statusOf(tokenResponseFindings(response(200, longLived, NO_STORE), ctx), "UEV2-TOKEN-15")).toBe("failed");
    expect(statusOf(tokenResponseFindings(response(400, { error: "invalid_client" }, NO_STORE), ctx))).toBe("failed");
  });

  it("warns on token_type in another letter case and fails on another word", async () => {
    expect(statusOf(tokenResponseFindings(response(200, await body({ token_type: "bearer" }), NO_STORE), ctx), "UEV2-TOKEN-14")).toBe(
      "warning",
    );
    expect(statusOf(tokenResponseFindings(response(200, await body({ token_type: "MAC" }), NO_STORE), ctx), "UEV2-TOKEN-14")).toBe(
      "failed",
    );
  });

  it("fails a scope beyond the request or without Users.retrieve, warns when scope is absent", async () => {
    expect(statusOf(tokenResponseFindings(response(200, await body({ scope: `${USERS} phone` }), NO_STORE), ctx), "UEV2-TOKEN-16")).toBe(
      "failed",
    );
    expect(statusOf(tokenResponseFindings(response(200, await body({ scope: "profile" }), NO_STORE), ctx), "UEV2-TOKEN-16")).toBe("failed");
    expect(statusOf(tokenResponseFindings(response(200, await body({ scope: undefined }), NO_STORE), ctx), "UEV2-TOKEN-16")).toBe(
      "warning",
    );
  });

  it("fails an access_token that is not a JWT", async () => {
    expect(statusOf(tokenResponseFindings(response(200, await body({ access_token: "opaque" }), NO_STORE), ctx), "UEV2-TOKEN-13")).toBe(
      "failed",
    );
  });
});

describe("accessTokenClaimsFindings", () => {
  it("passes the Table 13 claims", async () => {
    const findings = accessTokenClaimsFindings(await sign(goodClaims()), atContext);
    expect(statusOf(findings), JSON.stringify(findings)).toBe("passed");
  });

  it('warns on version "0" and on aud as a one-element array', async () => {
    expect(statusOf(accessTokenClaimsFindings(await sign(goodClaims({ version: "0" })), atContext), "UEV2-AT-07")).toBe("warning");
    expect(statusOf(accessTokenClaimsFindings(await sign(goodClaims({ aud: [CLIENT] })), atContext), "UEV2-AT-03")).toBe("warning");
  });

  it.each([
    ["UEV2-AT-01", { iss: `${ISSUER}/` }],
    ["UEV2-AT-02", { sub: "someone" }],
    ["UEV2-AT-04", { iat: NOW + 3600, exp: NOW + 3900 }],
    ["UEV2-AT-05", { scope: `${USERS} phone` }],
    ["UEV2-AT-06", { exp: NOW + 3600 }],
    ["TTL-06", { exp: NOW + 3600 }],
    ["UEV2-AT-07", { version: 1 }],
    ["UEV2-AT-08", { client_id: undefined }],
    ["UEV2-AT-09", { reason_for_request: "patientaccess" }],
    ["UEV2-AT-10", { requesting_system: "other" }],
    ["UEV2-AT-11", { token_use: undefined }],
  ])("%s fails with %j", async (id, overrides) => {
    expect(statusOf(accessTokenClaimsFindings(await sign(goodClaims(overrides)), atContext), id)).toBe("failed");
  });

  it("warns when the scope claim differs from the token response scope", async () => {
    const findings = accessTokenClaimsFindings(await sign(goodClaims()), { ...atContext, grantedScope: USERS });
    expect(statusOf(findings, "UEV2-AT-05")).toBe("warning");
  });
});

describe("accessTokenSignatureFindings", () => {
  const jwksOf = async (key: KeyObject) => ({ keys: [{ ...(await exportJWK(key)), kid: "k1", use: "sig", alg: "RS512" }] });

  it("passes an RS512 token that verifies with the JWKS", async () => {
    const { privateKey: k, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    expect(statusOf(await accessTokenSignatureFindings(await sign(goodClaims(), k), await jwksOf(publicKey)))).toBe("passed");
  });

  it("fails a token signed by another key, with RS256, or with a key under 2048 bits", async () => {
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    expect(statusOf(await accessTokenSignatureFindings(await sign(goodClaims()), await jwksOf(publicKey)))).toBe("failed");
    const { privateKey: k, publicKey: p } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const rs256 = await accessTokenSignatureFindings(await sign(goodClaims(), k, "RS256"), await jwksOf(p));
    expect(rs256[0]!.message).toMatch(/RS256/);
    expect(statusOf(rs256)).toBe("failed");
    const weak = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const { createSign } = await import("node:crypto");
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const input = `${b64({ alg: "RS512", typ: "JWT", kid: "k1" })}.${b64(goodClaims())}`;
    const signature = createSign("RSA-SHA512").update(input).sign(weak.privateKey).toString("base64url");
    const findings = await accessTokenSignatureFindings(`${input}.${signature}`, await jwksOf(weak.publicKey));
    expect(statusOf(findings)).toBe("failed");
    expect(findings[0]!.message).toMatch(/2048/);
  });
});

describe("userResourceFindings", () => {
  const base = {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", "uk:nhs:login:auth:1.0:User"],
    id: "3a9c2e3a-7659-4ce2-a5c8-40e2e2414f13",
    active: true,
    "uk:nhs:login:auth:1.0:User": { vectorsOfTrust: { IdentityProofing: "P9" } },
  };
  const full = {
    ...base,
    "uk:nhs:login:auth:1.0:User": { vectorsOfTrust: { IdentityProofing: "P9" }, nhsNumber: "9658526933", birthdate: "1991-07-26" },
    name: { familyName: "KEHOE-CID" },
    userName: "someone@example.com",
    emails: [{ value: "someone@example.com", type: "home", primary: true }],
  };
  const only = { usersScope: USERS, grantedScopes: [USERS] };
  const profileEmail = { usersScope: USERS, grantedScopes: [USERS, "profile", "email"] };

  it("passes the base resource under Users.retrieve and the profile/email one under those scopes", () => {
    expect(statusOf(userResourceFindings(base, only))).toBe("passed");
    const findings = userResourceFindings(full, { ...profileEmail, searched: { nhsNumber: "9658526933", email: "someone@example.com" } });
    expect(statusOf(findings), JSON.stringify(findings)).toBe("passed");
  });

  it("fails attributes beyond the granted scopes (SCOPE-10), optional ones without profile included", () => {
    expect(statusOf(userResourceFindings(full, only), "UEV2-SCOPE-10")).toBe("failed");
    const emailOnly = { ...base, emails: [{ value: "a@b.c", type: "home", primary: true }] };
    const findings = userResourceFindings(emailOnly, { usersScope: USERS, grantedScopes: [USERS, "email"] });
    expect(statusOf(findings, "UEV2-SCOPE-10")).toBe("failed");
    expect(findings.find((f) => f.status === "failed")!.message).toMatch(/without profile/);
    const phones = { ...full, phoneNumbers: [{ type: "landline", value: "+441132583752" }] };
    expect(
      statusOf(userResourceFindings(phones, { usersScope: USERS, grantedScopes: [USERS, "profile", "email", "phone"] }), "UEV2-SCOPE-10"),
    ).toBe("failed");
  });

  it("warns on a string primary, nulls, unknown members and schemas in another order", () => {
    const primary = { ...full, emails: [{ value: "someone@example.com", type: "home", primary: "true" }] };
    expect(statusOf(userResourceFindings(primary, profileEmail), "UEV2-RESP-17")).toBe("warning");
    expect(statusOf(userResourceFindings({ ...base, name: null }, only), "UEV2-RESP-20")).toBe("warning");
    expect(statusOf(userResourceFindings({ ...base, meta: {} }, only), "UEV2-RESP-20")).toBe("warning");
    expect(statusOf(userResourceFindings({ ...base, schemas: [...base.schemas].reverse() }, only), "UEV2-RESP-07")).toBe("warning");
  });

  it("fails wrong formats and a resource that does not match the search", () => {
    const ext = (e: Record<string, unknown>) => ({
      ...full,
      "uk:nhs:login:auth:1.0:User": { vectorsOfTrust: { IdentityProofing: "P9" }, ...e },
    });
    expect(statusOf(userResourceFindings(ext({ nhsNumber: 9658526933, birthdate: "1991-07-26" }), profileEmail), "UEV2-RESP-11")).toBe(
      "failed",
    );
    expect(statusOf(userResourceFindings(ext({ nhsNumber: "9658526933", birthdate: "1991-02-30x" }), profileEmail), "UEV2-RESP-11")).toBe(
      "failed",
    );
    expect(statusOf(userResourceFindings(ext({ birthdate: "1991-07-26" }), profileEmail), "UEV2-RESP-11")).toBe("failed");
    expect(statusOf(userResourceFindings(full, { ...profileEmail, searched: { nhsNumber: "9990010005" } }), "UEV2-RESP-11")).toBe("failed");
    expect(statusOf(userResourceFindings(full, { ...profileEmail, searched: { email: "other@example.com" } }), "UEV2-RESP-15")).toBe(
      "failed",
    );
    expect(
      statusOf(
        userResourceFindings({ ...full, emails: [{ value: "someone@example.com", type: "work", primary: true }] }, profileEmail),
        "UEV2-RESP-16",
      ),
    ).toBe("failed");
    expect(statusOf(userResourceFindings({ ...base, active: "true" }, only), "UEV2-RESP-09")).toBe("failed");
    expect(
      statusOf(
        userResourceFindings({ ...base, "uk:nhs:login:auth:1.0:User": { vectorsOfTrust: { IdentityProofing: "P3" } } }, only),
        "UEV2-RESP-10",
      ),
    ).toBe("failed");
  });

  it("scopeReleases: optional scopes need profile (T14)", () => {
    expect(scopeReleases("profile", [USERS, "profile"])).toBe(true);
    expect(scopeReleases("email", [USERS, "email"])).toBe(false);
    expect(scopeReleases("email", [USERS, "email", "profile"])).toBe(true);
  });
});

describe("listResponseFindings", () => {
  const user = {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", "uk:nhs:login:auth:1.0:User"],
    id: "u1",
    active: true,
    "uk:nhs:login:auth:1.0:User": { vectorsOfTrust: { IdentityProofing: "P0" } },
  };
  const list = (over: Record<string, unknown> = {}) => ({
    schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
    totalResults: 1,
    Resources: [user],
    ...over,
  });
  const ctx = { usersScope: USERS, grantedScopes: [USERS] };
  const scim = { "content-type": "application/scim+json" };

  it("passes a ListResponse and reports ids, with or without Resources for no match (A34)", () => {
    const r = listResponseFindings(response(200, list(), scim), ctx);
    expect(statusOf(r.findings), JSON.stringify(r.findings)).toBe("passed");
    expect(r.ids).toEqual(["u1"]);
    expect(statusOf(listResponseFindings(response(200, list({ totalResults: 0, Resources: [] }), scim), ctx).findings)).toBe("passed");
    const absent = list({ totalResults: 0 });
    delete (absent as Record<string, unknown>).Resources;
    expect(statusOf(listResponseFindings(response(200, absent, scim), ctx).findings)).toBe("passed");
  });

  it("warns on an undocumented Content-Type and on Resources length differing from totalResults", () => {
    expect(statusOf(listResponseFindings(response(200, list(), { "content-type": "text/plain" }), ctx).findings, "UEV2-RESP-01")).toBe(
      "warning",
    );
    expect(statusOf(listResponseFindings(response(200, list({ totalResults: 2 }), scim), ctx).findings, "UEV2-RESP-05")).toBe("warning");
  });

  it("fails a non-200, wrong schemas, a bad totalResults, and Resources missing for a match", () => {
    expect(statusOf(listResponseFindings(response(404, {}), ctx).findings)).toBe("failed");
    expect(
      statusOf(
        listResponseFindings(response(200, list({ schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"] }), scim), ctx).findings,
        "UEV2-RESP-02",
      ),
    ).toBe("failed");
    expect(statusOf(listResponseFindings(response(200, list({ totalResults: -1 }), scim), ctx).findings, "UEV2-RESP-03")).toBe("failed");
    const missing = list();
    delete (missing as Record<string, unknown>).Resources;
    expect(statusOf(listResponseFindings(response(200, missing, scim), ctx).findings, "UEV2-RESP-05")).toBe("failed");
  });
});

describe("errorResponseFindings", () => {
  const body = (description: string, code: unknown = "400") => ({ Errors: [{ description, code }] });

  it("passes the exact Table 10 row and either text for an unsupported attribute (A28)", () => {
    expect(statusOf(errorResponseFindings(response(400, body("Invalid syntax")), expectedError(USERS_V2_ERRORS.invalidSyntax)))).toBe(
      "passed",
    );
    const either = expectedError([USERS_V2_ERRORS.invalidAttribute, USERS_V2_ERRORS.unexpectedAttribute]);
    expect(statusOf(errorResponseFindings(response(400, body(USERS_V2_ERRORS.unexpectedAttribute.description)), either))).toBe("passed");
    expect(statusOf(errorResponseFindings(response(400, body("Invalid attribute")), either))).toBe("passed");
  });

  it("fails another text, another status, an answered request, a numeric code and the bare object (A26)", () => {
    const row = expectedError(USERS_V2_ERRORS.invalidSyntax);
    expect(statusOf(errorResponseFindings(response(400, body("INVALID SYNTAX")), row), "UEV2-ERR-01")).toBe("failed");
    expect(statusOf(errorResponseFindings(response(422, body("Invalid syntax", "422")), row), "UEV2-ERR-01")).toBe("failed");
    expect(statusOf(errorResponseFindings(response(200, { totalResults: 0 }), row))).toBe("failed");
    expect(statusOf(errorResponseFindings(response(400, body("Invalid syntax", 400)), row), "UEV2-ERR-13")).toBe("failed");
    expect(statusOf(errorResponseFindings(response(400, { description: "Invalid syntax", code: "400" }), row), "UEV2-ERR-13")).toBe(
      "failed",
    );
    expect(statusOf(errorResponseFindings(response(400, "Bad Request", { "content-type": "text/plain" }), row), "UEV2-ERR-13")).toBe(
      "failed",
    );
  });

  it("row 10 accepts the scope with or without quotes (A27) but not another scope", () => {
    const ctx = expectedScopeRequired(USERS);
    expect(
      statusOf(errorResponseFindings(response(403, body(`Scope "${USERS}" required for access was not present in request`, "403")), ctx)),
    ).toBe("passed");
    const unquoted = errorResponseFindings(
      response(403, body(`Scope ${USERS} required for access was not present in request`, "403")),
      ctx,
    );
    expect(statusOf(unquoted, "UEV2-ERR-10")).toBe("passed");
    // The schema's lenient variant names the A27 choice, so the envelope check warns.
    expect(statusOf(unquoted)).toBe("warning");
    expect(
      statusOf(errorResponseFindings(response(403, body('Scope "profile" required for access was not present in request', "403")), ctx)),
    ).toBe("failed");
  });
});

describe("refusedTokenRequestFindings", () => {
  const expectation = { requirement: "UEV2-TOKEN-10", what: "a replay" };

  it("passes a 400 (or 401 invalid_client) JSON refusal with the cache headers", () => {
    expect(statusOf(refusedTokenRequestFindings(response(400, { error: "invalid_grant" }, NO_STORE), expectation))).toBe("passed");
    expect(statusOf(refusedTokenRequestFindings(response(401, { error: "invalid_client" }, NO_STORE), expectation))).toBe("passed");
  });

  it("fails a token issued, a server error, and a refusal outside T3/T4", () => {
    expect(statusOf(refusedTokenRequestFindings(response(200, { access_token: "x" }, NO_STORE), expectation))).toBe("failed");
    expect(statusOf(refusedTokenRequestFindings(response(500, { error: "server_error" }, NO_STORE), expectation))).toBe("failed");
    expect(statusOf(refusedTokenRequestFindings(response(401, { error: "invalid_grant" }, NO_STORE), expectation), "UEV2-TOKEN-17")).toBe(
      "failed",
    );
    expect(statusOf(refusedTokenRequestFindings(response(400, { error: "nope" }, NO_STORE), expectation), "UEV2-TOKEN-17")).toBe("failed");
    expect(statusOf(refusedTokenRequestFindings(response(400, { error: "invalid_grant" }), expectation), "UEV2-TOKEN-17")).toBe("failed");
  });

  it("records another code or an issued token as a warning when asked to (the grant-type typo)", () => {
    const typo = {
      requirement: "UEV2-TOKEN-02",
      what: "the typo",
      codes: ["unsupported_grant_type"],
      otherCode: "warning" as const,
      onIssued: "warning" as const,
    };
    expect(statusOf(refusedTokenRequestFindings(response(400, { error: "invalid_request" }, NO_STORE), typo))).toBe("warning");
    expect(statusOf(refusedTokenRequestFindings(response(200, { access_token: "x" }, NO_STORE), typo))).toBe("warning");
    expect(statusOf(refusedTokenRequestFindings(response(400, { error: "unsupported_grant_type" }, NO_STORE), typo))).toBe("passed");
  });
});

describe("filterExpectation", () => {
  const lookups: Record<string, string[]> = {
    "email e1@x.y": ["U1"],
    "nhsnumber 9990010005": ["U1"],
    "email e2@x.y": ["U2"],
    "nhsnumber 9990010013": ["U2"],
  };
  const single = (a: string, v: string) => new Set(lookups[`${a} ${v}`] ?? []);

  it("gives the catalogue fixture's answer (only U2) and the wrong reading's (nobody)", () => {
    const { expected, orFirst } = filterExpectation('email eq "e1@x.y" and nhsnumber eq "9990010013" or email eq "e2@x.y"', single);
    expect([...expected]).toEqual(["U2"]);
    expect([...orFirst]).toEqual([]);
  });

  it("treats and as intersection and or as union", () => {
    expect(sameSet(filterExpectation('email eq "e1@x.y" and nhsnumber eq "9990010005"', single).expected, new Set(["U1"]))).toBe(true);
    expect(sameSet(filterExpectation('email eq "e1@x.y" or email eq "e2@x.y"', single).expected, new Set(["U1", "U2"]))).toBe(true);
    expect(filterExpectation('email eq "e1@x.y" and email eq "e2@x.y"', single).expected.size).toBe(0);
  });
});
