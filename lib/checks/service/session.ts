/**
 * Findings about the service's session (docs: session-management; SESSION-*, FED-GEN-04): the
 * cookies that carry it, tokens kept out of URLs, pages and script-readable cookies, and the
 * 30-minute idle and 12-hour absolute limits (through the service's test-clock hook).
 *
 * @example
 * ```ts
 * sessionCookieFindings((await sessionCookies(ctx)).cookies, true)
 * tokenExposureFindings(journey, serviceOrigins)
 * ```
 */
import type { Hop, SignInJourney } from "../../driver/index.ts";
import { SignedInUnknownError } from "../../errors/index.ts";
import { deviationStatus, finding, type Finding } from "../../requirements/index.ts";
import type { ObservedCookie, SessionTimeResult, SignOutResult } from "./scenarios.ts";

/** SESSION-02: the cookies carrying the session are HttpOnly, Secure on https, and SameSite. */
export function sessionCookieFindings(
  signedIn: boolean,
  cookies: readonly ObservedCookie[] | { unknown: string },
  https: boolean,
): Finding[] {
  if (!signedIn)
    return [finding("SESSION-02", "inconclusive", "the sign-in did not complete, so the session cookies could not be examined")];
  if (!Array.isArray(cookies))
    return [
      finding("SESSION-02", "inconclusive", `the session cookies could not be told apart: ${(cookies as { unknown: string }).unknown}`),
    ];
  if (cookies.length === 0)
    return [finding("SESSION-02", "inconclusive", "the service set no cookie during sign-in, so there is no session cookie to examine")];
  const session = cookies.filter((c) => c.needed);
  if (session.length === 0)
    return [
      finding(
        "SESSION-02",
        "warning",
        `no single cookie carries the session (of ${cookies.length} cookie(s), ` +
          `dropping any one keeps the user signed in); flags not judged`,
      ),
    ];
  const out: Finding[] = [];
  for (const c of session) {
    if (!c.httpOnly) out.push(finding("SESSION-02", "failed", `session cookie ${c.key} is not HttpOnly: page scripts can read it`));
    if (https && !c.secure) out.push(finding("SESSION-02", "failed", `session cookie ${c.key} is not Secure on an https service`));
    const same = c.sameSite?.toLowerCase();
    if (same !== "lax" && same !== "strict")
      out.push(finding("SESSION-02", "warning", `session cookie ${c.key} has SameSite=${c.sameSite ?? "(unset)"}; Lax or Strict expected`));
  }
  if (out.length === 0)
    out.push(
      finding(
        "SESSION-02",
        "passed",
        `session cookie(s) ${session.map((c) => c.key).join(", ")}: HttpOnly, SameSite${https ? ", Secure" : ""}`,
      ),
    );
  return out;
}

/** A JWT (an ID or access token) in compact form, anywhere in a text. */
export const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/;

/**
 * FED-GEN-04: no token in any URL the browser visited, in the service's pages, or in a cookie a
 * script can read. `serviceOrigins` are the service's own origins (NHS login's pages are not judged).
 */
export function tokenExposureFindings(journey: SignInJourney, serviceOrigins: readonly string[]): Finding[] {
  if (!journey.callback)
    return [
      finding(
        "FED-GEN-04",
        "inconclusive",
        "no sign-in reached the service's redirect URI, so no token was issued that could be exposed" +
          (journey.notReached ? ` (${journey.notReached})` : ""),
      ),
    ];
  const hops: Hop[] = [...journey.navigation.hops, ...revisitHops(journey)];
  const out: Finding[] = [];
  for (const h of hops) {
    if (JWT.test(h.url) || (h.location && JWT.test(h.location)))
      out.push(finding("FED-GEN-04", "failed", `a token appears in a URL the browser visited (${new URL(h.location ?? h.url).pathname})`));
    let origin = "";
    try {
      origin = new URL(h.url).origin;
    } catch {
      // not a URL
    }
    if (!serviceOrigins.includes(origin)) continue;
    // Answers to page scripts (browser mode) are judged by script-readable-tokens (script-exposure.ts).
    if (!h.script && JWT.test(h.body))
      out.push(finding("FED-GEN-04", "failed", `a token appears in the page at ${new URL(h.url).pathname}`));
    for (const c of h.setCookies) {
      const httpOnly = /;\s*httponly\s*(;|$)/i.test(c);
      if (!httpOnly && JWT.test(c))
        out.push(finding("FED-GEN-04", "failed", `cookie ${c.split("=")[0]} holds a token and is readable by page scripts (not HttpOnly)`));
    }
  }
  if (out.length === 0)
    out.push(finding("FED-GEN-04", "passed", `no token in ${hops.length} URLs, the service's pages or its script-readable cookies`));
  return out;
}

/** The hops of the oracle's revisit, if it made one (none when no oracle could tell). */
function revisitHops(journey: SignInJourney): Hop[] {
  try {
    return journey.probe.navigation.hops;
  } catch (err) {
    if (err instanceof SignedInUnknownError) return [];
    throw err;
  }
}

