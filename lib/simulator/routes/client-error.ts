/**
 * What the simulator answers when Node's HTTP parser refuses a request before any route sees it
 * (headers or a URL over 16 KB: 431; a malformed request line or header: 400; a request too slow
 * to arrive: 408), and to `CONNECT` (405: it is not a proxy). The answer always says
 * `Connection: close` before the connection is closed, so a keep-alive client opens a new
 * connection for its next request instead of losing it.
 *
 * @example
 * ```ts
 * const app = Fastify({ clientErrorHandler: answerClientError })
 * app.server.on("connect", refuseConnect)
 * ```
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";

const REASONS: Record<number, [string, string]> = {
  400: ["Bad Request", "the request is malformed"],
  405: ["Method Not Allowed", "CONNECT is not supported: this is not a proxy"],
  408: ["Request Timeout", "the request took too long to arrive"],
  431: ["Request Header Fields Too Large", "the request line or headers are too large"],
};

/** Fastify's `clientErrorHandler`: answer the refusal politely, then close. */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === "ECONNRESET" || socket.destroyed) return;
  // An answer to an earlier pipelined request is on its way: raw bytes now would corrupt it (as Node's own handler checks).
  if ((socket as Duplex & { _httpMessage?: { _headerSent?: boolean } })._httpMessage?._headerSent) {
    socket.destroy();
    return;
  }
  const status = err.code === "HPE_HEADER_OVERFLOW" ? 431 : err.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
  closeWith(socket, status);
}

/** The server's `connect` listener: 405, then close. */
export function refuseConnect(_req: IncomingMessage, socket: Duplex): void {
  closeWith(socket, 405, { Allow: "GET, HEAD, POST, PUT, PATCH" });
}

function closeWith(socket: Duplex, status: number, headers: Record<string, string> = {}): void {
  const [reason, description] = REASONS[status] ?? REASONS[400]!;
  const body = JSON.stringify({ error: "invalid_request", error_description: description });
  const head = [
    `HTTP/1.1 ${status} ${reason}`,
    "Content-Type: application/json; charset=utf-8",
    `Content-Length: ${Buffer.byteLength(body)}`,
    "Connection: close",
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  if (socket.writable) socket.end(`${head.join("\r\n")}\r\n\r\n${body}`);
  // A peer that never reads must not keep the socket open.
  setTimeout(() => socket.destroy(), 2_000).unref();
}
