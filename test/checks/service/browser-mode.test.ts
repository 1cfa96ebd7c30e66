/**
 * Browser mode (SERVICE_DRIVER=browser) end to end: the single-page fixture service, whose
 * sign-in starts in a click handler and ends in a front-end calling its API, and the reference
 * service, both driven through chromium. Needs Debian's chromium (.ci/run installs it); without
 * it the tests are skipped, except on CI, where that is a failure.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  JOURNAL_CHECKS,
  PROVISION_ACCOUNT_CONSUMER_CHECKS,
  SERVICE_CHECKS,
  USERS_V2_CONSUMER_CHECKS,
} from "../../../lib/checks/service/index.ts";
import type { FixtureServiceOptions } from "../../_support/fixture-services/launch.ts";
import type { BrowserSteps } from "../../../lib/driver/browser-steps.ts";
import { expectBroken } from "../../_support/expect-broken.ts";
import { redactExchange } from "../../../lib/http/redact-exchange.ts";
import { BREAKERS, type SinglePageVariant } from "../../breakers.ts";
import { startFixtureUnderTest } from "./_fixture.ts";
import { runChecks, startServiceUnderTest } from "./_service.ts";
import { expectedStatuses } from "./_run-variants.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM && process.env.CI) throw new Error(`browser mode needs chromium at ${CHROMIUM} (Debian: apt-get install chromium)`);

/** The faulty variants of the single-page fixture that the breakers of test/breakers.ts name. */
const SINGLE_PAGE_VARIANTS: Record<SinglePageVariant, FixtureServiceOptions> = {
  "tokens-to-page": { tokensToPage: true },
  "permissive-cors-tokens": { cors: "permissive", tokensToPage: true },
  "browser-token-exchange": { tokenExchange: "browser" },
};

const OTHER = new Set([...JOURNAL_CHECKS, ...USERS_V2_CONSUMER_CHECKS, ...PROVISION_ACCOUNT_CONSUMER_CHECKS].map((c) => c.key));
/** The checks a sign-in drives (not the Users V2 consumer's, not the journal's). */
const SIGN_IN_CHECKS = SERVICE_CHECKS.filter((c) => !OTHER.has(c.key));
const LOOPBACK_WARNINGS = { registration: "warning", "redirect-uri-scheme": "warning" };
const statuses = (results: Awaited<ReturnType<typeof runChecks>>) => Object.fromEntries([...results].map(([k, v]) => [k, v.status]));
const detail = (results: Awaited<ReturnType<typeof runChecks>>, expected: Record<string, string>) =>
  [...results]
    .filter(([k, v]) => v.status !== expected[k])
    .map(([k, v]) => `${k}: ${v.status}\n  ${v.messages.replace(/\n/g, "\n  ")}`)
    .join("\n");

