/**
 * The Provision Account traffic the environment checks send (PA §3.2, §3.3): the client_credentials
 * token request signed with the Provision Account client's key, and POSTs to the provision-account
 * endpoint. The token endpoint comes from discovery; the provision-account URL from configuration
 * (NHSLOGIN_PA_URL; catalogue A49: its host is not documented).
 *
 * Never a real person: a successful provisioning is only ever asked for the configured test patient
 * (NHSLOGIN_PA_TEST_PATIENT, or the simulator's made-up one); every other probe sends data the
 * environment must refuse.
 *
 * @example
 * ```ts
 * const token = await paAccessToken(env)
 * const res = await postProvision(env, { ...testPatientBody(env), date_of_birth: "1993-17-12" }, { token })
 * ```
 */
import { createClientAssertion, type ClientAssertionOptions } from "../../jose/create-client-assertion.ts";
import type { HttpResponse } from "../../http/index.ts";
import type { EnvironmentContext, ProvisionAccountAccess } from "../environment/environment-check.ts";
import { CLIENT_ASSERTION_TYPE } from "../../nhs/constants.ts";
import { PA_ACCESS_TOKEN_SECONDS } from "../../nhs/provision-account/codes.ts";
import { excerpt } from "../users-v2/response.ts";
import { randomInt } from "node:crypto";
import { testRangeNhsNumber } from "../../nhs/nhs-number.ts";
import { PERSONAS } from "../../simulator/personas.ts";

function access(env: EnvironmentContext): ProvisionAccountAccess {
  if (!env.provisionAccount) throw new Error("no Provision Account access configured");
  return env.provisionAccount;
}

/** The token endpoint, from the cached discovery document. */
export async function paTokenEndpoint(env: EnvironmentContext): Promise<string> {
  const t = (await env.discovery()).token_endpoint;
  if (typeof t !== "string") throw new Error("discovery names no token_endpoint");
  return t;
}

export interface PaTokenRequestOptions {
  /** A ready assertion (e.g. to replay one); otherwise a fresh one is signed. */
  assertion?: string;
  /** Changes to the fresh assertion (audience, algorithm, claims). */
  assertionOptions?: Partial<Omit<ClientAssertionOptions, "clientId" | "privateKey">>;
  /** Send the parameters as a JSON body instead of a form. */
  json?: boolean;
}

/** A client assertion for the Provision Account client (RS512, iss = sub = client id, aud the token endpoint), changed by `options`. */
export async function paAssertion(
  env: EnvironmentContext,
  options: Partial<Omit<ClientAssertionOptions, "clientId" | "privateKey">> = {},
): Promise<string> {
  const pa = access(env);
  return createClientAssertion({ clientId: pa.clientId, privateKey: pa.privateKey, audience: await paTokenEndpoint(env), ...options });
}

/** POST the client_credentials token request (PA T1) and return the raw response. */
export async function postPaToken(env: EnvironmentContext, options: PaTokenRequestOptions = {}): Promise<HttpResponse> {
  const url = await paTokenEndpoint(env);
  const assertion = options.assertion ?? (await paAssertion(env, options.assertionOptions));
  const params = { grant_type: "client_credentials", client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion };
  return env.http.request({ method: "POST", url, ...(options.json ? { json: params } : { form: params }) });
}

/** Seconds before a token's end at which a new one is asked for. */
const RENEW_EARLY_SECONDS = 30;
const tokens = new WeakMap<EnvironmentContext, { token: Promise<string>; until: number }>();

/**
 * A Provision Account access token, reused within a context while it has more than 30 s to live
 * by its `expires_in` (at most the 300 s of PA §3.1). Throws with the reason when none is issued.
 */
export function paAccessToken(env: EnvironmentContext): Promise<string> {
  const hit = tokens.get(env);
  if (hit && Date.now() < hit.until) return hit.token;
  const entry = { token: Promise.resolve(""), until: Number.POSITIVE_INFINITY };
  entry.token = (async () => {
    const res = await postPaToken(env);
    let body: Record<string, unknown> | undefined;
    try {
      body = res.json<Record<string, unknown>>();
    } catch {
      body = undefined;
    }
    if (res.status !== 200 || typeof body?.access_token !== "string")
      throw new Error(`no Provision Account access token: the token endpoint answered HTTP ${res.status} (${excerpt(res.text)})`);
    const lifetime = typeof body.expires_in === "number" ? Math.min(body.expires_in, PA_ACCESS_TOKEN_SECONDS) : 0;
    entry.until = Date.now() + (lifetime - RENEW_EARLY_SECONDS) * 1000;
    return body.access_token;
  })();
  tokens.set(env, entry);
  entry.token.catch(() => tokens.delete(env));
  return entry.token;
}

/**
 * A test patient for the embedded simulator only: a random checksum-valid NHS number in the 999
 * range that no persona has (so a create), an `.example.org` email and a drama-range mobile. Never
 * sent to a real environment, where such a number could be a real person's.
 */
export function madeUpTestPatient(): NonNullable<ProvisionAccountAccess["testPatient"]> {
  const nhsNumber = unusedTestNhsNumber(() => randomInt(1_000_000));
  return {
    nhs_number: nhsNumber,
    email_address: `pa-${nhsNumber}@example.org`,
    date_of_birth: "1990-05-17",
    phone_number: "+447700900301",
  };
}

/** A test-range NHS number no simulator persona has, from the serials `next` draws. */
export function unusedTestNhsNumber(next: () => number): string {
  for (;;) {
    const n = testRangeNhsNumber(next());
    if (n !== undefined && !PERSONAS.some((p) => p.nhsNumber === n)) return n;
  }
}

/** The configured test patient's body, with the client's ODS code (PA T7). */
export function testPatientBody(env: EnvironmentContext): Record<string, string> {
  const pa = access(env);
  if (!pa.testPatient) throw new Error("no test patient configured (NHSLOGIN_PA_TEST_PATIENT)");
  return { ...pa.testPatient, ods_code: pa.odsCode };
}

export interface ProvisionRequestOptions {
  token: string | null;
  /** The body as text (e.g. not JSON) instead of `body` serialised. */
  raw?: string;
  contentType?: string;
}

/** POST to the provision-account endpoint and return the raw response. */
export async function postProvision(
  env: EnvironmentContext,
  body: Record<string, unknown> | undefined,
  options: ProvisionRequestOptions,
): Promise<HttpResponse> {
  const pa = access(env);
  return env.http.request({
    method: "POST",
    url: pa.url,
    headers: {
      accept: "application/json",
      ...(options.token !== null ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.raw !== undefined ? { "content-type": options.contentType ?? "application/json" } : {}),
    },
    ...(options.raw !== undefined ? { body: options.raw } : { json: body }),
  });
}

const twice = new WeakMap<EnvironmentContext, Promise<[HttpResponse, HttpResponse]>>();

/**
 * The test patient provisioned twice in a row, once per context: the first answer shows success
 * (PA-11), the second the pending rule (PA-20). Against a real environment this is the one
 * provisioning of a run, and only ever of the configured test patient.
 */
export function provisionedTwice(env: EnvironmentContext): Promise<[HttpResponse, HttpResponse]> {
  let p = twice.get(env);
  if (!p) {
    p = (async () => {
      const token = await paAccessToken(env);
      const first = await postProvision(env, testPatientBody(env), { token });
      const second = await postProvision(env, testPatientBody(env), { token });
      return [first, second] as [HttpResponse, HttpResponse];
    })();
    twice.set(env, p);
  }
  return p;
}
