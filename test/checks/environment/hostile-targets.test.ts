/**
 * A hostile or broken target must turn into failed checks with a reason, within the timeouts,
 * and never hang or crash the run: one that hangs, sends 100 MB, sends invalid JSON, loops
 * redirects, resets connections, or presents an untrusted TLS certificate.
 */
import { runCheck } from "../../../lib/checks/run-check.ts";
import { generateKeyPairSync } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createEnvironmentContext, ENVIRONMENT_CHECKS, environmentGate } from "../../../lib/checks/environment/checks.ts";
import { hasOpenssl, selfSignedCertificate, startHttp, startHttps, startTcp, type TestServer } from "../../http/_servers.ts";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

type Mode = "hangs" | "100 MB" | "invalid JSON" | "redirect loop" | "connection reset" | "untrusted TLS";

async function hostile(mode: Mode): Promise<TestServer> {
  const s = await (async () => {
    switch (mode) {
      case "hangs":
        return startTcp(() => {}); // accepts, never answers
      case "100 MB":
        return startHttp((_req, res) => {
          res.writeHead(200, { "content-type": "application/json" });
          const chunk = Buffer.alloc(1024 * 1024, 0x20);
          let sent = 0;
          const pump = () => {
            while (sent < 100 && res.write(chunk)) sent++;
            if (sent >= 100) res.end();
            else res.once("drain", pump);
          };
          res.on("close", () => {
            sent = 100;
          });
          pump();
        });
      case "invalid JSON":
        return startHttp((_req, res) => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end('{"issuer": "http://127.0.0.1", "keys": [');
        });
      case "redirect loop":
        return startHttp((req, res) => {
          res.writeHead(302, { location: req.url ?? "/" });
          res.end();
        });
      case "connection reset":
        return startTcp((socket) => socket.once("data", () => socket.resetAndDestroy()));
      case "untrusted TLS":
        return startHttps(selfSignedCertificate(), (_req, res) => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end("{}");
        });
    }
  })();
  servers.push(s);
  return s;
}

const modes: Mode[] = [
  "hangs",
  "100 MB",
  "invalid JSON",
  "redirect loop",
  "connection reset",
  ...(hasOpenssl() ? (["untrusted TLS"] as const) : []),
];

describe("environment checks against hostile targets", () => {
  for (const mode of modes) {
    const unanswered = mode === "hangs" || mode === "connection reset" || mode === "untrusted TLS";
    const verdict = unanswered ? "inconclusive" : "failed";
    const what = mode === "hangs" ? "hangs" : `answers with ${mode}`;
    it(`a target that ${what} gives ${verdict} checks with reasons, and no crash`, async () => {
      const server = await hostile(mode);
      const env = createEnvironmentContext({
        issuer: server.url,
        simulator: false,
        harness: { clientId: "harness", privateKey, redirectUri: "http://127.0.0.1:1/cb" },
        usersScope: `${server.url}/Users.retrieve`,
        http: { timeoutMs: 400, maxResponseBytes: 1024 * 1024 },
      });
      try {
        for (const check of ENVIRONMENT_CHECKS) {
          const findings = await runCheck(check, env, environmentGate);
          expect(findings.length, check.title).toBeGreaterThan(0);
          // Nothing can pass against such a target; checks that need a person are skipped with a reason,
          // and those that could not observe anything are inconclusive.
          for (const f of findings) {
            expect(["failed", "skipped", "inconclusive"], `${check.title}: ${f.status} ${f.message}`).toContain(f.status);
            expect(f.message.length).toBeGreaterThan(10);
          }
        }
        // The discovery document itself: a broken answer fails FED-DISC-01, no answer leaves it inconclusive.
        const discovery = await runCheck(ENVIRONMENT_CHECKS[0]!, env, environmentGate);
        expect(discovery.map((f) => `${f.requirement} ${f.status}`)).toContain(`FED-DISC-01 ${verdict}`);
      } finally {
        await env.http.close();
      }
    }, 60_000);
  }

  it("names the reason: timeout, size cap, invalid JSON, redirect, reset, TLS", async () => {
    const expectations: [Mode, RegExp][] = [
      ["hangs", /within 400 ms|timeout/i],
      ["100 MB", /larger than/i],
      ["invalid JSON", /not valid JSON/i],
      ["redirect loop", /HTTP 302/],
      ["connection reset", /reset|closed|socket/i],
      ...(hasOpenssl() ? ([["untrusted TLS", /TLS|certificate/i]] as [Mode, RegExp][]) : []),
    ];
    for (const [mode, pattern] of expectations) {
      const server = await hostile(mode);
      const env = createEnvironmentContext({
        issuer: server.url,
        simulator: false,
        http: { timeoutMs: 400, maxResponseBytes: 1024 * 1024 },
      });
      try {
        const findings = await runCheck(ENVIRONMENT_CHECKS[0]!, env, environmentGate);
        expect(findings.map((f) => f.message).join(" "), mode).toMatch(pattern);
      } finally {
        await env.http.close();
      }
    }
  }, 60_000);
});
