/**
 * The findings of refused sign-ins (ID-token faults, authorization errors, replay, UserInfo),
 * on crafted journeys.
 */
import { SignedInUnknownError } from "../../../lib/errors/index.ts";
import { describe, expect, it } from "vitest";
import type { Hop, Navigation, SignInJourney } from "../../../lib/driver/index.ts";
import type { SimulatorEvent } from "../../../lib/simulator/state.ts";
import { idTokenFaultFindings, ID_TOKEN_FAULT_GRADES } from "../../../lib/checks/service/id-token-handling.ts";
import {
  authorizationErrorFindings,
  codeReplayFindings,
  forgedCallbackFindings,
  noConsentContentFindings,
} from "../../../lib/checks/service/error-handling.ts";
import { userinfoAfterTokenFindings, userinfoRequestFindings, userinfoSubFindings } from "../../../lib/checks/service/userinfo-usage.ts";
import { pageFindings } from "../../../lib/checks/service/page.ts";
import { FORGED_FAMILY_NAME, HOSTILE_DESCRIPTION, type ReplayResult } from "../../../lib/checks/service/scenarios.ts";
import { ID_TOKEN_FAULT_IDS } from "../../../lib/simulator/faults.ts";
import { overallStatus as status } from "../../../lib/checks/grade.ts";

const NO_CONSENT =
  "<h1>You cannot continue without sharing your information</h1>" +
  '<p>If you need medical help, go to <a href="https://111.nhs.uk/">111.nhs.uk</a> or call <a href="tel:111">111</a>.</p>' +
  '<p>Call <a href="tel:999">999</a>.</p>';
function hop(status: number, body = "<h1>Sorry</h1>", url = "http://127.0.0.1:1/callback"): Hop {
  return { method: "GET", url, status, setCookies: [], body, contentType: "text/html" };
}
function journey(o: { signedIn?: boolean; landing?: Hop; error?: string; authorize?: boolean } = {}): SignInJourney {
  const landing = o.landing ?? hop(400);
  const navigation: Navigation = { hops: [landing], final: landing, ...(o.error ? { error: o.error } : {}) };
  return {
    navigation,
    ...(o.authorize === false ? {} : { authorization: { method: "GET", url: "http://127.0.0.1:2/authorize", params: {}, repeated: [] } }),
    callback: landing,
    landing,
    probe: { signedIn: o.signedIn ?? false, evidence: "a probe in the test", navigation: { hops: [] } },
    signedIn: o.signedIn ?? false,
  };
}
const ev = (type: SimulatorEvent["type"], detail: Record<string, unknown>): SimulatorEvent => ({ type, at: 1, detail });

describe("pages", () => {
  it("a page below 500 passes; 5xx, a stack trace, no answer fail", () => {
    expect(pageFindings("FED-ARESP-09", journey().navigation)).toEqual([]);
    expect(pageFindings("FED-ARESP-09", journey({ landing: hop(502) }).navigation)[0]?.status).toBe("failed");
    expect(
      pageFindings("FED-ARESP-09", journey({ landing: hop(400, "Error: boom\n    at handler (/srv/app.js:10:5)") }).navigation)[0]?.status,
    ).toBe("failed");
    expect(pageFindings("FED-ARESP-09", journey({ error: "connection refused" }).navigation)[0]?.status).toBe("failed");
  });
});

