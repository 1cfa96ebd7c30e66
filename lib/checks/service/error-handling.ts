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
import { signedInVerdict } from "./signed-in-oracle.ts";
import { deviationStatus, finding, type Finding } from "../../requirements/index.ts";
import type { AuthorizationErrorKind, JourneyResult, ReplayResult } from "./scenarios.ts";
import { FORGED_FAMILY_NAME, HOSTILE_DESCRIPTION } from "./scenarios.ts";
import { tokenEvents, codeUseFindings } from "./client-authentication.ts";
import { pageEvidence, pageFindings } from "./page.ts";
import { Findings } from "../findings.ts";
import type { Hop } from "../../driver/index.ts";

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

/**
 * CONSENT-02, CONSENT-04: the no-consent screen's heading, and its working 111/999 links (the
 * template's wording is not judged). Without the screen (the service may move the user to an
 * alternative journey instead) CONSENT-04 does not apply.
 */
export function noConsentScreenFindings(html: string): Finding[] {
  if (!text(html).includes(NO_CONSENT_HEADING)) {
    return [
      finding(
        "CONSENT-02",
        "warning",
        `the page does not say "${NO_CONSENT_HEADING}"; show the no-consent screen, unless the service moves the user ` +
          `to an alternative (guest) journey, which the harness cannot recognise`,
      ),
      finding("CONSENT-04", "skipped", "not applicable: no no-consent screen was recognised, so its links were not examined"),
    ];
  }
  const wanted = ["https://111.nhs.uk/", "tel:111", "tel:999"];
  const links = wanted.filter((href) => !new RegExp(`<a\\b[^>]*href=["']${href.replace(/[.:/]/g, (c) => `\\${c}`)}["']`, "i").test(html));
  return [
    finding("CONSENT-02", "passed", `the no-consent screen is shown ("${NO_CONSENT_HEADING}")`, { expected: NO_CONSENT_HEADING }),
    links.length > 0
      ? finding("CONSENT-04", "warning", `the no-consent screen lacks working links to ${links.join(", ")}`, {
          expected: wanted.join(", "),
          actual: wanted.filter((h) => !links.includes(h)).join(", ") || "(none)",
        })
      : finding("CONSENT-04", "passed", `the no-consent screen links to ${wanted.join(", ")} (the template's wording is not judged)`, {
          expected: wanted.join(", "),
          actual: wanted.join(", "),
        }),
  ];
}

/** The no-consent screen in one verdict: its problems, or one CONSENT-02 pass when the heading and links are all there. */
export function noConsentContentFindings(html: string): Finding[] {
  const problems = noConsentScreenFindings(html).filter((f) => f.status !== "passed" && f.status !== "skipped");
  return problems.length > 0 ? problems : [finding("CONSENT-02", "passed", "the no-consent screen is shown with the 111 and 999 links")];
}

/** FED-ARESP-13: the hostile error_description is not echoed into the page unescaped. */
function escapeFinding(landing: Hop | undefined): Finding {
  const id = "FED-ARESP-13";
  if (!landing) return finding(id, "inconclusive", "the browser got no page, so how error_description is rendered could not be examined");
  const evidence = { expected: "absent or HTML-escaped", exchange: pageEvidence(landing)!.exchange! };
  if (landing.body.includes(HOSTILE_DESCRIPTION))
    return finding(id, deviationStatus(id), "error_description is echoed into the page unescaped (a script element was injected)", {
      ...evidence,
      actual: "unescaped",
    });
  const shown = landing.body.includes("&lt;script&gt;");
  return finding(
    id,
    "passed",
    shown
      ? "error_description (a script element) is shown HTML-escaped"
      : "error_description (a script element) does not appear unescaped in the page",
    { ...evidence, actual: shown ? "HTML-escaped" : "not shown" },
  );
}

/** The ID under which every error scenario also reports the refusal itself: an error code NHS login may return was handled. */
const ERROR_CODE_ID = "FED-ARESP-09";

