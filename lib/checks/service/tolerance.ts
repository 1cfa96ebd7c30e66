/**
 * Findings about what NHS login may do and a service must accept (EIS §3.3, §4.1, §4.2, §4.3,
 * §3.6.2.1; FED-JWT-04, FED-JWT-05, FED-IDT-16, FED-AT-09, FED-UI-06): a header parameter,
 * ID-token, access-token or UserInfo claims the service does not know, an ID token signed by the
 * second key of the JWKS, on an otherwise good sign-in. The service must still sign the user in;
 * refusing is a deviation from the requirement the variation tests (graded by its level).
 *
 * @example
 * ```ts
 * toleranceFindings("id-token-unknown-claims", await faultSignIn(ctx, "id-token-unknown-claims"))
 * ```
 */
import { signedInVerdict } from "./signed-in-oracle.ts";
import { deviationStatus, finding, type Finding } from "../../requirements/index.ts";
import { FAULTS, type ToleratedFaultId } from "../../simulator/faults.ts";
import type { JourneyResult } from "./scenarios.ts";
import { tokenEvents } from "./client-authentication.ts";
import { pageEvidence, pageFindings } from "./page.ts";

/** True when the variation reaches the service through UserInfo (the check then needs a UserInfo call). */
export function viaUserinfo(fault: ToleratedFaultId): boolean {
  return FAULTS[fault].hooks.userinfoBody !== undefined;
}

/** The requirement a check of `fault` verifies (the fault table's). */
export function toleranceIds(fault: ToleratedFaultId): string[] {
  return [...FAULTS[fault].requirements];
}

export function toleranceFindings(fault: ToleratedFaultId, result: JourneyResult): Finding[] {
  const [id] = toleranceIds(fault) as [string];
  const title = FAULTS[fault].title;
  const authorize = result.events.find(
    (e) => e.type === "authorize" && Array.isArray(e.detail.faults) && (e.detail.faults as string[]).includes(fault),
  );
  if (!authorize)
    return [
      finding(
        id,
        "inconclusive",
        `the addition was never delivered: ${result.journey.notReached ?? "no sign-in reached the simulator's /authorize with it armed"}`,
      ),
    ];
  if (!tokenEvents(result.events).some((t) => t.outcome === "issued"))
    return [finding(id, "inconclusive", `the service never redeemed the code, so it never received the ${title.split(" with")[0]}`)];
  if (viaUserinfo(fault) && !result.events.some((e) => e.type === "userinfo" && e.detail.outcome === "claims"))
    return [finding(id, "inconclusive", "the service did not call UserInfo on this sign-in, so it never received the added claims")];
  const verdict = signedInVerdict(result.journey);
  if ("unknown" in verdict) return [finding(id, "inconclusive", verdict.unknown)];
  const signedIn = verdict.signedIn;
  const evidence = pageEvidence(result.journey.landing);
  if (result.serviceDown) return [finding(id, "failed", result.serviceDown, evidence)];
  if (!signedIn)
    return [
      finding(
        id,
        deviationStatus(id),
        `the service refused an otherwise good sign-in when NHS login sent: ${title}; it must accept it ` +
          `(${result.journey.probe.evidence})`,
        evidence,
      ),
      ...pageFindings(id, result.journey.navigation),
    ];
  return [finding(id, "passed", `signed in although NHS login sent: ${title} (${result.journey.probe.evidence})`, evidence)];
}
