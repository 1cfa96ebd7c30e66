/**
 * The UserInfo finding functions of lib/checks/code-flow/userinfo.ts on crafted answers.
 */
import { describe, expect, it } from "vitest";
import {
  emptyValuePaths,
  metadataLengthFindings,
  metadataScopeFindings,
  metadataUpdateFindings,
  parseBearerChallenge,
  userinfoBearerErrorFindings,
  userinfoClaimFindings,
  userinfoQueryTokenFindings,
  userinfoResponseFindings,
  type UserinfoAnswer,
} from "../../../lib/checks/code-flow/userinfo.ts";
import { statusFor, statusOf } from "./_fixtures.ts";

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

describe("PATCH /userinfo rules on crafted answers", () => {
  const answer = (status: number, body?: unknown, headers: Record<string, string> = {}) => ({
    status,
    headers,
    text: body === undefined ? "" : JSON.stringify(body),
    body,
  });
  const refused = answer(400, { error: "invalid_request", error_description: "too long" });

  it("metadataLengthFindings (FED-UIP-02): 1024 stored and 1025 refused with 400 invalid_request passes", () => {
    expect(metadataLengthFindings(answer(204), refused)).toEqual([
      {
        requirement: "FED-UIP-02",
        status: "passed",
        message: "a value of 1024 characters was stored and one of 1025 refused with 400 invalid_request",
      },
    ]);
  });

  it("metadataLengthFindings warns (MAY) on 1024 refused, 1025 stored, or another refusal", () => {
    const f = metadataLengthFindings(answer(400, { error: "invalid_request" }), answer(204));
    expect(f.map((x) => [x.status, x.message])).toEqual([
      ["warning", "a value of 1024 characters was answered HTTP 400, expected 204 (stored)"],
      ["warning", "a value of 1025 characters was stored (HTTP 204), expected 400 invalid_request"],
    ]);
    for (const over of [answer(413, { error: "too_large" }), answer(400, { error: "invalid_grant" }), answer(400, "text")]) {
      const [x] = metadataLengthFindings(answer(204), over);
      expect(x!.status).toBe("warning");
      expect(x!.message).toMatch(/^a value of 1025 characters was refused with HTTP 4\d\d .*, the EIS names 400 invalid_request$/);
    }
  });

  it("metadataScopeFindings (FED-UIP-07): 403 insufficient_scope in the body or the challenge passes", () => {
    for (const res of [
      answer(403, { error: "insufficient_scope" }),
      answer(403, undefined, { "www-authenticate": 'Bearer error="insufficient_scope", scope="client_metadata"' }),
    ])
      expect(metadataScopeFindings(res)).toEqual([
        {
          requirement: "FED-UIP-07",
          status: "passed",
          message: "a PATCH with a token granted no client_metadata was refused: HTTP 403 insufficient_scope",
        },
      ]);
  });

  it("metadataScopeFindings warns (DERIVED) when accepted or refused otherwise", () => {
    expect(metadataScopeFindings(answer(204))[0]).toMatchObject({
      status: "warning",
      message: "a PATCH with a token granted no client_metadata was accepted (HTTP 204), expected 403",
    });
    expect(metadataScopeFindings(answer(401, { error: "invalid_token" }))[0]).toMatchObject({
      status: "warning",
      message: 'a PATCH with a token granted no client_metadata was refused with HTTP 401 "invalid_token", expected 403 insufficient_scope',
    });
    expect(metadataScopeFindings(answer(403, { error: "forbidden" }))[0]!.status).toBe("warning");
  });
});
