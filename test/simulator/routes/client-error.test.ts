/**
 * Requests Node's HTTP parser refuses before any route sees them, and CONNECT: a polite answer
 * with Connection: close, so a keep-alive client never loses its next request.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Pool } from "undici";
import type { Simulator } from "../../../lib/simulator/start-simulator.ts";
import { startTestSimulator } from "../_helpers.ts";

let sim: Simulator;
beforeAll(async () => {
  sim = await startTestSimulator([]);
});
afterAll(async () => {
  await sim?.stop();
});

/** Send raw bytes and read the whole answer until the server closes. */
function raw(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(sim.port, "127.0.0.1", () => socket.write(bytes));
    let answer = "";
    socket.setEncoding("latin1");
    socket.on("data", (d: string) => {
      answer += d;
    });
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
    socket.setTimeout(5_000, () => {
      socket.destroy();
      reject(new Error(`no close within 5 s; got ${JSON.stringify(answer)}`));
    });
  });
}

describe("requests the HTTP parser refuses", () => {
  it("a keep-alive client survives a 431 (headers over 16 KB): the answer says Connection: close", async () => {
    const pool = new Pool(sim.url, { connections: 1, pipelining: 1 });
    try {
      const first = await pool.request({ method: "GET", path: "/.well-known/openid-configuration" });
      await first.body.text();
      const big = await pool.request({
        method: "GET",
        path: "/.well-known/openid-configuration",
        headers: { "x-pad": "p".repeat(20_000) },
      });
      expect(big.statusCode).toBe(431);
      expect(big.headers.connection).toBe("close");
      expect(JSON.parse(await big.body.text())).toEqual({
        error: "invalid_request",
        error_description: "the request line or headers are too large",
      });
      const next = await pool.request({ method: "GET", path: "/.well-known/openid-configuration" });
      expect(next.statusCode).toBe(200);
      await next.body.text();
    } finally {
      await pool.close();
    }
  });

  it("a URL over 16 KB is a 431 with Connection: close", async () => {
    const answer = await raw(`GET /authorize?x=${"u".repeat(17_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);
  });

  it("a malformed header line is a 400 with Connection: close", async () => {
    const answer = await raw("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nno colon here\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);
    expect(answer).toContain('"error_description":"the request is malformed"');
  });

  it("CONNECT is answered 405 with Allow, then closed", async () => {
    const answer = await raw("CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/);
    expect(answer).toMatch(/\r\nAllow: GET, HEAD, POST, PUT, PATCH\r\n/);
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);
  });
});
