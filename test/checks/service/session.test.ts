import { describe, expect, it } from "vitest";
import type { Hop, SignInJourney } from "../../../lib/driver/index.ts";
import {
  absoluteTimeoutFindings,
  idleTimeoutFindings,
  sessionCookieFindings,
  signOutFindings,
  tokenExposureFindings,
} from "../../../lib/checks/service/session.ts";
import type { ProtectedProbe } from "../../../lib/driver/index.ts";
import type { SessionTimeResult, SignOutResult } from "../../../lib/checks/service/scenarios.ts";
import { overallStatus as status } from "../../../lib/checks/grade.ts";

const SVC = "http://127.0.0.1:1";
const JWT = "eyJhbGciOiJSUzUxMiJ9.eyJzdWIiOiJhYmNkZWZnaCJ9.c2lnbmF0dXJl";
const hop = (url: string, o: Partial<Hop> = {}): Hop => ({ method: "GET", url, status: 200, setCookies: [], body: "<p>ok</p>", ...o });
function journey(hops: Hop[]): SignInJourney {
  return {
    navigation: { hops, final: hops.at(-1) },
    ...(hops[0] ? { callback: hops[0] } : {}),
    probe: { signedIn: true, evidence: "a probe in the test", navigation: { hops: [] } },
    signedIn: true,
  };
}
const signedIn: ProtectedProbe = { signedIn: true, evidence: "a probe in the test", navigation: { hops: [] } };
const out = (prompt?: string): ProtectedProbe => ({
  signedIn: false,
  evidence: "a probe in the test",
  navigation: { hops: [] },
  sentToSignIn: new URL(`http://127.0.0.1:2/authorize?client_id=x${prompt ? `&prompt=${prompt}` : ""}`),
});
const timed = (probes: SessionTimeResult["probes"]): SessionTimeResult => ({ journey: journey([hop(`${SVC}/account`)]), probes });

describe("session findings", () => {
  it("session cookies: HttpOnly and SameSite pass; no HttpOnly or no Secure on https fail; no SameSite warns", () => {
    const good = { key: "sid", httpOnly: true, secure: true, sameSite: "lax", needed: true };
    expect(status(sessionCookieFindings(true, [good, { key: "pref", httpOnly: false, secure: false, needed: false }], true))).toBe(
      "passed",
    );
    expect(status(sessionCookieFindings(true, [{ ...good, httpOnly: false }], false))).toBe("failed");
    expect(status(sessionCookieFindings(true, [{ ...good, secure: false }], true))).toBe("failed");
    expect(status(sessionCookieFindings(true, [{ ...good, secure: false }], false))).toBe("passed");
    expect(status(sessionCookieFindings(true, [{ key: "sid", httpOnly: true, secure: true, needed: true }], true))).toBe("warning");
    // Nothing observed: no sign-in, or no page to revisit without each cookie.
    expect(status(sessionCookieFindings(false, [], true))).toBe("inconclusive");
    const unknown = sessionCookieFindings(true, { unknown: "no page to revisit" }, true);
    expect(unknown.map((f) => [f.status, f.message])).toEqual([
      ["inconclusive", "the session cookies could not be told apart: no page to revisit"],
    ]);
  });

  it("token exposure: a JWT in a URL, a service page or a script-readable cookie fails", () => {
    expect(status(tokenExposureFindings(journey([hop(`${SVC}/login`), hop(`${SVC}/account`)]), [SVC]))).toBe("passed");
    expect(status(tokenExposureFindings(journey([hop(`${SVC}/account?id_token=${JWT}`)]), [SVC]))).toBe("failed");
    expect(status(tokenExposureFindings(journey([hop(`${SVC}/account`, { body: `<script>var t="${JWT}"</script>` })]), [SVC]))).toBe(
      "failed",
    );
    expect(status(tokenExposureFindings(journey([hop(`${SVC}/callback`, { setCookies: [`at=${JWT}; Path=/`] })]), [SVC]))).toBe("failed");
    // An answer to a page script is script-readable-tokens' to judge (browser mode), not judged twice here.
    expect(
      status(tokenExposureFindings(journey([hop(`${SVC}/callback`), hop(`${SVC}/api/session`, { script: true, body: JWT })]), [SVC])),
    ).toBe("passed");
    expect(status(tokenExposureFindings(journey([hop(`${SVC}/callback`, { setCookies: [`at=${JWT}; Path=/; HttpOnly`] })]), [SVC]))).toBe(
      "passed",
    );
    // No sign-in came back to the service: nothing was issued, so nothing could be exposed.
    expect(tokenExposureFindings(journey([]), [SVC]).map((f) => f.status)).toEqual(["inconclusive"]);
    // NHS login's own pages are not the service's business
    expect(status(tokenExposureFindings(journey([hop("http://127.0.0.1:2/authorize", { body: JWT })]), [SVC]))).toBe("passed");
  });

  it("idle limit: signed out after 31 idle minutes with prompt=login passes; still signed in fails; no prompt=login warns", () => {
    expect(
      status(
        idleTimeoutFindings(
          timed([
            { elapsed: 1740, idle: 1740, probe: signedIn },
            { elapsed: 3600, idle: 1860, probe: out("login") },
          ]),
        ),
      ),
    ).toBe("passed");
    expect(
      status(
        idleTimeoutFindings(
          timed([
            { elapsed: 1740, idle: 1740, probe: signedIn },
            { elapsed: 3600, idle: 1860, probe: signedIn },
          ]),
        ),
      ),
    ).toBe("failed");
    expect(
      status(
        idleTimeoutFindings(
          timed([
            { elapsed: 1740, idle: 1740, probe: signedIn },
            { elapsed: 3600, idle: 1860, probe: out() },
          ]),
        ),
      ),
    ).toBe("warning");
    expect(status(idleTimeoutFindings(timed([{ elapsed: 1740, idle: 1740, probe: out("login") }])))).toBe("passed"); // stricter is allowed
  });

  it("absolute limit: still signed in after 12 h fails", () => {
    expect(status(absoluteTimeoutFindings(timed([{ elapsed: 43_500, idle: 600, probe: out("login") }])))).toBe("passed");
    expect(status(absoluteTimeoutFindings(timed([{ elapsed: 43_500, idle: 600, probe: signedIn }])))).toBe("failed");
    expect(status(absoluteTimeoutFindings({ ...timed([]), journey: { ...journey([]), signedIn: false } }))).toBe("inconclusive");
  });
});

