/**
 * The code-flow environment checks as data: authorization responses and errors, ID token,
 * token response, access token, UserInfo and refresh (FED-ARESP-*, FED-AUTHZ-*, FED-JWT-*,
 * FED-IDT-*, TTL-*, VOT-*, SCOPE-*, FED-TRESP-*, FED-AT-*, FED-UI-*, FED-UIP-*, FED-REFRESH-*).
 *
 * Sign-ins are shared (see `code-flow/sessions.ts`): at most three per context, and the
 * requests refused before sign-in need no person at all. The order below is the order a suite
 * runs them: unattended probes first, then everything on the primary sign-in (while its
 * 5-minute access token is fresh), then the second and unknown-scope sign-ins.
 */
import { finding, type Finding } from "../requirements/index.ts";
import { DEFAULT_VTR } from "../nhs/vot.ts";
import type { EnvironmentCheck, EnvironmentContext } from "./environment-check.ts";
import { authorizationSuccessFindings, codeReuseFindings, tokenResponseFindings, unknownScopeFindings } from "./code-flow.ts";
import {
  idTokenClaimFindings,
  idTokenLifetimeFindings,
  idTokenProfileFindings,
  jtiFindings,
  nonceFindings,
  personLevel,
  votFindings,
  vtmFindings,
  type TokenExpectations,
} from "./id-token.ts";
import { accessTokenClaimFindings, accessTokenLifetimeFindings } from "./access-token.ts";
import { jwsSignatureFindings, jwtHeaderFindings } from "./jwt-header.ts";
import { userinfoBearerErrorFindings, userinfoClaimFindings, userinfoQueryTokenFindings, userinfoResponseFindings } from "./userinfo.ts";
import { exchangeCode, harnessOf, userinfoRequest } from "./code-flow/requests.ts";
import {
  codeFlowSession,
  jwksOnce,
  requireAccessToken,
  requireIdToken,
  signInOnce,
  UNKNOWN_SCOPE,
  type CodeFlowSession,
  type DecodedToken,
} from "./code-flow/sessions.ts";
import {
  exclusiveScopesProbe,
  invalidRequestProbe,
  missingOpenidProbe,
  responseTypeProbe,
  untrustedRedirectProbe,
} from "./code-flow/authorize-errors.ts";
import { refreshRotationProbe, refreshWideningProbe } from "./code-flow/refresh.ts";
import { metadataProbe } from "./code-flow/metadata.ts";

const SIGN_IN = ["harness-client", "redirect-uri", "code-flow"] as const;
/** Refused before anyone signs in: the client and a registered redirect URI, no person. */
const CLIENT = ["harness-client", "redirect-uri"] as const;

/** What the primary sign-in's tokens are checked against. */
function expectations(env: EnvironmentContext, s: CodeFlowSession): TokenExpectations {
  return {
    issuer: env.issuer,
    clientId: harnessOf(env).clientId,
    nonce: s.request.nonce,
    vtr: s.request.vtrInForce,
    scopes: s.grantedScopes,
  };
}

const primary = (env: EnvironmentContext) => codeFlowSession(env, "primary");

/** Run `f` on the primary sign-in's ID token. */
async function onIdToken(
  env: EnvironmentContext,
  f: (id: DecodedToken, s: CodeFlowSession) => Finding[] | Promise<Finding[]>,
): Promise<Finding[]> {
  const s = await primary(env);
  return f(requireIdToken(s), s);
}

