import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { redactText } from "../../lib/http/redact-text.ts";
import { fakeJwt } from "./_jwt.ts";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
const pkcs8 = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const pkcs1 = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const keyLine = pkcs8.split("\n")[1]!;

describe("redactText: JWTs", () => {
  const jwt = fakeJwt();

  it.each([
    ["JSON", (t: string) => JSON.stringify({ id_token: t, token_type: "Bearer" })],
    ["a form body", (t: string) => `grant_type=urn%3Aietf&client_assertion=${t}&x=1`],
    ["a URL", (t: string) => `https://rp.example/cb?id_token_hint=${t}#state=1`],
    ["a header value", (t: string) => `Bearer ${t}`],
    ["prose ending in a full stop", (t: string) => `the token was ${t}.`],
  ])("removes the signature of a JWT inside %s", (_, wrap) => {
    const out = redactText(wrap(jwt.token));
    expect(out).toBe(wrap(jwt.redacted));
    expect(out).not.toContain(jwt.signature);
  });

  it("removes every JWT in the text", () => {
    const other = fakeJwt({ sub: "x" });
    const out = redactText(`${jwt.token} and ${other.token}`);
    expect(out).toBe(`${jwt.redacted} and ${other.redacted}`);
  });

  it("keeps JWTs whole with includeTokens", () => {
    const text = JSON.stringify({ access_token: jwt.token });
    expect(redactText(text, { includeTokens: true })).toBe(text);
  });

  it("leaves dotted strings that are not JWTs alone", () => {
    const text = 'undici 7.30.2 on node v20.20.2, host auth.aos.signin.nhs.uk, vot "P9.Cp.Cd", a.b.c';
    expect(redactText(text)).toBe(text);
  });

  it("is stable when applied twice", () => {
    const text = `Bearer ${jwt.token}`;
    expect(redactText(redactText(text))).toBe(redactText(text));
  });
});

describe("redactText: secret fields", () => {
  it("masks a refresh_token in JSON, form bodies and URLs", () => {
    expect(redactText('{"refresh_token": "8xLOxBtZp8", "expires_in": 3600}')).toBe('{"refresh_token": "[redacted]", "expires_in": 3600}');
    expect(redactText("grant_type=refresh_token&refresh_token=8xLOxBtZp8")).toBe("grant_type=refresh_token&refresh_token=[redacted]");
    expect(redactText("https://x.example/?refresh_token=8xLOxBtZp8&a=b")).toBe("https://x.example/?refresh_token=[redacted]&a=b");
  });

  it("masks an authorisation code but not look-alike parameters", () => {
    expect(redactText("https://rp.example/cb?code=SplxlOBeZQ&state=af0ifjsldkj")).toBe(
      "https://rp.example/cb?code=[redacted]&state=af0ifjsldkj",
    );
    expect(redactText("code_challenge=E9Melhoa&error_code=42&code_challenge_method=S256")).toBe(
      "code_challenge=E9Melhoa&error_code=42&code_challenge_method=S256",
    );
    expect(redactText("code_verifier=dBjftJeZ4CVP")).toBe("code_verifier=[redacted]");
  });

  it("always masks client_secret and password, even with includeTokens", () => {
    const text = 'client_secret=s3cr3t&password=hunter2 {"client_secret":"s3cr3t"}';
    const expected = 'client_secret=[redacted]&password=[redacted] {"client_secret":"[redacted]"}';
    expect(redactText(text)).toBe(expected);
    expect(redactText(text, { includeTokens: true })).toBe(expected);
  });

  it("keeps codes and refresh tokens with includeTokens", () => {
    const text = "code=abc&refresh_token=def";
    expect(redactText(text, { includeTokens: true })).toBe(text);
  });

  it("treats a refresh_token that is a JWT as a JWT", () => {
    const jwt = fakeJwt();
    expect(redactText(`refresh_token=${jwt.token}`)).toBe(`refresh_token=${jwt.redacted}`);
  });

  it("leaves other fields alone", () => {
    const text = '{"error":"invalid_grant","error_description":"code expired","scope":"openid"}';
    expect(redactText(text)).toBe(text);
  });
});

describe("redactText: private keys", () => {
  it.each([
    ["PKCS#8", pkcs8],
    ["PKCS#1", pkcs1],
  ])("removes a %s PEM block entirely", (_, pem) => {
    const out = redactText(`before\n${pem}after`);
    expect(out).toBe("before\n[private key removed]\nafter");
  });

  it("removes private keys even with includeTokens", () => {
    const out = redactText(JSON.stringify({ key: pkcs8 }), { includeTokens: true });
    expect(out).toBe('{"key":"[private key removed]\\n"}');
  });

  it("removes a private key cut short by truncation", () => {
    const out = redactText(`key: ${pkcs8.slice(0, 300)}`);
    expect(out).toBe("key: [private key removed]");
  });

  it("removes a form-encoded private key", () => {
    const out = redactText(`key=${encodeURIComponent(pkcs8).replace(/%20/g, "+")}&x=1`);
    expect(out).not.toContain(encodeURIComponent(keyLine).slice(0, 20));
  });

  it("keeps public keys", () => {
    const spki = publicKey.export({ type: "spki", format: "pem" }).toString();
    expect(redactText(spki)).toBe(spki);
  });

  it("removes the private members of a JWK", () => {
    const jwk = privateKey.export({ format: "jwk" });
    const out = redactText(JSON.stringify({ keys: [jwk] }), { includeTokens: true });
    const parsed = JSON.parse(out) as { keys: Record<string, string>[] };
    expect(parsed.keys[0]).toMatchObject({
      kty: "RSA",
      n: jwk.n,
      e: jwk.e,
      d: "[private key removed]",
      p: "[private key removed]",
      qi: "[private key removed]",
    });
  });
});