describe("signOutFindings (SESSION-01, FED-GEN-05)", () => {
  const page = { url: `${SVC}/account`, status: 200 };
  const entry = { method: "POST" as const, url: new URL(`${SVC}/logout`), how: 'submitted the POST form (button "Sign out") to /logout' };
  const gone: ProtectedProbe = {
    signedIn: false,
    evidence: "GET /account sent the browser to NHS login's /authorize",
    navigation: { hops: [] },
  };
  const live: ProtectedProbe = { signedIn: true, evidence: "GET /account answered HTTP 200", navigation: { hops: [] } };
  const said = (r: Partial<SignOutResult>) =>
    signOutFindings({ journey: journey([hop(`${SVC}/callback`)]), ...r }).map((f) => `${f.requirement} ${f.status}: ${f.message}`);
  const both = (status: string, message: string) => [`SESSION-01 ${status}: ${message}`, `FED-GEN-05 ${status}: ${message}`];

  it("passes when the browser is signed out and the cookies from before sign-out open nothing, naming both probes", () => {
    expect(said({ page, entry, after: gone, replayed: gone })).toEqual(
      both(
        "passed",
        'sign-out (submitted the POST form (button "Sign out") to /logout on /account (HTTP 200)) ended the session at the service: ' +
          "afterwards GET /account sent the browser to NHS login's /authorize, " +
          "and with the cookies from before sign-out GET /account sent the browser to NHS login's /authorize",
      ),
    );
  });

  it("fails a session still open in the browser (INFO FED-GEN-05 warns), warns of one alive only at the service", () => {
    const still = said({ page, entry, after: live, replayed: live });
    expect(still[0]).toBe(
      'SESSION-01 failed: after sign-out (submitted the POST form (button "Sign out") to /logout on /account (HTTP 200)) ' +
        "the user is still signed in: GET /account answered HTTP 200",
    );
    expect(still[1]).toMatch(/^FED-GEN-05 warning: after sign-out/);
    expect(said({ page, entry, after: gone, replayed: live })).toEqual(
      both(
        "warning",
        'sign-out (submitted the POST form (button "Sign out") to /logout on /account (HTTP 200)) ' +
          "only cleared the browser's cookies: the session lives on at the service, " +
          "since a copy of the cookies from before sign-out still opens it (GET /account answered HTTP 200)",
      ),
    );
  });

  it("names the confirmation form and the service's answer, and is inconclusive when the sign-out answered an error", () => {
    const link = { method: "GET" as const, url: new URL(`${SVC}/logout`), how: 'followed the link "Sign out" to /logout' };
    const answer = { status: 200, path: "/" };
    const passed = said({ page, entry: link, confirmed: entry, answer, after: gone, replayed: gone })[0];
    expect(passed).toMatch(/to \/logout to confirm on \/account \(HTTP 200\), answered HTTP 200 at \/\) ended the session/);
    expect(passed).toMatch(
      /^SESSION-01 passed: sign-out \(followed the link "Sign out" to \/logout, then submitted the POST form \(button "Sign out"\) (.*)/,
    );
    expect(said({ page, entry: link, answer: { status: 403, path: "/logout" }, after: live, replayed: live })).toEqual(
      both(
        "inconclusive",
        'the sign-out control did not work (followed the link "Sign out" to /logout on /account (HTTP 200), ' +
          "answered HTTP 403 at /logout), so whether sign-out ends the session was not seen",
      ),
    );
  });

  it("is inconclusive, with the reason, when nothing could be tried", () => {
    expect(said({ unknown: "no page to revisit" })).toEqual(
      both("inconclusive", "whether the user was signed in could not be told: no page to revisit"),
    );
    expect(said({ journey: { ...journey([]), signedIn: false } })).toEqual(
      both("inconclusive", "the sign-in did not complete, so there was no session to sign out of"),
    );
    expect(said({})).toEqual(both("inconclusive", "the sign-in showed no page of the service, so no sign-out control could be looked for"));
    expect(said({ page })).toEqual(
      both(
        "inconclusive",
        "no sign-out control found on the signed-in page /account (HTTP 200): " +
          'looked for a link or button saying "sign out" or "log out", ' +
          "or one to a path such as /logout or /sign-out",
      ),
    );
  });
});
