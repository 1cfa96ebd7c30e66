import { describe, expect, it } from "vitest";
import type { SimulatorEvent } from "../../../lib/simulator/state.ts";
import {
  paBodyFindings,
  paErrorFindings,
  paOutcomeFindings,
  paRawDescriptionFindings,
  paRequestFindings,
  paTokenExpiryFindings,
  paTokenReuseFindings,
  provisionObservation,
  provisionVerdict,
} from "../../../lib/checks/service/provision-account-consumer.ts";
import type { ProvisionAnswer } from "../../../lib/checks/service/service-context.ts";

const GOOD = {
  nhs_number: "9990200009",
  email_address: "new.patient@example.org",
  date_of_birth: "1990-05-17",
  ods_code: "A12345",
  phone_number: "+447700900201",
};

function call(detail: Record<string, unknown> = {}): SimulatorEvent {
  return {
    type: "provision-account",
    at: 0,
    clientId: "svc",
    detail: {
      method: "POST",
      path: "/provision-account",
      contentType: "application/json",
      authorization: { present: true, scheme: "Bearer", bearer: true },
      body: { json: true, fields: GOOD },
      status: 200,
      code: "create",
      atMs: 1000,
      ...detail,
    },
  };
}
const token = (): SimulatorEvent => ({
  type: "token",
  at: 0,
  clientId: "svc",
  detail: {
    method: "POST",
    contentType: "application/x-www-form-urlencoded",
    params: { grant_type: "client_credentials" },
    outcome: "issued",
  },
});
const answer = (body: unknown): ProvisionAnswer => ({ request: {}, status: 200, body, ms: 5 });
const statuses = (fs: { requirement: string; status: string }[]) => fs.map((f) => `${f.requirement} ${f.status}`);

describe("the hook's answer", () => {
  it("is read by its contract; anything else is a problem, never a verdict", () => {
    const obs = (a: ProvisionAnswer[]) => provisionObservation([], a, "label");
    expect(provisionVerdict(obs([answer({ outcome: "created", message: "ok" })]))).toEqual({ outcome: "created", message: "ok" });
    expect(provisionVerdict(obs([answer({ outcome: "error", errorClass: "pending" })]))).toMatchObject({ errorClass: "pending" });
    expect(provisionVerdict(obs([answer({ outcome: "maybe" })]))).toMatchObject({ status: "inconclusive" });
    expect(provisionVerdict(obs([{ request: {}, status: 500, text: "boom", ms: 1 }]))).toMatchObject({ status: "failed" });
    expect(provisionVerdict(obs([{ request: {}, error: "ECONNREFUSED", ms: 1 }]))).toMatchObject({ status: "inconclusive" });
    expect(provisionVerdict(obs([]))).toMatchObject({ status: "inconclusive" });
  });
});

describe("PA-05, PA-06..10: what was sent", () => {
  it("passes a JSON POST with a Bearer token and a body that meets T7", () => {
    const obs = provisionObservation([call()], [answer({ outcome: "created" })], "create");
    expect(statuses(paRequestFindings([obs]))).toEqual(["PA-05 passed"]);
    expect(statuses(paBodyFindings([obs], "A12345"))).toEqual([
      "PA-06 passed",
      "PA-07 passed",
      "PA-08 passed",
      "PA-09 passed",
      "PA-10 passed",
    ]);
  });

  it("fails each field that breaks T7, and an ODS code that is not the organisation's", () => {
    const bad = call({
      body: { json: true, fields: { ...GOOD, date_of_birth: "1993-17-12", ods_code: "B12345", phone_number: "07700900201" } },
    });
    const f = paBodyFindings([provisionObservation([bad], [], "bad")], "A12345");
    expect(f.filter((x) => x.status === "failed").map((x) => x.requirement)).toEqual(["PA-08", "PA-10", "PA-09"]);
    expect(f.find((x) => x.requirement === "PA-08")?.message).toMatch(
      /bad, request 1 of 1\): date_of_birth "1993-17-12" is not a real date/,
    );
  });

  it("is inconclusive when nothing reached NHS login, and fails a form body", () => {
    const none = provisionObservation([], [answer({ outcome: "error", errorClass: "configuration" })], "refused");
    expect(new Set(paBodyFindings([none], "A12345").map((f) => f.status))).toEqual(new Set(["inconclusive"]));
    expect(statuses(paRequestFindings([none]))).toEqual(["PA-05 inconclusive"]);
    const form = call({ contentType: "application/x-www-form-urlencoded", body: { json: false, fields: GOOD } });
    expect(paRequestFindings([provisionObservation([form], [], "form")])[0]).toMatchObject({ status: "failed" });
  });
});

