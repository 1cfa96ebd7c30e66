import { describe, expect, it } from "vitest";
import { decodeForRecord } from "../../../lib/simulator/tokens/decode-for-record.ts";
import { MAX_ASSERTION_LENGTH } from "../../../lib/simulator/client-auth.ts";

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

describe("decodeForRecord", () => {
  it("keeps the header and claims of a JWT, never its signature", () => {
    const jwt = `${b64({ alg: "RS512", typ: "JWT" })}.${b64({ iss: "svc", jti: "j" })}.c2lnbmF0dXJl`;
    expect(decodeForRecord(jwt)).toEqual({ header: { alg: "RS512", typ: "JWT" }, payload: { iss: "svc", jti: "j" } });
  });

  it("says a value is not a JWT", () => {
    expect(decodeForRecord("not-a-jwt")).toEqual({ error: "not a decodable JWT" });
  });

  it("does not decode a value over the assertion size limit, and says how long it was", () => {
    const jwt = `${b64({ alg: "RS512" })}.${b64({ pad: "p".repeat(MAX_ASSERTION_LENGTH) })}.c2ln`;
    expect(decodeForRecord(jwt)).toEqual({
      error: `not decoded: ${jwt.length} chars, over the ${MAX_ASSERTION_LENGTH}-char limit for an assertion`,
    });
  });
});
