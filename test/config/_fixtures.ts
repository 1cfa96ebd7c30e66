/** Key and certificate files generated at test time in a temporary directory. */
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Fixtures {
  dir: string;
  file(name: string, text: string): string;
  /** PKCS#8 PEM text of the 2048-bit private key. */
  privatePem: string;
  privateKey: string;
  privatePkcs1: string;
  smallPrivateKey: string;
  ecPrivateKey: string;
  encryptedPrivateKey: string;
  publicSpki: string;
  publicPkcs1: string;
  publicJwk: string;
  privateJwk: string;
  smallPublicKey: string;
  /** A self-signed certificate made with the openssl CLI; `undefined` when openssl is absent. */
  certificate: string | undefined;
  cleanup(): void;
}

export function makeFixtures(): Fixtures {
  const dir = mkdtempSync(join(tmpdir(), "harness-config-"));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const small = generateKeyPairSync("rsa", { modulusLength: 1024 });
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const privatePem = rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString();

  let certPath: string | undefined = join(dir, "cert.pem");
  try {
    const args = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(dir, "cert-key.pem"), "-out", certPath];
    execFileSync("openssl", [...args, "-days", "1", "-subj", "/CN=localhost"], { stdio: "ignore" });
  } catch {
    certPath = undefined;
  }

  return {
    dir,
    file,
    privatePem,
    privateKey: file("private.pem", privatePem),
    privatePkcs1: file("private-pkcs1.pem", rsa.privateKey.export({ type: "pkcs1", format: "pem" }).toString()),
    smallPrivateKey: file("small.pem", small.privateKey.export({ type: "pkcs8", format: "pem" }).toString()),
    ecPrivateKey: file("ec.pem", ec.privateKey.export({ type: "pkcs8", format: "pem" }).toString()),
    encryptedPrivateKey: file(
      "encrypted.pem",
      rsa.privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "secret" }).toString(),
    ),
    publicSpki: file("public.pem", rsa.publicKey.export({ type: "spki", format: "pem" }).toString()),
    publicPkcs1: file("public-pkcs1.pem", rsa.publicKey.export({ type: "pkcs1", format: "pem" }).toString()),
    publicJwk: file("public.jwk.json", JSON.stringify(rsa.publicKey.export({ format: "jwk" }))),
    privateJwk: file("private.jwk.json", JSON.stringify(rsa.privateKey.export({ format: "jwk" }))),
    smallPublicKey: file("small-public.pem", small.publicKey.export({ type: "spki", format: "pem" }).toString()),
    certificate: certPath,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
