/**
 * Child process: what HTTP alone costs at a token endpoint, for figure 10. `POST /token` reads the
 * form, requires an `assertion` or `client_assertion` parameter, and answers a fixed token
 * response of the simulator's size (no verification, no signature, no record). Prints one JSON
 * line, then serves until its stdin closes (see _child.ts).
 *
 * Env: BENCH_FLOOR=node (a bare node:http server, the form read with URLSearchParams) or fastify
 * (Fastify with @fastify/formbody, as the simulator registers them).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import Fastify from "fastify";
import formbody from "@fastify/formbody";
import { serveParent } from "./_child.ts";

/** A token response of the simulator's size: a JWT-sized access token (about 900 characters). */
const ANSWER = JSON.stringify({ access_token: "x".repeat(900), token_type: "Bearer", expires_in: 300, scope: "a b c" });
const HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", pragma: "no-cache" };

const kind = process.env.BENCH_FLOOR ?? "node";
const hasAssertion = (p: { get(name: string): string | null | undefined }) => !!(p.get("assertion") || p.get("client_assertion"));

if (kind === "node") {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const ok = req.method === "POST" && req.url === "/token" && hasAssertion(new URLSearchParams(Buffer.concat(chunks).toString()));
      res.writeHead(ok ? 200 : 400, HEADERS);
      res.end(ok ? ANSWER : '{"error":"invalid_request"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  serveParent({ url, tokenEndpoint: `${url}/token` }, () => new Promise<void>((resolve) => server.close(() => resolve())));
} else if (kind === "fastify") {
  const app = Fastify();
  await app.register(formbody);
  app.post("/token", async (req, reply) => {
    const params = req.body as Record<string, string>;
    const ok = hasAssertion({ get: (name) => params[name] });
    return reply
      .code(ok ? 200 : 400)
      .headers(HEADERS)
      .send(ok ? ANSWER : '{"error":"invalid_request"}');
  });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  serveParent({ url, tokenEndpoint: `${url}/token` }, () => app.close());
} else {
  throw new Error(`BENCH_FLOOR must be node or fastify, not ${kind}`);
}
