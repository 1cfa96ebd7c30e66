/**
 * The pure finding functions of lib/checks/code-flow/rules.ts on crafted answers: authorization
 * responses and errors, token responses, code reuse and refresh.
 */
import { describe, expect, it } from "vitest";
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
import { REDIRECT, statusFor, statusOf } from "./_fixtures.ts";

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
});
