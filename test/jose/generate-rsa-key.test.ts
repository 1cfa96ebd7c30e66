/**
 * RSA key pairs made on the thread pool: the size asked for, a matching public half.
 */
import { createPublicKey } from "node:crypto";
import { describe, expect, it, vi } from "vitest";

// The other test files take keys from the test key pool (test/_support/key-pool.setup.ts); this one tests the real thing.
const { generateRsaKeyPair } = await vi.importActual<typeof import("../../lib/jose/generate-rsa-key.ts")>(
  "../../lib/jose/generate-rsa-key.ts",
);

describe("generateRsaKeyPair", () => {
  it("makes a new 2048-bit RSA pair by default, and the size asked for otherwise", async () => {
    const [standard, weak, another] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair({ bits: 1024 }), generateRsaKeyPair()]);
    expect(standard.privateKey.asymmetricKeyType).toBe("rsa");
    expect(standard.privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(weak.privateKey.asymmetricKeyDetails?.modulusLength).toBe(1024);
    const derived = createPublicKey(standard.privateKey).export({ type: "spki", format: "pem" });
    expect(standard.publicKey.export({ type: "spki", format: "pem" })).toBe(derived);
    expect(another.publicKey.export({ type: "spki", format: "pem" })).not.toBe(derived);
  });
});