export const CODE_FLOW_CHECKS: readonly EnvironmentCheck[] = [
  // Refused before sign-in: unattended even against a real environment.
  {
    ids: ["FED-AUTHZ-02", "FED-ARESP-07", "FED-ARESP-09"],
    title: "a request without openid is refused with an error redirect carrying state, no code, ASCII description",
    feature: "Authorization endpoint",
    needs: [...CLIENT],
    run: missingOpenidProbe,
  },
  {
    ids: ["FED-AUTHZ-05", "FED-GEN-02"],
    title: "implicit and hybrid response types (token, id_token, code id_token) are refused",
    feature: "Authorization endpoint",
    needs: [...CLIENT],
    run: responseTypeProbe,
  },
  {
    ids: ["FED-AUTHZ-23", "SCOPE-04"],
    title: "profile and basic_demographics together are refused",
    feature: "Authorization endpoint",
    needs: [...CLIENT],
    run: exclusiveScopesProbe,
  },
  {
    ids: ["FED-AUTHZ-22"],
    title: "repeated state, missing state or nonce, and a malformed vtr get invalid_request",
    feature: "Authorization endpoint",
    needs: [...CLIENT],
    run: invalidRequestProbe,
  },
  {
    ids: ["FED-ARESP-08", "FED-AUTHZ-07", "FED-AUTHZ-06"],
    title: "unregistered redirect_uri variants and an unknown client_id get no redirect",
    feature: "Authorization endpoint",
    needs: [...CLIENT],
    run: untrustedRedirectProbe,
  },

  // The primary sign-in.
  {
    ids: ["FED-ARESP-01", "FED-ARESP-02"],
    title: "a sign-in redirects to the exact redirect_uri with a code and the byte-identical state",
    feature: "Authorization endpoint",
    needs: [...SIGN_IN],
    run: async (env) => {
      const { redirect, request } = await signInOnce(env, "primary");
      return authorizationSuccessFindings(redirect, { redirectUri: request.redirectUri, state: request.state });
    },
  },
  {
    ids: ["FED-JWT-01", "FED-JWT-02", "FED-JWT-03"],
    title: "ID token header: RS512, typ JWT, a kid from the JWKS, no jku/jwk/x5u/x5c",
    feature: "ID token",
    needs: [...SIGN_IN],
    run: async (env) => onIdToken(env, async (id) => jwtHeaderFindings(id.header, { jwks: await jwksOnce(env), token: "ID token" })),
  },
  {
    ids: ["FED-DISC-02", "FED-IDT-17"],
    title: "ID token signature verifies with the JWKS",
    feature: "ID token",
    needs: [...SIGN_IN],
    run: async (env) => onIdToken(env, async (id) => jwsSignatureFindings(id.raw, await jwksOnce(env))),
  },
  {
    ids: ["FED-IDT-01", "FED-IDT-02", "FED-IDT-03", "FED-IDT-04", "FED-IDT-05"],
    title: "ID token iss, sub, aud, exp and iat, and the id-token-payload schema",
    feature: "ID token",
    needs: [...SIGN_IN],
    run: (env) => onIdToken(env, (id, s) => idTokenClaimFindings(id.payload, expectations(env, s))),
  },
  {
    ids: ["TTL-02", "FED-IDT-18"],
    title: "the ID token lives 60 minutes (exp − iat = 3600)",
    feature: "ID token",
    needs: [...SIGN_IN],
    run: (env) => onIdToken(env, (id) => idTokenLifetimeFindings(id.payload)),
  },
  {
    ids: ["FED-IDT-08"],
    title: "the ID token nonce is byte-identical to the one sent",
    feature: "ID token",
    needs: [...SIGN_IN],
    run: (env) => onIdToken(env, (id, s) => nonceFindings(id.payload, s.request.nonce)),
  },
  {
    ids: ["FED-IDT-10", "VOT-06"],
    title: "vot is a valid vector that satisfies the requested vtr",
    feature: "ID token",
    needs: [...SIGN_IN],
    run: (env) => onIdToken(env, (id, s) => votFindings(id.payload, s.request.vtrInForce)),
  },
  {
    ids: ["FED-IDT-11", "VOT-07"],
    title: "vtm is an https URL on the issuer host",
    feature: "ID token",
    needs: [...SIGN_IN],
    run: (env) => onIdToken(env, (id) => vtmFindings(id.payload, env.issuer)),
  },
  {
    ids: ["SCOPE-02", "SCOPE-03", "FED-IDT-12", "FED-IDT-13", "FED-IDT-14", "FED-IDT-15"],
    title: "ID token profile claims follow the scopes and proofing level; birthdate and NHS number valid",
    feature: "ID token",
    needs: [...SIGN_IN],
    run: (env) => onIdToken(env, (id, s) => idTokenProfileFindings(id.payload, { scopes: s.grantedScopes })),
  },
  {
    ids: ["FED-TRESP-01", "FED-TRESP-02", "FED-TRESP-03", "FED-TRESP-04", "FED-TRESP-08"],
    title: "token response: 200 JSON, no-store/no-cache, a JWS access token, token_type bearer, an id_token",
    feature: "Token endpoint",
    needs: [...SIGN_IN],
    run: async (env) => tokenResponseFindings((await primary(env)).exchange, { grant: "authorization_code" }),
  },
  {
    ids: ["TTL-03", "FED-TRESP-06"],
    title: "the access token lives 5 minutes and expires_in says 300",
    feature: "Access token",
    needs: [...SIGN_IN],
    run: async (env) => {
      const s = await primary(env);
      const body = s.exchange.body as Record<string, unknown> | undefined;
      return accessTokenLifetimeFindings(requireAccessToken(s).payload, body?.expires_in);
    },
  },
  {
    ids: ["FED-AT-01"],
    title: "access token header and signature follow the ID token rules (RS512, typ JWT, JWKS kid)",
    feature: "Access token",
    needs: [...SIGN_IN],
    run: async (env) => {
      const at = requireAccessToken(await primary(env));
      const jwks = await jwksOnce(env);
      return [
        ...jwtHeaderFindings(at.header, { jwks, token: "access token", requirement: "FED-AT-01" }),
        ...(await jwsSignatureFindings(at.raw, jwks, { token: "access token", requirements: ["FED-AT-01"] })),
      ];
    },
  },
  {
    ids: ["FED-AT-02", "FED-AT-03", "FED-AT-04", "FED-AT-05", "VOT-05"],
    title: "access token claims: iss, sub, aud, exp, iat, jti, scope within the request, vot and vtm as in the ID token",
    feature: "Access token",
    needs: [...SIGN_IN],
    run: async (env) => {
      const s = await primary(env);
      return accessTokenClaimFindings(requireAccessToken(s).payload, {
        ...expectations(env, s),
        requestedScopes: s.request.scopes,
        idToken: s.idToken?.payload,
      });
    },
  },
  {
    ids: ["FED-UI-02", "FED-UI-05", "FED-UI-07"],
    title: "UserInfo answers 200 JSON valid against the userinfo schema, with the ID token's sub",
    feature: "UserInfo",
    needs: [...SIGN_IN],
    run: async (env) => {
      const s = await primary(env);
      const res = await userinfoRequest(env, { accessToken: requireAccessToken(s).raw });
      return userinfoResponseFindings(res, { idTokenSub: requireIdToken(s).payload.sub });
    },
  },
  {
    ids: ["FED-UI-03", "FED-UI-04", "FED-UI-08", "FED-UI-09", "FED-UI-12", "FED-UI-16"],
    title: "UserInfo releases exactly the claims of the scopes and level, never null or empty",
    feature: "UserInfo",
    needs: [...SIGN_IN],
    run: async (env) => {
      const s = await primary(env);
      const res = await userinfoRequest(env, { accessToken: requireAccessToken(s).raw });
      if (res.status !== 200) return [finding("FED-UI-04", "failed", `UserInfo answered HTTP ${res.status} to a valid access token`)];
      return userinfoClaimFindings(res.body, { scopes: s.grantedScopes, level: personLevel(requireIdToken(s).payload) });
    },
  },
  {
    ids: ["FED-UI-01"],
    title: "UserInfo refuses an access token sent only in the query",
    feature: "UserInfo",
    needs: [...SIGN_IN],
    run: async (env) =>
      userinfoQueryTokenFindings(await userinfoRequest(env, { accessToken: requireAccessToken(await primary(env)).raw, where: "query" })),
  },
  {
    ids: ["FED-UIP-01", "FED-UIP-03", "FED-UIP-04", "FED-UIP-05", "FED-UIP-06", "FED-UI-15"],
    title: "PATCH /userinfo stores, generates and clears client_user_metadata (only with client_metadata)",
    feature: "UserInfo",
    needs: [...SIGN_IN],
    run: metadataProbe,
  },
  {
    ids: ["FED-UI-17", "FED-UI-18"],
    title: "UserInfo without a token or with a bad one: 401 with WWW-Authenticate (invalid_token)",
    feature: "UserInfo",
    run: async (env) => [
      ...userinfoBearerErrorFindings(await userinfoRequest(env, {}), { case: "missing", what: "no access token" }),
      ...userinfoBearerErrorFindings(await userinfoRequest(env, { accessToken: "not-a-valid-access-token" }), {
        case: "invalid",
        what: "a garbage access token",
      }),
    ],
  },
  {
    ids: ["FED-REFRESH-03"],
    title: "a refresh asking for a scope never granted gets invalid_scope",
    feature: "Refresh",
    needs: [...SIGN_IN],
    run: refreshWideningProbe,
  },
  {
    ids: ["FED-REFRESH-01", "FED-TRESP-08", "FED-REFRESH-05"],
    title: "the refresh grant gives a new access token and no id_token; a superseded refresh token is refused (recorded)",
    feature: "Refresh",
    needs: [...SIGN_IN],
    run: refreshRotationProbe,
  },

  // The second sign-in.
  {
    ids: ["FED-IDT-06"],
    title: "ID tokens carry a jti, unique across sign-ins",
    feature: "ID token",
    needs: [...SIGN_IN],
    run: async (env) => {
      const first = requireIdToken(await primary(env));
      const second = requireIdToken(await codeFlowSession(env, "second"));
      return jtiFindings([first.payload, second.payload]);
    },
  },
  {
    ids: ["FED-AUTHZ-16"],
    title: "without vtr, the vot satisfies the default vtr",
    feature: "Authorization endpoint",
    needs: [...SIGN_IN],
    run: async (env) => {
      const s = await codeFlowSession(env, "second");
      if (s.request.vtr !== undefined) {
        return [
          finding(
            "FED-AUTHZ-16",
            "skipped",
            `the configured vtr ${JSON.stringify(env.vtr)} is not the default, so the test account may not reach P9; set NHSLOGIN_VTR to the default to run this`,
          ),
        ];
      }
      return votFindings(requireIdToken(s).payload, DEFAULT_VTR, { satisfies: "FED-AUTHZ-16" }).filter(
        (f) => f.requirement === "FED-AUTHZ-16" || f.status !== "passed",
      );
    },
  },
  {
    ids: ["FED-ARESP-04"],
    title: "an authorization code redeemed twice gets invalid_grant",
    feature: "Token endpoint",
    needs: [...SIGN_IN],
    run: async (env) => {
      const s = await codeFlowSession(env, "second");
      if (s.exchange.status !== 200)
        return [finding("FED-ARESP-04", "failed", `the first redemption of the code already failed (HTTP ${s.exchange.status})`)];
      return codeReuseFindings(await exchangeCode(env, s.code));
    },
  },

  // The unknown-scope sign-in.
  {
    ids: ["FED-AUTHZ-03", "FED-TRESP-07"],
    title: "an unknown scope is ignored, and the token response then names the granted scope",
    feature: "Authorization endpoint",
    needs: [...SIGN_IN],
    run: async (env) => {
      const s = await codeFlowSession(env, "unknown-scope");
      return unknownScopeFindings(s.exchange, s.accessToken?.payload.scope, { unknownScope: UNKNOWN_SCOPE });
    },
  },
];
