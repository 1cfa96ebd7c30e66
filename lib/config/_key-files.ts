/**
 * Private readers for key and certificate files. Details thrown as {@link Invalid} name the path
 * and what was found, never the file's contents.
 */
import { createPrivateKey, createPublicKey, X509Certificate, type JsonWebKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import type { RsaKeyFile } from "./types.ts";
import { Invalid } from "./_internal.ts";

const MIN_RSA_BITS = 2048;
const PRIVATE_PEM = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
const PUBLIC_PEM = /-----BEGIN (RSA )?PUBLIC KEY-----/;
const CERT_PEM = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new Invalid(`no file at ${path}`);
    if (code === "EISDIR") throw new Invalid(`${path} is a directory`);
    throw new Invalid(`cannot read ${path} (${code ?? "unknown error"})`);
  }
}

/** Node error codes are safe to show; messages from parsers might quote input, so they are not. */
function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[A-Z0-9_]+$/.test(code) ? ` (${code})` : "";
}

function requireRsa(path: string, key: KeyObject): RsaKeyFile {
  if (key.asymmetricKeyType !== "rsa") throw new Invalid(`${path} holds a ${key.asymmetricKeyType ?? "non-asymmetric"} key, not RSA`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) throw new Invalid(`${path} holds a ${bits}-bit RSA key; at least ${MIN_RSA_BITS} bits are needed`);
  return { path, key, modulusBits: bits };
}

/** An unencrypted RSA private key of at least 2048 bits from a PEM file. */
export function readRsaPrivateKey(path: string): RsaKeyFile {
  const text = readText(path);
  if (!PRIVATE_PEM.test(text)) {
    if (PUBLIC_PEM.test(text) || text.includes("-----BEGIN CERTIFICATE-----")) {
      throw new Invalid(`${path} holds a public key or certificate, not a private key`);
    }
    throw new Invalid(`${path} is not PEM (no "-----BEGIN ... PRIVATE KEY-----" line)`);
  }
  if (text.includes("ENCRYPTED")) throw new Invalid(`${path} holds an encrypted key; an unencrypted one is needed`);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: "pem" });
  } catch (err) {
    throw new Invalid(`${path} does not parse as a private key${codeOf(err)}`);
  }
  return requireRsa(path, key);
}

function publicKeyFromJwk(path: string, text: string): KeyObject {
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch {
    throw new Invalid(`${path} is neither PEM nor valid JSON`);
  }
  if (jwk === null || typeof jwk !== "object" || Array.isArray(jwk)) throw new Invalid(`${path} does not hold a JWK object`);
  const { kty } = jwk as { kty?: unknown };
  if (kty !== "RSA") throw new Invalid(`${path} holds a JWK with kty ${JSON.stringify(kty ?? null)}, not "RSA"`);
  if ("d" in jwk) throw new Invalid(`${path} holds a private JWK; give the public key only`);
  try {
    return createPublicKey({ key: jwk as JsonWebKey, format: "jwk" });
  } catch (err) {
    throw new Invalid(`${path} holds a JWK that is not a valid RSA public key${codeOf(err)}`);
  }
}

/** An RSA public key of at least 2048 bits from PEM (SPKI or PKCS#1) or a JWK JSON file. */
export function readRsaPublicKey(path: string): RsaKeyFile {
  const text = readText(path);
  if (PRIVATE_PEM.test(text)) throw new Invalid(`${path} holds a private key; give the public key only`);
  if (text.trimStart().startsWith("{")) return requireRsa(path, publicKeyFromJwk(path, text));
  if (!PUBLIC_PEM.test(text)) {
    throw new Invalid(`${path} has no "-----BEGIN PUBLIC KEY-----" or "-----BEGIN RSA PUBLIC KEY-----" block and is not a JWK`);
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: "pem" });
  } catch (err) {
    throw new Invalid(`${path} does not parse as a public key${codeOf(err)}`);
  }
  return requireRsa(path, key);
}

/** Every certificate block of a PEM file, each checked to parse as X.509. */
export function readCertificates(path: string): string[] {
  const text = readText(path);
  const blocks = text.match(CERT_PEM);
  if (!blocks) throw new Invalid(`${path} contains no "-----BEGIN CERTIFICATE-----" block`);
  blocks.forEach((block, i) => {
    try {
      new X509Certificate(block);
    } catch {
      throw new Invalid(`certificate ${i + 1} of ${blocks.length} in ${path} does not parse as X.509`);
    }
  });
  return blocks;
}
