/**
 * Findings about the service as a Provision Account consumer (PA §3, §4; the PA-C rows of the
 * catalogue), from what the simulator recorded while the service provisioned patients through its
 * hook (SERVICE_PROVISION_URL), and from what the hook answered. Every rule names its evidence: the
 * scenario (which patient, which fault armed), the request the simulator saw, the hook's answer.
 *
 * The hook's contract: the harness POSTs `{"nhsNumber", "email", "dateOfBirth", "phoneNumber"}`;
 * the service answers 200 `{"outcome": "created" | "uplifted" | "error", "errorClass"?, "message"?}`,
 * `message` being what staff were shown and `errorClass` one of input, configuration, unavailable,
 * too-many-requests, cannot-provision, already-p9, email-in-use, pending.
 *
 * @example
 * ```ts
 * const obs = provisionObservation(events, answers, "provisioning a new patient")
 * paTokenRequestFindings(obs, { clientId, tokenEndpoint })
 * paErrorFindings(obs, { code: "11010" })
 * ```
 */
import { finding, type Finding } from "../../requirements/index.ts";
import type { SimulatorEvent } from "../../simulator/state.ts";
import { CLIENT_ASSERTION_TYPE } from "../../nhs/constants.ts";
import {
  checkProvisionBody,
  PA_BODY_FIELDS,
  PA_ERRORS,
  PROVISION_ACCOUNT_PATH,
  type PaErrorClass,
  type PaErrorCode,
} from "../../nhs/provision-account/index.ts";
import { citedAs, Findings } from "../findings.ts";
import {
  assertionClaimFindings,
  assertionHeaderFindings,
  assertionLifetimeFindings,
  assertionVerifiedFindings,
  jtiFindings,
  tokenEvents,
  type TokenRequest,
} from "./client-authentication.ts";
import type { ProvisionAnswer } from "./service-context.ts";
import { readHookAnswer } from "./hook-answer.ts";

/** A request to /provision-account the simulator recorded. */
export interface ProvisionCall {
  method: string;
  contentType?: string;
  /** Whether the Authorization header was `Bearer <token>`. */
  bearer?: boolean;
  /**
   * The body as the simulator read it: JSON or not, T7's fields as sent (masked when they are not
   * test data), the T7 rules they break (judged by the simulator when it recorded them, with the same
   * rules), other fields' names.
   */
  body: {
    json: boolean;
    fields?: Record<string, unknown>;
    masked?: boolean;
    problems?: { field: string; requirement: string; status: "failed" | "warning"; problem: string }[];
    otherFields?: string[];
  };
  status?: number | string;
  /** The T11 or T9 code answered. */
  code?: string;
  /** Why the simulator refused it, when it did (e.g. "the access token has expired"). */
  reason?: string;
  faults: string[];
  /** When it arrived (ms since the epoch). */
  atMs?: number;
  seq: number;
}

/** One provisioning scenario: what the hook answered and what reached the simulator meanwhile. */
export interface ProvisionObservation {
  /** The scenario, for messages: e.g. `provisioning a new patient, pa-answer:11010 armed`. */
  label: string;
  answers: ProvisionAnswer[];
  tokenRequests: TokenRequest[];
  calls: ProvisionCall[];
  serviceDown?: string;
}

/** The outcomes and error classes the hook's contract names. */
export const PA_HOOK_ERROR_CLASSES: readonly PaErrorClass[] = [
  "input",
  "configuration",
  "unavailable",
  "too-many-requests",
  "cannot-provision",
  "already-p9",
  "email-in-use",
  "pending",
];

/** What the hook said, read by its contract, or why it cannot be read. */
export type ProvisionVerdict =
  | { outcome: "created" | "uplifted"; message?: string }
  | { outcome: "error"; errorClass: string; message?: string }
  | { problem: string; status: "failed" | "inconclusive" };

