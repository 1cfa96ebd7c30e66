/**
 * The service checks against a fixture service shaped like a real public NHS login example
 * (test/_support/fixture-services/server-rendered.ts): a sign-in link on its landing page with a
 * static state and nonce, no session, the user's details rendered on the callback page from
 * tokens it never validates, a 30-minute client assertion, an empty code posted to /token after
 * an error, and a /account page that answers 200 to anyone. Each flaw is flagged under its
 * requirement for the reason it is there; what could not be seen is inconclusive, not passed.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServiceContext, SERVICE_CHECKS } from "../../../lib/checks/service/index.ts";
import { type FixtureUnderTest, startFixtureUnderTest } from "./_fixture.ts";
import { type CheckOutcome, runChecks } from "./_service.ts";

/** Status, and a reason some finding of that status must match, per check. */
const EXPECTED: Readonly<Record<string, [string, RegExp]>> = {
  state: ["failed", /state repeats across 3 separate sign-ins \(1 distinct value\)/],
  nonce: ["failed", /nonce repeats across 3 separate sign-ins \(1 distinct value\)/],
  // 1800 s ahead of its iat, so 1799 or 1800 s after the simulator received it.
  "assertion-lifetime": ["warning", /the client assertion lives 1(799|800) s after use; expected at most 300 s/],
  "id-token-nonce-wrong": [
    "failed",
    new RegExp(
      "signed the user in although NHS login sent: ID token with another nonce " +
        String.raw`\(the page at /callback shows the NHS number 9990010005 of the simulated person p9\)`,
    ),
  ],
  "id-token-bad-signature": [
    "failed",
    /signed the user in although NHS login sent: ID token signature does not verify \(the page at \/callback shows/,
  ],
  "id-token-wrong-aud": ["failed", /signed the user in although NHS login sent: ID token for another client/],
  "userinfo-sub": [
    "failed",
    /signed the user in although UserInfo answered with a sub different from the ID token's \(the page at \/callback/,
  ],
  "error:access_denied": ["failed", /the service called \/token 1 time\(s\) after error=access_denied; it must not redeem anything/],
  "error:state-wrong": ["failed", /the service signed the user in after a response with another state \(the page at \/callback shows/],
  "code-replay": ["failed", /an authorization code was sent to \/token 3 times; a code is single-use/],
  // No session cookie at all, and no page to come back to: these cannot be observed.
  "session-cookies": ["inconclusive", /the service set no cookie during sign-in, so there is no session cookie to examine/],
  // Observed and right: a sign-in link with response_type=code, the registered redirect URI.
  "request-shape": ["passed", /reached \/authorize by GET/],
  "redirect-uri-registered": ["passed", /is registered/],
  // It never validates tokens, so what NHS login adds cannot stop it: these pass, each on a delivered sign-in.
  "id-token-unknown-claims": ["passed", /signed in although NHS login sent: ID token with claims the service does not know/],
  "id-token-second-key": ["passed", /signed in although NHS login sent: ID token signed by the second key of the JWKS/],
  // Its callback reads only code and state, so the forged front-channel id_token establishes nothing.
  "callback-forged-tokens": ["passed", /redeemed the code and signed in the real person, ignoring the id_token/],
  "vtr-levels": ["passed", /every vector names the one proofing level P9/],
};

let f: FixtureUnderTest;
beforeAll(async () => {
  f = await startFixtureUnderTest({ onError: "page", protectedPage: "always-200" });
}, 60_000);
afterAll(() => f?.stop());

const shown = (r: Map<string, CheckOutcome>, key: string) => `${key}: ${r.get(key)?.status}\n${r.get(key)?.messages}`;

describe("a server-rendered service shaped like a public example", () => {
  it("is flagged for each of its flaws, with the evidence, and gives the same verdicts in three runs", async () => {
    const runs: Map<string, CheckOutcome>[] = [];
    for (let i = 0; i < 3; i++) {
      const ctx = i === 0 ? f.ctx : createServiceContext(f.target);
      try {
        runs.push(await runChecks(ctx, SERVICE_CHECKS));
      } finally {
        if (i > 0) await ctx.close();
      }
    }
    const [first] = runs as [Map<string, CheckOutcome>];
    for (const [key, [status, reason]] of Object.entries(EXPECTED)) {
      expect(first.get(key)?.status, shown(first, key)).toBe(status);
      expect(
        first.get(key)!.findings.some((x) => x.status === status && reason.test(x.message)),
        shown(first, key),
      ).toBe(true);
    }
    // No check passes on zero observations, and nothing crashed.
    for (const [key, r] of first) expect(r.messages, key).not.toMatch(/could not complete/);
    const statuses = runs.map((r) => Object.fromEntries([...r].map(([k, v]) => [k, v.status])));
    expect(statuses[1]).toEqual(statuses[0]);
    expect(statuses[2]).toEqual(statuses[0]);
  }, 180_000);
});

describe("a service registered for P5 and P9 that gates nothing by level", () => {
  it("serves its 'P9' page to a P5 person without a step-up: VOT-11 and STEPUP-02 fail; the step-up answers are not judged", async () => {
    const vtr = ["P5.Cp.Cd", "P9.Cp.Cd"];
    const open = await startFixtureUnderTest({ onError: "page", protectedPage: "always-200", vtr }, { stepUpPath: "/account" });
    try {
      const r = await runChecks(
        open.ctx,
        SERVICE_CHECKS.filter((c) => c.key.startsWith("step-up")),
      );
      expect(r.get("step-up")?.status, shown(r, "step-up")).toBe("failed");
      expect(r.get("step-up")?.messages).toMatch(
        /VOT-11 failed: GET \/account by a person signed in at P5 answered HTTP 200 at \/account, offering no step-up/,
      );
      expect(r.get("step-up")?.messages).toMatch(/STEPUP-02 failed: .* never sent the browser to NHS login/);
      for (const key of ["step-up-other-person", "step-up-vot"]) {
        expect(r.get(key)?.status, shown(r, key)).toBe("inconclusive");
        expect(r.get(key)?.messages).toMatch(/GET \/account never sent the browser to NHS login, so no step-up could be answered/);
      }
    } finally {
      await open.stop();
    }
  }, 60_000);
});

describe("a front-end that sends neither state nor nonce", () => {
  it("still signs in (the simulator is lenient in this suite), so both absences fail and the later scenarios stay observable", async () => {
    const bare = await startFixtureUnderTest({ onError: "page", stateAndNonce: "none" });
    try {
      const keys = new Set(["state", "nonce", "id-token-nonce-wrong"]);
      const r = await runChecks(
        bare.ctx,
        SERVICE_CHECKS.filter((c) => keys.has(c.key)),
      );
      expect(r.get("state")?.messages).toMatch(/FED-AUTHZ-09 failed: .*state/);
      expect(r.get("nonce")?.messages).toMatch(/FED-AUTHZ-10 failed: .*nonce/);
      expect(r.get("id-token-nonce-wrong")?.messages).toMatch(/signed the user in although NHS login sent: ID token with another nonce/);
    } finally {
      await bare.stop();
    }
  }, 60_000);
});

describe("a service that fails on an authorization error", () => {
  const accessDenied = SERVICE_CHECKS.filter((c) => c.key === "error:access_denied");
  const twoErrors = SERVICE_CHECKS.filter((c) => c.key === "error:access_denied" || c.key === "error:invalid_scope");

  it("dies: that error's handling fails, naming the crash; what comes after is inconclusive, not charged to its rule", async () => {
    const dying = await startFixtureUnderTest({ onError: "die" });
    try {
      const r = await runChecks(dying.ctx, twoErrors);
      expect(r.get("error:access_denied")?.status).toBe("failed");
      expect(r.get("error:access_denied")?.messages).toMatch(
        /FED-ARESP-11 failed: the service stopped answering after error=access_denied \(GET http:\/\/127\.0\.0\.1:\d+\/: .*\)/,
      );
      expect(r.get("error:access_denied")?.messages).toMatch(
        /the service did not answer the browser with a page: GET http:\/\/127\.0\.0\.1:\d+\/callback/,
      );
      expect(await dying.service.waitForExit(5000)).toBe(true);
      const later = r.get("error:invalid_scope")!;
      expect(later.status, later.messages).toBe("inconclusive");
      expect(later.messages).toMatch(
        /could not complete: error=invalid_scope was not run: the service stopped answering after error=access_denied/,
      );
    } finally {
      await dying.stop();
    }
  }, 60_000);

  it("dies, with SERVICE_RESTART_COMMAND: it is restarted and the next scenario is judged", async () => {
    let fixture: FixtureUnderTest | undefined;
    const restarter = createServer((_req, res) => {
      void fixture!.service.restart().then(
        () => res.writeHead(204).end(),
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((ok) => restarter.listen(0, "127.0.0.1", ok));
    const port = (restarter.address() as AddressInfo).port;
    const command =
      `"${process.execPath}" -e "fetch('http://127.0.0.1:${port}/restart',{method:'POST'})` +
      `.then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"`;
    try {
      fixture = await startFixtureUnderTest({ onError: "die" }, { restartCommand: command });
      const r = await runChecks(fixture.ctx, twoErrors);
      expect(r.get("error:access_denied")?.messages).toMatch(
        /FED-ARESP-11 failed: the service stopped answering after error=access_denied/,
      );
      const later = r.get("error:invalid_scope")!;
      expect(later.status, later.messages).toBe("failed");
      expect(later.messages).toMatch(/FED-AUTHZ-04 failed: the service called \/token 1 time\(s\) after error=invalid_scope/);
    } finally {
      await fixture?.stop();
      await new Promise((ok) => restarter.close(ok));
    }
  }, 90_000);

  it("hangs: the error's handling fails for the request that got no answer, not 'signed in'", async () => {
    const hanging = await startFixtureUnderTest({ onError: "hang" });
    try {
      const r = await runChecks(hanging.ctx, accessDenied);
      const messages = r.get("error:access_denied")?.messages ?? "";
      expect(r.get("error:access_denied")?.status, messages).toBe("failed");
      expect(messages).toMatch(
        /FED-ARESP-11 failed: the service did not answer the browser with a page: .*no complete response within 3000 ms/,
      );
      expect(messages).not.toMatch(/signed the user in/);
    } finally {
      await hanging.stop();
    }
  }, 60_000);
});