const MIN = 60;

/** SESSION-04, SESSION-07: signed out after 30 minutes idle; re-authentication asks for prompt=login. */
export function idleTimeoutFindings(result: SessionTimeResult): Finding[] {
  return limitFindings("SESSION-04", result, 30 * MIN, "idle", (p) => p.idle);
}

/** SESSION-05, SESSION-07: signed out after 12 hours, however active. */
export function absoluteTimeoutFindings(result: SessionTimeResult): Finding[] {
  return limitFindings("SESSION-05", result, 12 * 60 * MIN, "after sign-in", (p) => p.elapsed);
}

function limitFindings(
  id: string,
  result: SessionTimeResult,
  limit: number,
  what: string,
  measure: (p: SessionTimeResult["probes"][number]) => number,
): Finding[] {
  // Without a session that ended, re-authentication (SESSION-07) is not observed.
  const unended = (why: string) => [
    finding(id, "failed", why),
    finding("SESSION-07", "inconclusive", `not judged: ${why}; no session ended, so no re-authentication was observed`),
  ];
  const unobserved = (why: string) => [finding(id, "inconclusive", why), finding("SESSION-07", "inconclusive", `not judged: ${why}`)];
  if (!result.journey.signedIn) return unobserved("the sign-in did not complete, so the session limit could not be observed");
  const last = result.probes.at(-1);
  if (!last) return unobserved("no probe of the protected URL was made");
  const fmt = (s: number) => (s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min` : `${Math.round(s / 60)} min`);
  if (last.probe.signedIn)
    return unended(`still signed in ${fmt(measure(last))} ${what} (${last.probe.evidence}); the limit is ${fmt(limit)}`);
  const out: Finding[] = [];
  const ended = measure(last);
  out.push(
    finding(
      id,
      "passed",
      ended >= limit
        ? `signed out at ${fmt(ended)} ${what} (limit ${fmt(limit)})`
        : `signed out already at ${fmt(ended)} ${what}, stricter than the ${fmt(limit)} limit`,
    ),
  );
  const reauth = last.probe.sentToSignIn;
  if (!reauth)
    out.push(finding("SESSION-07", "warning", "the ended session did not send the browser straight to NHS login to authenticate again"));
  else if (reauth.searchParams.get("prompt") !== "login")
    out.push(
      finding(
        "SESSION-07",
        deviationStatus("SESSION-07"),
        "re-authentication after the session ended does not send prompt=login, " +
          "so a silent NHS login SSO could skip the full authentication",
      ),
    );
  else out.push(finding("SESSION-07", "passed", "re-authentication sends prompt=login"));
  return out;
}

/**
 * SESSION-01 and FED-GEN-05: NHS login keeps no session for the service and offers no logout, so
 * the service's own sign-out must end its session: at the service, not only in the browser.
 */
export function signOutFindings(r: SignOutResult): Finding[] {
  const both = (status: "passed" | "failed" | "warning" | "inconclusive", message: string) =>
    ["SESSION-01", "FED-GEN-05"].map((id) => finding(id, status === "failed" ? deviationStatus(id) : status, message));
  if (r.unknown !== undefined) return both("inconclusive", `whether the user was signed in could not be told: ${r.unknown}`);
  if (!r.journey.signedIn) return both("inconclusive", "the sign-in did not complete, so there was no session to sign out of");
  if (!r.page) return both("inconclusive", "the sign-in showed no page of the service, so no sign-out control could be looked for");
  const page = `${new URL(r.page.url).pathname} (HTTP ${r.page.status})`;
  if (!r.entry || !r.after || !r.replayed)
    return both(
      "inconclusive",
      `no sign-out control found on the signed-in page ${page}: looked for a link or button saying "sign out" or "log out", ` +
        "or one to a path such as /logout or /sign-out",
    );
  const how =
    `${r.entry.how}${r.confirmed ? `, then ${r.confirmed.how} to confirm` : ""} on ${page}` +
    (r.answer ? `, answered HTTP ${r.answer.status} at ${r.answer.path}` : "");
  if (r.answer && r.answer.status >= 400)
    return both("inconclusive", `the sign-out control did not work (${how}), so whether sign-out ends the session was not seen`);
  if (r.after.signedIn) return both("failed", `after sign-out (${how}) the user is still signed in: ${r.after.evidence}`);
  // The rule asks that the browser be signed out; a session that outlives sign-out at the service is weaker, not a breach of its letter.
  if (r.replayed.signedIn)
    return both(
      "warning",
      `sign-out (${how}) only cleared the browser's cookies: the session lives on at the service, ` +
        `since a copy of the cookies from before sign-out still opens it (${r.replayed.evidence})`,
    );
  return both(
    "passed",
    `sign-out (${how}) ended the session at the service: afterwards ${r.after.evidence}, ` +
      `and with the cookies from before sign-out ${r.replayed.evidence}`,
  );
}
