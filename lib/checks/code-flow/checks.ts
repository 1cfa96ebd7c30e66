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
import { finding, type Finding } from "../../requirements/index.ts";
import { DEFAULT_VTR } from "../../nhs/vot.ts";
import type { EnvironmentCheck, EnvironmentContext } from "../environment/environment-check.ts";
import { authorizationSuccessFindings, codeReuseFindings, tokenResponseFindings, unknownScopeFindings } from "./rules.ts";
import {
  idTokenClaimFindings,
  idTokenLifetimeFindings,
  idTokenProfileFindings,
  jtiFindings,
  nonceFindings,
  personLevel,
  votFindings,
  vtmFindings,
  unsupportedClaimFindings,
  type TokenExpectations,
} from "../tokens/id-token.ts";
import { CLAIMS_BY_LEVEL_IDS, claimsByLevelFindings, claimsByLevelProbe } from "./claims-by-level.ts";
import { accessTokenConditionalClaimFindings, accessTokenClaimFindings, accessTokenLifetimeFindings } from "../tokens/access-token.ts";
import { jwsSignatureFindings, jwtHeaderFindings } from "../tokens/jwt-header.ts";
import {
  USERINFO_RELEASE_IDS,
  userinfoBearerErrorFindings,
  userinfoReleaseFindings,
  userinfoQueryTokenFindings,
  userinfoResponseFindings,
} from "./userinfo.ts";
import { exchangeCode, harnessOf, userinfoRequest } from "./requests.ts";
import {
  codeFlowSession,
  jwksOnce,
  requireAccessToken,
  requireIdToken,
  signInOnce,
  UNKNOWN_SCOPE,
  type CodeFlowSession,
  type DecodedToken,
} from "./sessions.ts";
import {
  exclusiveScopesProbe,
  invalidRequestProbe,
  missingOpenidProbe,
  responseTypeProbe,
  untrustedRedirectProbe,
} from "./authorize-errors.ts";
import { codeBindingProbe } from "./code-binding.ts";
import { SSO_IDS, ssoFindings, ssoProbe } from "./sso.ts";
import { refreshRotationProbe, refreshWideningProbe, refreshWithoutAssertionProbe } from "./refresh.ts";
import { METADATA_IDS, metadataProbe } from "./metadata.ts";
import { metadataByLevelFindings, metadataByLevelProbe } from "./metadata-by-level.ts";
import { codeLifetimeProbe, refreshLifetimeProbe } from "./lifetimes.ts";
import { ASSERTED_IDENTITY_IDS, assertedIdentityFindings, assertedIdentityProbe } from "./asserted-identity.ts";
import { trustmarkFindings } from "../discovery/trustmark.ts";

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
    key: "fed-authz-02",
    ids: ["FED-AUTHZ-02", "FED-ARESP-07", "FED-ARESP-09"],
    title: "a request without openid is refused with an error redirect carrying state, no code, ASCII description",
    area: "Authorization endpoint",
    needs: [...CLIENT],
    run: missingOpenidProbe,
  },
  {
    key: "fed-authz-05",
    ids: ["FED-AUTHZ-05", "FED-GEN-02", "FED-ARESP-07", "FED-ARESP-09"],
    title: "implicit and hybrid response types (token, id_token, code id_token) are refused",
    area: "Authorization endpoint",
    needs: [...CLIENT],
    run: responseTypeProbe,
  },
  {
    key: "fed-authz-23",
    ids: ["FED-AUTHZ-23", "SCOPE-04", "FED-ARESP-07", "FED-ARESP-09"],
    title: "profile and basic_demographics together are refused",
    area: "Authorization endpoint",
    needs: [...CLIENT],
    run: exclusiveScopesProbe,
  },
  {
    key: "fed-authz-22",
    ids: ["FED-AUTHZ-22", "FED-ARESP-07", "FED-ARESP-09"],
    title: "repeated state, missing state or nonce, and a malformed vtr get invalid_request",
    area: "Authorization endpoint",
    needs: [...CLIENT],
    run: invalidRequestProbe,
  },
  {
    key: "fed-aresp-08",
    ids: ["FED-ARESP-08", "FED-AUTHZ-07", "FED-AUTHZ-06"],
    title: "unregistered redirect_uri variants and an unknown client_id get no redirect",
    area: "Authorization endpoint",
    needs: [...CLIENT],
    run: untrustedRedirectProbe,
  },

  // The primary sign-in.
  {
    key: "fed-aresp-01",
    ids: ["FED-ARESP-01", "FED-ARESP-02"],
    title: "a sign-in redirects to the exact redirect_uri with a code and the byte-identical state",
    area: "Authorization endpoint",
    needs: [...SIGN_IN],
    run: async (env) => {
      const { redirect, request } = await signInOnce(env, "primary");
      return authorizationSuccessFindings(redirect, { redirectUri: request.redirectUri, state: request.state });
    },
  },
  {
    key: "fed-jwt-01",
    ids: ["FED-JWT-01", "FED-JWT-02", "FED-JWT-03", "FED-DISC-02"],
    title: "ID token header: RS512, typ JWT, a kid from the JWKS, no jku/jwk/x5u/x5c",
    area: "ID token",
    needs: [...SIGN_IN],
    run: async (env) => onIdToken(env, async (id) => jwtHeaderFindings(id.header, { jwks: await jwksOnce(env), token: "ID token" })),
  },
  {
    key: "id-token-signature",
    ids: ["FED-DISC-02", "FED-IDT-17"],
    title: "ID token signature verifies with the JWKS",
    area: "ID token",
    needs: [...SIGN_IN],
    run: async (env) => onIdToken(env, async (id) => jwsSignatureFindings(id.raw, await jwksOnce(env))),
  },
  {
    key: "fed-idt-01",
    ids: ["FED-IDT-01", "FED-IDT-02", "FED-IDT-03", "FED-IDT-04", "FED-IDT-05", "FED-IDT-07"],
    title: "ID token iss, sub, aud, exp and iat, and the id-token-payload schema",
    area: "ID token",
    needs: [...SIGN_IN],
    run: (env) => onIdToken(env, (id, s) => idTokenClaimFindings(id.payload, expectations(env, s))),
  },
  {
    key: "ttl-02",
    ids: ["TTL-02", "FED-IDT-18"],
    title: "the ID token lives 60 minutes (exp − iat = 3600)",
    area: "ID token",
    needs: [...SIGN_IN],
    run: (env) => onIdToken(env, (id) => idTokenLifetimeFindings(id.payload)),
  },
  {
    key: "fed-idt-08",
    ids: ["FED-IDT-08"],
    title: "the ID token nonce is byte-identical to the one sent",
    area: "ID token",
    needs: [...SIGN_IN],
    run: (env) => onIdToken(env, (id, s) => nonceFindings(id.payload, s.request.nonce)),
  },
  {
    key: "fed-idt-10",
    ids: ["FED-IDT-10", "VOT-06"],
    title: "vot is a valid vector that satisfies the requested vtr",
    area: "ID token",
    needs: [...SIGN_IN],
    run: (env) => onIdToken(env, (id, s) => votFindings(id.payload, s.request.vtrInForce)),
  },
  {
    key: "fed-idt-11",
    ids: ["FED-IDT-11", "VOT-07"],
    title: "vtm is an https URL on the issuer host",
    area: "ID token",
    needs: [...SIGN_IN],
    run: (env) => onIdToken(env, (id) => vtmFindings(id.payload, env.issuer)),
  },
  {
    key: "vot-08",
    ids: ["VOT-08"],
    title: "the trust mark vtm names is JSON with idp, trustmark_provider, P (P0, P5, P9) and C (Cp, Cd, Cm)",
    area: "ID token",
    needs: [...SIGN_IN],
    run: (env) =>
      onIdToken(env, async (id) => {
        const vtm = id.payload.vtm;
        // Fetched only on the issuer's own origin: a token does not choose where the harness connects.
        const url = typeof vtm === "string" && URL.canParse(vtm) ? new URL(vtm) : undefined;
        if (!url || url.origin !== new URL(env.issuer).origin)
          return [
            finding("VOT-08", "inconclusive", `vtm ${JSON.stringify(vtm)} is not a URL on the issuer's origin, so it was not fetched`),
          ];
        return trustmarkFindings(await env.fetchJson(url.href), url.href);
      }),
  },
  {
    key: "fed-idt-09",
    ids: ["FED-IDT-09"],
    title: "the ID token carries no acr, amr or azp (not supported: vot replaces acr)",
    area: "ID token",
    needs: [...SIGN_IN],
    run: (env) => onIdToken(env, (id) => unsupportedClaimFindings(id.payload)),
  },
  {
    key: "scope-02",
    ids: ["SCOPE-02", "SCOPE-03", "FED-IDT-12", "FED-IDT-13", "FED-IDT-14", "FED-IDT-15"],
    title: "ID token profile claims follow the scopes and proofing level; birthdate and NHS number valid",
    area: "ID token",
    needs: [...SIGN_IN],
    run: (env) => onIdToken(env, (id, s) => idTokenProfileFindings(id.payload, { scopes: s.grantedScopes })),
  },
  {
    key: "fed-tresp-01",
    ids: ["FED-TRESP-01", "FED-TRESP-02", "FED-TRESP-03", "FED-TRESP-04", "FED-TRESP-08"],
    title: "token response: 200 JSON, no-store/no-cache, a JWS access token, token_type bearer, an id_token",
    area: "Token endpoint",
    needs: [...SIGN_IN],
    run: async (env) => tokenResponseFindings((await primary(env)).exchange, { grant: "authorization_code" }),
  },
  {
    key: "ttl-03",
    ids: ["TTL-03", "FED-TRESP-06"],
    title: "the access token lives 5 minutes and expires_in says 300",
    area: "Access token",
    needs: [...SIGN_IN],
    run: async (env) => {
      const s = await primary(env);
      const body = s.exchange.body as Record<string, unknown> | undefined;
      return accessTokenLifetimeFindings(requireAccessToken(s).payload, body?.expires_in);
    },
  },
  {
    key: "fed-at-01",
    ids: ["FED-AT-01", "FED-DISC-02"],
    title: "access token header and signature follow the ID token rules (RS512, typ JWT, JWKS kid)",
    area: "Access token",
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
    key: "fed-at-02",
    ids: ["FED-AT-02", "FED-AT-03", "FED-AT-04", "FED-AT-05", "VOT-05"],
    title: "access token claims: iss, sub, aud, exp, iat, jti, scope within the request, vot and vtm as in the ID token",
    area: "Access token",
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
    key: "fed-at-06",
    ids: ["FED-AT-06", "FED-AT-07", "FED-AT-08"],
    title: "access token optional claims, when present: reason_for_request, requesting_system, requesting_patient (only with profile)",
    area: "Access token",
    needs: [...SIGN_IN],
    run: async (env) => accessTokenConditionalClaimFindings(requireAccessToken(await primary(env)).payload),
  },
  {
    key: "claims-by-level",
    ids: [...CLAIMS_BY_LEVEL_IDS],
    title: "claims per scope and proofing level: P0, P5 and P9 sign-ins, ID token and UserInfo claim by claim against the scope rules",
    area: "UserInfo",
    needs: [...SIGN_IN, "personas"],
    run: async (env) => claimsByLevelFindings(await claimsByLevelProbe(env)),
  },
  {
    key: "fed-ui-02",
    ids: ["FED-UI-02", "FED-UI-05", "FED-UI-07"],
    title: "UserInfo answers 200 JSON valid against the userinfo schema, with the ID token's sub",
    area: "UserInfo",
    needs: [...SIGN_IN],
    run: async (env) => {
      const s = await primary(env);
      const res = await userinfoRequest(env, { accessToken: requireAccessToken(s).raw });
      return userinfoResponseFindings(res, { idTokenSub: requireIdToken(s).payload.sub });
    },
  },
  {
    key: "fed-ui-03",
    ids: USERINFO_RELEASE_IDS,
    title: "UserInfo releases exactly the claims of the scopes and level, never null or empty",
    area: "UserInfo",
    needs: [...SIGN_IN],
    run: async (env) => {
      const s = await primary(env);
      const res = await userinfoRequest(env, { accessToken: requireAccessToken(s).raw });
      if (res.status !== 200) return [finding("FED-UI-04", "failed", `UserInfo answered HTTP ${res.status} to a valid access token`)];
      return userinfoReleaseFindings(res.body, { scopes: s.grantedScopes, level: personLevel(requireIdToken(s).payload) });
    },
  },
  {
    key: "fed-ui-01",
    ids: ["FED-UI-01"],
    title: "UserInfo refuses an access token sent only in the query",
    area: "UserInfo",
    needs: [...SIGN_IN],
    run: async (env) =>
      userinfoQueryTokenFindings(await userinfoRequest(env, { accessToken: requireAccessToken(await primary(env)).raw, where: "query" })),
  },
  {
    key: "fed-uip-01",
    ids: [...METADATA_IDS],
    title: "PATCH /userinfo stores, generates and clears client_user_metadata (only with client_metadata), at most 1024 characters",
    area: "UserInfo",
    needs: [...SIGN_IN],
    run: metadataProbe,
  },
  {
    key: "scope-11",
    ids: ["SCOPE-11"],
    title: "client_metadata gives client_user_metadata at P0, P5 and P9 (stored, read back and cleared at each level)",
    area: "UserInfo",
    needs: [...SIGN_IN, "personas"],
    run: async (env) => metadataByLevelFindings(await metadataByLevelProbe(env)),
  },
  {
    key: "fed-ui-17",
    ids: ["FED-UI-17", "FED-UI-18"],
    title: "UserInfo without a token or with a bad one: 401 with WWW-Authenticate (invalid_token)",
    area: "UserInfo",
    run: async (env) => [
      ...userinfoBearerErrorFindings(await userinfoRequest(env, {}), { case: "missing", what: "no access token" }),
      ...userinfoBearerErrorFindings(await userinfoRequest(env, { accessToken: "not-a-valid-access-token" }), {
        case: "invalid",
        what: "a garbage access token",
      }),
    ],
  },
  {
    key: "fed-refresh-03",
    ids: ["FED-REFRESH-03"],
    title: "a refresh asking for a scope never granted gets invalid_scope",
    area: "Refresh",
    needs: [...SIGN_IN],
    run: refreshWideningProbe,
  },
  {
    key: "sso",
    ids: [...SSO_IDS],
    title:
      "single sign-on told by auth_time: silent with a session, prompt=none and prompt=login as the EIS says, no session below the vtr",
    area: "Single sign-on",
    needs: [...SIGN_IN, "sessions"],
    run: async (env) => ssoFindings(await ssoProbe(env)),
  },
  {
    key: "asserted-login-identity",
    ids: [...ASSERTED_IDENTITY_IDS],
    title:
      "an asserted_login_identity is honoured silently for a configured pair, once only, not with exp over 60 s after iat, " +
      "and not for a pair nobody configured",
    area: "Single sign-on",
    needs: [...SIGN_IN, "sessions"],
    manual:
      "Ask NHS login to configure single sign-on for your client pair (or your uplift journey). Sign in to RP1, build an " +
      "asserted_login_identity naming its ID token's jti, and present it in RP2's authorization request with prompt=none: " +
      "a silent sign-in. Present it again: refused. One with exp 120 s after iat, or from a client not configured: refused.",
    run: async (env) => assertedIdentityFindings(await assertedIdentityProbe(env)),
  },
  {
    key: "fed-aresp-06",
    ids: ["FED-ARESP-06"],
    title:
      "a code presented with another redirect_uri than its authorization request's, or by another client, is refused with invalid_grant",
    area: "Token endpoint",
    needs: [...SIGN_IN],
    run: codeBindingProbe,
  },
  {
    key: "fed-refresh-02",
    ids: ["FED-REFRESH-02"],
    title: "a refresh request without a client assertion (client_id only) is refused with invalid_client",
    area: "Refresh",
    needs: [...SIGN_IN],
    run: refreshWithoutAssertionProbe,
  },
  {
    key: "code-lifetime",
    ids: ["FED-ARESP-05", "TTL-01"],
    title: "a code is redeemed 9 minutes after issue and refused with invalid_grant after 11 (it lives 10 minutes)",
    area: "Token endpoint",
    needs: [...SIGN_IN, "clock"],
    manual:
      "Sign in with the harness's client, keep the code unredeemed for 11 minutes, then redeem it: " +
      "expect HTTP 400 invalid_grant. A code redeemed within 9 minutes must still give tokens.",
    run: codeLifetimeProbe,
  },
  {
    key: "refresh-lifetime",
    ids: ["FED-REFRESH-04", "TTL-04"],
    title: "a refresh token is honoured 29 days after the code exchange and refused with invalid_grant after 30 days",
    area: "Refresh",
    needs: [...SIGN_IN, "clock"],
    manual:
      "Keep a refresh token from a sign-in for 30 days, refreshing it (and keeping the newest) once before day 29: " +
      "the refresh on day 29 gives tokens, the one after day 30 is refused with invalid_grant.",
    run: refreshLifetimeProbe,
  },
  {
    key: "fed-refresh-01",
    ids: ["FED-REFRESH-01", "FED-TRESP-08", "FED-REFRESH-05"],
    title: "the refresh grant gives a new access token and no id_token; a superseded refresh token is refused (recorded)",
    area: "Refresh",
    needs: [...SIGN_IN],
    run: refreshRotationProbe,
  },

  // The second sign-in.
  {
    key: "fed-idt-06",
    ids: ["FED-IDT-06"],
    title: "ID tokens carry a jti, unique across sign-ins",
    area: "ID token",
    needs: [...SIGN_IN],
    run: async (env) => {
      const first = requireIdToken(await primary(env));
      const second = requireIdToken(await codeFlowSession(env, "second"));
      return jtiFindings([first.payload, second.payload]);
    },
  },
  {
    key: "fed-authz-16",
    ids: ["FED-AUTHZ-16"],
    title: "without vtr, the vot satisfies the default vtr",
    area: "Authorization endpoint",
    needs: [...SIGN_IN],
    run: async (env) => {
      const s = await codeFlowSession(env, "second");
      if (s.request.vtr !== undefined) {
        return [
          finding(
            "FED-AUTHZ-16",
            "skipped",
            `the configured vtr ${JSON.stringify(env.vtr)} is not the default, so the test account may not reach P9; ` +
              "set NHSLOGIN_VTR to the default to run this",
          ),
        ];
      }
      // Only FED-AUTHZ-16 here: the vot's own shape (FED-IDT-10, VOT-*) is judged by the ID token checks.
      return votFindings(requireIdToken(s).payload, DEFAULT_VTR, { satisfies: "FED-AUTHZ-16" }).filter(
        (f) => f.requirement === "FED-AUTHZ-16",
      );
    },
  },
  {
    key: "fed-aresp-04",
    ids: ["FED-ARESP-04"],
    title: "an authorization code redeemed twice gets invalid_grant",
    area: "Token endpoint",
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
    key: "fed-authz-03",
    ids: ["FED-AUTHZ-03", "FED-TRESP-07"],
    title: "an unknown scope is ignored, and the token response then names the granted scope",
    area: "Authorization endpoint",
    needs: [...SIGN_IN],
    run: async (env) => {
      // A refusal of the sign-in is itself the answer FED-AUTHZ-03 forbids, not a failure to observe.
      const error = (await signInOnce(env, "unknown-scope")).redirect.searchParams.get("error");
      if (error !== null) {
        return [
          finding("FED-AUTHZ-03", "failed", `a sign-in that adds the unknown scope ${UNKNOWN_SCOPE} was refused with error=${error}`, {
            expected: "a code (the unknown scope ignored)",
            actual: `error=${error}`,
          }),
          finding("FED-TRESP-07", "inconclusive", "no token response to judge: the sign-in was refused"),
        ];
      }
      const s = await codeFlowSession(env, "unknown-scope");
      return unknownScopeFindings(s.exchange, s.accessToken?.payload.scope, { unknownScope: UNKNOWN_SCOPE });
    },
  },
];
