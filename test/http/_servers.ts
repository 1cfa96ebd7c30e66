/** Throwaway servers on 127.0.0.1 for the HTTP client tests. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(server: Server, origin: (port: number) => string, onClose: () => void): Promise<TestServer> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: origin(port),
    port,
    close: () =>
      new Promise<void>((resolve) => {
        onClose();
        server.close(() => resolve());
      }),
  };
}

export function startHttp(handler: Handler): Promise<TestServer> {
  const server = createHttpServer(handler);
  return listen(
    server,
    (port) => `http://127.0.0.1:${port}`,
    () => server.closeAllConnections(),
  );
}

export function startHttps(tls: { key: string; cert: string }, handler: Handler): Promise<TestServer> {
  const server = createHttpsServer(tls, handler);
  server.on("tlsClientError", () => {}); // clients that refuse our certificate are expected
  return listen(
    server,
    (port) => `https://127.0.0.1:${port}`,
    () => server.closeAllConnections(),
  );
}

/** A raw TCP server; `onSocket` decides what (if anything) to write. */
export function startTcp(onSocket: (socket: Socket) => void): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
    onSocket(socket);
  });
  return listen(
    server,
    (port) => `http://127.0.0.1:${port}`,
    () => sockets.forEach((s) => s.destroy()),
  );
}

/** A port nothing listens on: bind one, then release it. */
export async function closedPort(): Promise<number> {
  const server = await startTcp(() => {});
  await server.close();
  return server.port;
}

export function hasOpenssl(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** A self-signed certificate and its key, made with the openssl CLI. */
export function selfSignedCertificate(subjectAltName = "IP:127.0.0.1,DNS:localhost"): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), "harness-tls-"));
  try {
    const key = join(dir, "key.pem");
    const cert = join(dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        key,
        "-out",
        cert,
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-addext",
        `subjectAltName=${subjectAltName}`,
      ],
      { stdio: "ignore" },
    );
    return { key: readFileSync(key, "utf8"), cert: readFileSync(cert, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
