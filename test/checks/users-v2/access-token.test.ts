/**
 * The Users V2 access-token finding functions of lib/checks/users-v2/access-token.ts: the Table 13
 * claims, and the signature against a JWKS.
 */
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { exportJWK } from "jose";
import { describe, expect, it } from "vitest";
import { accessTokenClaimsFindings, accessTokenSignatureFindings } from "../../../lib/checks/users-v2/access-token.ts";
import { CLIENT, goodClaims, ISSUER, NOW, sign, statusOf, USERS } from "./_fixtures.ts";

const atContext = { issuer: ISSUER, clientId: CLIENT, usersScope: USERS, requestedScopes: [USERS, "profile"], now: NOW + 10 };

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
