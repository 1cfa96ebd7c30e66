import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readJournal } from "../../lib/journal/read-journal.ts";
import { runCli as runCliIn } from "./_run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "sim-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const runCli = (args: string[], env: Record<string, string>) => runCliIn(args, env, dir);

/** Resident memory of a process, in MiB (Linux). */
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024;

describe("npm run simulator", () => {
  it("serves discovery, lists personas and the configured service, and stops on SIGTERM", async () => {
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const keyFile = join(dir, "service.pem");
    writeFileSync(keyFile, publicKey.export({ type: "spki", format: "pem" }));
    const harnessKey = join(dir, "harness.pem");
    const run = await runCli(["--port", "0", "--write-harness-key", harnessKey], {
      SERVICE_CLIENT_ID: "my-service",
      SERVICE_REDIRECT_URIS: "https://my-service.test/callback",
      SERVICE_PUBLIC_KEY_FILE: keyFile,
      SERVICE_SCOPES: "openid profile email",
    });
    const issuer = /issuer\s+(\S+)/.exec(run.out)?.[1];
    expect(issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(run.out).toMatch(/p9\s+P9/);
    expect(run.out).toMatch(/my-service/);
    expect(run.out).toMatch(/https:\/\/my-service\.test\/callback/);
    const doc = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { issuer: string };
    expect(doc.issuer).toBe(issuer);
    expect(readFileSync(harnessKey, "utf8")).toMatch(/BEGIN PRIVATE KEY/);
    expect(await run.stop()).toBe(0);
  });

  it("--journal records every request it serves, after a header naming the simulator", async () => {
    const journal = join(dir, "traffic.jsonl");
    const run = await runCli(["--port", "0", "--journal", journal], {});
    const issuer = /issuer\s+(\S+)/.exec(run.out)?.[1];
    expect(run.out).toMatch(/journal\s+.*traffic\.jsonl/);
    await fetch(`${issuer}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=x",
    });
    await fetch(`${issuer}/v2/Users?filter=x`);
    expect(await run.stop()).toBe(0);
    const { header, events } = readJournal(journal);
    expect(header.issuer).toBe(issuer);
    expect(header.tokenEndpoint).toBe(`${issuer}/token`);
    expect(events.map((e) => e.type)).toEqual(["token", "users-v2"]);
  });

  it("--fault with --every and --delay-ms arms it for a share of the sign-ins; a bad value is refused by name", async () => {
    const run = await runCli(["--port", "0", "--fault", "slow-token", "--every", "4", "--delay-ms", "250"], {});
    expect(run.out).toMatch(/fault\s+slow-token, 1 in 4 sign-ins or calls, held 250 ms/);
    expect(await run.stop()).toBe(0);
    const journal = join(dir, "refused.jsonl");
    const bad = await runCli(["--port", "0", "--fault", "slow-token", "--delay-ms", "soon", "--journal", journal], {});
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--delay-ms: delayMs must be a whole number of milliseconds/);
    expect(existsSync(journal)).toBe(false);
    const alone = await runCli(["--port", "0", "--every", "4"], {});
    expect(alone.code).toBe(2);
    expect(alone.err).toMatch(/--every and --delay-ms qualify --fault/);
  });

  it("refuses a wrong variable with a message naming it, without starting", async () => {
    const run = await runCli(["--port", "0"], { SIMULATOR_PERSONA: "p7" });
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/SIMULATOR_PERSONA/);
  });

  it.skipIf(process.platform !== "linux")(
    "500 requests with a 200 kB junk parameter leave its memory and its events answer within bounds",
    async () => {
      const run = await runCli(["--port", "0"], { SIMULATOR_STORE_ENTRIES: "5000" });
      try {
        const issuer = /issuer\s+(\S+)/.exec(run.out)?.[1];
        const secret = /control secret\s+(\S+)/.exec(run.out)?.[1];
        const before = rssMiB(run.pid);
        const body = `grant_type=authorization_code&junk=${"j".repeat(200_000)}`;
        for (let i = 0; i < 500; i++) {
          const res = await fetch(`${issuer}/token`, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body,
          });
          expect(res.status).toBe(400);
          await res.arrayBuffer();
        }
        // Kept whole, the parameters alone were 100 MB (the simulator grew by 132 MiB before they were bounded).
        expect(rssMiB(run.pid) - before).toBeLessThan(90);
        const events = await fetch(`${issuer}/__control/events`, { headers: { authorization: `Bearer ${secret}` } });
        const text = await events.text();
        expect(events.status).toBe(200);
        expect(text.length).toBeLessThan(2 * 1024 * 1024);
        const answer = JSON.parse(text) as { events: unknown[]; dropped: Record<string, number>; limits: Record<string, number> };
        expect(answer.events).toHaveLength(500);
        expect(answer.dropped.truncatedEvents).toBe(500);
        expect(answer.limits.storeEntries).toBe(5000);
      } finally {
        await run.stop();
      }
    },
    60_000,
  );
});
