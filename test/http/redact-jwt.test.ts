import { describe, expect, it } from "vitest";
import { redactJwt } from "../../lib/http/redact-jwt.ts";
import { fakeJwt } from "./_jwt.ts";

describe("redactJwt", () => {
  it("keeps header and payload and replaces the signature with a marker", () => {
    const { token, redacted, signature } = fakeJwt();
    expect(redactJwt(token)).toBe(redacted);
    expect(redactJwt(token)).not.toContain(signature);
  });

  it("is stable when applied twice", () => {
    const { token } = fakeJwt();
    expect(redactJwt(redactJwt(token))).toBe(redactJwt(token));
  });

  it.each([
    ["a version number", "1.2.3"],
    ["a dotted name", "a.b.c"],
    ["a host name", "auth.sandpit.signin"],
    [
      "base64 segments that are not JSON objects",
      `${Buffer.from("[1]").toString("base64url")}.${Buffer.from("{}").toString("base64url")}.sig`,
    ],
    ["an opaque token", "2YotnFZFEjr1zCsicMWpAA"],
    ["four segments", `${fakeJwt().token}.extra`],
  ])("leaves %s alone", (_, value) => {
    expect(redactJwt(value)).toBe(value);
  });

  it("leaves an unsigned JWT (empty signature) as it is", () => {
    const unsigned = `${fakeJwt().token.split(".").slice(0, 2).join(".")}.`;
    expect(redactJwt(unsigned)).toBe(unsigned);
  });
});
