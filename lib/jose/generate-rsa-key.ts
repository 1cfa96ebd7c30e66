/**
 * Generate an RSA key pair on Node's thread pool (not the event loop), so that several keys, and
 * whatever else is starting, proceed side by side. 2048 bits unless a caller needs otherwise
 * (the simulator's weak-key defect asks for 1024).
 *
 * @example
 * ```ts
 * const { privateKey, publicKey } = await generateRsaKeyPair()
 * ```
 */
import { generateKeyPair, type KeyObject } from "node:crypto";
import { promisify } from "node:util";

export interface RsaKeyPairOptions {
  /** Modulus length in bits (default 2048). */
  bits?: number;
}

const generate = promisify(generateKeyPair);

export async function generateRsaKeyPair(options: RsaKeyPairOptions = {}): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  return generate("rsa", { modulusLength: options.bits ?? 2048 });
}
