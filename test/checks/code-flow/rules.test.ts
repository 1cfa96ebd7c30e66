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
import type { Finding } from "../../../lib/requirements/index.ts";
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

describe("code-flow rules' reasons, word for word", () => {
  const said = (f: Finding[]) => f.map((x) => `${x.requirement} ${x.status}: ${x.message}`);
  const AUTHORIZE = "https://op.example/authorize";

  describe("authorizationSuccessFindings", () => {
    const x = { redirectUri: `${REDIRECT}?tenant=a`, state: "st" };
    const at = (query: string, hash = "") => new URL(`${REDIRECT}${query}${hash}`);

    it("passes the exact URI with its own query kept, a code and the state, with both reasons", () => {
      expect(said(authorizationSuccessFindings(at("?tenant=a&code=c&state=st"), x))).toEqual([
        "FED-ARESP-01 passed: redirected to the exact redirect_uri with a code in the query and no fragment",
        "FED-ARESP-02 passed: state came back byte-identical (2 characters, reserved characters included)",
      ]);
    });

    it("names where the response went: another origin, another path, the URI's own query lost or changed", () => {
      const wrong = "FED-ARESP-01 failed: the response went to";
      expect(said(authorizationSuccessFindings(new URL("https://other.example/callback?tenant=a&code=c&state=st"), x))[0]).toBe(
        `${wrong} "https://other.example/callback", expected exactly "${REDIRECT}?tenant=a"`,
      );
      expect(said(authorizationSuccessFindings(at("/x?tenant=a&code=c&state=st"), x))[0]).toBe(
        `${wrong} "${REDIRECT}/x", expected exactly "${REDIRECT}?tenant=a"`,
      );
      expect(said(authorizationSuccessFindings(at("?code=c&state=st"), x))[0]).toBe(
        `${wrong} "${REDIRECT}", expected exactly "${REDIRECT}?tenant=a"`,
      );
      expect(said(authorizationSuccessFindings(at("?tenant=b&code=c&state=st"), x))).toHaveLength(2);
      expect(said(authorizationSuccessFindings(at("?tenant=a&extra=1&code=c&state=st"), x))[0]).toMatch(/passed/);
    });

    it("an error with or without a description, no code, an empty code, a fragment, no state, another state", () => {
      expect(said(authorizationSuccessFindings(at("?tenant=a&error=access_denied&error_description=User%20left&state=st"), x))).toEqual([
        "FED-ARESP-01 failed: the sign-in ended with error=access_denied (User left)",
        "FED-ARESP-01 failed: the redirect has no code in its query",
        "FED-ARESP-02 passed: state came back byte-identical (2 characters, reserved characters included)",
      ]);
      expect(said(authorizationSuccessFindings(at("?tenant=a&error=access_denied&code=&state=st"), x)).slice(0, 2)).toEqual([
        "FED-ARESP-01 failed: the sign-in ended with error=access_denied",
        "FED-ARESP-01 failed: the redirect has no code in its query",
      ]);
      expect(said(authorizationSuccessFindings(at("?tenant=a&code=c&state=st", "#f"), x))[0]).toBe(
        "FED-ARESP-01 failed: the redirect carries a fragment; the response must be in the query only",
      );
      expect(said(authorizationSuccessFindings(at("?tenant=a&code=c"), x))).toEqual([
        'FED-ARESP-02 failed: the redirect has no state; "st" was sent',
        "FED-ARESP-01 passed: redirected to the exact redirect_uri with a code in the query and no fragment",
      ]);
      expect(said(authorizationSuccessFindings(at("?tenant=a&code=c&state=su"), x))[0]).toBe(
        'FED-ARESP-02 failed: state came back as "su", expected exactly "st"',
      );
    });
  });

  describe("authorizationErrorFindings", () => {
    const x: ErrorExpectation = {
      redirectUri: `${REDIRECT}?tenant=a`,
      state: "st",
      requirement: "FED-AUTHZ-02",
      expected: ["invalid_scope", "invalid_request"],
      what: "no openid",
    };
    const redirect = (query: string, status = 302) => ({ status, location: `${REDIRECT}${query}`, url: AUTHORIZE });
    const PASSES = [
      "FED-ARESP-07 passed: no openid: error and state at the redirect_uri, no code, ASCII description",
      "FED-ARESP-09 passed: no openid: error=invalid_scope is a Table 5 code",
    ];

    it("a conformant error redirect (303 or 307 too) passes all three, with each reason", () => {
      for (const status of [302, 303, 307, 399])
        expect(
          said(authorizationErrorFindings(redirect("?tenant=a&error=invalid_scope&state=st&error_description=no", status), x)),
        ).toEqual(["FED-AUTHZ-02 passed: no openid: refused with error=invalid_scope", ...PASSES]);
      expect(said(authorizationErrorFindings(redirect("?tenant=a&error=invalid_request&state=st"), x))[0]).toBe(
        "FED-AUTHZ-02 passed: no openid: refused with error=invalid_request",
      );
    });

    it("an error page refuses without redirecting; 2xx, a 400 redirect or another place was not refused", () => {
      expect(said(authorizationErrorFindings({ status: 400, url: AUTHORIZE }, x))).toEqual([
        "FED-AUTHZ-02 passed: no openid: refused with HTTP 400",
        "FED-ARESP-07 failed: no openid: answered HTTP 400 instead of redirecting the error to the valid redirect_uri",
      ]);
      expect(said(authorizationErrorFindings({ status: 200, url: AUTHORIZE }, x))).toEqual([
        "FED-AUTHZ-02 failed: no openid: not refused before sign-in (HTTP 200, the sign-in would go ahead)",
      ]);
      expect(
        said(authorizationErrorFindings({ status: 299, location: `${REDIRECT}?tenant=a&error=invalid_scope`, url: AUTHORIZE }, x)),
      ).toEqual(["FED-AUTHZ-02 failed: no openid: not refused before sign-in (HTTP 299, the sign-in would go ahead)"]);
      expect(
        said(authorizationErrorFindings({ status: 400, location: `${REDIRECT}?tenant=a&error=invalid_scope`, url: AUTHORIZE }, x))[0],
      ).toBe("FED-AUTHZ-02 passed: no openid: refused with HTTP 400");
      expect(said(authorizationErrorFindings({ status: 302, location: "/login?x=1", url: AUTHORIZE }, x))).toEqual([
        'FED-AUTHZ-02 failed: no openid: not refused before sign-in (a redirect to "https://op.example/login", the sign-in would go ahead)',
      ]);
      expect(said(authorizationErrorFindings({ status: 302, url: AUTHORIZE }, x))).toEqual([
        "FED-AUTHZ-02 failed: no openid: not refused before sign-in (HTTP 302, the sign-in would go ahead)",
      ]);
    });

    it("tokens in the fragment, a code in the query, no error, an empty error", () => {
      expect(said(authorizationErrorFindings(redirect("?tenant=a&state=st#code=c&id_token=i"), x))).toEqual([
        "FED-AUTHZ-02 failed: no openid: accepted, code and id_token in the fragment (implicit or hybrid flow)",
        "FED-AUTHZ-02 failed: no openid: redirected without an error parameter",
      ]);
      expect(said(authorizationErrorFindings(redirect("?tenant=a&state=st#access_token=t"), x))[0]).toBe(
        "FED-AUTHZ-02 failed: no openid: accepted, access_token in the fragment (implicit or hybrid flow)",
      );
      expect(said(authorizationErrorFindings(redirect("?tenant=a&code=c&state=st"), x))).toEqual([
        "FED-AUTHZ-02 failed: no openid: accepted, a code was issued",
        "FED-ARESP-07 failed: no openid: the response carries a code",
      ]);
      expect(said(authorizationErrorFindings(redirect("?tenant=a&error=&state=st"), x))).toEqual([
        "FED-AUTHZ-02 failed: no openid: redirected without an error parameter",
      ]);
      expect(said(authorizationErrorFindings(redirect("?tenant=a&error=invalid_scope&code=c&state=st"), x))).toEqual([
        "FED-AUTHZ-02 failed: no openid: accepted, a code was issued",
        "FED-ARESP-07 failed: no openid: the response carries a code",
        "FED-ARESP-09 passed: no openid: error=invalid_scope is a Table 5 code",
      ]);
    });

    it("a code outside Table 5, another Table 5 code, a state lost or changed, none sent", () => {
      expect(said(authorizationErrorFindings(redirect("?tenant=a&error=nope&state=st"), x))).toEqual([
        'FED-ARESP-09 failed: no openid: error="nope" is not a Table 5 code',
        "FED-AUTHZ-02 warning: no openid: refused, but with error=nope where invalid_scope or invalid_request was expected",
        "FED-ARESP-07 passed: no openid: error and state at the redirect_uri, no code, ASCII description",
      ]);
      expect(said(authorizationErrorFindings(redirect("?tenant=a&error=access_denied&state=st"), x))[0]).toBe(
        "FED-AUTHZ-02 warning: no openid: refused, but with error=access_denied where invalid_scope or invalid_request was expected",
      );
      expect(said(authorizationErrorFindings(redirect("?tenant=a&error=invalid_scope"), x))[1]).toBe(
        'FED-ARESP-07 failed: no openid: the error response has no state; "st" was sent',
      );
      expect(said(authorizationErrorFindings(redirect("?tenant=a&error=invalid_scope&state=s"), x))[1]).toBe(
        'FED-ARESP-07 failed: no openid: state came back as "s", expected "st"',
      );
      expect(said(authorizationErrorFindings(redirect("?tenant=a&error=invalid_scope&state=s"), { ...x, state: undefined }))).toEqual([
        "FED-AUTHZ-02 passed: no openid: refused with error=invalid_scope",
        ...PASSES,
      ]);
    });

    it("the description's characters, a fragment, and other parameters beside the URI's own", () => {
      const bad = (d: string) => said(authorizationErrorFindings(redirect(`?tenant=a&error=invalid_scope&state=st&${d}`), x))[1];
      expect(bad("error_description=a%5Cb")).toBe(
        'FED-ARESP-07 failed: no openid: error_description "a\\\\b" has characters outside printable ASCII (or " or \\)',
      );
      expect(bad("error_description=%7F")).toMatch(/^FED-ARESP-07 failed: .* outside printable ASCII/);
      expect(bad("error_description=%09")).toMatch(/^FED-ARESP-07 failed/);
      expect(bad("error_description=%20!%23%5B%5D%7E")).toBe(PASSES[0]);
      expect(bad("error_description=")).toBe(PASSES[0]);
      expect(said(authorizationErrorFindings(redirect("?tenant=a&error=invalid_scope&state=st#x"), x))[1]).toBe(
        "FED-ARESP-07 failed: no openid: the error response carries a fragment",
      );
      expect(said(authorizationErrorFindings(redirect("?tenant=a&error=invalid_scope&state=st&error_uri=u&iss=i&foo=1&foo=2"), x))).toEqual(
        [
          "FED-AUTHZ-02 passed: no openid: refused with error=invalid_scope",
          "FED-ARESP-07 warning: no openid: the error response has other parameters too: iss, foo",
          "FED-ARESP-09 passed: no openid: error=invalid_scope is a Table 5 code",
        ],
      );
    });
  });

  describe("noRedirectFindings", () => {
    const x = { forbidden: `${REDIRECT}/evil?a=1`, requirement: "FED-ARESP-08", what: "an unregistered redirect_uri" };
    it("fails a redirect there, with or without a code, whatever its query; passes anything else, naming it", () => {
      expect(said(noRedirectFindings({ status: 302, location: `${REDIRECT}/evil?code=c`, url: AUTHORIZE }, x))).toEqual([
        `FED-ARESP-08 failed: an unregistered redirect_uri: redirected to "${REDIRECT}/evil" with a code; ` +
          "expected an error page and no redirect",
      ]);
      expect(said(noRedirectFindings({ status: 303, location: `${REDIRECT}/evil`, url: AUTHORIZE }, x))).toEqual([
        `FED-ARESP-08 failed: an unregistered redirect_uri: redirected to "${REDIRECT}/evil"; expected an error page and no redirect`,
      ]);
      expect(said(noRedirectFindings({ status: 302, location: `${REDIRECT}/evil2`, url: AUTHORIZE }, x))).toEqual([
        `FED-ARESP-08 passed: an unregistered redirect_uri: not redirected there (HTTP 302 to ${REDIRECT}/evil2)`,
      ]);
      expect(said(noRedirectFindings({ status: 302, location: "https://svc.example:444/callback/evil", url: AUTHORIZE }, x))[0]).toMatch(
        /passed/,
      );
      expect(said(noRedirectFindings({ status: 400, location: `${REDIRECT}/evil`, url: AUTHORIZE }, x))).toEqual([
        "FED-ARESP-08 passed: an unregistered redirect_uri: not redirected there (HTTP 400)",
      ]);
      expect(said(noRedirectFindings({ status: 200, url: AUTHORIZE }, x))).toEqual([
        "FED-ARESP-08 passed: an unregistered redirect_uri: not redirected there (HTTP 200)",
      ]);
    });
  });

  describe("token answers", () => {
    const headers = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", pragma: "no-cache" };
    const body = { access_token: "a.b.c", token_type: "bearer", expires_in: 300, id_token: "d.e.f", refresh_token: "r", scope: "openid" };
    const { id_token: _i, ...refreshed } = body;
    const code = { grant: "authorization_code" } as const;
    const refresh = { grant: "refresh_token" } as const;
    const CODE_PASSES = [
      "FED-TRESP-01 passed: HTTP 200 with a JSON object",
      "FED-TRESP-02 passed: Cache-Control: no-store and Pragma: no-cache",
      "FED-TRESP-03 passed: access_token is a compact JWS",
      'FED-TRESP-04 passed: token_type is "bearer"',
      "FED-TRESP-08 passed: the code grant returned an id_token",
    ];

    it("tokenResponseFindings: every reason of a conformant answer, each grant", () => {
      expect(said(tokenResponseFindings({ status: 200, headers, body }, code))).toEqual(CODE_PASSES);
      expect(said(tokenResponseFindings({ status: 200, headers, body: refreshed }, refresh)).at(-1)).toBe(
        "FED-TRESP-08 passed: the refresh grant returned no id_token",
      );
      expect(said(tokenResponseFindings({ status: 200, headers: { ...headers, "content-type": "Application/JSON" }, body }, code))).toEqual(
        CODE_PASSES,
      );
    });

    it("tokenResponseFindings: status, Content-Type, body, headers with evidence, access token, token_type, id_token", () => {
      expect(said(tokenResponseFindings({ status: 201, headers, body }, code))).toEqual([
        `FED-TRESP-01 failed: the authorization_code grant answered HTTP 201: ${JSON.stringify(body)}`,
      ]);
      expect(said(tokenResponseFindings({ status: 200, headers: { ...headers, "content-type": "text/json" }, body }, code))[0]).toBe(
        'FED-TRESP-01 failed: Content-Type is "text/json", expected application/json',
      );
      expect(said(tokenResponseFindings({ status: 200, headers: {}, body: "x" }, code))).toEqual([
        "FED-TRESP-01 failed: Content-Type is absent, expected application/json",
        "FED-TRESP-01 failed: the body is not a JSON object",
      ]);
      const noCache = tokenResponseFindings({ status: 200, headers: { "content-type": "application/json", pragma: "x" }, body }, code);
      expect(noCache.filter((f) => f.requirement === "FED-TRESP-02").map((f) => [f.status, f.message, f.evidence])).toEqual([
        ["failed", "Cache-Control is absent, expected no-store", { expected: "Cache-Control: no-store", actual: "absent" }],
        ["failed", 'Pragma is "x", expected no-cache', { expected: "Pragma: no-cache", actual: "x" }],
      ]);
      for (const access_token of ["a.b", 7, "a.b.c.d.e"])
        expect(said(tokenResponseFindings({ status: 200, headers, body: { ...body, access_token } }, code))[0]).toBe(
          `FED-TRESP-03 failed: access_token is ${JSON.stringify(access_token)}, expected a signed JWT`,
        );
      expect(said(tokenResponseFindings({ status: 200, headers, body: { ...body, access_token: "a".repeat(50) } }, code))[0]).toBe(
        `FED-TRESP-03 failed: access_token is "${"a".repeat(39)}..., expected a signed JWT`,
      );
      expect(said(tokenResponseFindings({ status: 200, headers, body: { ...body, token_type: "mac" } }, code))[0]).toBe(
        'FED-TRESP-04 warning: token_type is "mac", expected "bearer" in any letter case (catalogue A1)',
      );
      expect(said(tokenResponseFindings({ status: 200, headers, body: { ...body, token_type: undefined } }, code))[0]).toBe(
        'FED-TRESP-04 failed: token_type is absent, expected "bearer"',
      );
      const schema = said(tokenResponseFindings({ status: 200, headers, body: { ...body, expires_in: "300" } }, code));
      expect(schema.filter((s) => s.startsWith("FED-TRESP-04"))).toEqual([
        expect.stringMatching(/^FED-TRESP-04 failed: token response .*expires_in/),
      ]);
      expect(said(tokenResponseFindings({ status: 200, headers, body: { ...body, id_token: 1 } }, code))).toContain(
        "FED-TRESP-08 failed: the code grant returned no id_token",
      );
      expect(said(tokenResponseFindings({ status: 200, headers, body }, refresh))).toContain(
        "FED-TRESP-08 failed: the refresh grant returned an id_token; only the code grant may",
      );
      expect(said(tokenResponseFindings({ status: 200, headers, body: { ...body, id_token: null } }, refresh))).toContain(
        "FED-TRESP-08 failed: the refresh grant returned an id_token; only the code grant may",
      );
    });

    it("unknownScopeFindings: each reason", () => {
      const x = { unknownScope: "x_unknown" };
      expect(said(unknownScopeFindings({ status: 200, headers, body }, "openid", x))).toEqual([
        "FED-AUTHZ-03 passed: the sign-in with x_unknown succeeded and nothing granted it",
        'FED-TRESP-07 passed: the token response names the granted scope "openid"',
      ]);
      expect(said(unknownScopeFindings({ status: 302, headers, body }, "openid", x))).toEqual([
        "FED-AUTHZ-03 failed: the code exchange after a request with x_unknown answered HTTP 302",
      ]);
      expect(said(unknownScopeFindings({ status: 200, headers, body: "x" }, "openid", x))[0]).toBe(
        "FED-AUTHZ-03 failed: the code exchange after a request with x_unknown answered HTTP 200",
      );
      expect(said(unknownScopeFindings({ status: 200, headers, body: { ...body, scope: undefined } }, 7, x))).toEqual([
        "FED-TRESP-07 failed: the token response has no scope although the granted scope differs from the request " +
          "(x_unknown was ignored, or should have been)",
        "FED-AUTHZ-03 passed: the sign-in with x_unknown succeeded and nothing granted it",
      ]);
      expect(said(unknownScopeFindings({ status: 200, headers, body: { ...body, scope: ["openid"] } }, "openid", x))[0]).toBe(
        'FED-TRESP-07 failed: scope is ["openid"], expected a space-separated string',
      );
      expect(said(unknownScopeFindings({ status: 200, headers, body: { ...body, scope: "openid x_unknown" } }, "openid", x))[0]).toBe(
        'FED-AUTHZ-03 failed: the token response grants the unknown scope: scope="openid x_unknown"',
      );
      expect(said(unknownScopeFindings({ status: 200, headers, body }, "x_unknown openid", x))[0]).toBe(
        'FED-AUTHZ-03 failed: the access token grants the unknown scope: scope="x_unknown openid"',
      );
      expect(
        said(unknownScopeFindings({ status: 200, headers, body: { ...body, scope: "openid x_unknownish" } }, "x_unknownish", x))[0],
      ).toMatch(/^FED-AUTHZ-03 passed/);
    });

    it("codeReuseFindings: each reason, an error that is not an object", () => {
      expect(said(codeReuseFindings({ status: 200, headers, body }))).toEqual([
        "FED-ARESP-04 failed: the authorization code was redeemed a second time (HTTP 200 with tokens)",
      ]);
      expect(said(codeReuseFindings({ status: 400, headers, body: { error: "invalid_grant" } }))).toEqual([
        "FED-ARESP-04 passed: the second redemption was refused with 400 invalid_grant",
      ]);
      expect(said(codeReuseFindings({ status: 401, headers, body: { error: "invalid_grant" } }))).toEqual([
        'FED-ARESP-04 failed: the second redemption answered HTTP 401 error="invalid_grant", expected 400 invalid_grant',
      ]);
      expect(said(codeReuseFindings({ status: 400, headers, body: "invalid_grant" }))).toEqual([
        "FED-ARESP-04 failed: the second redemption answered HTTP 400, expected 400 invalid_grant",
      ]);
    });

    it("refreshFindings: each reason", () => {
      expect(said(refreshFindings({ status: 200, headers, body: refreshed }, { previousAccessToken: "x.y.z" }))).toEqual([
        "FED-REFRESH-01 passed: the refresh grant returned a new access token",
        "FED-TRESP-08 passed: the refresh grant returned no id_token",
      ]);
      expect(said(refreshFindings({ status: 400, headers, body: { error: "invalid_grant" } }, {}))).toEqual([
        'FED-REFRESH-01 failed: the refresh grant with a valid refresh token answered HTTP 400 error="invalid_grant", ' +
          "expected 200 with a new access token",
      ]);
      expect(said(refreshFindings({ status: 200, headers, body: null }, {}))[0]).toBe(
        "FED-REFRESH-01 failed: the refresh grant with a valid refresh token answered HTTP 200, expected 200 with a new access token",
      );
      for (const access_token of ["", 7, undefined])
        expect(said(refreshFindings({ status: 200, headers, body: { ...refreshed, access_token } }, {}))[0]).toBe(
          "FED-REFRESH-01 failed: the refresh response has no access_token",
        );
      expect(said(refreshFindings({ status: 200, headers, body: refreshed }, { previousAccessToken: "a.b.c" }))[0]).toBe(
        "FED-REFRESH-01 failed: the refresh response repeats the previous access token",
      );
      expect(said(refreshFindings({ status: 200, headers, body: { ...refreshed, id_token: null } }, {}))).toEqual([
        "FED-TRESP-08 failed: the refresh grant returned an id_token; only the code grant may",
        "FED-REFRESH-01 passed: the refresh grant returned a new access token",
      ]);
    });

    it("supersededRefreshFindings and refreshWideningFindings: each reason", () => {
      expect(said(supersededRefreshFindings(undefined))).toEqual([
        "FED-REFRESH-05 passed: recorded (A46): the refresh response kept the same refresh token (no rotation), " +
          "so there is no superseded token to reuse",
      ]);
      expect(said(supersededRefreshFindings({ status: 400, headers, body: { error: "invalid_grant" } }))).toEqual([
        "FED-REFRESH-05 passed: recorded (A46): after rotation the superseded refresh token is refused with invalid_grant",
      ]);
      expect(said(supersededRefreshFindings({ status: 401, headers, body: { error: "invalid_grant" } }))).toEqual([
        'FED-REFRESH-05 warning: recorded (A46): after rotation the superseded refresh token got HTTP 401 error="invalid_grant", ' +
          "expected 400 invalid_grant",
      ]);
      expect(said(supersededRefreshFindings({ status: 400, headers, body: [] }))[0]).toMatch(/got HTTP 400, expected/);
      const x = { extraScope: "email" };
      expect(said(refreshWideningFindings({ status: 400, headers, body: { error: "invalid_scope" } }, x))).toEqual([
        "FED-REFRESH-03 passed: a refresh adding email was refused with 400 invalid_scope",
      ]);
      expect(said(refreshWideningFindings({ status: 200, headers, body: { ...refreshed, scope: "openid" } }, x))).toEqual([
        'FED-REFRESH-03 warning: a refresh adding email succeeded without granting it (scope="openid"); expected 400 invalid_scope',
      ]);
      expect(said(refreshWideningFindings({ status: 200, headers, body: { ...refreshed, scope: "openid email" } }, x))).toEqual([
        'FED-REFRESH-03 failed: a refresh adding email, never granted, succeeded with scope="openid email"; expected 400 invalid_scope',
      ]);
      expect(said(refreshWideningFindings({ status: 200, headers, body: { ...refreshed, scope: undefined } }, x))).toEqual([
        "FED-REFRESH-03 failed: a refresh adding email, never granted, succeeded; expected 400 invalid_scope",
      ]);
      expect(said(refreshWideningFindings({ status: 200, headers, body: "x" }, x))).toEqual([
        "FED-REFRESH-03 failed: a refresh adding email answered HTTP 200, expected 400 invalid_scope",
      ]);
      expect(said(refreshWideningFindings({ status: 400, headers, body: { error: "invalid_grant" } }, x))).toEqual([
        'FED-REFRESH-03 failed: a refresh adding email answered HTTP 400 error="invalid_grant", expected 400 invalid_scope',
      ]);
    });
  });
});
