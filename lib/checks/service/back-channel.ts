/**
 * FED-GEN-03 and FED-GEN-06 (browser mode): only `/authorize` goes through the user's browser.
 * The code exchange (a confidential client's, with its private key), UserInfo, the JWKS and the
 * discovery document are the service backend's to call, so no request the browser makes during a
 * sign-in, whether a navigation or a page script's fetch, may go to them.
 *
 * @example
 * ```ts
 * backChannelFindings((await signIns(ctx)).journeys, await ctx.endpoints())
 * ```
 */
import { type Hop, isEndpoint, type SignInJourney } from "../../driver/index.ts";
import { SignedInUnknownError } from "../../errors/index.ts";
import { deviationStatus, finding, type Finding } from "../../requirements/index.ts";
import type { ServerEndpoints } from "./service-context.ts";

/** The hops of a journey and of the oracle's revisit, if it made one. */
function hopsOf(journey: SignInJourney): Hop[] {
  try {
    return [...journey.navigation.hops, ...journey.probe.navigation.hops];
  } catch (err) {
    if (err instanceof SignedInUnknownError) return [...journey.navigation.hops];
    throw err;
  }
}

export function backChannelFindings(
  journeys: readonly SignInJourney[],
  endpoints: Pick<ServerEndpoints, "tokenEndpoint" | "userinfoEndpoint" | "jwksUri" | "discovery">,
): Finding[] {
  const both = (status: "passed" | "inconclusive", message: string) => [
    finding("FED-GEN-03", status, message),
    finding("FED-GEN-06", status, message),
  ];
  const reached = journeys.filter((j) => j.callback !== undefined);
  if (reached.length === 0)
    return both(
      "inconclusive",
      "no sign-in reached the service's redirect URI, so what its pages do with NHS login's answer was not seen" +
        (journeys[0]?.notReached ? ` (${journeys[0].notReached})` : ""),
    );
  const named: [string, string][] = [
    [endpoints.tokenEndpoint, "token endpoint"],
    [endpoints.userinfoEndpoint, "UserInfo endpoint"],
    [endpoints.jwksUri, "JWKS"],
    [endpoints.discovery, "discovery document"],
  ];
  const out: Finding[] = [];
  let requests = 0;
  let scripted = 0;
  journeys.forEach((journey, n) => {
    for (const h of hopsOf(journey)) {
      requests += 1;
      if (h.script) scripted += 1;
      const hit = named.find(([url]) => isEndpoint(h.url, url));
      if (!hit) continue;
      const what = `during sign-in ${n + 1} the browser itself sent ${h.method} ${new URL(h.url).pathname} (NHS login's ${hit[1]})${
        h.script ? " from a page script" : ""
      }${h.failure ? ` (the page could read no answer: ${h.failure})` : ""}`;
      if (hit[1] === "token endpoint")
        out.push(
          finding(
            "FED-GEN-03",
            deviationStatus("FED-GEN-03"),
            `${what}: the code exchange must run on the service's backend, as a confidential client holding its private key`,
          ),
        );
      out.push(finding("FED-GEN-06", deviationStatus("FED-GEN-06"), `${what}: only /authorize may go through the browser`));
    }
  });
  if (out.length > 0) {
    if (!out.some((f) => f.requirement === "FED-GEN-03"))
      out.unshift(finding("FED-GEN-03", "passed", `no request of the browser went to the token endpoint in ${journeys.length} sign-in(s)`));
    return out;
  }
  return both(
    "passed",
    // The harness sees navigations and the page scripts' fetch and XHR requests, not beacons, workers or sub-resources.
    `of the browser's ${requests} request(s) the harness saw over ${journeys.length} sign-in(s) ` +
      `(navigations, and ${scripted} fetch or XHR request(s) of page scripts), ` +
      "none went to NHS login's token, UserInfo, JWKS or discovery URLs",
  );
}
