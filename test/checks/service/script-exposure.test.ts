import { describe, expect, it } from "vitest";
import { findPersonData } from "../../../lib/checks/service/signed-in-oracle.ts";
import type { Hop, ScriptState, SignInJourney } from "../../../lib/driver/index.ts";
import {
  crossOriginFindings,
  FOREIGN_ORIGIN,
  scriptReadableFindings,
  type CrossOriginProbe,
} from "../../../lib/checks/service/script-exposure.ts";

const SVC = "http://127.0.0.1:1";
const JWT = "eyJhbGciOiJSUzUxMiJ9.eyJzdWIiOiJhYmNkZWZnaCJ9.c2lnbmF0dXJl";
const CODE = "code-0123456789abcdef";
const hop = (url: string, o: Partial<Hop> = {}): Hop => ({ method: "GET", url, status: 200, setCookies: [], body: "", ...o });
const clean: ScriptState = { url: `${SVC}/callback?code=${CODE}`, text: "Signed in", localStorage: {}, sessionStorage: {}, cookies: "" };
function journey(script: Partial<ScriptState> | undefined, extra: Hop[] = []): SignInJourney {
  const callback = hop(`${SVC}/callback?code=${CODE}&state=s`);
  return {
    navigation: { hops: [callback, ...extra], final: callback },
    callback,
    ...(script ? { script: { ...clean, ...script } } : {}),
    probe: { signedIn: true, evidence: "test", navigation: { hops: [] } },
    signedIn: true,
  };
}
const messages = (fs: { status: string; message: string }[]) => fs.map((f) => [f.status, f.message]);

describe("scriptReadableFindings (FED-GEN-04)", () => {
  it("passes when scripts can read neither a token nor the code", () => {
    expect(
      messages(scriptReadableFindings(journey({}, [hop(`${SVC}/api/session`, { method: "POST", script: true, body: '{"a":1}' })]), [SVC])),
    ).toEqual([["passed", "no token or code in the page's text, storage, script-readable cookies or 1 answers to its scripts"]]);
  });

  it("fails for a token in localStorage, sessionStorage, the text, document.cookie or an answer to a script", () => {
    const cases: [Partial<ScriptState>, Hop[], RegExp][] = [
      [{ localStorage: { id_token: JWT } }, [], /a token is in localStorage \(key "id_token"\), readable by page scripts/],
      [{ sessionStorage: { at: JWT } }, [], /a token is in sessionStorage \(key "at"\)/],
      [{ text: `Your token: ${JWT}` }, [], /a token is in the text of the page at \/callback/],
      [{ cookies: `at=${JWT}` }, [], /a token is in a cookie scripts can read \(document\.cookie\)/],
      [
        {},
        [hop(`${SVC}/api/session`, { method: "POST", script: true, body: `{"id_token":"${JWT}"}` })],
        /the answer to the page script's POST \/api\/session/,
      ],
    ];
    for (const [script, extra, pattern] of cases) {
      const f = scriptReadableFindings(journey(script, extra), [SVC]);
      expect(f.map((x) => x.status)).toEqual(["failed"]);
      expect(f[0]!.message).toMatch(pattern);
    }
  });

  it("fails for the authorization code kept where scripts can read it, and ignores other origins' answers", () => {
    expect(scriptReadableFindings(journey({ localStorage: { code: CODE } }), [SVC])[0]?.message).toBe(
      'the authorization code is in localStorage (key "code"), readable by page scripts',
    );
    const foreign = [hop("http://127.0.0.1:2/x", { script: true, body: JWT })];
    expect(scriptReadableFindings(journey({}, foreign), [SVC]).map((f) => f.status)).toEqual(["passed"]);
  });

  it("is inconclusive without a callback or without the script state", () => {
    const noCallback = { ...journey({}), callback: undefined } as unknown as SignInJourney;
    expect(scriptReadableFindings(noCallback, [SVC])[0]?.status).toBe("inconclusive");
    expect(scriptReadableFindings(journey(undefined), [SVC])[0]?.message).toBe("the page's script state could not be read after sign-in");
  });
});

describe("crossOriginFindings (FED-GEN-04)", () => {
  const answer = (headers: Record<string, string>) => ({ status: 200, headers, body: "" });
  const reflected = answer({ "access-control-allow-origin": FOREIGN_ORIGIN, "access-control-allow-credentials": "true" });
  const probe = (o: Partial<CrossOriginProbe>): CrossOriginProbe => ({ method: "GET", url: `${SVC}/api/me`, body: "{}", ...o });
  // Personal data as the signed-in oracle reads it: a simulated person's NHS number, family name or email.
  const markers = findPersonData;

  it("fails when a foreign origin may read a token with the user's cookies, with the headers as evidence", () => {
    const [f] = crossOriginFindings(
      [probe({ method: "POST", url: `${SVC}/api/session`, body: `{"t":"${JWT}"}`, answer: reflected })],
      markers,
    );
    expect(f?.status).toBe("failed");
    expect(f?.message).toBe(
      `POST /api/session lets ${FOREIGN_ORIGIN} read an answer holding a token: ` +
        "it allows it, by the preflight, naming that origin with credentials",
    );
    expect(f?.evidence).toMatchObject({
      actual: `Access-Control-Allow-Origin: ${FOREIGN_ORIGIN}; Access-Control-Allow-Credentials: true`,
      exchange: `OPTIONS ${SVC}/api/session with Origin: ${FOREIGN_ORIGIN}`,
    });
  });

  it("warns for personal data alone, judging a GET on what the foreign origin got, and passes when refused or nothing is revealed", () => {
    const withData = (headers: Record<string, string>) => ({ ...answer(headers), body: '{"nhsNumber":"9990010005"}' });
    const [personal] = crossOriginFindings([probe({ answer: withData(reflected.headers) })], markers);
    expect(personal?.status).toBe("warning");
    expect(personal?.message).toMatch(/^GET \/api\/me lets .* read an answer holding personal data \(the NHS number 9990010005 of /);
    expect(personal?.message).toMatch(/the simulated person p9\): it answered it, with the user's cookies,/);
    expect(personal?.message).toMatch(/no catalogue rule covers personal data/);
    expect(crossOriginFindings([probe({ answer: withData({}) })], markers)[0]?.status).toBe("passed");
    // The page's own answer held the data, but the foreign origin got nothing (e.g. a 401 without the session).
    expect(crossOriginFindings([probe({ body: '{"nhsNumber":"9990010005"}', answer: reflected })], markers)[0]?.status).toBe("passed");
    const wildcard = { ...answer({ "access-control-allow-origin": "*" }), body: JWT };
    expect(crossOriginFindings([probe({ answer: wildcard })], markers)[0]?.status).toBe("passed");
  });

  it("is not applicable with nothing to ask after a sign-in, inconclusive without one or for an endpoint that did not answer", () => {
    expect(crossOriginFindings([], markers, false)[0]?.status).toBe("inconclusive");
    expect(crossOriginFindings([], markers)[0]?.message).toMatch(/^not applicable: the service's pages made no script request/);
    expect(crossOriginFindings([], markers)[0]?.status).toBe("skipped");
    expect(crossOriginFindings([probe({ error: "timeout" })], markers)[0]?.message).toBe(
      `GET /api/me could not be asked from ${FOREIGN_ORIGIN}: timeout`,
    );
  });
});
