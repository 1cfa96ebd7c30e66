import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Exchange } from "../../lib/http/exchange.ts";
import { redactExchange } from "../../lib/http/redact-exchange.ts";
import { fakeJwt } from "./_jwt.ts";

const pem = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();

function exchange(): Exchange {
  const assertion = fakeJwt({ iss: "client", aud: "token" });
  const idToken = fakeJwt();
  return {
    request: {
      method: "POST",
      url: "https://auth.example/token?code=abc123",
      headers: {
        authorization: `Bearer ${idToken.token}`,
        cookie: "sid=s3ss10n; theme=dark",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: `grant_type=authorization_code&code=abc123&client_assertion=${assertion.token}`,
    },
    response: {
      status: 200,
      headers: { "set-cookie": "sid=n3w; Path=/; HttpOnly\nother=1; Secure", "content-type": "application/json" },
      body: JSON.stringify({ id_token: idToken.token, refresh_token: "r3fr3sh", debug: pem }),
    },
    error: { code: "ERR_HTTP_CONNECTION", message: `https://auth.example/cb?code=abc123: connection reset` },
    startedAt: "2025-01-01T00:00:00.000Z",
    durationMs: 12,
  };
}

describe("redactExchange", () => {
  it("redacts URL, headers, bodies and error message", () => {
    const original = exchange();
    const safe = redactExchange(original);
    const idToken = original.request.headers.authorization!.slice("Bearer ".length);
    const [h, p] = idToken.split(".");
    expect(safe.request.url).toBe("https://auth.example/token?code=[redacted]");
    expect(safe.request.headers.authorization).toBe(`Bearer ${h}.${p}.<signature removed>`);
    expect(safe.request.headers.cookie).toBe("sid=[redacted]; theme=[redacted]");
    expect(safe.request.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(safe.request.body).toMatch(
      /^grant_type=authorization_code&code=\[redacted\]&client_assertion=[\w-]+\.[\w-]+\.<signature removed>$/,
    );
    expect(safe.response?.headers["set-cookie"]).toBe("sid=[redacted]; Path=/; HttpOnly\nother=[redacted]; Secure");
    expect(JSON.parse(safe.response!.body!)).toEqual({
      id_token: `${h}.${p}.<signature removed>`,
      refresh_token: "[redacted]",
      debug: "[private key removed]\n",
    });
    expect(safe.error?.message).toBe("https://auth.example/cb?code=[redacted]: connection reset");
    expect(safe.startedAt).toBe(original.startedAt);
    expect(safe.durationMs).toBe(12);
  });

  it("does not modify the original", () => {
    const original = exchange();
    const copy = structuredClone(original);
    redactExchange(original);
    expect(original).toEqual(copy);
  });

  it("keeps tokens with includeTokens but still removes private keys, cookies and Basic credentials", () => {
    const original = exchange();
    original.request.headers["proxy-authorization"] = "Basic dXNlcjpwYXNz";
    const safe = redactExchange(original, { includeTokens: true });
    expect(safe.request.headers.authorization).toBe(original.request.headers.authorization);
    expect(safe.request.headers["proxy-authorization"]).toBe("Basic [redacted]");
    expect(safe.request.body).toBe(original.request.body);
    expect(safe.request.headers.cookie).toBe("sid=[redacted]; theme=[redacted]");
    expect(safe.response?.body).toContain("r3fr3sh");
    expect(safe.response?.body).not.toContain("BEGIN PRIVATE KEY");
  });

  it("masks an opaque bearer token", () => {
    const original = exchange();
    original.request.headers.authorization = "Bearer 2YotnFZFEjr1zCsicMWpAA";
    expect(redactExchange(original).request.headers.authorization).toBe("Bearer [redacted]");
  });
});
