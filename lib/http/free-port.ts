/**
 * A port on 127.0.0.1 that nothing listens on now: the system picks one, and it is let go at once
 * for the caller to listen on.
 *
 * @example
 * ```ts
 * const port = await freePort() // e.g. 41731
 * ```
 */
import { createServer } from "node:net";

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => res(port));
    });
  });
}
