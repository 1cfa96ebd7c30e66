import { CLIENT_ASSERTION_TYPE } from "../../../lib/nhs/constants.ts";
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  assertionClaimFindings,
  assertionLifetimeFindings,
  assertionSignatureFindings,
  clientAuthMethodFindings,
  codeUseFindings,
  jtiFindings,
  tokenEvents,
  tokenRequestFindings,
  type TokenRequest,
} from "../../../lib/checks/service/client-authentication.ts";
import { overallStatus as status } from "../../../lib/checks/grade.ts";

const TOKEN = "http://127.0.0.1:9/token";
const REDIRECT = "https://svc.example/callback";
function req(over: Partial<TokenRequest> = {}, payload: Record<string, unknown> = {}, header: Record<string, unknown> = {}): TokenRequest {
  return {
    at: 1000,
    method: "POST",
    contentType: "application/x-www-form-urlencoded",
    params: {
      grant_type: "authorization_code",
      code: "sha256:abc",
      redirect_uri: REDIRECT,
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: "<600 chars>",
    },
    hasAuthorizationHeader: false,
    assertion: {
      header: { alg: "RS512", typ: "JWT", ...header },
      payload: { iss: "svc", sub: "svc", aud: TOKEN, iat: 1000, exp: 1060, jti: "j1", ...payload },
    },
    outcome: "issued",
    ...over,
  };
}
const key = (bits: number) => generateKeyPairSync("rsa", { modulusLength: bits }).publicKey;

describe("client authentication findings", () => {
  it("reads token requests out of simulator events", () => {
    const t = tokenEvents([
      { type: "token", at: 5, detail: { method: "POST", params: { code: "x" }, hasAuthorizationHeader: true, outcome: "issued" } },
      { type: "authorize", at: 4, detail: {} },
    ]);
    expect(t).toEqual([{ at: 5, seq: 0, method: "POST", params: { code: "x" }, hasAuthorizationHeader: true, outcome: "issued" }]);
  });

  it("token request: form POST, authorization_code, code, same redirect_uri; scope warns", () => {
    expect(status(tokenRequestFindings(req(), REDIRECT))).toBe("passed");
    expect(status(tokenRequestFindings(req({ contentType: "application/json" }), REDIRECT))).toBe("failed");
    expect(status(tokenRequestFindings(req({ params: { ...req().params, grant_type: "client_credentials" } }), REDIRECT))).toBe("failed");
    expect(status(tokenRequestFindings(req({ params: { ...req().params, redirect_uri: "https://svc.example/other" } }), REDIRECT))).toBe(
      "failed",
    );
    expect(status(tokenRequestFindings(req({ params: { ...req().params, scope: "openid" } }), REDIRECT))).toBe("warning");
    expect(status(tokenRequestFindings(undefined, REDIRECT))).toBe("inconclusive"); // no token request: nothing to judge
  });

  it("private_key_jwt only", () => {
    expect(status(clientAuthMethodFindings(req(), "svc"))).toBe("passed");
    expect(status(clientAuthMethodFindings(req({ hasAuthorizationHeader: true }), "svc"))).toBe("failed");
    expect(status(clientAuthMethodFindings(req({ params: { grant_type: "authorization_code", client_secret: "s" } }), "svc"))).toBe(
      "failed",
    );
    expect(status(clientAuthMethodFindings(req({ params: { ...req().params, client_assertion_type: "jwt" } }), "svc"))).toBe("failed");
    expect(status(clientAuthMethodFindings(req({ params: { ...req().params, client_id: "other" } }), "svc"))).toBe("failed");
  });

  it("RS512, typ JWT, accepted by the simulator, RSA 2048 key", () => {
    expect(status(assertionSignatureFindings(req(), key(2048)))).toBe("passed");
    expect(status(assertionSignatureFindings(req({}, {}, { alg: "RS256" }), key(2048)))).toBe("failed");
    expect(status(assertionSignatureFindings(req({}, {}, { typ: undefined }), key(2048)))).toBe("failed");
    expect(status(assertionSignatureFindings(req({ outcome: "invalid_client" }), key(2048)))).toBe("failed");
    // The simulator's own reason decides: a refusal for something else says nothing against the assertion.
    const mismatch = "redirect_uri does not match the authorization request";
    const before = assertionSignatureFindings(req({ outcome: "invalid_grant", reason: mismatch }), key(2048));
    expect(before.filter((f) => f.requirement === "FED-TOKEN-11").map((f) => [f.status, f.message])).toEqual([
      ["inconclusive", `the token request was refused before the client assertion was verified (invalid_grant: ${mismatch})`],
    ]);
    const after = assertionSignatureFindings(req({ outcome: "invalid_grant", reason: mismatch, clientAuthenticated: true }), key(2048));
    expect(after.find((f) => f.requirement === "FED-TOKEN-11")?.status).toBe("passed");
    const refused = assertionSignatureFindings(req({ outcome: "invalid_client", reason: "signature does not verify" }), key(2048));
    expect(refused.find((f) => f.requirement === "FED-TOKEN-11")?.message).toBe(
      "the simulator refused the client assertion (invalid_client: signature does not verify)",
    );
    expect(status(assertionSignatureFindings(req(), key(3072)))).toBe("warning");
    expect(status(assertionSignatureFindings(req(), generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey))).toBe("failed");
  });

  it("iss = sub = client_id, aud the token endpoint", () => {
    expect(status(assertionClaimFindings(req(), "svc", TOKEN))).toBe("passed");
    expect(status(assertionClaimFindings(req({}, { aud: [TOKEN, "x"] }), "svc", TOKEN))).toBe("passed");
    expect(status(assertionClaimFindings(req({}, { sub: "other" }), "svc", TOKEN))).toBe("failed");
    expect(status(assertionClaimFindings(req({}, { aud: "http://127.0.0.1:9" }), "svc", TOKEN))).toBe("failed");
  });

  it("exp present, not past, at most 300 s ahead (warning above); iat not in the future", () => {
    expect(status(assertionLifetimeFindings(req()))).toBe("passed");
    expect(status(assertionLifetimeFindings(req({}, { exp: undefined })))).toBe("failed");
    expect(status(assertionLifetimeFindings(req({}, { exp: 999 })))).toBe("failed");
    expect(status(assertionLifetimeFindings(req({}, { exp: 1000 + 301 })))).toBe("warning");
    expect(status(assertionLifetimeFindings(req({}, { iat: 2000 })))).toBe("failed");
  });

  it("jti unique across requests; each code redeemed once", () => {
    expect(status(jtiFindings([req(), req({}, { jti: "j2" })]))).toBe("passed");
    expect(status(jtiFindings([req(), req()]))).toBe("failed");
    expect(status(jtiFindings([req(), req({}, { jti: undefined })]))).toBe("failed");
    expect(status(jtiFindings([req()]))).toBe("failed");
    expect(status(codeUseFindings([req(), req({ params: { code: "sha256:def" } })]))).toBe("passed");
    expect(status(codeUseFindings([req(), req()]))).toBe("failed");
  });
});