/** Harness policy for "retries with backoff" (PA-13): a failed request is tried at most this many times. */
export const MAX_PROVISION_ATTEMPTS = 4;
/** Harness policy for "no tight retry loop" (PA-16): tries of a request refused 11011 are at least this far apart. */
export const MIN_RETRY_GAP_MS = 1000;
/** Harness policy for "with backoff" (PA-13): a retry comes at least this long after the try before. */
export const MIN_BACKOFF_MS = 20;

export function provisionObservation(events: readonly SimulatorEvent[], answers: ProvisionAnswer[], label: string): ProvisionObservation {
  const calls = events
    .map((e, seq) => ({ e, seq }))
    .filter(({ e }) => e.type === "provision-account")
    .map(({ e, seq }): ProvisionCall => {
      const d = e.detail as Record<string, unknown>;
      const auth = d.authorization as { bearer?: unknown } | undefined;
      const body = (d.body ?? { json: false }) as ProvisionCall["body"];
      return {
        method: String(d.method ?? "?"),
        ...(typeof d.contentType === "string" ? { contentType: d.contentType } : {}),
        ...(auth ? { bearer: auth.bearer === true } : {}),
        body,
        ...(typeof d.status === "number" || typeof d.status === "string" ? { status: d.status } : {}),
        ...(typeof d.code === "string" ? { code: d.code } : {}),
        ...(typeof d.reason === "string" ? { reason: d.reason } : {}),
        faults: Array.isArray(d.faults) ? d.faults.map(String) : [],
        ...(typeof d.atMs === "number" ? { atMs: d.atMs } : {}),
        seq,
      };
    });
  // Only the Provision Account grant: the same client's other token requests say nothing here.
  const tokenRequests = tokenEvents(events).filter(
    (r) => r.params.grant_type === "client_credentials" || r.params.grant_type === undefined,
  );
  return { label, answers, tokenRequests, calls };
}

/** The hook's answer to request `i`, read by the documented contract. */
export function provisionVerdict(obs: ProvisionObservation, i = 0): ProvisionVerdict {
  const read = readHookAnswer(obs.answers[i], obs.label, "the provisioning hook", "provisioning");
  if ("problem" in read) return read;
  const body = read.body;
  const where = `${obs.label}: the provisioning hook`;
  const message = typeof body.message === "string" ? { message: body.message } : {};
  if (body.outcome === "created" || body.outcome === "uplifted") return { outcome: body.outcome, ...message };
  if (body.outcome === "error") return { outcome: "error", errorClass: String(body.errorClass ?? "(none)"), ...message };
  return { problem: `${where} answered ${JSON.stringify(body).slice(0, 120)}, not the documented outcome`, status: "inconclusive" };
}

const said = (v: ProvisionVerdict) => ("problem" in v ? v.problem : v.outcome === "error" ? `error (${v.errorClass})` : v.outcome);

function callExchange(obs: ProvisionObservation, call: ProvisionCall): string {
  return `POST ${PROVISION_ACCOUNT_PATH} (${obs.label}, request ${obs.calls.indexOf(call) + 1} of ${obs.calls.length})`;
}

/** The IDs the token request is judged under by {@link paTokenRequestFindings}. */
export const PA_TOKEN_IDS = ["PA-01", "PA-02"] as const;

/**
 * PA-01, PA-02: the scenario's first token request is a form POST of the client_credentials
 * grant with `client_assertion_type` jwt-bearer and a `client_assertion` that is RS512 with typ
 * JWT, iss = sub = the client id, aud the token endpoint, a short exp, and a signature the
 * simulator verified with the registered key (the federation rules, cited under PA-02).
 */
