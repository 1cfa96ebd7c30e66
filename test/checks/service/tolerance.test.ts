/**
 * The findings of sign-ins carrying what NHS login may add (unknown header parameters and
 * claims), on crafted journeys, and the additions as the simulator delivers them.
 */
import { describe, expect, it } from "vitest";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { SignedInUnknownError } from "../../../lib/errors/index.ts";
import type { Hop, Navigation, SignInJourney } from "../../../lib/driver/index.ts";
import type { SimulatorEvent } from "../../../lib/simulator/state.ts";
import { toleranceFindings } from "../../../lib/checks/service/tolerance.ts";
import { TOLERATED_FAULT_IDS } from "../../../lib/simulator/faults.ts";
import { FAULTS } from "../../../lib/simulator/faults.ts";
import { deviationStatus } from "../../../lib/requirements/index.ts";

function hop(status: number, body = "<h1>Sorry</h1>"): Hop {
  return { method: "GET", url: "http://127.0.0.1:1/callback", status, setCookies: [], body, contentType: "text/html" };
}
function journey(signedIn: boolean | "unknown", landing = hop(signedIn === true ? 200 : 400)): SignInJourney {
  const navigation: Navigation = { hops: [landing], final: landing };
  const j = {
    navigation,
    authorization: { method: "GET", url: "http://127.0.0.1:2/authorize", params: {}, repeated: [] },
    callback: landing,
    landing,
    probe: { signedIn: signedIn === true, evidence: "the protected page answered", navigation: { hops: [] } },
    signedIn: signedIn === true,
  } as SignInJourney;
  if (signedIn === "unknown")
    Object.defineProperty(j, "signedIn", {
      get: () => {
        throw new SignedInUnknownError("no way of telling a signed-in browser was proven");
      },
    });
  return j;
}
const ev = (type: SimulatorEvent["type"], detail: Record<string, unknown>): SimulatorEvent => ({ type, at: 1, detail });
const delivered = (fault: string) => [
  ev("authorize", { faults: [fault] }),
  ev("token", { outcome: "issued" }),
  ev("userinfo", { outcome: "claims" }),
];

describe("toleranceFindings", () => {
  it.each(TOLERATED_FAULT_IDS)("%s: signed in passes, refused fails under its requirement, naming the addition", (fault) => {
    const [id] = FAULTS[fault].requirements;
    const ok = toleranceFindings(fault, { journey: journey(true), events: delivered(fault) });
    expect(ok.map((f) => [f.requirement, f.status])).toEqual([[id, "passed"]]);
    const refused = toleranceFindings(fault, { journey: journey(false), events: delivered(fault) });
    expect(refused[0]).toMatchObject({ requirement: id, status: deviationStatus(id!) });
    expect(refused[0]!.message).toContain(`refused an otherwise good sign-in when NHS login sent: ${FAULTS[fault].title}`);
    expect(refused[0]!.evidence).toBeDefined();
  });

  it("is inconclusive when the addition never reached the service, and when no oracle can tell", () => {
    const fault = "id-token-unknown-claims";
    expect(toleranceFindings(fault, { journey: journey(true), events: [] })[0]).toMatchObject({
      status: "inconclusive",
      message: expect.stringMatching(/never delivered/),
    });
    expect(toleranceFindings(fault, { journey: journey(true), events: [ev("authorize", { faults: [fault] })] })[0]).toMatchObject({
      status: "inconclusive",
      message: expect.stringMatching(/never redeemed the code/),
    });
    expect(toleranceFindings(fault, { journey: journey("unknown"), events: delivered(fault) })[0]).toMatchObject({
      status: "inconclusive",
      message: expect.stringMatching(/no way of telling a signed-in browser was proven$/),
    });
    const noUserinfo = delivered("userinfo-unknown-claims").slice(0, 2);
    expect(toleranceFindings("userinfo-unknown-claims", { journey: journey(false), events: noUserinfo })[0]).toMatchObject({
      status: "inconclusive",
      message: expect.stringMatching(/did not call UserInfo/),
    });
  });

  it("the simulator's additions are what the titles say: a header parameter, and claims in each token and UserInfo", async () => {
    const { startSimulator } = await import("../../../lib/simulator/start-simulator.ts");
    const sim = await startSimulator();
    try {
      const { signToken } = await import("../../../lib/simulator/tokens/sign.ts");
      const recipe = FAULTS["id-token-unknown-header"].hooks.idTokenSigning!({ alg: "RS512", key: "signing", kid: "own" }, undefined);
      const token = await signToken(sim.context, { sub: "x" }, recipe);
      expect(decodeProtectedHeader(token)).toMatchObject({
        alg: "RS512",
        kid: sim.context.keys.signing.kid,
        "x-nhslogin-extension": "ignore-me",
      });
      expect(decodeJwt(token).sub).toBe("x");
      const claims = FAULTS["id-token-unknown-claims"].hooks.idTokenClaims!({ sub: "x" }, undefined as never);
      expect(Object.keys(claims)).toEqual(["sub", "id_status", "x_nhslogin_extension"]);
      expect(Object.keys(FAULTS["access-token-unknown-claims"].hooks.accessTokenClaims!({ sub: "x" }, undefined as never))).toContain(
        "x_nhslogin_extension",
      );
      expect(Object.keys(FAULTS["userinfo-unknown-claims"].hooks.userinfoBody!({ sub: "x" }, undefined))).toContain("x_nhslogin_extension");
    } finally {
      await sim.stop();
    }
  });
});
