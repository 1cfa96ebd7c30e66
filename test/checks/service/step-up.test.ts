/**
 * The step-up findings (VOT-11, STEPUP-02, STEPUP-05, VOT-13) on crafted scenario results: each
 * verdict word for word, with what the service did and what was not seen.
 */
import { describe, expect, it } from "vitest";
import type { SignInJourney } from "../../../lib/driver/index.ts";
import type { FeatureAnswer, FeatureRevisit, StepUpResult } from "../../../lib/checks/service/step-up-scenario.ts";
import { stepUpOtherPersonFindings, stepUpRequestFindings, stepUpVotFindings } from "../../../lib/checks/service/step-up.ts";

const SVC = "http://127.0.0.1:1";
const FEATURE = `${SVC}/account/verified`;
const REGISTERED = ["P5.Cp.Cd", "P5.Cp.Ck", "P5.Cm", "P9.Cp.Cd", "P9.Cp.Ck", "P9.Cm"];
const P9 = '["P9.Cp.Cd","P9.Cp.Ck","P9.Cm"]';
const callback = { method: "GET" as const, url: `${SVC}/callback?code=c`, status: 303, setCookies: [], body: "" };
const journey = {
  navigation: { hops: [callback] },
  callback,
  authorization: { method: "GET", url: "http://127.0.0.1:2/authorize", params: { state: "s1", nonce: "n1" }, repeated: [] },
} as unknown as SignInJourney;
const request = (params: Record<string, string>) => ({
  method: "GET" as const,
  url: `http://127.0.0.1:2/authorize?x`,
  params: { state: "s2", nonce: "n2", vtr: P9, ...params },
  repeated: [],
});
const stepped = (extra: Partial<FeatureAnswer> = {}): FeatureAnswer => ({
  url: FEATURE,
  request: request({}),
  callback: { status: 303, path: "/callback" },
  answer: { outcome: "code", faults: [] },
  ...extra,
});
const servedPage = (text = "Your GP record Name: Fenella FIVE-SIMULATED"): FeatureRevisit => ({
  sentToSignIn: false,
  page: { status: 200, path: "/account/verified", text },
});
const result = (before?: FeatureAnswer, after?: FeatureRevisit, notSignedIn?: string): StepUpResult => ({
  mode: "uplift",
  journey,
  ...(notSignedIn !== undefined ? { notSignedIn } : {}),
  ...(before ? { before } : {}),
  ...(after ? { after } : {}),
  events: [],
});
const said = (fs: { requirement: string; status: string; message: string }[]) =>
  fs.map((f) => `${f.requirement} ${f.status}: ${f.message}`);
const AT = "GET /account/verified by a person signed in at P5";

