import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createHttpClient } from "../../../lib/http/index.ts";
import { startSimulator } from "../../../lib/simulator/start-simulator.ts";
import { makeRunCertificates } from "../../../lib/simulator/tls/make-run-certificates.ts";

describe("run certificates (SIMULATOR_TLS)", () => {
  it("a CA for the run signs a server certificate for 127.0.0.1 and localhost", async () => {
    const tls = await makeRunCertificates();
    const ca = new X509Certificate(tls.caPem);
    const server = new X509Certificate(tls.certPem);
    expect(ca.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(server.checkHost("localhost")).toBe("localhost");
    expect(server.checkHost("example.org")).toBeUndefined();
    expect(tls.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it("the simulator serves https with it: trusted with the CA, refused without", async () => {
    const tls = await makeRunCertificates();
    const sim = await startSimulator({ tls: { cert: tls.certPem, key: tls.keyPem } });
    const trusting = createHttpClient({ timeoutMs: 5000, ca: [tls.caPem] });
    const plain = createHttpClient({ timeoutMs: 5000 });
    try {
      expect(sim.issuer).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const res = await trusting.request({ method: "GET", url: `${sim.url}/.well-known/openid-configuration` });
      expect(res.status).toBe(200);
      expect(res.json<{ issuer: string; token_endpoint: string }>().token_endpoint).toBe(`${sim.issuer}/token`);
      await expect(plain.request({ method: "GET", url: `${sim.url}/.well-known/openid-configuration` })).rejects.toThrow(
        /certificate|self-signed|issuer/i,
      );
    } finally {
      await trusting.close();
      await plain.close();
      await sim.stop();
    }
  }, 30_000);
});
