/**
 * How "signed in" is told, proven on the service before it is trusted: the protected URL when it
 * refuses a fresh browser and admits a signed-in one, else SERVICE_SIGNED_IN_TEXT, else the
 * simulated person's data on the page; and none at all when nothing can be proven.
 */
import { afterAll, describe, expect, it } from "vitest";
import { type FixtureUnderTest, startFixtureUnderTest } from "./_fixture.ts";
import { startServiceUnderTest, type ServiceUnderTest } from "./_service.ts";

const running: { stop(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(running.map((r) => r.stop()));
});
async function fixture(...args: Parameters<typeof startFixtureUnderTest>): Promise<FixtureUnderTest> {
  const f = await startFixtureUnderTest(...args);
  running.push(f);
  return f;
}

describe("choosing the signed-in oracle", () => {
  it("the reference service: its protected URL refuses a fresh browser and admits a signed-in one", async () => {
    const s: ServiceUnderTest = await startServiceUnderTest();
    running.push(s);
    const choice = await s.ctx.signedInOracle();
    expect(choice.rejected).toEqual([]);
    expect("unusable" in choice.oracle ? choice.oracle.unusable : choice.oracle.describe).toBe("GET /account answers 2xx");
  }, 60_000);

  it("a protected URL that answers 200 to anyone is not trusted: the person's data on the callback page is used instead", async () => {
    const f = await fixture({ protectedPage: "always-200", onError: "page" });
    const choice = await f.ctx.signedInOracle();
    expect(choice.rejected).toEqual([
      expect.stringMatching(
        new RegExp(
          String.raw`^SERVICE_PROTECTED_URL \(http://127\.0\.0\.1:\d+/account\): ` +
            "a browser that never signed in already passes it: GET /account answered HTTP 200$",
        ),
      ),
    ]);
    expect("describe" in choice.oracle && choice.oracle.describe).toMatch(/^data only NHS login gave/);
    // No session: the page sign-in lands on is the callback itself, which is never revisited (it would replay the code).
    expect("revisit" in choice.oracle && choice.oracle.revisit).toBe(false);
  }, 60_000);

  it("a protected URL that answers 404 even when signed in is not trusted either", async () => {
    const f = await fixture({ protectedPage: "404", onError: "page" });
    const choice = await f.ctx.signedInOracle();
    expect(choice.rejected[0]).toMatch(/after a sign-in NHS login completed without fault, GET \/account answered HTTP 404$/);
    expect("describe" in choice.oracle && choice.oracle.describe).toMatch(/^data only NHS login gave/);
  }, 60_000);

  it("SERVICE_SIGNED_IN_TEXT is used when it shows only after sign-in, and refused when the start page already shows it", async () => {
    const good = await fixture({ onError: "page" }, { protectedUrl: false, signedInText: /NHS number/i });
    const chosen = await good.ctx.signedInOracle();
    expect("describe" in chosen.oracle && chosen.oracle.describe).toBe("the signed-in text /NHS number/i");
    const bad = await fixture({ onError: "page" }, { protectedUrl: false, signedInText: "Continue to NHS login" });
    const fallback = await bad.ctx.signedInOracle();
    expect(fallback.rejected).toEqual([
      expect.stringMatching(
        /^SERVICE_SIGNED_IN_TEXT: after a sign-in NHS login completed without fault, the page at \/callback \(HTTP 200\) does not show /,
      ),
    ]);
  }, 60_000);

  it("a sign-in NHS login refused proves nothing, and the reason is NHS login's own answer", async () => {
    const s: ServiceUnderTest = await startServiceUnderTest({ unsafe: "unregistered-vtr" });
    running.push(s);
    const choice = await s.ctx.signedInOracle();
    expect("unusable" in choice.oracle && choice.oracle.unusable).toMatch(
      new RegExp(
        String.raw`^no way of telling a signed-in browser was proven on this service \(SERVICE_PROTECTED_URL \([^)]+\): ` +
          String.raw`NHS login \(the simulator\) answered the sign-in with error=invalid_request, not a code: vtr does not match`,
      ),
    );
  }, 60_000);

  it("nothing proven: every check that needs to know is inconclusive, naming why", async () => {
    // A sign-in link that matches nothing: no sign-in reaches NHS login, so no oracle can be proven.
    const f = await fixture({ onError: "page" }, { protectedUrl: false, signInLink: "a.no-such-button" });
    const choice = await f.ctx.signedInOracle();
    expect("unusable" in choice.oracle && choice.oracle.unusable).toMatch(
      new RegExp(
        [
          String.raw`^no way of telling a signed-in browser was proven on this service \(page markers: `,
          `the browser never reached NHS login's /authorize: the start page was HTTP 200 at /, titled "[^"]+"; `,
          String.raw`links and forms seen: "Continue to NHS login" → /authorize\?.*; `,
          String.raw`nothing on it matches SERVICE_SIGN_IN_LINK="a\.no-such-button"`,
        ].join(""),
      ),
    );
  }, 60_000);
});
