import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endpointsFor } from "../../../lib/simulator/context.ts";
import type { Simulator } from "../../../lib/simulator/start-simulator.ts";
import {
  CLIENT_ASSERTION_TYPE,
  clientAssertion,
  exchangeCode,
  expectTokenError,
  makeClient,
  signInAndGetCode,
  tokenRequest,
  type TestClient,
  userinfoRequest,
} from "../_helpers.ts";
import { runCli } from "../_run-cli.ts";
import { readJournal } from "../../../lib/journal/read-journal.ts";

// `npm run simulator -- --workers 2`: two processes answer, one owns the state. Everything here
// runs requests side by side, so they land on both workers; each test asserts that both answered.
const dir = mkdtempSync(join(tmpdir(), "sim-workers-"));
let run: Awaited<ReturnType<typeof runCli>>;
let sim: Simulator;
let rp: TestClient;
let secret: string;
let serviceEnv: Record<string, string> = {};

beforeAll(async () => {
  const made = makeClient("svc-workers");
  rp = made.client;
  const keyFile = join(dir, "svc.pem");
  writeFileSync(keyFile, rp.key.publicPem);
  serviceEnv = {
    SERVICE_CLIENT_ID: rp.clientId,
    SERVICE_REDIRECT_URIS: rp.redirectUri,
    SERVICE_PUBLIC_KEY_FILE: keyFile,
    SERVICE_SCOPES: "openid profile client_metadata",
  };
  run = await runCli(["--port", "0", "--workers", "2"], serviceEnv, dir);
  expect(run.out, run.err).toMatch(/workers\s+2 processes/);
  const issuer = /issuer\s+(\S+)/.exec(run.out)![1]!;
  secret = /control secret\s+(\S+)/.exec(run.out)![1]!;
  // What the test helpers read of a simulator: its URL, its endpoints and its clock.
  sim = {
    url: issuer,
    issuer,
    context: { endpoints: endpointsFor(issuer), now: () => Math.floor(Date.now() / 1000) },
  } as unknown as Simulator;
}, 30_000);
afterAll(async () => {
  await run?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const control = (path: string, init: RequestInit = {}) =>
  fetch(`${sim.url}/__control${path}`, {
    ...init,
    headers: { authorization: `Bearer ${secret}`, ...(init.body ? { "content-type": "application/json" } : {}), ...(init.headers ?? {}) },
  });
const workersOf = (answers: { headers: Headers }[]) => new Set(answers.map((a) => a.headers.get("x-simulator-worker")));
/** The simulator workers whose parent is `pid` (Linux /proc; tsx's esbuild service is a child too). */
function childrenOf(pid: number): number[] {
  const kids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const isChild = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid;
      if (isChild && readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("worker-main")) kids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return kids;
}
/** Until both workers answer (a replaced one listens a moment after it is forked). */
async function bothServing(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const answers = await Promise.all(
      // A connection handed to a worker as it died is never answered: each try gives up after 2 s.
      Array.from({ length: 6 }, () =>
        fetch(`${sim.url}/.well-known/openid-configuration`, { ...fresh, signal: AbortSignal.timeout(2_000) }).catch(() => undefined),
      ),
    );
    if (answers.every((a) => a?.status === 200) && workersOf(answers as Response[]).size === 2) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`both workers did not answer:\n${run.stderr()}`);
}
/** The same request many times at once, on fresh connections (the workers share connections out, not requests). */
const fresh = { headers: { connection: "close" } };

describe("npm run simulator -- --workers 2", () => {
  it("signs in and exchanges codes on either worker; the owner keeps every event", async () => {
    expect((await control("/reset", { method: "POST" })).status).toBe(204);
    const codes = await Promise.all(
      Array.from({ length: 12 }, () => signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri })),
    );
    const exchanges = await Promise.all(codes.map((c) => exchangeCode(sim, rp, c.code)));
    expect(exchanges.map((e) => e.status)).toEqual(Array(12).fill(200));
    const userinfo = await Promise.all(exchanges.map((e) => userinfoRequest(sim, { accessToken: String(e.json!.access_token) })));
    expect(userinfo.map((u) => u.status)).toEqual(Array(12).fill(200));
    expect(workersOf([...exchanges, ...userinfo]).size).toBe(2);
    const log = (await (await control("/events")).json()) as { events: { type: string }[] };
    const count = (type: string) => log.events.filter((e) => e.type === type).length;
    expect([count("authorize"), count("token"), count("userinfo")]).toEqual([12, 12, 12]);
  });

  it("keeps each request's event before its answer leaves: read straight after, it is there", async () => {
    expect((await control("/reset", { method: "POST" })).status).toBe(204);
    const count = async (type: string, outcome?: string) => {
      const log = (await (await control("/events")).json()) as { events: { type: string; detail: { outcome?: string } }[] };
      return log.events.filter((e) => e.type === type && (outcome === undefined || e.detail.outcome === outcome)).length;
    };
    for (let i = 1; i <= 5; i++) {
      const auth = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri, scope: "openid client_metadata" });
      expect(await count("authorize")).toBe(i);
      const tokens = await exchangeCode(sim, rp, auth.code);
      expect(await count("token")).toBe(i);
      const accessToken = String(tokens.json!.access_token);
      expect((await userinfoRequest(sim, { accessToken })).status).toBe(200);
      expect(await count("userinfo", "claims")).toBe(i);
      const patched = await userinfoRequest(sim, {
        method: "PATCH",
        accessToken,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ client_user_metadata: `m${i}` }),
      });
      expect(patched.status).toBe(204);
      expect(await count("userinfo", "updated")).toBe(i);
    }
  });

  it("redeems a code once across workers, and a replay revokes the winner's tokens", async () => {
    const seen: { headers: Headers }[] = [];
    for (let i = 0; i < 6; i++) {
      const { code } = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
      const answers = await Promise.all(
        [0, 1].map(async () => {
          const assertion = await clientAssertion(sim, rp.clientId, rp.key);
          return tokenRequest(
            sim,
            {
              grant_type: "authorization_code",
              code,
              redirect_uri: rp.redirectUri,
              client_assertion_type: CLIENT_ASSERTION_TYPE,
              client_assertion: assertion,
            },
            fresh.headers,
          );
        }),
      );
      seen.push(...answers);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
      const won = answers.find((a) => a.status === 200)!;
      const after = await userinfoRequest(sim, { accessToken: String(won.json!.access_token) });
      expect(after.status).toBe(401);
      expect(after.headers.get("www-authenticate")).toMatch(/revoked/);
    }
    expect(workersOf(seen).size).toBe(2);
  });

  it("accepts a client assertion's jti once across workers", async () => {
    const { code } = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    const assertion = await clientAssertion(sim, rp.clientId, rp.key);
    const params = {
      grant_type: "authorization_code",
      code,
      redirect_uri: rp.redirectUri,
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: assertion,
    };
    const answers = await Promise.all(Array.from({ length: 4 }, () => tokenRequest(sim, params, fresh.headers)));
    const refused = answers.filter((a) => a.status !== 200);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    for (const r of refused) expect(String(r.json?.error_description)).toMatch(/jti has already been used|already been used/);
    expect(refused.some((r) => /jti has already been used/.test(String(r.json?.error_description)))).toBe(true);
    expect(workersOf(answers).size).toBe(2);
  });

  it("an armed scenario is taken once per sign-in whichever worker serves it", async () => {
    expect((await control("/reset", { method: "POST" })).status).toBe(204);
    expect((await control("/arm", { method: "POST", body: JSON.stringify({ faults: ["id-token-nonce-wrong"], times: 3 }) })).status).toBe(
      204,
    );
    const codes = await Promise.all(
      Array.from({ length: 8 }, () => signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri })),
    );
    const tokens = await Promise.all(codes.map((c) => exchangeCode(sim, rp, c.code)));
    const wrong = tokens.filter((t, i) => decodeJwt(String(t.json!.id_token)).nonce !== codes[i]!.sent.nonce);
    expect(wrong).toHaveLength(3);
    // The clock hook too: judged and run by the owner, refused by name.
    const age = (body: unknown) => control("/age", { method: "POST", body: JSON.stringify(body) });
    expect((await age({ code: codes[0]!.code, seconds: 700 })).status).toBe(204);
    expectTokenError(await exchangeCode(sim, rp, codes[0]!.code), "invalid_grant");
    expect((await age({ code: "unknown", seconds: 10 })).status).toBe(404);
    const bad = await age({ seconds: -1, code: "x" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error_description: string }).error_description).toMatch(/seconds must be a positive number/);
  });

  it("defects set on one worker reach every worker, with the keys they change", async () => {
    const jwks = async () =>
      Promise.all(
        Array.from({ length: 6 }, async () => {
          const res = await fetch(`${sim.url}/.well-known/jwks.json`, fresh);
          return { headers: res.headers, kids: ((await res.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid).join(",") };
        }),
      );
    const before = await jwks();
    expect(new Set(before.map((b) => b.kids)).size).toBe(1);
    expect((await control("/defects", { method: "PUT", body: JSON.stringify({ defects: ["weak-signing-key"] }) })).status).toBe(204);
    const after = await jwks();
    expect(new Set(after.map((a) => a.kids)).size).toBe(1);
    expect(after[0]!.kids).not.toBe(before[0]!.kids);
    expect(workersOf(after).size).toBe(2);
    // Each answered once: no second send of an answer already on its way (an internal error on stderr).
    expect(run.stderr()).not.toMatch(/internal error/);
    const refused = await control("/defects", { method: "PUT", body: JSON.stringify({ defects: ["no-such-defect"] }) });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error_description: string }).error_description).toMatch(/unknown defect "no-such-defect"/);
    await control("/defects", { method: "PUT", body: JSON.stringify({ defects: [] }) });
  });

  it("replaces a worker that dies, and the state lives on in the owner", async () => {
    const { code } = await signInAndGetCode(sim, { clientId: rp.clientId, redirectUri: rp.redirectUri });
    const before = childrenOf(run.pid);
    expect(before, run.stderr()).toHaveLength(2);
    process.kill(before[0]!, "SIGKILL");
    let after: number[] = [];
    for (let i = 0; i < 100 && !(after.length === 2 && !after.includes(before[0]!)); i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = childrenOf(run.pid);
    }
    expect(after).toHaveLength(2);
    expect(after).not.toContain(before[0]);
    // Both workers answer again (the new one once it has its keys), and the code issued before is still good once.
    const answers = await Promise.all([0, 1].map(() => exchangeCode(sim, rp, code)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
    await bothServing();
  });

  it("keeps its port when every worker dies at once (the port was chosen before the workers started)", async () => {
    const replaced = () => run.stderr().match(/stopped \(SIGKILL\); starting another/g)?.length ?? 0;
    await bothServing();
    const before = replaced();
    for (const pid of childrenOf(run.pid)) process.kill(pid, "SIGKILL");
    await bothServing();
    expect(replaced()).toBe(before + 2);
  });

  it("a change of defects while a worker is being replaced reaches the new worker too, and is answered", async () => {
    const kids = async () =>
      (await Promise.all(Array.from({ length: 8 }, () => fetch(`${sim.url}/.well-known/jwks.json`, fresh)))).map(async (r) => ({
        worker: r.headers.get("x-simulator-worker"),
        kids: ((await r.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid).join(","),
      }));
    await bothServing();
    const before = await Promise.all(await kids());
    process.kill(childrenOf(run.pid)[0]!, "SIGKILL");
    await new Promise((r) => setTimeout(r, 50));
    const put = await control("/defects", { method: "PUT", body: JSON.stringify({ defects: ["weak-signing-key"] }) });
    expect(put.status).toBe(204);
    // Once both workers answer again, every answer has the new keys.
    await bothServing();
    const after = await Promise.all(await kids());
    expect(new Set(after.map((a) => a.worker)).size).toBe(2);
    expect(new Set(after.map((a) => a.kids)).size).toBe(1);
    expect(after[0]!.kids).not.toBe(before[0]!.kids);
    await control("/defects", { method: "PUT", body: JSON.stringify({ defects: [] }) });
  });

  it("--journal and --fault work as with one process: the owner journals, the fault is counted across workers", async () => {
    const journal = join(dir, "workers.jsonl");
    const other = await runCli(
      ["--port", "0", "--workers", "2", "--journal", journal, "--fault", "slow-token", "--every", "2", "--delay-ms", "150"],
      serviceEnv,
      dir,
    );
    const issuer = /issuer\s+(\S+)/.exec(other.out)![1]!;
    const target = { ...sim, url: issuer, issuer, context: { ...sim.context, endpoints: endpointsFor(issuer) } } as unknown as Simulator;
    const codes = await Promise.all(
      Array.from({ length: 4 }, () => signInAndGetCode(target, { clientId: rp.clientId, redirectUri: rp.redirectUri })),
    );
    const tokens = await Promise.all(codes.map((c) => exchangeCode(target, rp, c.code)));
    expect(tokens.map((t) => t.status)).toEqual([200, 200, 200, 200]);
    expect(workersOf([...tokens]).size).toBe(2);
    expect(await other.stop()).toBe(0);
    const { header, events } = readJournal(journal);
    expect(header.issuer).toBe(issuer);
    expect(events.map((e) => e.type).sort()).toEqual([
      "authorize",
      "authorize",
      "authorize",
      "authorize",
      "token",
      "token",
      "token",
      "token",
    ]);
    // Every second sign-in, counted by the owner whichever worker took it.
    expect(events.filter((e) => e.type === "token" && e.detail.delayedMs === 150)).toHaveLength(2);
  });

  it("refuses a --workers that is not a whole number from 1 to 64, by name", async () => {
    for (const bad of ["0", "65", "two"]) {
      const refused = await runCli(["--port", "0", "--workers", bad], {}, dir);
      expect(refused.code).toBe(2);
      expect(refused.err).toMatch(/--workers must be a whole number from 1 to 64/);
    }
  });

  it("says so and exits 2 when its port is taken, with workers as with one process", async () => {
    const port = new URL(sim.url).port;
    for (const args of [
      ["--port", port, "--workers", "2"],
      ["--port", port],
    ]) {
      const refused = await runCli(args, {}, dir);
      expect(refused.code).toBe(2);
      expect(refused.err).toMatch(/simulator: the port is taken by another process \(SIMULATOR_PORT or --port\).*EADDRINUSE/);
    }
  });

  it("stops with a message and exit code 1 when its workers keep dying and none is left", async () => {
    const other = await runCli(["--port", "0", "--workers", "2"], {}, dir);
    // Killed as soon as they appear: 5 are replaced within the minute, then none.
    const killer = setInterval(() => {
      for (const pid of childrenOf(other.pid)) process.kill(pid, "SIGKILL");
    }, 100);
    const code = await other.exit;
    clearInterval(killer);
    expect(code).toBe(1);
    expect(other.stderr()).toMatch(/none started again/);
    expect(other.stderr()).toMatch(/simulator: every worker stopped \(the last: SIGKILL\), \d+ within a minute; stopping/);
  }, 30_000);

  it("stops every worker on SIGTERM", async () => {
    const other = await runCli(["--port", "0", "--workers", "2"], {}, dir);
    const issuer = /issuer\s+(\S+)/.exec(other.out)![1]!;
    expect((await fetch(`${issuer}/.well-known/openid-configuration`)).status).toBe(200);
    expect(await other.stop()).toBe(0);
    await expect(fetch(`${issuer}/.well-known/openid-configuration`)).rejects.toThrow();
  });
});
