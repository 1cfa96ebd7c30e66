/**
 * Findings about how the service treats a bad ID token (EIS §3.1 step 9, §4.2 T16, §4.5; FED-IDT-*,
 * FED-JWT-*, VOT-06): for each ID-token fault of the simulator's catalogue the service must not
 * sign the user in, and must answer the browser with a page, not a server error.
 *
 * @example
 * ```ts
 * idTokenFaultFindings("id-token-nonce-wrong", await faultSignIn(ctx, "id-token-nonce-wrong"))
 * ```
 */
import { finding, type Finding } from "../../requirements/index.ts";
import { FAULTS, ID_TOKEN_FAULT_IDS, type IdTokenFaultId } from "../../simulator/faults.ts";
import type { JourneyResult } from "./scenarios.ts";
import { tokenEvents } from "./client-authentication.ts";
import { SignedInUnknownError } from "../../errors/index.ts";
import { pageEvidence, pageFindings } from "./page.ts";

/**
 * How accepting each faulted token grades. A MUST violation fails; the catalogue makes three of
 * them softer: an extra untrusted audience is RP policy (FED-IDT-03), a future iat is a derived
 * rule (FED-IDT-05), and a missing vtm "should" be rejected (FED-IDT-11).
 */
export const ID_TOKEN_FAULT_GRADES: Readonly<Record<IdTokenFaultId, "failed" | "warning">> = Object.freeze(
  Object.fromEntries(
    ID_TOKEN_FAULT_IDS.map((f) => [
      f,
      f === "id-token-extra-aud" || f === "id-token-iat-future" || f === "id-token-vtm-missing" ? "warning" : "failed",
    ]),
  ) as Record<IdTokenFaultId, "failed" | "warning">,
);

/** The requirement IDs a check of `fault` verifies (the fault catalogue's list). */
export function idTokenFaultIds(fault: IdTokenFaultId): string[] {
  return [...FAULTS[fault].requirements];
}

/**
 * The verdict on the service's handling of `fault`, under each requirement ID the fault verifies:
 * the IDs of one fault are the same observation (e.g. a token signed by a key absent from the JWKS
 * refused: FED-DISC-06 and FED-IDT-17). When the fault could not be observed (never delivered,
 * or the code never redeemed), every ID is inconclusive with the reason.
 */
export function idTokenFaultFindings(fault: IdTokenFaultId, result: JourneyResult): Finding[] {
  const [id, ...others] = idTokenFaultIds(fault) as [string, ...string[]];
  const title = FAULTS[fault].title;
  // The fault never reached the service's hands: nothing about its handling was observed.
  const unobserved = (why: string) => [id, ...others].map((i) => finding(i, "inconclusive", why));
  const authorize = result.events.find(
    (e) => e.type === "authorize" && Array.isArray(e.detail.faults) && (e.detail.faults as string[]).includes(fault),
  );
  if (!authorize)
    return unobserved(
      `the fault was never delivered: ${result.journey.notReached ?? "no sign-in reached the simulator's /authorize with it armed"}`,
    );
  const token = tokenEvents(result.events).find((t) => t.outcome === "issued");
  if (!token) return unobserved(`the service never redeemed the code, so its handling of "${title}" could not be observed`);
  const out: Finding[] = [];
  // Back-channel evidence: UserInfo called with the access token that came with the faulty ID token.
  const userinfo = result.events.find((e) => e.type === "userinfo" && e.detail.outcome === "claims");
  let signedIn = false;
  try {
    signedIn = result.journey.signedIn;
  } catch (err) {
    // No page can tell; the back channel still can. Without it, the check is inconclusive with the reason.
    if (!(err instanceof SignedInUnknownError) || !userinfo) throw err;
  }
  if (signedIn)
    out.push(
      finding(
        id,
        ID_TOKEN_FAULT_GRADES[fault],
        `the service signed the user in although NHS login sent: ${title} (${result.journey.probe.evidence})`,
        pageEvidence(result.journey.landing),
      ),
    );
  else if (userinfo)
    out.push(
      finding(
        id,
        ID_TOKEN_FAULT_GRADES[fault],
        `the service accepted the token response although NHS login sent: ${title} ` +
          "(it then called UserInfo with the access token that came with it, by the simulator's event log)",
        { exchange: "GET /userinfo (simulator event log)" },
      ),
    );
  if (result.serviceDown) out.push(finding(id, "failed", result.serviceDown, pageEvidence(result.journey.landing)));
  out.push(...pageFindings(id, result.journey.navigation));
  if (out.length === 0)
    out.push(
      finding(
        id,
        "passed",
        `${title}: not signed in, and the browser got a page (${result.journey.landing?.status})`,
        pageEvidence(result.journey.landing),
      ),
    );
  return [...out, ...others.flatMap((i) => out.map((f) => finding(i, f.status, f.message, f.evidence)))];
}
