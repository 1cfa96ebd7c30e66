/**
 * Findings about how the service uses UserInfo (EIS §3.6; FED-UI-01, FED-UI-05): the access token
 * goes in the Authorization header only, and a UserInfo answer about another subject is refused.
 *
 * @example
 * ```ts
 * userinfoRequestFindings((await signIns(ctx)).events)
 * userinfoSubFindings(await faultSignIn(ctx, "userinfo-other-sub"))
 * ```
 */
import { finding, type Finding } from "../../requirements/index.ts";
import type { SimulatorEvent } from "../../simulator/state.ts";
import type { JourneyResult } from "./scenarios.ts";
import { pageFindings } from "./page.ts";

/** FED-UI-01: Bearer token in the Authorization header, never in the query or body; GET preferred. */
export function userinfoRequestFindings(events: readonly SimulatorEvent[]): Finding[] {
  const calls = events.filter((e) => e.type === "userinfo");
  if (calls.length === 0) {
    return [
      finding(
        "FED-UI-01",
        "failed",
        "the service never called UserInfo during sign-in; set SERVICE_USES_USERINFO=false if it does not use it",
      ),
    ];
  }
  const out: Finding[] = [];
  for (const c of calls) {
    const places = (c.detail.tokenIn ?? []) as string[];
    if (places.includes("query") || places.includes("body"))
      out.push(
        finding(
          "FED-UI-01",
          "failed",
          `the access token was sent in the ${places.filter((p) => p !== "header").join(" and ")}; ` +
            "only the Authorization header is allowed",
        ),
      );
    else if (!places.includes("header")) out.push(finding("FED-UI-01", "failed", "the UserInfo request carried no access token"));
    else if (c.detail.outcome !== "claims")
      out.push(
        finding(
          "FED-UI-01",
          "failed",
          `the UserInfo request was refused (${String(c.detail.outcome)}): the Authorization header must be "Bearer <access token>"`,
        ),
      );
    if (c.detail.method === "POST") out.push(finding("FED-UI-01", "warning", "UserInfo is called with POST; GET is recommended"));
  }
  if (out.length === 0)
    out.push(finding("FED-UI-01", "passed", `${calls.length} UserInfo call(s), the token in the Authorization header only`));
  return out;
}

/** FED-UI-05: UserInfo with another sub must not sign the user in. */
export function userinfoSubFindings(result: JourneyResult): Finding[] {
  const call = result.events.find((e) => e.type === "userinfo" && e.detail.outcome === "claims");
  if (!call)
    return [
      finding(
        "FED-UI-05",
        "inconclusive",
        "the service never fetched UserInfo, so its handling of a UserInfo answer about another subject could not be observed",
      ),
    ];
  const out: Finding[] = [];
  if (result.journey.signedIn)
    out.push(
      finding(
        "FED-UI-05",
        "failed",
        "the service signed the user in although UserInfo answered with a sub different from the ID token's " +
          `(${result.journey.probe.evidence})`,
      ),
    );
  if (result.serviceDown) out.push(finding("FED-UI-05", "failed", result.serviceDown));
  out.push(...pageFindings("FED-UI-05", result.journey.navigation));
  if (out.length === 0)
    out.push(finding("FED-UI-05", "passed", `UserInfo about another sub: not signed in, a page (${result.journey.landing?.status})`));
  return out;
}

/**
 * FED-IDT-19 (SHOULD, so a deviation warns): the claims beyond the ID token (email, phone,
 * given_name, GP data, client metadata) come from UserInfo, so after a code is redeemed the service
 * fetches them there. Judged over the sign-ins' events: each code exchange followed by a UserInfo call.
 */
export function userinfoAfterTokenFindings(events: readonly SimulatorEvent[]): Finding[] {
  const isExchange = (e: SimulatorEvent) =>
    e.type === "token" &&
    e.detail.outcome === "issued" &&
    (e.detail.params as Record<string, unknown> | undefined)?.grant_type === "authorization_code";
  // Each exchange owns the events up to the next one (events are in the order the simulator saw them).
  let exchanges = 0;
  let without = 0;
  let open = false;
  for (const e of events) {
    if (isExchange(e)) {
      if (open) without++;
      exchanges++;
      open = true;
    } else if (open && e.type === "userinfo") open = false;
  }
  if (open) without++;
  if (exchanges === 0) return [finding("FED-IDT-19", "inconclusive", "no code was redeemed during the sign-ins, so nothing followed one")];
  if (without > 0)
    return [
      finding(
        "FED-IDT-19",
        "warning",
        `${without} of ${exchanges} code exchange(s) were not followed by a UserInfo call: ` +
          "claims beyond the ID token (email, phone, given_name, GP data) come only from UserInfo",
      ),
    ];
  return [finding("FED-IDT-19", "passed", `each of ${exchanges} code exchange(s) was followed by a UserInfo call`)];
}
