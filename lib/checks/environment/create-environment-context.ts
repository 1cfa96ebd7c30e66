/**
 * Build the {@link EnvironmentContext} for an issuer: HTTP client, cached discovery, the harness
 * client, and the sign-in function (unattended against the simulator).
 *
 * @example
 * ```ts
 * const env = createEnvironmentContext({ issuer: sim.issuer, simulator: true, harness })
 * for (const c of DISCOVERY_CHECKS) console.log(await runEnvironmentCheck(c, env))
 * ```
 */
import { createHttpClient, type HttpClientOptions } from "../../http/index.ts";
import { DEFAULT_VTR } from "../../nhs/vot.ts";
import type { Capability, EnvironmentContext } from "./environment-check.ts";
import type { FetchedJson } from "../discovery/rules.ts";

/** What the context is made from: the same fields, most optional, plus the HTTP client settings. */
export interface EnvironmentContextOptions
  extends Pick<EnvironmentContext, "issuer" | "simulator">,
    Partial<
      Pick<
        EnvironmentContext,
        | "harness"
        | "usersScope"
        | "usersScopes"
        | "testNhsNumber"
        | "testEmail"
        | "testNhsNumber2"
        | "testEmail2"
        | "provisionAccount"
        | "scopes"
        | "vtr"
        | "unavailable"
        | "ageGrant"
      >
    > {
  http?: HttpClientOptions;
  /** Front-channel sign-in; default for the simulator: follow the authorize redirect unattended. */
  signIn?: EnvironmentContext["signIn"];
  /** Make the next sign-in of the harness's client the simulator persona with this id ("p0", "p5", "p9"). */
  choosePerson?: (personaId: string) => Promise<void> | void;
}

export function createEnvironmentContext(options: EnvironmentContextOptions): EnvironmentContext {
  const http = createHttpClient(options.http ?? {});
  const discoveryUrl = `${options.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
  const fetchJson = async (url: string): Promise<FetchedJson> => {
    try {
      const res = await http.request({ method: "GET", url });
      try {
        return { status: res.status, contentType: res.headers["content-type"], body: res.json() };
      } catch (err) {
        // A non-JSON body only matters when the status promised a document; otherwise the status speaks.
        const ok = res.status >= 200 && res.status < 300;
        return {
          status: res.status,
          contentType: res.headers["content-type"],
          body: undefined,
          ...(ok ? { error: (err as Error).message } : {}),
        };
      }
    } catch (err) {
      // An oversized answer is an answer (and a broken one); a timeout or a lost connection is none.
      const unanswered = (err as { code?: unknown }).code !== "ERR_HTTP_TOO_LARGE";
      return { status: 0, contentType: undefined, body: undefined, error: (err as Error).message, unanswered };
    }
  };
  let cached: Promise<Record<string, unknown>> | undefined;
  const discovery = () => {
    cached ??= fetchJson(discoveryUrl).then((r) => {
      if (r.error || r.status !== 200 || r.body === null || typeof r.body !== "object") {
        throw new Error(`discovery document unavailable (${r.error ?? `HTTP ${r.status}`})`);
      }
      return r.body as Record<string, unknown>;
    });
    // A failure is remembered too: one unreachable target costs one timeout per run, not one per check.
    cached.catch(() => {});
    return cached;
  };
  const unavailable: Partial<Record<Capability, string>> = { ...(options.unavailable ?? {}) };
  if (!options.harness) unavailable["harness-client"] ??= "no harness client configured (NHSLOGIN_CLIENT_ID, NHSLOGIN_PRIVATE_KEY_FILE)";
  if (!options.harness?.redirectUri)
    unavailable["redirect-uri"] ??= "no redirect URI registered for the harness client (NHSLOGIN_REDIRECT_URI)";
  const env: EnvironmentContext = {
    issuer: options.issuer,
    discoveryUrl,
    http,
    fetchJson,
    discovery,
    scopes: options.scopes ?? ["openid", "profile", "email", "phone"],
    vtr: options.vtr ?? DEFAULT_VTR,
    unavailable,
    simulator: options.simulator,
    ...(options.harness ? { harness: options.harness } : {}),
    ...(options.usersScope ? { usersScope: options.usersScope } : {}),
    ...(options.usersScopes ? { usersScopes: options.usersScopes } : {}),
    ...(options.testNhsNumber ? { testNhsNumber: options.testNhsNumber } : {}),
    ...(options.testEmail ? { testEmail: options.testEmail } : {}),
    ...(options.testNhsNumber2 ? { testNhsNumber2: options.testNhsNumber2 } : {}),
    ...(options.testEmail2 ? { testEmail2: options.testEmail2 } : {}),
    ...(options.provisionAccount ? { provisionAccount: options.provisionAccount } : {}),
    ...(options.ageGrant ? { ageGrant: options.ageGrant } : {}),
  };
  const signIn = options.signIn ?? (options.simulator ? unattendedSignIn(env) : undefined);
  if (signIn) env.signIn = signIn;
  else unavailable["code-flow"] ??= "no way to sign a person in (assisted mode needs NHSLOGIN_REDIRECT_URI)";
  if (signIn && options.choosePerson) {
    const choose = options.choosePerson;
    env.signInAs = async (level, params) => {
      await choose(level.toLowerCase());
      return signIn(params);
    };
  } else
    unavailable.personas ??=
      "a sign-in per proofing level needs the embedded simulator to choose who signs in; " +
      "against a real environment the scope scenarios are walked by hand (M-L0, M-L5, M-L9)";
  if (!options.simulator)
    unavailable.sessions ??=
      "reusing one browser's NHS login session across requests needs the embedded simulator; " +
      "against a real environment single sign-on is walked by hand (M-G1)";
  if (!options.usersScope) unavailable["users-v2"] ??= "no Users.retrieve scope configured (NHSLOGIN_USERS_SCOPE)";
  if (!options.provisionAccount)
    unavailable["provision-account"] ??= "no Provision Account access configured (NHSLOGIN_PA_URL, NHSLOGIN_PA_ODS_CODE)";
  if (!options.provisionAccount?.testPatient)
    unavailable["pa-test-patient"] ??=
      "no test patient to provision (NHSLOGIN_PA_TEST_PATIENT): the harness never provisions a real person, so it needs your test data";
  if (!options.ageGrant)
    unavailable.clock ??=
      "observing a code's or refresh token's lifetime needs the embedded simulator's clock hook; " +
      "against a real environment it can only be waited out (10 minutes for a code, 30 days for a refresh token)";
  if (!options.simulator)
    unavailable["pa-accounts"] ??=
      "these answers need accounts whose state the harness knows (a P9 account, an email another account uses): " +
      "the embedded simulator's personas";
  return env;
}

/** Against the simulator: request /authorize and read the redirect it answers with. */
function unattendedSignIn(env: EnvironmentContext): NonNullable<EnvironmentContext["signIn"]> {
  return async (params) => {
    const endpoint = (await env.discovery()).authorization_endpoint;
    if (typeof endpoint !== "string") throw new Error("discovery names no authorization_endpoint");
    const res = await env.http.request({ method: "GET", url: endpoint, query: params });
    const location = res.headers.location;
    if (res.status !== 302 || !location) throw new Error(`authorize answered HTTP ${res.status} without a redirect`);
    return new URL(location);
  };
}
