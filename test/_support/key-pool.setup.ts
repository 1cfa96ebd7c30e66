/**
 * Setup file of the unit project: every test file takes its RSA keys from the test key pool
 * (key-pool.ts) instead of making new ones. The test of `generateRsaKeyPair` itself imports the real
 * one (`vi.importActual`).
 */
import { inject, vi } from "vitest";
import { pooledRsaKeyPair, restartPool } from "./key-pool.ts";

vi.mock(import("../../lib/jose/generate-rsa-key.ts"), () => {
  const dir = inject("keyPoolDir");
  return { generateRsaKeyPair: (options) => pooledRsaKeyPair(dir, options) };
});

// Each file asks for the same keys in every run, whichever worker runs it and after whichever file.
restartPool();
