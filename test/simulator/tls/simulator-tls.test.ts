import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../lib/config/index.ts";
import { simulatorTls } from "../../../lib/simulator/tls/simulator-tls.ts";

const dir = mkdtempSync(join(tmpdir(), "simulator-tls-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the simulator's TLS (SIMULATOR_TLS)", () => {
  it("off by default; on, a CA and certificate are made once, kept (key readable by the owner only) and reused", async () => {
    expect(await simulatorTls({ tls: false }, dir)).toBeUndefined();
    const first = await simulatorTls({ tls: true }, dir);
    expect(first?.caFile).toBe(join(dir, "ca.pem"));
    expect(readFileSync(join(dir, "ca.pem"), "utf8")).toBe(first!.ca[0]);
    expect(statSync(join(dir, "key.pem")).mode & 0o777).toBe(0o600);
    const again = await simulatorTls({ tls: true }, dir);
    expect(again).toEqual(first);
    // A damaged certificate is made again rather than served or crashed on.
    const damaged = mkdtempSync(join(tmpdir(), "simulator-tls-damaged-"));
    try {
      for (const f of ["ca.pem", "cert.pem", "key.pem"]) writeFileSync(join(damaged, f), "not a certificate");
      const remade = await simulatorTls({ tls: true }, damaged);
      expect(readFileSync(join(damaged, "cert.pem"), "utf8")).toBe(remade!.cert);
      expect(remade!.cert).toMatch(/^-----BEGIN CERTIFICATE-----/);
    } finally {
      rmSync(damaged, { recursive: true, force: true });
    }
  }, 30_000);

  it("SIMULATOR_TLS_CERT without SIMULATOR_TLS_KEY is refused, naming the missing variable", () => {
    const certFile = join(dir, "cert.pem");
    expect(() => loadConfig({ env: { SIMULATOR_TLS: "true", SIMULATOR_TLS_CERT: certFile }, dotenvPath: false })).toThrow(
      /SIMULATOR_TLS_KEY: expected a value, because the other of SIMULATOR_TLS_CERT and SIMULATOR_TLS_KEY is set/,
    );
    expect(() => loadConfig({ env: { SIMULATOR_TLS: "yes" }, dotenvPath: false })).toThrow(/SIMULATOR_TLS/);
  });

  it("a given certificate and key are served as they are, and trusted by the harness", async () => {
    const config = loadConfig({
      env: { SIMULATOR_TLS: "true", SIMULATOR_TLS_CERT: join(dir, "cert.pem"), SIMULATOR_TLS_KEY: join(dir, "key.pem") },
      dotenvPath: false,
    });
    const tls = await simulatorTls(config.simulator, join(dir, "unused"));
    expect(tls?.caFile).toBeUndefined();
    expect(tls?.ca).toEqual([readFileSync(join(dir, "cert.pem"), "utf8").trim()]);
    expect(tls?.key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });
});
