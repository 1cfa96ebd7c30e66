/**
 * The JOSE header and signature finding functions of lib/checks/tokens/jwt-header.ts.
 */
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { exportJWK, SignJWT } from "jose";
import { jwsSignatureFindings, jwtHeaderFindings } from "../../../lib/checks/tokens/jwt-header.ts";
import { statusFor, statusOf } from "./_fixtures.ts";

describe("JOSE header and signature", () => {
  const jwks = { keys: [{ kty: "RSA", kid: "k1", use: "sig", n: "x", e: "AQAB" }] };

  it("passes RS512 / JWT / a published kid, and fails the alternatives", () => {
    expect(statusOf(jwtHeaderFindings({ alg: "RS512", typ: "JWT", kid: "k1" }, { jwks }))).toBe("passed");
    expect(statusFor(jwtHeaderFindings({ alg: "RS256", typ: "JWT", kid: "k1" }, { jwks }), "FED-JWT-01")).toBe("failed");
    expect(statusFor(jwtHeaderFindings({ alg: "RS512", typ: "jwt", kid: "k1" }, { jwks }), "FED-JWT-02")).toBe("failed");
    expect(statusFor(jwtHeaderFindings({ alg: "RS512", typ: "JWT", kid: "k1", jku: "https://x" }, { jwks }), "FED-JWT-03")).toBe("failed");
    expect(statusFor(jwtHeaderFindings({ alg: "RS512", typ: "JWT", kid: "k9" }, { jwks }), "FED-DISC-02")).toBe("failed");
    expect(statusFor(jwtHeaderFindings({ alg: "RS512", typ: "JWT" }, { jwks }), "FED-DISC-02")).toBe("warning");
  });

  it("reports under another requirement when asked (FED-AT-01)", () => {
    const f = jwtHeaderFindings({ alg: "none" }, { requirement: "FED-AT-01", token: "access token" });
    expect(statusFor(f, "FED-AT-01")).toBe("failed");
    expect(f.some((x) => x.requirement.startsWith("FED-JWT"))).toBe(false);
  });

  it("verifies RS512 with the JWKS, and refuses RS256 and keys under 2048 bits", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const set = { keys: [{ ...(await exportJWK(publicKey)), kid: "k1", use: "sig" }] };
    const good = await new SignJWT({ sub: "x" }).setProtectedHeader({ alg: "RS512", typ: "JWT", kid: "k1" }).sign(privateKey);
    expect(statusOf(await jwsSignatureFindings(good, set))).toBe("passed");
    const rs256 = await new SignJWT({ sub: "x" }).setProtectedHeader({ alg: "RS256", typ: "JWT", kid: "k1" }).sign(privateKey);
    expect(statusOf(await jwsSignatureFindings(rs256, set))).toBe("failed");
    const [h, p, s] = good.split(".") as [string, string, string];
    const flipped = `${h}.${p}.${s.startsWith("A") ? `B${s.slice(1)}` : `A${s.slice(1)}`}`;
    expect(statusOf(await jwsSignatureFindings(flipped, set))).toBe("failed");
    const weak = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const weakSet = { keys: [{ ...(await exportJWK(weak.publicKey)), kid: "k1", use: "sig" }] };
    const f = await jwsSignatureFindings(good, weakSet);
    expect(statusOf(f)).toBe("failed");
    expect(f[0]!.message).toMatch(/2048/);
    expect(statusOf(await jwsSignatureFindings(undefined, set))).toBe("failed");
  });
});