export function authorizationErrorFindings(kind: AuthorizationErrorKind, result: JourneyResult): Finding[] {
  const ids = ERROR_SCENARIO_IDS[kind] ?? [ERROR_CODE_ID];
  const [id] = ids as [string, ...string[]];
  const { journey } = result;
  const tokens = tokenEvents(result.events);
  const authorizes = result.events.filter((e) => e.type === "authorize");
  if (!journey.authorization) {
    const why = `the error response could not be delivered: ${journey.notReached ?? "the browser never reached NHS login's /authorize"}`;
    return ids.map((i) => finding(i, "inconclusive", why));
  }
  const evidence = pageEvidence(journey.landing);
  const out: Finding[] = [];
  // The refusal itself (no session, no redemption, a page): judged under `id` and under FED-ARESP-09.
  const refusal: Finding[] = [];
  if (result.serviceDown) refusal.push(finding(id, "failed", result.serviceDown, evidence));
  let handled: string;

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
    if (journey.signedIn && authorizes.length < 2)
      refusal.push(finding(id, "failed", `signed in without a new authorization request (${journey.probe.evidence})`, evidence));
    refusal.push(...pageFindings(id, journey.navigation));
    out.push(...refusal);
    handled = journey.signedIn
      ? "fell back to an interactive sign-in"
      : `not signed in; the browser got a page (${journey.landing?.status})`;
    if (out.length === 0) out.push(finding(id, "passed", handled, evidence));
  } else {
    if (journey.signedIn)
      refusal.push(finding(id, "failed", `the service signed the user in after ${describe(kind)} (${journey.probe.evidence})`, evidence));
    if (tokens.length > 0)
      refusal.push(
        finding(id, "failed", `the service called /token ${tokens.length} time(s) after ${describe(kind)}; it must not redeem anything`),
      );
    refusal.push(...pageFindings(id, journey.navigation));
    out.push(...refusal);
    const page = journey.landing?.body ?? "";
    if (kind === "access_denied") {
      if (!out.some((f) => f.status === "failed")) out.push(...noConsentScreenFindings(page));
      else
        for (const i of ["CONSENT-02", "CONSENT-04"])
          out.push(
            finding(
              i,
              "inconclusive",
              "not judged: the refusal itself failed (see FED-ARESP-11), so the no-consent screen was not examined",
            ),
          );
    }
    if ((kind === "server_error" || kind === "temporarily_unavailable") && !/try again|later/i.test(text(page))) {
      out.push(finding("FED-ARESP-12", "warning", "the page does not offer to try again"));
    }
    if (kind === "unknown-error") out.push(escapeFinding(journey.landing));
    handled = `not signed in, no token request, a page (${journey.landing?.status})`;
    if (!out.some((f) => f.status === "failed" || f.requirement === id))
      out.push(finding(id, "passed", `${describe(kind)}: ${handled}`, evidence));
  }

  if (id !== ERROR_CODE_ID && ids.includes(ERROR_CODE_ID)) {
    if (refusal.length === 0)
      out.push(finding(ERROR_CODE_ID, "passed", `${describe(kind)}, an error code NHS login may return, is handled: ${handled}`, evidence));
    else
      out.push(
        ...refusal.map((f) =>
          finding(ERROR_CODE_ID, f.status === "failed" ? deviationStatus(ERROR_CODE_ID) : f.status, f.message, f.evidence),
        ),
      );
  }
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
  if (!result.callbackUrl || !result.first.signedIn) {
    const how =
      result.first.notReached ?? (result.callbackUrl ? result.first.probe.evidence : "NHS login's answer never reached the service");
    const why = `the first sign-in did not complete (${how}), so there was no callback to replay`;
    return [finding("FED-ARESP-04", "inconclusive", why), finding("FED-ARESP-03", "inconclusive", why)];
  }
  const out = new Findings().addAll(codeUseFindings(tokenEvents(result.events)));
  if (result.serviceDown) out.fail("FED-ARESP-04", result.serviceDown);
  if (result.elsewhere.probe.signedIn)
    out.fail(
      "FED-ARESP-03",
      "another browser opening the same callback URL was signed in: the response is not bound to the browser that started the sign-in " +
        `(${result.elsewhere.probe.evidence})`,
    );
  out.addAll(pageFindings("FED-ARESP-04", result.again.navigation, "the replayed callback"));
  out.addAll(pageFindings("FED-ARESP-03", result.elsewhere.navigation, "the callback opened in another browser"));
  out.pass("FED-ARESP-03", "the replayed callback signed no other browser in", pageEvidence(result.elsewhere.navigation.final));
  return out.list();
}

/**
 * FED-ARESP-14 (DERIVED): tokens an attacker adds to the front-channel callback never establish an
 * identity. Passed when the service signed in the real person after redeeming the code (it ignored
 * them) or refused the response (as a code-flow client may, e.g. openid-client); a deviation when
 * it signed someone in without redeeming the code, or its pages show the forged person.
 */
export function forgedCallbackFindings(result: JourneyResult): Finding[] {
  const id = "FED-ARESP-14";
  const callback = result.journey.callback;
  if (!callback || !new URL(callback.url).searchParams.has("id_token"))
    return [
      finding(id, "inconclusive", `the forged callback was never sent: ${result.journey.notReached ?? "no callback followed the sign-in"}`),
    ];
  const verdict = signedInVerdict(result.journey);
  if ("unknown" in verdict) return [finding(id, "inconclusive", verdict.unknown)];
  const signedIn = verdict.signedIn;
  const evidence = pageEvidence(result.journey.landing);
  const pages = [result.journey.landing, ...(result.journey.probe.navigation?.hops ?? [])].map((h) => h?.body ?? "").join("\n");
  const redeemed = tokenEvents(result.events).some((t) => t.outcome === "issued");
  const out: Finding[] = [];
  if (pages.includes(FORGED_FAMILY_NAME))
    out.push(
      finding(
        id,
        deviationStatus(id),
        `the service shows the forged person (${FORGED_FAMILY_NAME}) from the callback's id_token`,
        evidence,
      ),
    );
  if (signedIn && !redeemed)
    out.push(
      finding(
        id,
        deviationStatus(id),
        "the service signed someone in without redeeming the code: the identity came from the front-channel id_token",
        evidence,
      ),
    );
  if (result.serviceDown) out.push(finding(id, "failed", result.serviceDown, evidence));
  out.push(...pageFindings(id, result.journey.navigation));
  if (out.length > 0) return out;
  return [
    finding(
      id,
      "passed",
      signedIn
        ? "the service redeemed the code and signed in the real person, ignoring the id_token and access_token added to the callback"
        : `the service refused the callback that carried an id_token and access_token, and signed no one in (${callback.status})`,
      evidence,
    ),
  ];
}