describe("stepUpRequestFindings", () => {
  it("passes a step-up with P9 vectors only, fresh state and nonce, after which the feature is served", () => {
    expect(said(stepUpRequestFindings(result(stepped(), servedPage()), REGISTERED))).toEqual([
      `VOT-11 passed: ${AT} was not served: the service sent the browser to NHS login`,
      `STEPUP-02 passed: the step-up request of ${AT} asks for ${P9} (P9 only), with a fresh state and nonce`,
      `STEPUP-05 passed: after a step-up of the same person answered at P9 (for vtr ${P9}) the session moved to P9: ` +
        "GET /account/verified answered HTTP 200 at /account/verified",
    ]);
  });

  it("fails a step-up request that lets NHS login answer below P9, or reuses the first state or nonce", () => {
    const mixed = said(
      stepUpRequestFindings(
        result(stepped({ request: request({ vtr: '["P5.Cp.Cd","P9.Cp.Cd"]', nonce: "n1" }) }), servedPage()),
        REGISTERED,
      ),
    );
    expect(mixed.filter((m) => m.startsWith("STEPUP-02"))).toEqual([
      `STEPUP-02 failed: the step-up request of ${AT} asks for vtr ["P5.Cp.Cd","P9.Cp.Cd"]: P5.Cp.Cd would let NHS login answer below P9`,
      `STEPUP-02 failed: the step-up request of ${AT} reuses the first sign-in's nonce`,
    ]);
    expect(said(stepUpRequestFindings(result(stepped({ request: request({ vtr: "P9" }) }), servedPage()), REGISTERED))[1]).toMatch(
      /^STEPUP-02 failed: the step-up request of .* has no vtr of P9 vectors: /,
    );
  });

  it("fails a feature served at P5 with no step-up; a denial without a step-up passes VOT-11 and fails STEPUP-02", () => {
    const served = said(
      stepUpRequestFindings(result({ url: FEATURE, page: { status: 200, path: "/account/verified", text: "" } }), REGISTERED),
    );
    expect(served).toEqual([
      `VOT-11 failed: ${AT} answered HTTP 200 at /account/verified, offering no step-up: a feature for P9 users must not be served at P5`,
      `STEPUP-02 failed: ${AT} answered HTTP 200 at /account/verified and never sent the browser to NHS login: ` +
        "a P5 user reaching a P9 feature must be offered a step-up (a new authentication request with P9 vectors only)",
      "STEPUP-05 inconclusive: no step-up was started, so what a step-up does to the session was not seen",
    ]);
    const denied = said(
      stepUpRequestFindings(result({ url: FEATURE, page: { status: 403, path: "/account/verified", text: "" } }), REGISTERED),
    );
    expect(denied[0]).toBe(`VOT-11 passed: ${AT} was not served: it answered HTTP 403 at /account/verified`);
    expect(denied[1]).toMatch(/^STEPUP-02 failed: /);
  });

  it("names the page's control when the step-up was offered on a page, and judges the feature against that page", () => {
    const offer = { status: 200, path: "/account/verified", text: "Verify your identity to see this" };
    const before = stepped({ via: 'followed the link "Verify with NHS login" to /step-up', page: offer });
    const f = said(stepUpRequestFindings(result(before, { sentToSignIn: false, page: offer }), REGISTERED));
    expect(f[0]).toBe(
      `VOT-11 passed: ${AT} was not served: the service sent the browser to NHS login, through the page's control ` +
        '(followed the link "Verify with NHS login" to /step-up)',
    );
    // The same offer page after the step-up: the session was not moved.
    expect(f[2]).toBe(
      `STEPUP-05 warning: after a step-up of the same person answered at P9 (for vtr ${P9}) the session did not move to P9: ` +
        "GET /account/verified answered HTTP 200 at /account/verified",
    );
  });

  it("warns when the session stays at P5 after the uplift, or the service refused it", () => {
    expect(said(stepUpRequestFindings(result(stepped(), { sentToSignIn: true }), REGISTERED))[2]).toBe(
      `STEPUP-05 warning: after a step-up of the same person answered at P9 (for vtr ${P9}) the session did not move to P9: ` +
        "GET /account/verified sent the browser to NHS login again",
    );
    expect(
      said(stepUpRequestFindings(result(stepped({ callback: { status: 400, path: "/callback" } }), { sentToSignIn: true }), REGISTERED))[2],
    ).toBe(
      `STEPUP-05 warning: a step-up of the same person answered at P9 (for vtr ${P9}) did not complete: ` +
        "the service's callback answered HTTP 400",
    );
  });

  it("is skipped without P5 vectors, and inconclusive when the P5 sign-in or the feature gave nothing", () => {
    expect(said(stepUpRequestFindings(result(stepped()), ["P9.Cp.Cd"]))[0]).toBe(
      'STEPUP-02 skipped: not applicable: the registered vtr ["P9.Cp.Cd"] has no P5 vector, so no P5 user signs in to step up',
    );
    const none = "the sign-in as a P5 person did not reach the service's redirect URI (the start page has no sign-in link)";
    expect(said(stepUpRequestFindings(result(undefined, undefined, none), REGISTERED))).toEqual(
      ["STEPUP-02", "VOT-11", "STEPUP-05"].map((id) => `${id} inconclusive: ${none}, so no step-up could start`),
    );
    expect(said(stepUpRequestFindings(result({ url: FEATURE, error: "connection refused" }), REGISTERED))[0]).toBe(
      "STEPUP-02 inconclusive: the feature for P9 users gave no answer: connection refused",
    );
  });
});