describe("ID-token fault findings", () => {
  const delivered = (fault: string) => [ev("authorize", { faults: [fault] }), ev("token", { outcome: "issued" })];
  it("a UserInfo call with the access token of a faulty ID token is acceptance, whatever the page shows (the back channel)", () => {
    const events = [...delivered("id-token-nonce-wrong"), ev("userinfo", { outcome: "claims" })];
    const out = idTokenFaultFindings("id-token-nonce-wrong", { journey: journey(), events });
    expect(out.map((f) => [f.status, f.message])).toEqual([
      [
        "failed",
        "the service accepted the token response although NHS login sent: ID token with another nonce " +
          "(it then called UserInfo with the access token that came with it, by the simulator's event log)",
      ],
    ]);
    // No oracle can tell, but the back channel can; without it the check cannot say anything.
    const unknown = Object.defineProperty({ ...journey() }, "signedIn", {
      get: () => {
        throw new SignedInUnknownError("no way of telling a signed-in browser was proven");
      },
    });
    expect(status(idTokenFaultFindings("id-token-nonce-wrong", { journey: unknown, events }))).toBe("failed");
    expect(() => idTokenFaultFindings("id-token-nonce-wrong", { journey: unknown, events: delivered("id-token-nonce-wrong") })).toThrow(
      SignedInUnknownError,
    );
  });

  it("refused with a page passes; signed in fails (or warns for the softer faults); undelivered is inconclusive", () => {
    expect(status(idTokenFaultFindings("id-token-nonce-wrong", { journey: journey(), events: delivered("id-token-nonce-wrong") }))).toBe(
      "passed",
    );
    expect(
      status(
        idTokenFaultFindings("id-token-nonce-wrong", {
          journey: journey({ signedIn: true, landing: hop(200) }),
          events: delivered("id-token-nonce-wrong"),
        }),
      ),
    ).toBe("failed");
    expect(
      status(
        idTokenFaultFindings("id-token-iat-future", {
          journey: journey({ signedIn: true, landing: hop(200) }),
          events: delivered("id-token-iat-future"),
        }),
      ),
    ).toBe("warning");
    expect(
      status(
        idTokenFaultFindings("id-token-nonce-wrong", {
          journey: journey({ landing: hop(500) }),
          events: delivered("id-token-nonce-wrong"),
        }),
      ),
    ).toBe("failed");
    expect(status(idTokenFaultFindings("id-token-nonce-wrong", { journey: journey(), events: [ev("authorize", { faults: [] })] }))).toBe(
      "inconclusive",
    );
    expect(
      status(
        idTokenFaultFindings("id-token-nonce-wrong", {
          journey: journey(),
          events: [ev("authorize", { faults: ["id-token-nonce-wrong"] })],
        }),
      ),
    ).toBe("inconclusive"); // delivered, but the code was never redeemed: the handling was not observed
  });
  it("grades every fault of the catalogue", () => {
    for (const f of ID_TOKEN_FAULT_IDS) expect(["failed", "warning"]).toContain(ID_TOKEN_FAULT_GRADES[f]);
    for (const f of ID_TOKEN_FAULT_IDS.filter((x) => !["id-token-extra-aud", "id-token-iat-future", "id-token-vtm-missing"].includes(x))) {
      expect(status(idTokenFaultFindings(f, { journey: journey({ signedIn: true, landing: hop(200) }), events: delivered(f) })), f).toBe(
        "failed",
      );
    }
  });
});

