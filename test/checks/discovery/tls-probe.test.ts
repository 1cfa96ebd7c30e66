/**
 * tlsHandshake and tlsTargets of lib/checks/discovery/tls-probe.ts against local servers: a TLS
 * server that refuses the old versions and one that accepts them, a plain TCP server that hangs
 * up, one that never answers, and a port nobody listens on.
 */
import { createServer, type Server } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tlsHandshake, tlsTargets } from "../../../lib/checks/discovery/tls-probe.ts";
import type { EnvironmentContext } from "../../../lib/checks/environment/environment-check.ts";
import { makeRunCertificates } from "../../../lib/simulator/tls/make-run-certificates.ts";

const servers: Server[] = [];
const urls: Record<"strict" | "legacy" | "hangUp" | "silent" | "closed" | "plain", URL> = {} as never;

async function listen(server: Server): Promise<URL> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const a = server.address();
  return new URL(`https://127.0.0.1:${typeof a === "object" && a ? a.port : 0}`);
}

beforeAll(async () => {
  const c = await makeRunCertificates();
  urls.strict = await listen(createTlsServer({ cert: c.certPem, key: c.keyPem }, (s) => s.end()));
  urls.legacy = await listen(
    createTlsServer({ cert: c.certPem, key: c.keyPem, minVersion: "TLSv1", ciphers: "DEFAULT@SECLEVEL=0" }, (s) => s.end()),
  );
  urls.hangUp = await listen(createServer((s) => s.destroy()));
  urls.silent = await listen(createServer(() => {}));
  urls.plain = await listen(createServer((s) => s.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n")));
  const gone = createServer();
  const goneUrl = await listen(gone);
  await new Promise<void>((r) => gone.close(() => r()));
  servers.pop();
  urls.closed = goneUrl;
});
afterAll(async () => {
  for (const s of servers) {
    s.unref();
    s.close();
  }
});

describe("tlsHandshake", () => {
  it("is refused with TLS 1.0 and 1.1 by a server of TLS 1.2 and later, which negotiates 1.3", async () => {
    for (const offer of ["TLSv1", "TLSv1.1"] as const) {
      const r = await tlsHandshake(urls.strict, offer);
      expect(r.outcome, offer).toBe("refused");
      expect((r as { reason: string }).reason).toMatch(/ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION/);
    }
    expect(await tlsHandshake(urls.strict, "TLSv1.2+")).toEqual({ outcome: "accepted", protocol: "TLSv1.3" });
  });

  it("completes TLS 1.0 and 1.1 with a server that allows them", async () => {
    expect(await tlsHandshake(urls.legacy, "TLSv1")).toEqual({ outcome: "accepted", protocol: "TLSv1" });
    expect(await tlsHandshake(urls.legacy, "TLSv1.1")).toEqual({ outcome: "accepted", protocol: "TLSv1.1" });
  });

  it("calls a server that hangs up after connecting a refusal, and one that never answers unreachable, within the deadline", async () => {
    expect((await tlsHandshake(urls.hangUp, "TLSv1.2+")).outcome).toBe("refused");
    const started = Date.now();
    expect(await tlsHandshake(urls.silent, "TLSv1.2+", 300)).toEqual({
      outcome: "unreachable",
      reason: "no answer within 300 ms (connected, no handshake)",
    });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("calls a peer that does not speak TLS unreachable: no handshake was refused", async () => {
    const r = await tlsHandshake(urls.plain, "TLSv1.2+");
    expect(r.outcome).toBe("unreachable");
    expect((r as { reason: string }).reason).toMatch(/^no TLS handshake to judge \(ERR_SSL_/);
  });

  it("calls a port nobody listens on unreachable", async () => {
    const r = await tlsHandshake(urls.closed, "TLSv1.2+");
    expect(r.outcome).toBe("unreachable");
    expect((r as { reason: string }).reason).toMatch(/ECONNREFUSED/);
  });
});

describe("tlsTargets", () => {
  it("groups discovery's endpoints and /v2/Users by origin, with the IDs each falls under", async () => {
    const env = {
      issuer: "https://auth.example",
      discovery: async () => ({
        authorization_endpoint: "https://auth.example/authorize",
        token_endpoint: "https://auth.example/token",
        userinfo_endpoint: "https://api.example/userinfo",
        jwks_uri: "not a url",
      }),
    } as unknown as EnvironmentContext;
    expect(await tlsTargets(env)).toEqual([
      {
        origin: "https://auth.example",
        endpoints: ["issuer", "authorization_endpoint", "token_endpoint", "/v2/Users"],
        ids: ["FED-GEN-01", "UEV2-GEN-01"],
      },
      { origin: "https://api.example", endpoints: ["userinfo_endpoint"], ids: ["FED-GEN-01"] },
    ]);
  });
});