export function paTokenRequestFindings(obs: ProvisionObservation, ctx: { clientId: string; tokenEndpoint: string }): Finding[] {
  const req = obs.tokenRequests[0];
  const out = new Findings();
  if (!req) {
    const v = provisionVerdict(obs);
    const why = "problem" in v ? v.problem : `${obs.label}: the service made no token request (it answered ${said(v)})`;
    for (const id of PA_TOKEN_IDS) out.inconclusive(id, why);
    return out.list();
  }
  const exchange = `POST /token (${obs.label}, the first token request)`;
  const form = { expected: "POST application/x-www-form-urlencoded", actual: `${req.method} ${req.contentType ?? "(none)"}`, exchange };
  if (req.method !== "POST" || req.contentType !== "application/x-www-form-urlencoded")
    out.fail("PA-01", `${obs.label}: the token request was ${form.actual}; expected a form POST`, form);
  const p = req.params;
  if (Object.keys(p).length === 0) out.inconclusive("PA-01", `${obs.label}: the simulator could read no form parameters`, { exchange });
  else {
    const names = Object.keys(p).sort().join(", ");
    if (p.grant_type !== "client_credentials")
      out.fail("PA-01", `${obs.label}: grant_type ${JSON.stringify(p.grant_type ?? null)}; expected client_credentials`, {
        expected: "client_credentials",
        actual: p.grant_type ?? "(absent)",
        exchange,
      });
    if (p.client_assertion_type !== CLIENT_ASSERTION_TYPE)
      out.fail("PA-01", `${obs.label}: client_assertion_type ${JSON.stringify(p.client_assertion_type ?? null)}`, {
        expected: CLIENT_ASSERTION_TYPE,
        actual: p.client_assertion_type ?? "(absent)",
        exchange,
      });
    if (p.client_assertion === undefined)
      out.fail("PA-01", `${obs.label}: no client_assertion; the request sent ${names}`, {
        expected: "client_assertion",
        actual: names,
        exchange,
      });
    out.pass("PA-01", `${obs.label}: a form POST of the client_credentials grant with a jwt-bearer client_assertion`, {
      actual: names,
      exchange,
    });
  }
  if (!req.assertion) {
    out.inconclusive("PA-02", `${obs.label}: the simulator recorded no client assertion (${req.outcome ?? "no answer"})`, { exchange });
    return out.list();
  }
  const label = (fs: readonly Finding[]) => fs.map((f) => ({ ...f, message: `${obs.label}: ${f.message}` }));
  out.addAll(label(assertionHeaderFindings(req, "PA-02")));
  const claims = assertionClaimFindings(req, ctx.clientId, ctx.tokenEndpoint);
  out.addAll(label(citedAs(claims, "FED-TOKEN-07", ["PA-02"]).filter((f) => f.status !== "passed")));
  out.addAll(label(citedAs(claims, "FED-TOKEN-08", ["PA-02"]).filter((f) => f.status !== "passed")));
  out.addAll(label(citedAs(assertionLifetimeFindings(req), "FED-TOKEN-09", ["PA-02"]).filter((f) => f.status !== "passed")));
  if (typeof req.assertion.payload?.jti !== "string" || req.assertion.payload.jti === "")
    out.fail("PA-02", `${obs.label}: the client assertion has no jti; it is mandatory`, { exchange });
  out.addAll(label(assertionVerifiedFindings(req, "PA-02").filter((f) => f.status !== "passed")));
  out.pass("PA-02", `${obs.label}: RS512, typ JWT, iss = sub = ${ctx.clientId}, aud the token endpoint, a short exp and a jti; verified`, {
    exchange,
  });
  return out.list();
}

/** PA-02: every assertion across the scenarios has its own jti (NHS login refuses a replay). */
export function paJtiFindings(observations: readonly ProvisionObservation[]): Finding[] {
  const signed = observations.flatMap((o) => o.tokenRequests.filter((r) => r.assertion?.payload !== undefined));
  const where = observations.map((o) => o.label).join("; ");
  if (signed.length < 2)
    return [finding("PA-02", "inconclusive", `${where}: ${signed.length} token request(s) with a readable assertion; two are needed`)];
  return citedAs(jtiFindings(signed), "FED-TOKEN-10", ["PA-02"]).map((f) => ({ ...f, message: `${where}: ${f.message}` }));
}