describe("PA-03, PA-11: token reuse and outcomes", () => {
  it("warns on a token per request, passes one token for two", () => {
    const two = (tokens: number) => provisionObservation([...Array.from({ length: tokens }, token), call(), call()], [], "two");
    expect(statuses(paTokenReuseFindings(two(1)))).toEqual(["PA-03 passed"]);
    expect(statuses(paTokenReuseFindings(two(2)))).toEqual(["PA-03 warning"]);
    expect(statuses(paTokenReuseFindings(provisionObservation([token(), call()], [], "one")))).toEqual(["PA-03 inconclusive"]);
  });

  it("fails an uplift reported as created; inconclusive when NHS login never answered it", () => {
    const uplift = provisionObservation([call({ code: "uplift" })], [answer({ outcome: "created" })], "uplift");
    expect(paOutcomeFindings(uplift, "uplifted")[0]).toMatchObject({
      status: "failed",
      message: /answered uplift; the service reported created/,
    });
    const never = provisionObservation(
      [call({ code: "11000", status: 400 })],
      [answer({ outcome: "error", errorClass: "unavailable" })],
      "x",
    );
    expect(paOutcomeFindings(never, "created")[0]?.status).toBe("inconclusive");
  });
});

describe("PA-03: an expired token is not presented", () => {
  const shortToken = (): SimulatorEvent => ({ ...token(), detail: { ...token().detail, faults: ["pa-token-short-lived"] } });
  it("fails a 401 expired after the 2 s token, passes a served request, is inconclusive without the 2 s token", () => {
    const first = provisionObservation([shortToken(), call()], [], "first");
    const expired = provisionObservation([call({ status: 401, reason: "the access token has expired" }), call()], [], "later");
    expect(paTokenExpiryFindings(first, expired)[0]).toMatchObject({ status: "failed", message: /after its expires_in \(2 s\)/ });
    expect(statuses(paTokenExpiryFindings(first, provisionObservation([call()], [], "later")))).toEqual(["PA-03 passed"]);
    expect(statuses(paTokenExpiryFindings(provisionObservation([call()], [], "first"), expired))).toEqual(["PA-03 inconclusive"]);
  });
});

describe("PA-13..21: errors", () => {
  const tries = (code: string, n: number, gapMs: number) =>
    Array.from({ length: n }, (_, i) => call({ status: 400, code, faults: [`pa-answer:${code}`], atMs: 1000 + i * gapMs }));

  it("fails a retried 11010, a tight loop on 11011 and a wrong class; warns an unretried 11000 and a retry at once", () => {
    const err = (cls: string) => [answer({ outcome: "error", errorClass: cls, message: "ours" })];
    expect(
      statuses(
        paErrorFindings(provisionObservation(tries("11010", 3, 100), err("input"), "x"), { code: "11010", fault: "pa-answer:11010" }),
      ),
    ).toContain("PA-14 failed");
    expect(
      paErrorFindings(provisionObservation(tries("11011", 3, 10), err("too-many-requests"), "x"), {
        code: "11011",
        fault: "pa-answer:11011",
      })[0],
    ).toMatchObject({ status: "failed", message: /3 requests after 11011, 2 of them less than 1000 ms apart/ });
    expect(
      statuses(
        paErrorFindings(provisionObservation(tries("11011", 2, 1500), err("too-many-requests"), "x"), {
          code: "11011",
          fault: "pa-answer:11011",
        }),
      ),
    ).toEqual(["PA-16 passed"]);
    expect(
      statuses(
        paErrorFindings(provisionObservation(tries("11000", 1, 0), err("unavailable"), "x"), { code: "11000", fault: "pa-answer:11000" }),
      ),
    ).toEqual(["PA-13 warning"]);
    expect(
      statuses(paErrorFindings(provisionObservation(tries("11005", 1, 0), err("input"), "x"), { code: "11005", fault: "pa-answer:11005" })),
    ).toEqual(["PA-18 failed"]);
    const atOnce = tries("11000", 3, 5);
    expect(
      paErrorFindings(provisionObservation(atOnce, err("unavailable"), "x"), { code: "11000", fault: "pa-answer:11000" })[0],
    ).toMatchObject({
      status: "warning",
      message: /retried at once \(less than 20 ms later\)/,
    });
  });

  it("fails a success reported after an error, and is inconclusive when the fault never answered", () => {
    const created = provisionObservation(tries("11004", 1, 0), [answer({ outcome: "created" })], "x");
    expect(paErrorFindings(created, { code: "11004", fault: "pa-answer:11004" })[0]).toMatchObject({
      requirement: "PA-19",
      status: "failed",
    });
    const none = provisionObservation([], [answer({ outcome: "error", errorClass: "pending" })], "x");
    expect(statuses(paErrorFindings(none, { code: "11003", fault: "pa-answer:11003" }))).toEqual(["PA-20 inconclusive"]);
  });

  it("PA-21: fails NHS login's description shown as it came, trimmed and in any case", () => {
    const shown = (message: string) =>
      paRawDescriptionFindings([
        provisionObservation(tries("11004", 1, 0), [answer({ outcome: "error", errorClass: "email-in-use", message })], "x"),
      ]);
    expect(statuses(shown("Unable to provision account for user email already in use"))).toEqual(["PA-21 failed"]);
    expect(statuses(shown("UNABLE TO PROVISION ACCOUNT FOR USER EMAIL ALREADY IN USE."))).toEqual(["PA-21 failed"]);
    expect(statuses(shown("Ask the patient for another email."))).toEqual(["PA-21 passed"]);
    expect(statuses(paRawDescriptionFindings([]))).toEqual(["PA-21 inconclusive"]);
  });
});
