/** A syntactically real JWS for redaction tests (the signature is random bytes). */
import { randomBytes } from "node:crypto";

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

export function fakeJwt(payload: Record<string, unknown> = { sub: "9990000018", iss: "https://auth.sandpit.signin.nhs.uk" }) {
  const header = b64({ alg: "RS256", typ: "JWT", kid: "k1" });
  const body = b64(payload);
  const signature = randomBytes(256).toString("base64url");
  return { token: `${header}.${body}.${signature}`, redacted: `${header}.${body}.<signature removed>`, signature };
}
