import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpConnectionError, HttpInvalidJsonError, HttpResponseTooLargeError, HttpTimeoutError } from "../../lib/errors/index.ts";
import { createHttpClient } from "../../lib/http/create-http-client.ts";
import { EXCHANGE_BODY_LIMIT, type Exchange } from "../../lib/http/exchange.ts";
import { closedPort, hasOpenssl, selfSignedCertificate, startHttp, startHttps, startTcp, type TestServer } from "./_servers.ts";

const servers: TestServer[] = [];
const track = async (server: Promise<TestServer>) => {
  const s = await server;
  servers.push(s);
  return s;
};
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error("expected the promise to reject");
}

describe("createHttpClient: ordinary exchanges", () => {
  let app: TestServer;
  let redirectTargetHits = 0;
  beforeAll(async () => {
    app = await track(
      startHttp((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          const body = Buffer.concat(chunks).toString();
          const url = new URL(req.url ?? "/", "http://x");
          if (url.pathname === "/echo") {
            res.setHeader("Content-Type", "application/json");
            res.setHeader("Set-Cookie", ["a=1; HttpOnly", "b=2; Secure"]);
            res.end(
              JSON.stringify({
                method: req.method,
                url: req.url,
                type: req.headers["content-type"],
                auth: req.headers.authorization,
                body,
              }),
            );
          } else if (url.pathname === "/redirect") {
            res.writeHead(302, { Location: "/target?code=abc" }).end();
          } else if (url.pathname === "/target") {
            redirectTargetHits++;
            res.end("target");
          } else if (url.pathname === "/not-json") {
            res.end("<html>not json</html>");
          } else if (url.pathname === "/empty") {
            res.writeHead(204).end();
          } else if (url.pathname === "/big") {
            res.end("x".repeat(EXCHANGE_BODY_LIMIT + 1000));
          } else {
            res.writeHead(404).end();
          }
        });
      }),
    );
  });

  it("sends a GET with query parameters and returns status, lower-case headers and body", async () => {
    const client = createHttpClient({ timeoutMs: 2000 });
    const res = await client.request({
      method: "get",
      url: `${app.url}/echo?x=1`,
      query: { y: ["2", "3"] },
      headers: { Authorization: "Bearer t" },
    });
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${app.url}/echo?x=1&y=2&y=3`);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(res.headers["set-cookie"]).toBe("a=1; HttpOnly\nb=2; Secure");
    expect(res.json()).toMatchObject({ method: "GET", url: "/echo?x=1&y=2&y=3", auth: "Bearer t" });
    expect(res.durationMs).toBeGreaterThanOrEqual(0);
    await client.close();
  });

  it("encodes form and JSON bodies with their content types", async () => {
    const client = createHttpClient({ timeoutMs: 2000 });
    const form = await client.request({
      method: "POST",
      url: `${app.url}/echo`,
      form: { grant_type: "authorization_code", scope: ["openid profile"] },
    });
    expect(form.json()).toMatchObject({
      type: "application/x-www-form-urlencoded",
      body: "grant_type=authorization_code&scope=openid+profile",
    });
    const json = await client.request({ method: "POST", url: `${app.url}/echo`, json: { a: 1 } });
    expect(json.json()).toMatchObject({ type: "application/json", body: '{"a":1}' });
    const raw = await client.request({ method: "POST", url: `${app.url}/echo`, body: "plain", headers: { "Content-Type": "text/plain" } });
    expect(raw.json()).toMatchObject({ type: "text/plain", body: "plain" });
    await expect(client.request({ method: "POST", url: `${app.url}/echo`, json: {}, body: "x" })).rejects.toThrow(TypeError);
    await client.close();
  });

  it("returns a 302 as it is, without following it", async () => {
    const client = createHttpClient({ timeoutMs: 2000 });
    const res = await client.request({ method: "GET", url: `${app.url}/redirect` });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe("/target?code=abc");
    expect(redirectTargetHits).toBe(0);
    await client.close();
  });

  it("throws HttpInvalidJsonError from json() when the body is not JSON", async () => {
    const client = createHttpClient({ timeoutMs: 2000 });
    const res = await client.request({ method: "GET", url: `${app.url}/not-json` });
    expect(res.text).toBe("<html>not json</html>");
    expect(() => res.json()).toThrow(HttpInvalidJsonError);
    const empty = await client.request({ method: "GET", url: `${app.url}/empty` });
    expect(() => empty.json()).toThrow(/empty body/);
    await client.close();
  });

  it("captures every exchange, in the list and through the hook, truncating long bodies", async () => {
    const seen: Exchange[] = [];
    const client = createHttpClient({ timeoutMs: 2000, onExchange: (x) => seen.push(x) });
    await client.request({ method: "POST", url: `${app.url}/echo`, form: { code: "abc" } });
    await client.request({ method: "GET", url: `${app.url}/big` });
    await rejection(client.request({ method: "GET", url: `http://127.0.0.1:${await closedPort()}/` }));
    expect(client.exchanges).toHaveLength(3);
    expect(seen).toEqual(client.exchanges);
    const [post, big, failed] = client.exchanges as [Exchange, Exchange, Exchange];
    expect(post.request).toMatchObject({
      method: "POST",
      body: "code=abc",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(post.response?.status).toBe(200);
    expect(post.startedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(big.response?.body?.length).toBeLessThan(EXCHANGE_BODY_LIMIT + 100);
    expect(big.response?.body).toMatch(/truncated/);
    expect(failed.response).toBeUndefined();
    expect(failed.error?.code).toBe("ERR_HTTP_CONNECTION");
    await client.close();
  });
});

describe("createHttpClient: timeouts", () => {
  it("gives HttpTimeoutError when the server never answers", async () => {
    const server = await track(startTcp(() => {}));
    const client = createHttpClient({ timeoutMs: 300 });
    const started = performance.now();
    const err = await rejection(client.request({ method: "GET", url: server.url }));
    const elapsed = performance.now() - started;
    expect(err).toBeInstanceOf(HttpTimeoutError);
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(1500);
    expect(client.exchanges[0]?.error?.code).toBe("ERR_HTTP_TIMEOUT");
    await client.close();
  });

  it("enforces the deadline over a body that keeps trickling in", async () => {
    let timer: NodeJS.Timeout | undefined;
    const server = await track(
      startHttp((_req, res) => {
        res.writeHead(200, { "content-type": "text/plain" });
        timer = setInterval(() => res.write("."), 50);
        res.on("close", () => clearInterval(timer));
      }),
    );
    const client = createHttpClient({ timeoutMs: 300 });
    const started = performance.now();
    const err = await rejection(client.request({ method: "GET", url: server.url }));
    expect(err).toBeInstanceOf(HttpTimeoutError);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(client.exchanges[0]?.response?.status).toBe(200);
    await client.close();
  });
});

describe("createHttpClient: size cap", () => {
  const MiB = 1024 * 1024;

  function stream100MB(res: ServerResponse, sent: { bytes: number }): void {
    const chunk = Buffer.alloc(64 * 1024, "a");
    res.writeHead(200, { "content-type": "application/octet-stream" });
    const pump = () => {
      while (sent.bytes < 100 * MiB && !res.destroyed) {
        sent.bytes += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      res.end();
    };
    pump();
  }

  it("stops reading a 100 MB stream at the cap, quickly and without buffering it", async () => {
    const sent = { bytes: 0 };
    const server = await track(startHttp((_req, res) => stream100MB(res, sent)));
    const client = createHttpClient({ timeoutMs: 10_000, maxResponseBytes: MiB });
    const before = process.memoryUsage();
    const started = performance.now();
    const err = await rejection(client.request({ method: "GET", url: server.url }));
    expect(err).toBeInstanceOf(HttpResponseTooLargeError);
    expect(performance.now() - started).toBeLessThan(3000);
    const after = process.memoryUsage();
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(50 * MiB);
    await new Promise((r) => setTimeout(r, 100));
    expect(sent.bytes).toBeLessThan(50 * MiB); // the connection was dropped, so the server stopped
    const exchange = client.exchanges[0];
    expect(exchange?.error?.code).toBe("ERR_HTTP_TOO_LARGE");
    expect(exchange?.response?.body).toMatch(/larger than 1048576 bytes/);
    await client.close();
  });

  it("refuses a declared content-length above the cap without reading the body", async () => {
    const server = await track(
      startHttp((_req, res) => {
        res.writeHead(200, { "content-length": String(2 * MiB) });
        res.write(Buffer.alloc(1024));
      }),
    );
    const client = createHttpClient({ timeoutMs: 2000, maxResponseBytes: MiB });
    await expect(client.request({ method: "GET", url: server.url })).rejects.toBeInstanceOf(HttpResponseTooLargeError);
    await client.close();
  });

  it("accepts a body exactly at the cap", async () => {
    const server = await track(startHttp((_req, res) => res.end(Buffer.alloc(2048, "b"))));
    const client = createHttpClient({ timeoutMs: 2000, maxResponseBytes: 2048 });
    expect((await client.request({ method: "GET", url: server.url })).text).toHaveLength(2048);
    await client.close();
  });
});

describe("createHttpClient: connection failures", () => {
  it("reports a socket destroyed mid-response as a reset", async () => {
    const server = await track(
      startHttp((_req, res) => {
        res.writeHead(200, { "content-length": "1000" });
        res.write("partial");
        setTimeout(() => res.socket?.destroy(), 20);
      }),
    );
    const client = createHttpClient({ timeoutMs: 2000 });
    const err = await rejection(client.request({ method: "GET", url: server.url }));
    expect(err).toBeInstanceOf(HttpConnectionError);
    expect((err as HttpConnectionError).reason).toMatch(/reset/);
    await client.close();
  });

  it("reports a connection closed before any response as a reset", async () => {
    const server = await track(startTcp((socket) => socket.once("data", () => socket.destroy())));
    const client = createHttpClient({ timeoutMs: 2000 });
    const err = await rejection(client.request({ method: "GET", url: server.url }));
    expect(err).toBeInstanceOf(HttpConnectionError);
    expect((err as HttpConnectionError).reason).toMatch(/reset/);
    await client.close();
  });

  it("reports a closed port as connection refused", async () => {
    const client = createHttpClient({ timeoutMs: 2000 });
    const err = await rejection(client.request({ method: "GET", url: `http://127.0.0.1:${await closedPort()}/` }));
    expect(err).toBeInstanceOf(HttpConnectionError);
    expect((err as HttpConnectionError).reason).toBe("connection refused");
    await client.close();
  });

  it("reports a response that is not HTTP", async () => {
    const server = await track(startTcp((socket) => socket.once("data", () => socket.end("SSH-2.0-OpenSSH\r\n\r\n"))));
    const client = createHttpClient({ timeoutMs: 2000 });
    const err = await rejection(client.request({ method: "GET", url: server.url }));
    expect(err).toBeInstanceOf(HttpConnectionError);
    expect((err as HttpConnectionError).reason).toMatch(/invalid HTTP response/);
    await client.close();
  });
});

describe.skipIf(!hasOpenssl())("createHttpClient: TLS", () => {
  let trusted: { key: string; cert: string };
  let server: TestServer;
  let wrongName: TestServer;
  let wrongNameCert: string;
  beforeAll(async () => {
    trusted = selfSignedCertificate();
    server = await track(startHttps(trusted, (_req, res) => res.end("secure")));
    const other = selfSignedCertificate("DNS:other.example");
    wrongNameCert = other.cert;
    wrongName = await track(startHttps(other, (_req, res) => res.end("wrong")));
  });

  it("refuses a self-signed certificate, naming TLS", async () => {
    const client = createHttpClient({ timeoutMs: 2000 });
    const err = await rejection(client.request({ method: "GET", url: server.url }));
    expect(err).toBeInstanceOf(HttpConnectionError);
    expect((err as HttpConnectionError).reason).toMatch(
      /^TLS certificate not trusted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)$/,
    );
    await client.close();
  });

  it("trusts the same server once its certificate is given as ca", async () => {
    const client = createHttpClient({ timeoutMs: 2000, ca: trusted.cert });
    const res = await client.request({ method: "GET", url: server.url });
    expect(res.status).toBe(200);
    expect(res.text).toBe("secure");
    await client.close();
  });

  it("refuses a trusted certificate issued for another host name", async () => {
    const client = createHttpClient({ timeoutMs: 2000, ca: [wrongNameCert] });
    const err = await rejection(client.request({ method: "GET", url: wrongName.url }));
    expect(err).toBeInstanceOf(HttpConnectionError);
    expect((err as HttpConnectionError).reason).toMatch(/TLS certificate does not match the host name/);
    await client.close();
  });
});