/** PA-03 (the consumer's side): two provisionings in a row share one access token (a new one each time warns). */
export function paTokenReuseFindings(obs: ProvisionObservation): Finding[] {
  const served = obs.calls.filter((c) => c.status === 200 || (typeof c.status === "number" && c.status === 400)).length;
  const tokens = obs.tokenRequests.filter((r) => r.outcome === "issued").length;
  const evidence = { expected: "at most 1 token request for 2 provisioning requests", actual: `${tokens} token(s), ${served} request(s)` };
  if (served < 2)
    return [finding("PA-03", "inconclusive", `${obs.label}: ${served} provisioning request(s) were served; two are needed`, evidence)];
  if (tokens <= 1) return [finding("PA-03", "passed", `${obs.label}: ${served} requests used one access token`, evidence)];
  return [
    finding(
      "PA-03",
      "warning",
      `${obs.label}: ${tokens} token requests for ${served} provisioning requests within the token's 300 s; the token may be reused`,
      evidence,
    ),
  ];
}

/**
 * PA-03 (the consumer's side, T14: `exp` tells when a new token is needed): the run's first token
 * lived 2 s (`pa-token-short-lived`, armed in `first`); in `later`, once it had expired, the service
 * did not present it again (the simulator would answer 401 expired) and was served.
 */
export function paTokenExpiryFindings(first: ProvisionObservation, later: ProvisionObservation): Finding[] {
  const short = first.tokenRequests.find((r) => r.faults?.includes("pa-token-short-lived") && r.outcome === "issued");
  const v = provisionVerdict(later);
  if (!short)
    return [
      finding(
        "PA-03",
        "inconclusive",
        `${first.label}: the service asked for no token (it held one already), so the 2 s token was never issued`,
      ),
    ];
  const expired = later.calls.filter((c) => c.status === 401 && /expired/.test(c.reason ?? ""));
  const evidence = { actual: `calls answered ${later.calls.map((c) => c.status).join(", ") || "(none)"}; the service answered ${said(v)}` };
  if (expired.length > 0)
    return [
      finding("PA-03", "failed", `${later.label}: the service presented the access token after its expires_in (2 s) had passed`, evidence),
    ];
  if (later.calls.some((c) => c.status === 200))
    return [
      finding("PA-03", "passed", `${later.label}: the 2 s token was not presented after it expired, and the request was served`, evidence),
    ];
  return [finding("PA-03", "inconclusive", `${later.label}: no request was served after the 2 s token expired (${said(v)})`, evidence)];
}

/** PA-05: every call is a POST to /provision-account with a Bearer token and a JSON body. */
export function paRequestFindings(observations: readonly ProvisionObservation[]): Finding[] {
  const out = new Findings();
  const calls = observations.flatMap((o) => o.calls.map((c) => ({ c, o })));
  if (calls.length === 0) {
    const why = observations.map((o) => `${o.label}: ${said(provisionVerdict(o))}`).join("; ");
    return [finding("PA-05", "inconclusive", `no provisioning request reached the simulator (${why})`)];
  }
  for (const { c, o } of calls) {
    const exchange = callExchange(o, c);
    if (c.method !== "POST") out.fail("PA-05", `${exchange}: method ${c.method}; expected POST`, { expected: "POST", actual: c.method });
    if (c.bearer === false)
      out.fail("PA-05", `${exchange}: the Authorization header is not Bearer <token>`, { expected: "Bearer <token>", exchange });
    if (c.contentType !== "application/json" || !c.body.json)
      out.fail("PA-05", `${exchange}: the body is ${c.contentType || "(no content type)"}${c.body.json ? "" : ", not a JSON object"}`, {
        expected: "application/json",
        actual: c.contentType ?? "(none)",
        exchange,
      });
  }
  out.pass("PA-05", `${calls.length} request(s): POST ${PROVISION_ACCOUNT_PATH}, Bearer token, JSON body`);
  return out.list();
}

/** The IDs of T7's fields, judged by {@link paBodyFindings}. */
export const PA_BODY_IDS = Object.values(PA_BODY_FIELDS);

/**
 * PA-06..10: every body sent has T7's five fields in their formats (the rules the simulator applies,
 * lib/nhs/provision-account/check-provision-body.ts), with the ODS code the service is registered
 * for. A scenario that hands the service bad input (a wrong check digit, staff-typed formats) passes
 * when nothing bad is sent: the service refused the input, or sent it normalised.
 */
