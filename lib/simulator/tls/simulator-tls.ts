/**
 * What the service suite's simulator serves https with (SIMULATOR_TLS=true): the certificate and
 * key of SIMULATOR_TLS_CERT/SIMULATOR_TLS_KEY, or a CA and a certificate for 127.0.0.1 and
 * localhost generated on first use and kept in `dir` (default `.simulator-tls/`), so that a
 * service told once to trust `ca.pem` keeps trusting it run after run. The harness's own HTTP
 * clients trust the result.
 *
 * @example
 * ```ts
 * const tls = await simulatorTls(config.simulator)
 * if (tls) console.error(`trust ${tls.caFile} in the service`)
 * ```
 */
import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { SimulatorSettings } from "../../config/index.ts";
import { makeRunCertificates } from "./make-run-certificates.ts";

export interface SimulatorTls {
  cert: string;
  key: string;
  /** The certificates the harness trusts for it. */
  ca: string[];
  /** Where the generated CA certificate is, for the service to trust (unset with SIMULATOR_TLS_CERT). */
  caFile?: string;
}

/** Kept certificates are replaced when they expire within this many days. */
const RENEW_DAYS = 7;

/** Days until `pem` expires; 0 when it does not parse (a damaged file is then made again). */
function daysLeft(pem: string): number {
  try {
    return (new Date(new X509Certificate(pem).validTo).getTime() - Date.now()) / 86_400_000;
  } catch {
    return 0;
  }
}

export async function simulatorTls(
  settings: Pick<SimulatorSettings, "tls" | "tlsCert" | "tlsKey">,
  dir = ".simulator-tls",
): Promise<SimulatorTls | undefined> {
  if (!settings.tls) return undefined;
  if (settings.tlsCert && settings.tlsKey) {
    const key = settings.tlsKey.key.export({ type: "pkcs8", format: "pem" }).toString();
    return { cert: settings.tlsCert.join("\n"), key, ca: [...settings.tlsCert] };
  }
  const paths = { ca: resolve(join(dir, "ca.pem")), cert: resolve(join(dir, "cert.pem")), key: resolve(join(dir, "key.pem")) };
  if (Object.values(paths).every((p) => existsSync(p))) {
    const [ca, cert, key] = [paths.ca, paths.cert, paths.key].map((p) => readFileSync(p, "utf8")) as [string, string, string];
    if (daysLeft(cert) > RENEW_DAYS) return { cert, key, ca: [ca], caFile: paths.ca };
  }
  const made = await makeRunCertificates({ days: 365 });
  mkdirSync(dir, { recursive: true });
  writeFileSync(paths.ca, made.caPem);
  writeFileSync(paths.cert, made.certPem);
  writeFileSync(paths.key, made.keyPem, { mode: 0o600 });
  return { cert: made.certPem, key: made.keyPem, ca: [made.caPem], caFile: paths.ca };
}