describe("authorization error findings", () => {
  it("access_denied: the no-consent screen passes; missing content warns; signed in, a token call or a 5xx fail", () => {
    expect(status(authorizationErrorFindings("access_denied", { journey: journey({ landing: hop(403, NO_CONSENT) }), events: [] }))).toBe(
      "passed",
    );
    expect(status(authorizationErrorFindings("access_denied", { journey: journey(), events: [] }))).toBe("warning");
    expect(status(noConsentContentFindings(NO_CONSENT.replace('href="tel:999"', 'href="#"')))).toBe("warning");
    expect(status(authorizationErrorFindings("access_denied", { journey: journey({ signedIn: true }), events: [] }))).toBe("failed");
    expect(status(authorizationErrorFindings("access_denied", { journey: journey({ landing: hop(500) }), events: [] }))).toBe("failed");
    expect(status(authorizationErrorFindings("invalid_scope", { journey: journey(), events: [ev("token", {})] }))).toBe("failed");
  });
  it("state missing or wrong: any token request fails", () => {
    expect(status(authorizationErrorFindings("state-wrong", { journey: journey(), events: [] }))).toBe("passed");
    expect(status(authorizationErrorFindings("state-missing", { journey: journey(), events: [ev("token", { outcome: "issued" })] }))).toBe(
      "failed",
    );
  });
  it("server_error and temporarily_unavailable want a try-again message", () => {
    expect(
      status(
        authorizationErrorFindings("server_error", {
          journey: journey({ landing: hop(400, "<p>Please try again later</p>") }),
          events: [],
        }),
      ),
    ).toBe("passed");
    expect(
      status(authorizationErrorFindings("temporarily_unavailable", { journey: journey({ landing: hop(400, "<p>Oops</p>") }), events: [] })),
    ).toBe("warning");
  });
  it("an undefined code: the error_description must not be echoed unescaped", () => {
    expect(status(authorizationErrorFindings("unknown-error", { journey: journey(), events: [] }))).toBe("passed");
    expect(
      status(
        authorizationErrorFindings("unknown-error", {
          journey: journey({ landing: hop(400, `<p>${HOSTILE_DESCRIPTION}</p>`) }),
          events: [],
        }),
      ),
    ).toBe("warning");
  });
  it("sso_login_required: a page, or a fallback to interactive sign-in, but no loop", () => {
    const authorize = (prompt?: string) => ev("authorize", { params: prompt ? { prompt } : {} });
    expect(status(authorizationErrorFindings("sso_login_required", { journey: journey(), events: [authorize()] }))).toBe("passed");
    expect(
      status(
        authorizationErrorFindings("sso_login_required", {
          journey: journey({ signedIn: true, landing: hop(200) }),
          events: [authorize("none"), authorize()],
        }),
      ),
    ).toBe("passed");
    expect(
      status(
        authorizationErrorFindings("sso_login_required", {
          journey: journey({ signedIn: true, landing: hop(200) }),
          events: [authorize()],
        }),
      ),
    ).toBe("failed");
    expect(
      status(
        authorizationErrorFindings("sso_login_required", {
          journey: journey(),
          events: [authorize("none"), authorize("none"), authorize("none")],
        }),
      ),
    ).toBe("warning"); // FED-ARESP-10 is a SHOULD
  });
  it("never reaching /authorize is inconclusive, naming what the browser saw", () => {
    const unseen = authorizationErrorFindings("access_denied", {
      journey: {
        ...journey({ authorize: false }),
        notReached: "the browser never reached NHS login's /authorize: the start page was HTTP 200 at /",
      },
      events: [],
    });
    expect(unseen.every((f) => f.status === "inconclusive")).toBe(true);
    expect(unseen[0]!.message).toBe(
      "the error response could not be delivered: the browser never reached NHS login's /authorize: the start page was HTTP 200 at /",
    );
  });
  it("replay: a second redemption or another browser signed in fails", () => {
    const page = {
      navigation: { hops: [hop(400)], final: hop(400) },
      probe: { signedIn: false, evidence: "a probe in the test", navigation: { hops: [] } },
    };
    const base: ReplayResult = {
      first: journey({ signedIn: true, landing: hop(200) }),
      again: page,
      elsewhere: page,
      callbackUrl: "http://127.0.0.1:1/callback?code=x&state=y",
      events: [ev("token", { params: { code: "sha256:a" } })],
    };
    expect(status(codeReplayFindings(base))).toBe("passed");
    expect(status(codeReplayFindings({ ...base, events: [...base.events, ev("token", { params: { code: "sha256:a" } })] }))).toBe("failed");
    expect(
      status(
        codeReplayFindings({
          ...base,
          elsewhere: { ...page, probe: { signedIn: true, evidence: "a probe in the test", navigation: { hops: [] } } },
        }),
      ),
    ).toBe("failed");
    expect(status(codeReplayFindings({ ...base, first: journey() }))).toBe("inconclusive");
    // No code sent to /token at all: nothing to judge a reuse on.
    expect(status(codeReplayFindings({ ...base, events: [] }).filter((f) => f.requirement === "FED-ARESP-04"))).toBe("inconclusive");
  });
});

