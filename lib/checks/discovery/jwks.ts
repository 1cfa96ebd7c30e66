/**
 * Checks of the JWKS NHS login publishes (FED-DISC-02, FED-JWT-03).
 *
 * @example
 * ```ts
 * const findings = jwksFindings({ status: 200, contentType: "application/json", body: { keys: [...] } })
 * ```
 */
import { finding, type Finding } from "../../requirements/index.ts";
import type { FetchedJson } from "./rules.ts";

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] as const;

/** Modulus length in bits of a base64url `n`, ignoring leading zero bytes. */
export function modulusBits(n: string): number {
  const bytes = Buffer.from(n, "base64url");
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]!));
}

/**
 * FED-DISC-02: a JSON set of RSA signing keys, each with `kid` and `use`, modulus of 2048 bits or
 * more, and no private key material.
 */
export function jwksFindings(res: FetchedJson): Finding[] {
  const id = "FED-DISC-02";
  if (res.error) return [finding(id, res.unanswered ? "inconclusive" : "failed", `JWKS could not be fetched: ${res.error}`)];
  if (res.status !== 200) return [finding(id, "failed", `JWKS answered HTTP ${res.status}, expected 200`)];
  const keys = (res.body as { keys?: unknown } | undefined)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) return [finding(id, "failed", "JWKS has no keys array, or it is empty")];
  const out: Finding[] = [];
  keys.forEach((k: unknown, i) => {
    if (k === null || typeof k !== "object") {
      out.push(finding(id, "failed", `key ${i} is not an object`));
      return;
    }
    const key = k as Record<string, unknown>;
    const name = typeof key.kid === "string" ? `key ${JSON.stringify(key.kid)}` : `key ${i}`;
    const leaked = PRIVATE_MEMBERS.filter((m) => m in key);
    if (leaked.length > 0) out.push(finding(id, "failed", `${name} publishes private key material (${leaked.join(", ")})`));
    if (key.use === "enc") return;
    if (key.kty !== "RSA") out.push(finding(id, "failed", `${name} has kty ${JSON.stringify(key.kty)}, expected RSA`));
    if (typeof key.kid !== "string" || key.kid.length === 0) out.push(finding(id, "failed", `${name} has no kid`));
    if (key.use !== "sig") out.push(finding(id, "failed", `${name} has use ${JSON.stringify(key.use)}, expected "sig"`));
    if (typeof key.n === "string") {
      const bits = modulusBits(key.n);
      if (bits < 2048) out.push(finding(id, "failed", `${name} is a ${bits}-bit RSA key, expected 2048 bits or more`));
    } else if (key.kty === "RSA") out.push(finding(id, "failed", `${name} has no modulus n`));
    if (key.alg !== undefined && key.alg !== "RS512")
      out.push(finding("FED-JWT-01", "failed", `${name} has alg ${JSON.stringify(key.alg)}, expected RS512`));
  });
  return out.length > 0
    ? out
    : [finding(id, "passed", `${keys.length} RSA signing key(s), 2048 bits or more, with kid and use, no private parts`)];
}
