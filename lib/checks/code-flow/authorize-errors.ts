/**
 * Authorization requests that must be refused before anyone signs in (EIS §3.4.5.2), sent
 * unattended even against a real environment: no person is needed because the answer comes
 * before the login page. Each probe returns findings for the refusal and for the shape of the
 * error response (FED-ARESP-07/09), or for the absence of a redirect (FED-ARESP-08).
 *
 * @example
 * ```ts
 * const findings = await missingOpenidProbe(env)
 * ```
 */
import type { Finding } from "../../requirements/index.ts";
import type { FormValues } from "../../http/index.ts";
import type { EnvironmentContext } from "../environment/environment-check.ts";
import { authorizationErrorFindings, noRedirectFindings, type ErrorExpectation } from "./rules.ts";
import { underEachId } from "../token-endpoint/rules.ts";
import { harnessOf, unattendedAuthorize } from "./requests.ts";
import { probeNonce, probeState } from "./sessions.ts";

/** A valid authentication request for the harness client, to be spoiled one way at a time. */
export function baseAuthorizeQuery(env: EnvironmentContext): Record<string, string> {
  const harness = harnessOf(env);
  return {
    response_type: "code",
    client_id: harness.clientId,
    redirect_uri: harness.redirectUri,
    scope: env.scopes.join(" "),
    state: probeState(),
    nonce: probeNonce(),
    vtr: JSON.stringify(env.vtr),
  };
}

/** Send `query` and judge the error response it must get. */
async function refused(env: EnvironmentContext, query: FormValues, x: Omit<ErrorExpectation, "redirectUri">): Promise<Finding[]> {
  const res = await unattendedAuthorize(env, query);
  return authorizationErrorFindings(res, { ...x, redirectUri: harnessOf(env).redirectUri });
}

/** FED-AUTHZ-02: a scope without openid is refused (invalid_scope, or invalid_request). */
export async function missingOpenidProbe(env: EnvironmentContext): Promise<Finding[]> {
  const q = baseAuthorizeQuery(env);
  const rest = env.scopes.filter((s) => s !== "openid");
  q.scope = (rest.length > 0 ? rest : ["profile"]).join(" ");
  return refused(env, q, {
    state: q.state!,
    requirement: "FED-AUTHZ-02",
    expected: ["invalid_scope", "invalid_request"],
    what: `scope ${JSON.stringify(q.scope)} without openid`,
  });
}

/** FED-AUTHZ-05 and FED-GEN-02: implicit and hybrid response types are refused. */
export async function responseTypeProbe(env: EnvironmentContext): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const [type, requirement] of [
    ["token", "FED-AUTHZ-05"],
    ["id_token", "FED-GEN-02"],
    ["code id_token", "FED-GEN-02"],
  ] as const) {
    const q: Record<string, string> = { ...baseAuthorizeQuery(env), response_type: type };
    out.push(
      ...(await refused(env, q, {
        state: q.state!,
        requirement,
        expected: ["unsupported_response_type", "invalid_request"],
        what: `response_type=${type}`,
      })),
    );
  }
  return out;
}

/** FED-AUTHZ-23: profile and basic_demographics together are refused (invalid_scope expected). */
export async function exclusiveScopesProbe(env: EnvironmentContext): Promise<Finding[]> {
  const q = baseAuthorizeQuery(env);
  q.scope = [...new Set([...env.scopes, "profile", "basic_demographics"])].join(" ");
  const findings = await refused(env, q, {
    state: q.state!,
    requirement: "FED-AUTHZ-23",
    expected: ["invalid_scope"],
    what: "profile with basic_demographics",
  });
  // SCOPE-04 states the same exclusion from the scopes page: the same refusal is its evidence.
  return [
    ...findings,
    ...underEachId(
      ["SCOPE-04"],
      findings.filter((f) => f.requirement === "FED-AUTHZ-23"),
    ),
  ];
}

/**
 * FED-AUTHZ-22: a repeated parameter, a missing mandatory one or an invalid value gets
 * invalid_request. A missing nonce that is accepted is only recorded (catalogue A11).
 */
export async function invalidRequestProbe(env: EnvironmentContext): Promise<Finding[]> {
  const out: Finding[] = [];
  const base = baseAuthorizeQuery(env);
  const expected = ["invalid_request"];
  const requirement = "FED-AUTHZ-22";
  out.push(
    ...(await refused(env, { ...base, state: [base.state!, `${base.state}-again`] }, { requirement, expected, what: "state repeated" })),
  );
  const { state: _s, ...noState } = baseAuthorizeQuery(env);
  out.push(...(await refused(env, noState, { requirement, expected, what: "state missing" })));
  const { nonce: _n, ...noNonce } = baseAuthorizeQuery(env);
  const nonceFindings = await refused(env, noNonce, { state: noNonce.state!, requirement, expected, what: "nonce missing" });
  // Accepting a request without nonce is only recorded: then the answer is a sign-in, not an error response.
  const accepted = nonceFindings.filter((f) => f.requirement === requirement && f.status === "failed");
  out.push(
    ...(accepted.length > 0
      ? accepted.map((f) => ({ ...f, status: "warning" as const, message: `recorded (catalogue A11): ${f.message}` }))
      : nonceFindings),
  );
  const badVtr: Record<string, string> = { ...baseAuthorizeQuery(env), vtr: '["P9.Cx"]' };
  out.push(
    ...(await refused(env, badVtr, { state: badVtr.state!, requirement, expected, what: 'vtr ["P9.Cx"] with an unknown component' })),
  );
  return out;
}

/** Variants of a registered redirect URI that must not be honoured (FED-AUTHZ-07). */
export function redirectUriVariants(redirectUri: string): { uri: string; what: string }[] {
  const u = new URL(redirectUri);
  const path = u.pathname;
  const at = (p: string, search = u.search, protocol = u.protocol) => `${protocol}//${u.host}${p}${search}`;
  return [
    { uri: at(path.endsWith("/") ? path.slice(0, -1) || "/x" : `${path}/`), what: "trailing slash changed" },
    { uri: at(`${path.replace(/\/$/, "")}/extra`), what: "extra path segment" },
    { uri: at(path, u.search ? `${u.search}&x=1` : "?x=1"), what: "query added" },
    { uri: at(path, u.search, u.protocol === "https:" ? "http:" : "https:"), what: "scheme changed" },
  ];
}

/**
 * FED-ARESP-08 and FED-AUTHZ-07: unregistered variants of the redirect URI get no redirect;
 * FED-AUTHZ-06: an unknown client_id gets no redirect to the (registered) redirect URI.
 */
export async function untrustedRedirectProbe(env: EnvironmentContext): Promise<Finding[]> {
  const out: Finding[] = [];
  const harness = harnessOf(env);
  for (const v of redirectUriVariants(harness.redirectUri)) {
    const res = await unattendedAuthorize(env, { ...baseAuthorizeQuery(env), redirect_uri: v.uri });
    for (const requirement of ["FED-ARESP-08", "FED-AUTHZ-07"]) {
      out.push(...noRedirectFindings(res, { forbidden: v.uri, requirement, what: `redirect_uri ${JSON.stringify(v.uri)} (${v.what})` }));
    }
  }
  const unknown = `${harness.clientId}-unknown-${probeState().slice(0, 8)}`;
  const res = await unattendedAuthorize(env, { ...baseAuthorizeQuery(env), client_id: unknown });
  out.push(
    ...noRedirectFindings(res, {
      forbidden: harness.redirectUri,
      requirement: "FED-AUTHZ-06",
      what: `unknown client_id ${JSON.stringify(unknown)}`,
    }),
  );
  return out;
}