export function paBodyFindings(observations: readonly ProvisionObservation[], odsCode: string | undefined): Finding[] {
  const out = new Findings();
  const calls = observations.flatMap((o) => o.calls.filter((c) => c.body.json).map((c) => ({ c, o })));
  for (const { c, o } of calls) {
    const exchange = callExchange(o, c);
    const fields = c.body.fields ?? {};
    // The simulator's own reading when it recorded one (values masked when not test data); else the same rules on the fields.
    for (const p of c.body.problems ?? checkProvisionBody(fields))
      out.add(p.requirement, p.status, `${exchange}: ${p.problem}`, { actual: JSON.stringify(fields[p.field] ?? null), exchange });
    if (odsCode !== undefined && typeof fields.ods_code === "string" && fields.ods_code !== odsCode)
      out.fail("PA-09", `${exchange}: ods_code ${JSON.stringify(fields.ods_code)} is not the organisation's ${odsCode}`, {
        expected: odsCode,
        actual: fields.ods_code,
        exchange,
      });
  }
  const refused = observations.filter((o) => o.calls.length === 0).map((o) => `${o.label} (${said(provisionVerdict(o))})`);
  if (calls.length === 0) {
    for (const id of PA_BODY_IDS)
      out.inconclusive(id, `no provisioning request with a JSON body reached the simulator: ${refused.join("; ")}`);
    return out.list();
  }
  const note = refused.length > 0 ? `; nothing was sent for ${refused.join("; ")}` : "";
  for (const id of PA_BODY_IDS) out.pass(id, `${calls.length} body(ies) met T7${note}`);
  return out.list();
}

/** PA-11: a new patient is reported created, an existing account uplifted. */
export function paOutcomeFindings(obs: ProvisionObservation, expected: "created" | "uplifted"): Finding[] {
  const code = expected === "created" ? "create" : "uplift";
  const v = provisionVerdict(obs);
  const answered = obs.calls.find((c) => c.code === code);
  const evidence = { expected, actual: said(v) };
  if (!answered) return [finding("PA-11", "inconclusive", `${obs.label}: NHS login never answered ${code} (${said(v)})`, evidence)];
  if ("problem" in v) return [finding("PA-11", v.status, v.problem, evidence)];
  return v.outcome === expected
    ? [finding("PA-11", "passed", `${obs.label}: NHS login answered ${code}; the service reported ${expected}`, evidence)]
    : [finding("PA-11", "failed", `${obs.label}: NHS login answered ${code}; the service reported ${said(v)}`, evidence)];
}

/** How the service is to handle an error answer: the T11 code (or `500`/`timeout`) armed for every call. */
export interface PaErrorExpectation {
  code: PaErrorCode | "500" | "timeout";
  /** The fault armed: only the calls it answered count. */
  fault: string;
}

/** Gaps between consecutive tries, ms. */
function gaps(calls: readonly ProvisionCall[]): number[] {
  const at = calls.map((c) => c.atMs).filter((t): t is number => typeof t === "number");
  return at.slice(1).map((t, i) => t - at[i]!);
}

/**
 * PA-13..20 (the consumer's side): retries by code and the outcome reported. 11000, a 500 and a
 * timeout: retried a bounded number of times (one try warns, more than {@link MAX_PROVISION_ATTEMPTS}
 * fails), then unavailable. 11011: never retried in a tight loop (tries less than
 * {@link MIN_RETRY_GAP_MS} apart fail). Every other code: never retried, its own class. The outcome
 * is an error in every case (a success reported fails); another class warns.
 */
