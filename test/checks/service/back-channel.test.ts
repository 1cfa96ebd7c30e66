/**
 * backChannelFindings (FED-GEN-03, FED-GEN-06) on crafted journeys: a browser that goes only to
 * /authorize passes, naming what it counted; one that calls the token endpoint, UserInfo, the
 * JWKS or discovery itself fails, naming the sign-in and the request; no callback is inconclusive.
 */
import { describe, expect, it } from "vitest";
import type { Hop, SignInJourney } from "../../../lib/driver/index.ts";
import { backChannelFindings } from "../../../lib/checks/service/back-channel.ts";

const OP = "http://127.0.0.1:9000";
const SVC = "http://127.0.0.1:8080";
const endpoints = {
  tokenEndpoint: `${OP}/token`,
  userinfoEndpoint: `${OP}/userinfo`,
  jwksUri: `${OP}/.well-known/jwks.json`,
  discovery: `${OP}/.well-known/openid-configuration`,
};
const hop = (url: string, o: Partial<Hop> = {}): Hop => ({ method: "GET", url, status: 200, setCookies: [], body: "", ...o });
const journey = (extra: Hop[] = [], probe: Hop[] = []): SignInJourney => {
  const callback = hop(`${SVC}/callback?code=c&state=s`);
  return {
    navigation: { hops: [hop(`${SVC}/`), hop(`${OP}/authorize?client_id=x`, { status: 302 }), callback, ...extra] },
    callback,
    probe: { signedIn: true, evidence: "test", navigation: { hops: probe } },
    signedIn: true,
  };
};
const said = (journeys: SignInJourney[]) =>
  backChannelFindings(journeys, endpoints).map((f) => `${f.requirement} ${f.status}: ${f.message}`);

describe("backChannelFindings", () => {
  it("passes a browser that went only to /authorize, counting its requests and the scripts' among them", () => {
    const message =
      "of the browser's 8 request(s) the harness saw over 2 sign-in(s) (navigations, and 2 fetch or XHR request(s) of page scripts), " +
      "none went to NHS login's token, UserInfo, JWKS or discovery URLs";
    expect(
      said([journey([hop(`${SVC}/api/session`, { method: "POST", script: true })]), journey([], [hop(`${SVC}/api/me`, { script: true })])]),
    ).toEqual([`FED-GEN-03 passed: ${message}`, `FED-GEN-06 passed: ${message}`]);
  });

  it("fails the token endpoint under both rules, and the other back-channel URLs under FED-GEN-06, whatever the query", () => {
    const f = said([
      journey(),
      journey(
        [hop(`${OP}/token`, { method: "POST", status: 401, script: true }), hop(`${OP}/userinfo?x=1`, { script: true })],
        [hop(`${OP}/.well-known/jwks.json`)],
      ),
    ]);
    expect(f).toEqual([
      "FED-GEN-03 failed: during sign-in 2 the browser itself sent POST /token (NHS login's token endpoint) from a page script: " +
        "the code exchange must run on the service's backend, as a confidential client holding its private key",
      "FED-GEN-06 failed: during sign-in 2 the browser itself sent POST /token (NHS login's token endpoint) from a page script: " +
        "only /authorize may go through the browser",
      "FED-GEN-06 failed: during sign-in 2 the browser itself sent GET /userinfo (NHS login's UserInfo endpoint) from a page script: " +
        "only /authorize may go through the browser",
      "FED-GEN-06 failed: during sign-in 2 the browser itself sent GET /.well-known/jwks.json (NHS login's JWKS): " +
        "only /authorize may go through the browser",
    ]);
    expect(said([journey([hop(`${OP}/.well-known/openid-configuration`, { script: true })])])).toEqual([
      "FED-GEN-03 passed: no request of the browser went to the token endpoint in 1 sign-in(s)",
      "FED-GEN-06 failed: during sign-in 1 the browser itself sent GET /.well-known/openid-configuration " +
        "(NHS login's discovery document) from a page script: only /authorize may go through the browser",
    ]);
  });

  it("does not count the service's own paths that look alike, nor another origin's", () => {
    expect(said([journey([hop(`${SVC}/token`, { script: true }), hop(`http://127.0.0.1:9001/userinfo`)])])[0]).toMatch(
      /^FED-GEN-03 passed/,
    );
  });

  it("is inconclusive when no sign-in reached the service, with the reason", () => {
    const none = { navigation: { hops: [hop(`${SVC}/`)] }, notReached: "no sign-in link" } as unknown as SignInJourney;
    const why =
      "no sign-in reached the service's redirect URI, so what its pages do with NHS login's answer was not seen (no sign-in link)";
    expect(said([none])).toEqual([`FED-GEN-03 inconclusive: ${why}`, `FED-GEN-06 inconclusive: ${why}`]);
  });
});