describe("what the revisit after the step-up shows", () => {
  const stepUp05 = (before: FeatureAnswer, after?: FeatureRevisit) => said(stepUpRequestFindings(result(before, after), REGISTERED))[2];
  it("is inconclusive with no answer, a page elsewhere, or an answer the simulator did not give as armed", () => {
    expect(stepUp05(stepped(), { sentToSignIn: false, error: "timeout" })).toBe(
      "STEPUP-05 inconclusive: GET /account/verified gave no answer (timeout), so the session after the step-up was not seen",
    );
    expect(stepUp05(stepped(), { sentToSignIn: false, page: { status: 200, path: "/login", text: "Sign in" } })).toBe(
      "STEPUP-05 inconclusive: GET /account/verified answered HTTP 200 at /login, not the feature's own page, " +
        "so whether the session holds P9 was not seen",
    );
    expect(stepUp05(stepped({ answer: { outcome: "redirect-error:invalid_request", faults: [] } }), servedPage())).toBe(
      "STEPUP-05 inconclusive: the simulator did not answer the step-up request with a code (redirect-error:invalid_request), " +
        "so no step-up took place",
    );
    expect(said(stepUpVotFindings(result(stepped(), servedPage()), REGISTERED))).toEqual([
      "VOT-13 inconclusive: the simulator answered the step-up without the armed id-token-vot-outside-vtr, " +
        "so it was not the answer under test",
    ]);
  });

  it("takes the same step-up offer again for not served, even when the page's text changed", () => {
    const offer = { status: 200, path: "/account/verified", text: "Hello Fenella, 10:01: verify your identity" };
    const before = stepped({ via: "followed the link", viaUrl: `${SVC}/verify`, page: offer });
    const again = {
      sentToSignIn: false,
      page: { ...offer, text: "Hello Fenella, 10:02: verify your identity" },
      offersUrl: `${SVC}/verify`,
    };
    expect(stepUp05(before, again)).toMatch(/^STEPUP-05 warning: .* did not move to P9/);
  });
});

describe("stepUpOtherPersonFindings", () => {
  const STEP =
    "after a step-up answered by another person (sub 4d8f1c2a-9b7e-4e21-8a3c-5f6d7e8f9a01, not 7a2e5b90-3c1d-4f6e-9a8b-0c1d2e3f4a05)";
  it("passes when the session is not raised, or a separate session is the other person's", () => {
    expect(said(stepUpOtherPersonFindings(result(stepped(), { sentToSignIn: true }), REGISTERED))).toEqual([
      `STEPUP-05 passed: ${STEP} the session was not raised: GET /account/verified sent the browser to NHS login again`,
    ]);
    expect(said(stepUpOtherPersonFindings(result(stepped(), servedPage("Name: Nia NINE-SIMULATED")), REGISTERED))).toEqual([
      `STEPUP-05 passed: ${STEP} the service started a separate session for that person (Nia NINE-SIMULATED): ` +
        "GET /account/verified answered HTTP 200 at /account/verified",
    ]);
  });

  it("warns when the first person's session is raised, and cannot tell whose session names neither", () => {
    expect(said(stepUpOtherPersonFindings(result(stepped(), servedPage("NHS number: 999 001 0013")), REGISTERED))).toEqual([
      `STEPUP-05 warning: ${STEP} the feature for P9 users is served to the first person (Fenella FIVE-SIMULATED): ` +
        "GET /account/verified answered HTTP 200 at /account/verified; " +
        "the session must move to the new level only when the sub is unchanged",
    ]);
    expect(said(stepUpOtherPersonFindings(result(stepped(), servedPage("Your GP record")), REGISTERED))[0]).toMatch(
      /^STEPUP-05 inconclusive: .* naming neither Fenella FIVE-SIMULATED nor Nia NINE-SIMULATED, so whose session it is was not seen$/,
    );
    expect(said(stepUpOtherPersonFindings(result({ url: FEATURE, page: { status: 200, path: "/x", text: "" } }), REGISTERED))).toEqual([
      "STEPUP-05 inconclusive: GET /account/verified never sent the browser to NHS login, so no step-up could be answered",
    ]);
  });
});

describe("stepUpVotFindings", () => {
  const STEP = `after a step-up for vtr ${P9} answered with a vot outside it (the same person)`;
  const armed = (extra: Partial<FeatureAnswer> = {}) =>
    stepped({ answer: { outcome: "code", faults: ["id-token-vot-outside-vtr"] }, ...extra });
  it("passes when nothing is raised; warns when the feature is served", () => {
    expect(
      said(stepUpVotFindings(result(armed({ callback: { status: 400, path: "/callback" } }), { sentToSignIn: true }), REGISTERED)),
    ).toEqual([`VOT-13 passed: ${STEP} the session was not raised: GET /account/verified sent the browser to NHS login again`]);
    expect(said(stepUpVotFindings(result(armed(), servedPage()), REGISTERED))).toEqual([
      `VOT-13 warning: ${STEP} the feature for P9 users is served: GET /account/verified answered HTTP 200 at /account/verified; ` +
        "the vot must be checked against this request's vtr, not against every registered vector",
    ]);
  });
});
