import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { freePort } from "../../lib/http/free-port.ts";

describe("freePort", () => {
  it("answers a port of 127.0.0.1 that can be listened on", async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const srv = createServer();
    await new Promise<void>((ok, fail) => {
      srv.once("error", fail);
      srv.listen(port, "127.0.0.1", () => ok());
    });
    await new Promise((r) => srv.close(r));
  });
});
