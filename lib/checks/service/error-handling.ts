/**
 * Findings about how the service handles authorization responses it must refuse (EIS §3.4.5.2
 * T4/T5; FED-ARESP-*, FED-AUTHZ-04, CONSENT-*): NHS login's errors, an undefined error code, a
 * missing or wrong state, and a code replayed into the callback. In each case: not signed in, a
 * page below 500, and no token request where none should happen.
 *
 * @example
 * ```ts
 * authorizationErrorFindings("access_denied", await authorizationError(ctx, "access_denied"))
 * ```
 */
import { deviationStatus, finding, type Finding } from "../../requirements/index.ts";
import type { AuthorizationErrorKind, JourneyResult, ReplayResult } from "./scenarios.ts";
import { HOSTILE_DESCRIPTION } from "./scenarios.ts";
import { tokenEvents, codeUseFindings } from "./client-authentication.ts";
import { pageFindings } from "./page.ts";

/** The requirement IDs each error scenario verifies (first = primary). */
export const ERROR_SCENARIO_IDS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  access_denied: ["FED-ARESP-11", "CONSENT-02", "CONSENT-04", "FED-ARESP-09"],
  invalid_scope: ["FED-AUTHZ-04", "FED-ARESP-09"],
  sso_login_required: ["FED-ARESP-10", "FED-ARESP-09"],
  server_error: ["FED-ARESP-12", "FED-ARESP-09"],
  temporarily_unavailable: ["FED-ARESP-12", "FED-ARESP-09"],
  "unknown-error": ["FED-ARESP-09", "FED-ARESP-13"],
  "state-missing": ["FED-ARESP-03"],
  "state-wrong": ["FED-ARESP-03"],
});

export const NO_CONSENT_HEADING = "You cannot continue without sharing your information";

/** Text of a page with tags removed and whitespace folded. */
function text(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

/** CONSENT-02/04, FED-ARESP-11: the no-consent screen's heading and its 111/999 links. */
export function noConsentContentFindings(html: string): Finding[] {
  if (!text(html).includes(NO_CONSENT_HEADING)) {
    return [
      finding(
        "CONSENT-02",
        "warning",
        `the page does not say "${NO_CONSENT_HEADING}"; show the no-consent screen, unless the service moves the user to an alternative (guest) journey, which the harness cannot recognise`,
      ),
    ];
  }
  const links = ["https://111.nhs.uk/", "tel:111", "tel:999"].filter(
    (href) => !new RegExp(`<a\\b[^>]*href=["']${href.replace(/[.:/]/g, (c) => `\\${c}`)}["']`, "i").test(html),
  );
  return links.length > 0
    ? [finding("CONSENT-04", "warning", `the no-consent screen lacks working links to ${links.join(", ")}`)]
    : [finding("CONSENT-02", "passed", "the no-consent screen is shown with the 111 and 999 links")];
}

export function authorizationErrorFindings(kind: AuthorizationErrorKind, result: JourneyResult): Finding[] {
  const ids = ERROR_SCENARIO_IDS[kind] ?? ["FED-ARESP-09"];
  const id = ids[0]!;
  const { journey } = result;
  const out: Finding[] = [];
  const tokens = tokenEvents(result.events);
  const authorizes = result.events.filter((e) => e.type === "authorize");
  if (!journey.authorization)
    return [finding(id, "failed", "the service never sent the browser to NHS login, so the error response could not be delivered")];

  if (kind === "sso_login_required") {
    // A fallback to an interactive sign-in (no prompt=none) is the right answer and may sign the user in.
    const promptNone = authorizes.filter((e) => (e.detail.params as Record<string, unknown> | undefined)?.prompt === "none").length;
    if (authorizes.length > 2 || promptNone > 2)
      out.push(
        finding(
          id,
          deviationStatus(id),
          `the service went back to /authorize ${authorizes.length} times (${promptNone} with prompt=none); at most one retry`,
        ),
      );
    if (journey.signedIn && authorizes.length < 2) out.push(finding(id, "failed", "signed in without a new authorization request"));
    out.push(...pageFindings(id, journey.navigation));
    if (out.length === 0)
      out.push(
        finding(
          id,
          "passed",
          journey.signedIn ? "fell back to an interactive sign-in" : `not signed in; the browser got a page (${journey.landing?.status})`,
        ),
      );
    return out;
  }

  if (journey.signedIn) out.push(finding(id, "failed", `the service signed the user in after ${describe(kind)}`));
  if (tokens.length > 0)
    out.push(
      finding(id, "failed", `the service called /token ${tokens.length} time(s) after ${describe(kind)}; it must not redeem anything`),
    );
  out.push(...pageFindings(id, journey.navigation));
  const page = journey.landing?.body ?? "";
  if (kind === "access_denied" && !out.some((f) => f.status === "failed")) out.push(...noConsentContentFindings(page));
  if ((kind === "server_error" || kind === "temporarily_unavailable") && !/try again|later/i.test(text(page))) {
    out.push(finding("FED-ARESP-12", "warning", "the page does not offer to try again"));
  }
  if (kind === "unknown-error" && page.includes(HOSTILE_DESCRIPTION)) {
    out.push(
      finding(
        "FED-ARESP-13",
        deviationStatus("FED-ARESP-13"),
        "error_description is echoed into the page unescaped (a script element was injected)",
      ),
    );
  }
  if (!out.some((f) => f.status === "failed" || f.requirement === id))
    out.push(finding(id, "passed", `${describe(kind)}: not signed in, no token request, a page (${journey.landing?.status})`));
  return out;
}

function describe(kind: AuthorizationErrorKind): string {
  switch (kind) {
    case "state-missing":
      return "a response without state";
    case "state-wrong":
      return "a response with another state";
    case "unknown-error":
      return "an undefined error code";
    default:
      return `error=${kind}`;
  }
}

/** FED-ARESP-04, FED-ARESP-03: a replayed callback redeems nothing and signs no other browser in. */
export function codeReplayFindings(result: ReplayResult): Finding[] {
  if (!result.first.signedIn || !result.callbackUrl)
    return [finding("FED-ARESP-04", "failed", "the first sign-in did not complete, so there was no callback to replay")];
  const out: Finding[] = [...codeUseFindings(tokenEvents(result.events))];
  if (result.elsewhere.probe.signedIn)
    out.push(
      finding(
        "FED-ARESP-03",
        "failed",
        "another browser opening the same callback URL was signed in: the response is not bound to the browser that started the sign-in",
      ),
    );
  out.push(...pageFindings("FED-ARESP-04", result.again.navigation, "the replayed callback"));
  out.push(...pageFindings("FED-ARESP-03", result.elsewhere.navigation, "the callback opened in another browser"));
  if (!out.some((f) => f.status === "failed"))
    out.push(finding("FED-ARESP-03", "passed", "the replayed callback signed no other browser in"));
  return out;
}