describe.skipIf(!HAVE_CHROMIUM)("browser mode", () => {
  it("the single-page fixture over HTTP: no sign-in reaches NHS login; the checks are inconclusive and name browser mode", async () => {
    const f = await startFixtureUnderTest({ kind: "single-page" });
    try {
      const results = await runChecks(
        f.ctx,
        SIGN_IN_CHECKS.filter((c) => c.key === "state" || c.key === "token-exposure"),
      );
      for (const [key, r] of results) {
        expect(r.status, key).toBe("inconclusive");
        expect(r.messages, key).toMatch(/never reached NHS login's \/authorize: .*set SERVICE_DRIVER=browser/);
      }
    } finally {
      await f.stop();
    }
  }, 60_000);

  it("the correct single-page fixture passes every sign-in check in browser mode", async () => {
    const f = await startFixtureUnderTest({ kind: "single-page" }, { chromiumPath: CHROMIUM });
    try {
      const results = await runChecks(f.ctx, SIGN_IN_CHECKS);
      const expected = Object.fromEntries(
        SIGN_IN_CHECKS.map((c) => [
          c.key,
          LOOPBACK_WARNINGS[c.key as keyof typeof LOOPBACK_WARNINGS] ??
            // The fixture has no session clock hook and no feature for P9 users.
            (c.needs?.includes("test-clock") || c.needs?.includes("step-up") ? "skipped" : "passed"),
        ]),
      );
      expect(statuses(results), detail(results, expected)).toEqual(expected);
      // The report says how the sign-in was started.
      expect(results.get("request-shape")?.messages).toMatch(
        /reached \/authorize by GET \(clicked the first button named like sign in: "Sign in with NHS login" on \/\)/,
      );
    } finally {
      await f.stop();
    }
  }, 180_000);

  it("browser steps start the sign-in; a step that cannot be done leaves the checks inconclusive, naming the step", async () => {
    const steps = (name: string, action: BrowserSteps["steps"][number]["actions"][number]) => ({
      chromiumPath: CHROMIUM,
      browserSteps: { steps: [{ name, timeoutMs: 1_000, actions: [action] }] },
    });
    const good = await startFixtureUnderTest(
      { kind: "single-page" },
      steps("sign in", { click: { role: "button", name: "Sign in with NHS login" } }),
    );
    try {
      const results = await runChecks(
        good.ctx,
        SIGN_IN_CHECKS.filter((c) => c.key === "state"),
      );
      expect(results.get("state")?.status, results.get("state")?.messages).toBe("passed");
    } finally {
      await good.stop();
    }
    const bad = await startFixtureUnderTest({ kind: "single-page" }, steps("consent", { click: { text: "I agree" } }));
    try {
      const results = await runChecks(
        bad.ctx,
        SIGN_IN_CHECKS.filter((c) => c.key === "state"),
      );
      expect(results.get("state")?.status).toBe("inconclusive");
      expect(results.get("state")?.messages).toMatch(
        /browser step 1 \(consent\) could not click the text "I agree" within 1000 ms on http/,
      );
    } finally {
      await bad.stop();
    }
  }, 120_000);

  for (const [variant, options] of Object.entries(SINGLE_PAGE_VARIANTS) as [SinglePageVariant, FixtureServiceOptions][]) {
    it(`the single-page fixture with ${variant} breaks its checks in browser mode, for the stated reason`, async () => {
      const mine = BREAKERS.filter((b) => b.kind === "service" && "singlePage" in b.breaker && b.breaker.singlePage === variant);
      expect(mine.length).toBeGreaterThan(0);
      const f = await startFixtureUnderTest({ kind: "single-page", ...options }, { chromiumPath: CHROMIUM });
      try {
        const checks = SIGN_IN_CHECKS.filter((c) => mine.some((b) => b.check === c.key));
        const results = await runChecks(f.ctx, checks);
        for (const entry of mine) expectBroken(entry, checks.find((c) => c.key === entry.check)!, results.get(entry.check)!.findings);
        if (!options.tokensToPage) return;
        // What the browser did is in the context's exchanges, as the reports attach them, and redacted the same way.
        const session = f.ctx.http.exchanges.find((x) => x.request.method === "POST" && x.request.url.endsWith("/api/session"));
        expect(session?.response?.body).toMatch(/"id_token":"eyJ[^"]+\.[^"]+\.[^"]+"/);
        expect(redactExchange(session!, { includeTokens: false }).response?.body).not.toMatch(
          /"id_token":"eyJ[^"]+\.[^"]+\.[A-Za-z0-9_-]{20,}"/,
        );
      } finally {
        await f.stop();
      }
    }, 120_000);
  }

  it("the reference service gets the same verdicts in browser mode as over HTTP, and passes the browser-only checks", async () => {
    const s = await startServiceUnderTest({ chromiumPath: CHROMIUM });
    try {
      const results = await runChecks(s.ctx, SIGN_IN_CHECKS);
      const http = expectedStatuses();
      // The browser-only checks run here; its pages make no script request, so the API check has nothing to ask.
      const browserOnly: Record<string, string> = {
        "script-readable-tokens": "passed",
        "api-cross-origin": "skipped",
        "browser-back-channel": "passed",
      };
      const expected = Object.fromEntries(SIGN_IN_CHECKS.map((c) => [c.key, browserOnly[c.key] ?? http[c.key] ?? "passed"]));
      expect(statuses(results), detail(results, expected)).toEqual(expected);
    } finally {
      await s.stop();
    }
  }, 240_000);
});
