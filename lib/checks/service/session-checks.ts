/**
 * The session checks as data (SESSION-02, -04, -05, -07, FED-GEN-04). The time limits need the
 * service's test-clock hook; without it they are manual checks, skipped with instructions.
 */
import type { ServiceCheck } from "./service-check.ts";
import { apiOrigins, serviceOrigins, sessionAbsolute, sessionCookies, sessionIdle, signOut } from "./scenarios.ts";
import { crossOriginFindings, scriptReadableFindings } from "./script-exposure.ts";
import { findPersonData } from "./signed-in-oracle.ts";
import { absoluteTimeoutFindings, idleTimeoutFindings, sessionCookieFindings, signOutFindings, tokenExposureFindings } from "./session.ts";

const area = "Session";

export const SESSION_CHECKS: readonly ServiceCheck[] = [
  {
    key: "session-cookies",
    ids: ["SESSION-02"],
    title: "the cookies carrying the session are HttpOnly, SameSite, and Secure on https",
    area,
    run: async (ctx) => {
      const r = await sessionCookies(ctx);
      return sessionCookieFindings(
        r.journey.signedIn,
        r.cookies,
        new URL(ctx.target.protectedUrl ?? ctx.target.startUrl).protocol === "https:",
      );
    },
  },
  {
    key: "token-exposure",
    ids: ["FED-GEN-04"],
    title: "no token in URLs, in the service's pages or in cookies scripts can read",
    area,
    run: async (ctx) => tokenExposureFindings((await sessionCookies(ctx)).journey, serviceOrigins(ctx.target)),
  },
  {
    key: "script-readable-tokens",
    ids: ["FED-GEN-04"],
    title: "after sign-in no token or code is readable by the page's scripts (text, storage, cookies, answers to its requests)",
    area,
    needs: ["browser"],
    run: async (ctx) => {
      const r = await apiOrigins(ctx);
      return scriptReadableFindings(r.journey, serviceOrigins(ctx.target));
    },
  },
  {
    key: "api-cross-origin",
    ids: ["FED-GEN-04"],
    title: "the service's API does not let a foreign origin read, with the user's cookies, tokens or personal data",
    area,
    needs: ["browser"],
    run: async (ctx) => {
      const r = await apiOrigins(ctx);
      // Personal data is what the signed-in oracle reads as NHS login's: a simulated person's NHS number, family name or email.
      return crossOriginFindings(r.probes, findPersonData, r.journey.callback !== undefined);
    },
  },
  {
    key: "sign-out",
    ids: ["SESSION-01", "FED-GEN-05"],
    title: "the service's own sign-out ends its session, at the service and not only in the browser",
    area,
    run: async (ctx) => signOutFindings(await signOut(ctx)),
  },
  {
    key: "session-idle",
    ids: ["SESSION-04", "SESSION-07"],
    title: "after 30 minutes without activity the user must sign in again (with prompt=login)",
    area,
    needs: ["test-clock"],
    manual:
      "Sign in, leave the service idle for 30 minutes, then open a protected page: " +
      "it must send you to NHS login (with prompt=login). At 29 minutes it must still work.",
    run: async (ctx) => idleTimeoutFindings(await sessionIdle(ctx)),
  },
  {
    key: "session-absolute",
    ids: ["SESSION-05", "SESSION-07"],
    title: "after 12 hours the user must sign in again, however active",
    area,
    needs: ["test-clock"],
    manual:
      "Sign in and keep using the service (a request every few minutes) for 12 hours: " +
      "the next protected page must send you to NHS login (with prompt=login), even while active.",
    run: async (ctx) => absoluteTimeoutFindings(await sessionAbsolute(ctx)),
  },
];
