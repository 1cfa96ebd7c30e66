import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ServiceDownError } from "../../../lib/errors/index.ts";
import { createServiceHealth, describeScenario } from "../../../lib/checks/service/service-health.ts";
import type { ServiceTarget } from "../../../lib/checks/service/service-target.ts";

const WAITS = { before: 300, after: 300, restart: 2000 } as const;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function listening(): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => res.writeHead(302, { location: "/elsewhere" }).end());
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}
const closed = (server: Server) => new Promise((ok) => server.close(ok));
const target = (startUrl: string, extra: Partial<ServiceTarget> = {}) =>
  ({ startUrl, http: { timeoutMs: 1000, maxResponseBytes: 1024 }, ...extra }) as ServiceTarget;

describe("service health", () => {
  it("names scenarios as a reader says them", () => {
    expect(describeScenario("error:access_denied")).toBe("error=access_denied");
    expect(describeScenario("error:unknown-error")).toBe("an undefined error code");
    expect(describeScenario("fault:id-token-nonce-wrong")).toBe("the fault id-token-nonce-wrong");
    expect(describeScenario("code-replay")).toBe("the code-replay scenario");
  });

  it("any answer counts (redirects not followed); a service that stops is charged to the scenario, later ones not run", async () => {
    const { server, url } = await listening();
    const lockDir = mkdtempSync(join(tmpdir(), "health-"));
    dirs.push(lockDir);
    const health = createServiceHealth(target(url, { lockDir }), WAITS);
    const other = createServiceHealth(target(url, { lockDir }), WAITS); // another worker, the same lock directory
    try {
      await health.before("sign-ins");
      expect(await health.after("sign-ins")).toBeUndefined();
      await closed(server);
      expect(await health.after("error:access_denied")).toMatch(
        new RegExp(`^the service stopped answering after error=access_denied \\(GET ${url.replace(/\./g, "\\.")}: .+\\)$`),
      );
      const refused = other.before("error:invalid_scope");
      await expect(refused).rejects.toBeInstanceOf(ServiceDownError);
      await expect(refused).rejects.toThrow(/^error=invalid_scope was not run: the service stopped answering after error=access_denied/);
    } finally {
      await health.close();
      await other.close();
    }
  });

  it("a restart command that fails is said, and the scenario is not run", async () => {
    const { server, url } = await listening();
    await closed(server);
    const health = createServiceHealth(target(url, { restartCommand: "exit 7" }), WAITS);
    try {
      await expect(health.before("sign-ins")).rejects.toThrow(
        /^the sign-ins scenario was not run: the service did not answer GET .+ within 0\.3 s: .+; SERVICE_RESTART_COMMAND exited with 7$/,
      );
    } finally {
      await health.close();
    }
  });
});
