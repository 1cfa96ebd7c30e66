/**
 * The rules of the public key a partner gives NHS login (EIS §7.1; docs:generating-pem): an RSA
 * key of 2048 bits (KEY-01), as a PEM SubjectPublicKeyInfo block, `-----BEGIN PUBLIC KEY-----`,
 * which `openssl rsa -pubout` writes (KEY-02), and nothing private beside it (KEY-03).
 *
 * @example
 * ```ts
 * keySizeFindings(createPublicKey(pem), "the registered key") // [{ requirement: "KEY-01", status: "passed", ... }]
 * publicKeyFileFindings(readFileSync("public_key.pem", "utf8"), "public_key.pem")
 * ```
 */
import { createPublicKey, type KeyObject } from "node:crypto";
import { finding, type Finding } from "../../requirements/index.ts";

/** KEY-01: RSA of exactly 2048 bits (larger warns, smaller or another type fails). */
export function keySizeFindings(publicKey: KeyObject, what: string): Finding[] {
  const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (publicKey.asymmetricKeyType !== "rsa")
    return [finding("KEY-01", "failed", `${what} is ${publicKey.asymmetricKeyType}; NHS login requires RSA`)];
  if (bits < 2048) return [finding("KEY-01", "failed", `${what} has ${bits} bits; at least 2048 required`)];
  if (bits > 2048) return [finding("KEY-01", "warning", `${what} has ${bits} bits; NHS login asks for 2048`)];
  return [finding("KEY-01", "passed", `${what} is RSA 2048`)];
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----/g;

/** KEY-01, KEY-02 and KEY-03 on the text of the public key file a partner submits. */
export function publicKeyFileFindings(text: string, file: string): Finding[] {
  const labels = [...text.matchAll(BLOCK)].map((m) => m[1]!);
  const out: Finding[] = [];
  const secret = labels.filter((l) => /PRIVATE KEY/.test(l));
  out.push(
    secret.length > 0
      ? finding("KEY-03", "failed", `${file} holds a ${secret.join(", ")} block: only the public key is sent to NHS login`)
      : labels.length === 0
        ? finding("KEY-03", "inconclusive", `${file} has no PEM block, so what key material it holds was not judged`)
        : finding("KEY-03", "passed", `${file} holds no PEM private key block`),
  );
  const spki = labels.filter((l) => l === "PUBLIC KEY");
  if (spki.length !== 1 || labels.length !== 1) {
    const found = labels.length === 0 ? "no PEM block" : `the blocks ${labels.map((l) => `BEGIN ${l}`).join(", ")}`;
    out.push(finding("KEY-02", "failed", `${file} has ${found}, expected one -----BEGIN PUBLIC KEY----- block (SubjectPublicKeyInfo)`));
    return out;
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: "pem" });
  } catch (err) {
    out.push(finding("KEY-02", "failed", `${file}'s PUBLIC KEY block does not parse as SubjectPublicKeyInfo (${(err as Error).message})`));
    return out;
  }
  out.push(finding("KEY-02", "passed", `${file} is one PEM SubjectPublicKeyInfo block`));
  out.push(...keySizeFindings(key, `the key in ${file}`));
  return out;
}
