/**
 * Test-only: RSA key pairs from a pool on disk instead of new ones. Making a 2048-bit key costs
 * about 160 ms of CPU here, and the project's tests made about 750 of them per `npm test` (each
 * simulator makes three), a sixth of the suite's CPU on two cores. A test file asks for keys in
 * the same order every run; its n-th key of a size is the pool's n-th, made by whichever file
 * needs it first and kept for the rest of the run. So keys stay distinct within a file (the n-th
 * and the m-th differ), and files that run side by side share them, which no test relies on.
 *
 * The pool is a folder the unit project's global setup makes and removes (key-pool.global.ts);
 * key-pool.setup.ts puts {@link pooledRsaKeyPair} in place of `generateRsaKeyPair` for every test
 * file (the test of `generateRsaKeyPair` imports the real one with `vi.importActual`). Processes
 * the tests start (the CLI, the reference service) make their own keys, as a user's would.
 *
 * @example
 * ```ts
 * const { privateKey } = await pooledRsaKeyPair(dir, { bits: 2048 })
 * ```
 */
import { createPrivateKey, createPublicKey, generateKeyPair, randomUUID, type KeyObject } from "node:crypto";
import { linkSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { RsaKeyPairOptions } from "../../lib/jose/generate-rsa-key.ts";

const generate = promisify(generateKeyPair);

/** How many keys of each size the current test file has taken. */
const taken = new Map<number, number>();

/** Start again from the pool's first key: called as each test file starts (key-pool.setup.ts). */
export function restartPool(): void {
  taken.clear();
}

export async function pooledRsaKeyPair(
  dir: string,
  options: RsaKeyPairOptions = {},
): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  const bits = options.bits ?? 2048;
  const n = taken.get(bits) ?? 0;
  taken.set(bits, n + 1);
  const file = join(dir, `rsa-${bits}-${n}.pem`);
  let pem: string;
  try {
    pem = readFileSync(file, "utf8");
  } catch {
    const { privateKey } = await generate("rsa", { modulusLength: bits });
    // Written aside, then linked into place: a file that made the same key first keeps its own,
    // and every file reads the one that landed.
    const mine = `${file}.${randomUUID()}`;
    writeFileSync(mine, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    try {
      linkSync(mine, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    } finally {
      rmSync(mine, { force: true });
    }
    pem = readFileSync(file, "utf8");
  }
  const privateKey = createPrivateKey(pem);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}