describe("UserInfo findings", () => {
  it("FED-IDT-19: each code exchange followed by a UserInfo call passes; one without warns; none observed is inconclusive", () => {
    const exchange = ev("token", { outcome: "issued", params: { grant_type: "authorization_code" } });
    const info = ev("userinfo", { outcome: "claims" });
    const refresh = ev("token", { outcome: "issued", params: { grant_type: "refresh_token" } });
    expect(userinfoAfterTokenFindings([exchange, info, refresh, exchange, info])).toEqual([
      { requirement: "FED-IDT-19", status: "passed", message: "each of 2 code exchange(s) was followed by a UserInfo call" },
    ]);
    // The second exchange's call is the third's: it does not count for the second.
    const [f] = userinfoAfterTokenFindings([exchange, info, exchange, exchange, info]);
    expect(f).toMatchObject({
      status: "warning",
      message: expect.stringMatching(/^1 of 3 code exchange\(s\) were not followed by a UserInfo call/),
    });
    expect(userinfoAfterTokenFindings([info, exchange])[0]!.status).toBe("warning");
    const refused = ev("token", { outcome: "invalid_grant", params: { grant_type: "authorization_code" } });
    expect(userinfoAfterTokenFindings([refused, refresh, info])).toEqual([
      { requirement: "FED-IDT-19", status: "inconclusive", message: "no code was redeemed during the sign-ins, so nothing followed one" },
    ]);
  });

  it("the token in the Authorization header only; POST warns; no call fails", () => {
    expect(status(userinfoRequestFindings([ev("userinfo", { method: "GET", tokenIn: ["header"], outcome: "claims" })]))).toBe("passed");
    expect(status(userinfoRequestFindings([ev("userinfo", { method: "POST", tokenIn: ["header"], outcome: "claims" })]))).toBe("warning");
    expect(status(userinfoRequestFindings([ev("userinfo", { method: "GET", tokenIn: ["query"], outcome: "invalid_request" })]))).toBe(
      "failed",
    );
    expect(status(userinfoRequestFindings([ev("userinfo", { method: "POST", tokenIn: ["body"], outcome: "invalid_request" })]))).toBe(
      "failed",
    );
    expect(status(userinfoRequestFindings([]))).toBe("failed");
  });
  it("another sub: signed in fails, refused passes, no call fails", () => {
    const called = [ev("userinfo", { outcome: "claims" })];
    expect(status(userinfoSubFindings({ journey: journey(), events: called }))).toBe("passed");
    expect(status(userinfoSubFindings({ journey: journey({ signedIn: true, landing: hop(200) }), events: called }))).toBe("failed");
    expect(status(userinfoSubFindings({ journey: journey(), events: [] }))).toBe("inconclusive");
  });
});

describe("forged front-channel tokens (FED-ARESP-14)", () => {
  const forged = (o: { signedIn?: boolean | "unknown"; body?: string; status?: number; redeemed?: boolean } = {}) => {
    const landing = {
      ...hop(o.status ?? (o.signedIn === true ? 200 : 400), o.body),
      url: "http://127.0.0.1:1/callback?code=c&id_token=x.y.z",
    };
    const j = journey({ signedIn: o.signedIn === true, landing });
    if (o.signedIn === "unknown")
      Object.defineProperty(j, "signedIn", {
        get: () => {
          throw new SignedInUnknownError("no oracle");
        },
      });
    return { journey: j, events: o.redeemed === false ? [] : [ev("token", { outcome: "issued" })] };
  };

  it("passes when the code was redeemed and the real person signed in, or when the response was refused", () => {
    expect(forgedCallbackFindings(forged({ signedIn: true, body: "<p>Welcome, Pat Example</p>" }))[0]).toMatchObject({
      status: "passed",
      message: expect.stringMatching(/redeemed the code and signed in the real person/),
    });
    expect(forgedCallbackFindings(forged({ redeemed: false }))[0]).toMatchObject({
      status: "passed",
      message: expect.stringMatching(/refused the callback/),
    });
  });

  it("warns (a derived rule) when the forged person shows, or someone signed in without the code", () => {
    const shown = forgedCallbackFindings(forged({ signedIn: true, body: `<p>Welcome, Mallory ${FORGED_FAMILY_NAME}</p>` }));
    expect(shown.map((f) => f.status)).toEqual(["warning"]);
    expect(shown[0]!.message).toMatch(/shows the forged person/);
    const noCode = forgedCallbackFindings(forged({ signedIn: true, redeemed: false }));
    expect(noCode.map((f) => [f.status, f.message])).toEqual([
      ["warning", "the service signed someone in without redeeming the code: the identity came from the front-channel id_token"],
    ]);
  });

  it("is inconclusive when the callback was never sent, or no oracle can tell", () => {
    const notSent = { journey: journey({ landing: hop(400) }), events: [] };
    expect(forgedCallbackFindings(notSent)[0]?.status).toBe("inconclusive");
    expect(forgedCallbackFindings(forged({ signedIn: "unknown" }))[0]).toMatchObject({
      status: "inconclusive",
      message: expect.stringMatching(/no oracle$/),
    });
  });
});
