/**
 * Setup file of the unit project: every test file takes its RSA keys from the test key pool
 * (key-pool.ts) instead of making new ones. The test of `generateRsaKeyPair` itself unmocks it.
 */
import { inject, vi } from "vitest";
import { pooledRsaKeyPair } from "./key-pool.ts";

vi.mock(import("../../lib/jose/generate-rsa-key.ts"), () => {
  const dir = inject("keyPoolDir");
  return { generateRsaKeyPair: (options) => pooledRsaKeyPair(dir, options) };
});