export function paErrorFindings(obs: ProvisionObservation, expected: PaErrorExpectation): Finding[] {
  const out = new Findings();
  const row = expected.code === "500" || expected.code === "timeout" ? PA_ERRORS["11000"] : PA_ERRORS[expected.code];
  const id = row.requirement;
  const v = provisionVerdict(obs);
  const tries = obs.calls.filter((c) => c.faults.includes(expected.fault));
  const what = expected.code === "500" ? "a 500" : expected.code === "timeout" ? "a timeout" : `code ${expected.code}`;
  const evidence = {
    expected: row.retriable ? `bounded retries, then ${row.errorClass}` : `no retry, then ${row.errorClass}`,
    actual: `${tries.length} request(s)${tries.length > 1 ? `, ${gaps(tries).join(", ")} ms apart` : ""}; the service answered ${said(v)}`,
  };
  if (tries.length === 0) return [finding(id, "inconclusive", `${obs.label}: no provisioning request took the armed fault (${said(v)})`)];
  if (expected.code === "timeout" && !("problem" in v) && v.outcome !== "error")
    return [finding(id, "inconclusive", `${obs.label}: the service waited for the slow answer (${said(v)}); its timeout is longer`)];
  const tight = gaps(tries).filter((g) => g < (expected.code === "11011" ? MIN_RETRY_GAP_MS : MIN_BACKOFF_MS));
  if (expected.code === "11011" && tight.length > 0)
    out.fail(
      id,
      `${obs.label}: ${tries.length} requests after 11011, ${tight.length} of them less than ${MIN_RETRY_GAP_MS} ms apart`,
      evidence,
    );
  else if (row.retriable && tries.length > MAX_PROVISION_ATTEMPTS)
    out.fail(
      id,
      `${obs.label}: ${tries.length} requests after ${what}; retries must be bounded (at most ${MAX_PROVISION_ATTEMPTS})`,
      evidence,
    );
  else if (row.retriable && expected.code !== "11011" && tries.length === 1)
    out.warn(id, `${obs.label}: ${what} was not retried; NHS login being unavailable calls for a retry with backoff`, evidence);
  else if (row.retriable && tight.length > 0)
    out.warn(id, `${obs.label}: ${what} was retried at once (less than ${MIN_BACKOFF_MS} ms later); retries call for a backoff`, evidence);
  else if (!row.retriable && tries.length > 1)
    out.fail(id, `${obs.label}: ${what} was tried ${tries.length} times; it is not retried`, evidence);
  if ("problem" in v) {
    out.add(id, v.status, v.problem, evidence);
    return out.list();
  }
  if (v.outcome !== "error")
    out.fail(id, `${obs.label}: after ${what} the service reported ${v.outcome}; expected error (${row.errorClass})`, evidence);
  else if (v.errorClass !== row.errorClass)
    out.deviation(id, `${obs.label}: after ${what} the service reported error class ${v.errorClass}; expected ${row.errorClass}`, evidence);
  out.pass(id, `${obs.label}: ${tries.length} request(s), then error (${row.errorClass})`, evidence);
  return out.list();
}

/** PA-21: what staff were shown after an error is the service's own words, never NHS login's description. */
export function paRawDescriptionFindings(observations: readonly ProvisionObservation[]): Finding[] {
  const out = new Findings();
  let seen = 0;
  for (const obs of observations) {
    const v = provisionVerdict(obs);
    const codes = [...new Set(obs.calls.map((c) => c.code).filter((c): c is string => c !== undefined && Object.hasOwn(PA_ERRORS, c)))];
    if ("problem" in v || v.outcome !== "error" || codes.length === 0) continue;
    seen++;
    const shown = (v.message ?? "").toLowerCase();
    for (const code of codes) {
      const description = PA_ERRORS[code as PaErrorCode].description.toLowerCase().replace(/\.$/, "");
      if (shown.includes(description))
        out.fail("PA-21", `${obs.label}: staff were shown NHS login's description of ${code} as it came: ${JSON.stringify(v.message)}`, {
          expected: "the service's own words",
          actual: v.message ?? "",
        });
    }
  }
  if (seen === 0) return [finding("PA-21", "inconclusive", "no error answer reached the service with a message it showed")];
  out.pass("PA-21", `${seen} error answer(s): staff were shown the service's own words`);
  return out.list();
}
