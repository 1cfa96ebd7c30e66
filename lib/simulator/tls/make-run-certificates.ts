/**
 * A certificate authority made for one run, and a server certificate it signs for 127.0.0.1 and
 * localhost, so that the simulator can serve https (SIMULATOR_TLS) to services that refuse a
 * plain-http issuer. Made with @peculiar/x509 over Node's WebCrypto; nothing is written to disk.
 *
 * @example
 * ```ts
 * const tls = await makeRunCertificates()
 * const sim = await startSimulator({ tls: { cert: tls.certPem, key: tls.keyPem } })
 * // trust tls.caPem in the service (NODE_EXTRA_CA_CERTS, a Java trust store, ...)
 * ```
 */
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API first.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

export interface RunCertificates {
  /** The CA certificate to trust (PEM). */
  caPem: string;
  /** The server certificate (PEM), for 127.0.0.1 and localhost. */
  certPem: string;
  /** The server's private key (PKCS#8 PEM). */
  keyPem: string;
}

export interface RunCertificateOptions {
  /** Host names and IP addresses the certificate names; default 127.0.0.1 and localhost. */
  hosts?: readonly string[];
  /** Days the certificates are valid from now; default 2. */
  days?: number;
}

const ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };

export async function makeRunCertificates(options: RunCertificateOptions = {}): Promise<RunCertificates> {
  const crypto = webcrypto as unknown as Crypto;
  x509.cryptoProvider.set(crypto);
  const hosts = options.hosts ?? ["127.0.0.1", "localhost"];
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + (options.days ?? 2) * 86_400_000);
  const [caKeys, serverKeys] = (await Promise.all([
    crypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]),
    crypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]),
  ])) as [CryptoKeyPair, CryptoKeyPair];
  const serial = () => Buffer.from(crypto.getRandomValues(new Uint8Array(8))).toString("hex");
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: "CN=nhslogin-conformance simulator CA (this run only)",
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  const names = hosts.map((h) => (/^[\d.]+$|:/.test(h) ? { type: "ip" as const, value: h } : { type: "dns" as const, value: h }));
  const server = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${hosts[0]}`,
    issuer: ca.subject,
    notBefore,
    notAfter,
    signingKey: caKeys.privateKey,
    publicKey: serverKeys.publicKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
    ],
  });
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey("pkcs8", serverKeys.privateKey)).toString("base64");
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)!.join("\n")}\n-----END PRIVATE KEY-----\n`;
  return { caPem: ca.toString("pem"), certPem: server.toString("pem"), keyPem };
}
