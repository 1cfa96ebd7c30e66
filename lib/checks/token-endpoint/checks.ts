/**
 * The token endpoint checks as data (FED-TOKEN-*, FED-TRESP-*, FED-REG-07, UEV2-TOKEN-12). Each
 * sends wrong token requests with the harness's own client, all with unknown authorization codes
 * and fresh assertion `jti`s (except the replay probe), so nothing is consumed or issued except
 * one Users V2 access token in the success check.
 */
import { finding } from "../../requirements/index.ts";
import type { EnvironmentCheck } from "../environment/environment-check.ts";
import { CLIENT_ASSERTION_TYPE, JWT_BEARER_GRANT_TYPE } from "../../nhs/constants.ts";
import { tokenProber } from "./probes.ts";
import {
  multipleAuthFindings,
  refusalFindings,
  replayFindings,
  tokenErrorCacheFindings,
  tokenErrorFormatFindings,
  tokenSuccessHeaderFindings,
  underEachId,
  type TokenProbe,
} from "./rules.ts";

const FEATURE = "Token endpoint";
const harness = ["harness-client"] as const;

/** A small set of error replies, one per kind of refusal, for the format and header checks. */
async function errorSample(env: Parameters<EnvironmentCheck["run"]>[0]): Promise<TokenProbe[]> {
  const t = await tokenProber(env);
  return [
    { label: "an unknown authorization code", reply: await t.codeGrant({ assertion: await t.assertion() }) },
    { label: "no client authentication", reply: await t.codeGrant({ extra: { client_id: t.clientId } }) },
    { label: "an assertion whose aud is the issuer", reply: await t.codeGrant({ assertion: await t.assertion({ audience: env.issuer }) }) },
    {
      label: "grant_type=password",
      reply: await t.postForm({
        grant_type: "password",
        username: "conformance",
        password: "conformance",
        client_assertion_type: CLIENT_ASSERTION_TYPE,
        client_assertion: await t.assertion(),
      }),
    },
    {
      label: "an HTTP Basic header plus an assertion",
      reply: await t.codeGrant({ assertion: await t.assertion(), headers: { authorization: basic(t.clientId) } }),
    },
  ];
}

/** An HTTP Basic credential for the client with a made-up secret. */
function basic(clientId: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:conformance-not-a-secret`).toString("base64")}`;
}

export const TOKEN_ENDPOINT_CHECKS: readonly EnvironmentCheck[] = [
  {
    key: "fed-token-13",
    ids: ["FED-TOKEN-13", "FED-ARESP-04", "FED-TRESP-10"],
    title: "an unknown authorization code is refused with invalid_grant",
    area: FEATURE,
    needs: [...harness],
    run: async (env) => {
      const t = await tokenProber(env);
      const reply = await t.codeGrant({ assertion: await t.assertion() });
      const f = refusalFindings({ id: "FED-TOKEN-13", expected: ["invalid_grant"], pastRuleCode: null }, [
        { label: "an unknown code with a valid assertion", reply },
      ]);
      return underEachId(["FED-TOKEN-13", "FED-ARESP-04", "FED-TRESP-10"], f);
    },
  },
  {
    key: "fed-token-08",
    ids: ["FED-TOKEN-08"],
    title: "assertions whose aud is the issuer, or the token endpoint with a trailing slash, are refused with invalid_client",
    area: FEATURE,
    needs: [...harness],
    run: async (env) => {
      const t = await tokenProber(env);
      return refusalFindings({ id: "FED-TOKEN-08", expected: ["invalid_client"] }, [
        {
          label: `an assertion with aud = the issuer (${env.issuer})`,
          reply: await t.codeGrant({ assertion: await t.assertion({ audience: env.issuer }) }),
        },
        {
          label: `an assertion with aud = ${t.tokenEndpoint}/`,
          reply: await t.codeGrant({ assertion: await t.assertion({ audience: `${t.tokenEndpoint}/` }) }),
        },
      ]);
    },
  },
  {
    key: "fed-token-07",
    ids: ["FED-TOKEN-07"],
    title: "assertions with sub different from iss, or an iss that is not the client, are refused with invalid_client",
    area: FEATURE,
    needs: [...harness],
    run: async (env) => {
      const t = await tokenProber(env);
      const stranger = "nhslogin-conformance-not-a-client";
      return refusalFindings({ id: "FED-TOKEN-07", expected: ["invalid_client"] }, [
        { label: "an assertion with sub ≠ iss", reply: await t.codeGrant({ assertion: await t.assertion({ claims: { sub: stranger } }) }) },
        {
          label: "an assertion with iss ≠ client_id (client_id sent as a parameter)",
          reply: await t.codeGrant({ assertion: await t.assertion({ claims: { iss: stranger } }), extra: { client_id: t.clientId } }),
        },
      ]);
    },
  },
  {
    key: "fed-token-09",
    ids: ["FED-TOKEN-09"],
    title: "an expired assertion is refused with invalid_client",
    area: FEATURE,
    needs: [...harness],
    run: async (env) => {
      const t = await tokenProber(env);
      const now = Math.floor(Date.now() / 1000);
      const assertion = await t.assertion({ now: now - 900, lifetimeSeconds: 300 });
      return refusalFindings({ id: "FED-TOKEN-09", expected: ["invalid_client"] }, [
        { label: "an assertion that expired ten minutes ago", reply: await t.codeGrant({ assertion }) },
      ]);
    },
  },
  {
    key: "fed-token-11",
    ids: ["FED-TOKEN-11"],
    title: "assertions signed by another key, HS256 with the public key, or unsigned (alg none) are refused with invalid_client",
    area: FEATURE,
    needs: [...harness],
    run: async (env) => {
      const t = await tokenProber(env);
      return refusalFindings({ id: "FED-TOKEN-11", expected: ["invalid_client"] }, [
        {
          label: "an assertion signed by a key that is not the client's",
          reply: await t.codeGrant({ assertion: await t.foreignKeyAssertion() }),
        },
        {
          label: "an HS256 assertion keyed with the client's public key",
          reply: await t.codeGrant({ assertion: await t.hs256Assertion() }),
        },
        { label: "an unsigned assertion (alg none)", reply: await t.codeGrant({ assertion: await t.assertion({ alg: "none" }) }) },
      ]);
    },
  },
  {
    key: "fed-token-11-2",
    ids: ["FED-TOKEN-11"],
    title: "an RS256-signed assertion is refused (A39: acceptance is recorded as a warning)",
    area: FEATURE,
    needs: [...harness],
    run: async (env) => {
      const t = await tokenProber(env);
      return refusalFindings(
        { id: "FED-TOKEN-11", expected: ["invalid_client"], whenAccepted: "warning", note: "(A39: RS256 accepted, recorded)" },
        [
          {
            label: "an assertion signed RS256 with the client's key",
            reply: await t.codeGrant({ assertion: await t.assertion({ alg: "RS256" }) }),
          },
        ],
      );
    },
  },
  {
    key: "fed-token-10",
    ids: ["FED-TOKEN-10"],
    title: "a replayed assertion jti, or an assertion without jti, is refused (A39: acceptance is recorded as a warning)",
    area: FEATURE,
    needs: [...harness],
    run: async (env) => {
      const t = await tokenProber(env);
      const reused = await t.assertion();
      const first = await t.codeGrant({ assertion: reused });
      const second = await t.codeGrant({ assertion: reused });
      return [
        ...replayFindings(first, second),
        ...refusalFindings(
          { id: "FED-TOKEN-10", expected: ["invalid_client"], whenAccepted: "warning", note: "(A39: missing jti accepted, recorded)" },
          [
            {
              label: "an assertion without jti",
              reply: await t.codeGrant({ assertion: await t.assertion({ claims: { jti: undefined } }) }),
            },
          ],
        ),
      ];
    },
  },
  {
    key: "fed-token-06",
    ids: ["FED-TOKEN-06"],
    title: "a missing client_assertion_type is refused with invalid_request, another value with invalid_client or invalid_request",
    area: FEATURE,
    needs: [...harness],
    run: async (env) => {
      const t = await tokenProber(env);
      return [
        ...refusalFindings({ id: "FED-TOKEN-06", expected: ["invalid_request"], tolerated: ["invalid_client"] }, [
          {
            label: "a valid assertion without client_assertion_type",
            reply: await t.codeGrant({ assertion: await t.assertion(), assertionType: null }),
          },
        ]),
        ...refusalFindings({ id: "FED-TOKEN-06", expected: ["invalid_client", "invalid_request"] }, [
          {
            label: "a valid assertion with client_assertion_type = the SAML 2.0 bearer type",
            reply: await t.codeGrant({
              assertion: await t.assertion(),
              assertionType: "urn:ietf:params:oauth:client-assertion-type:saml2-bearer",
            }),
          },
        ]),
      ];
    },
  },
  {
    key: "fed-reg-07",
    ids: ["FED-REG-07"],
    title: "a token request without private_key_jwt client authentication is refused with invalid_client",
    area: FEATURE,
    needs: [...harness],
    run: async (env) => {
      const t = await tokenProber(env);
      return refusalFindings({ id: "FED-REG-07", expected: ["invalid_client", "invalid_request"] }, [
        { label: "a request naming the client by client_id only", reply: await t.codeGrant({ extra: { client_id: t.clientId } }) },
        {
          label: "a request with client_id and a client_secret",
          reply: await t.codeGrant({ extra: { client_id: t.clientId, client_secret: "conformance-not-a-secret" } }),
        },
      ]);
    },
  },
  {
    key: "fed-token-02",
    ids: ["FED-TOKEN-02"],
    title: "grant types other than authorization_code and refresh_token are refused with unsupported_grant_type",
    area: FEATURE,
    needs: [...harness],
    run: async (env) => {
      const t = await tokenProber(env);
      const auth = async () => ({ client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: await t.assertion() });
      return refusalFindings({ id: "FED-TOKEN-02", expected: ["unsupported_grant_type", "unauthorized_client"], pastRuleCode: null }, [
        {
          label: "grant_type=password",
          reply: await t.postForm({ grant_type: "password", username: "conformance", password: "conformance", ...(await auth()) }),
        },
        // A client approved for Provision Account is rightly issued a client_credentials token (PA §3.2): not probed with it.
        ...(env.provisionAccount?.clientId === env.harness?.clientId
          ? []
          : [{ label: "grant_type=client_credentials", reply: await t.postForm({ grant_type: "client_credentials", ...(await auth()) }) }]),
      ]);
    },
  },
  {
    key: "fed-token-01",
    ids: ["FED-TOKEN-01"],
    title: "a token request with a JSON body is refused with invalid_request",
    area: FEATURE,
    needs: [...harness],
    run: async (env) => {
      const t = await tokenProber(env);
      const body = {
        grant_type: "authorization_code",
        code: t.bogusCode(),
        redirect_uri: env.harness!.redirectUri,
        client_assertion_type: CLIENT_ASSERTION_TYPE,
        client_assertion: await t.assertion(),
      };
      return refusalFindings({ id: "FED-TOKEN-01", expected: ["invalid_request"] }, [
        { label: "a code grant sent as application/json", reply: await t.postJson(body) },
      ]);
    },
  },
  {
    key: "fed-token-14",
    ids: ["FED-TOKEN-14"],
    title: "an HTTP Basic header plus a client assertion is refused (invalid_request, or 401 invalid_client)",
    area: FEATURE,
    needs: [...harness],
    run: async (env) => {
      const t = await tokenProber(env);
      const reply = await t.codeGrant({ assertion: await t.assertion(), headers: { authorization: basic(t.clientId) } });
      return multipleAuthFindings({ label: "a valid assertion plus an HTTP Basic Authorization header", reply });
    },
  },
  {
    key: "fed-tresp-09",
    ids: ["FED-TRESP-09", "FED-TRESP-10"],
    title: "token errors are HTTP 400 (401 for invalid_client) application/json bodies with a Table 10 error code",
    area: FEATURE,
    needs: [...harness],
    run: async (env) => tokenErrorFormatFindings(await errorSample(env)),
  },
  {
    key: "fed-tresp-02",
    ids: ["FED-TRESP-02"],
    title: "token errors carry Cache-Control: no-store and Pragma: no-cache",
    area: FEATURE,
    needs: [...harness],
    run: async (env) => tokenErrorCacheFindings(await errorSample(env)),
  },
  {
    key: "uev2-token-headers",
    ids: ["UEV2-TOKEN-12", "FED-TRESP-02"],
    title: "a Users V2 jwt-bearer token response is HTTP 200 application/json with Cache-Control: no-store and Pragma: no-cache",
    area: FEATURE,
    needs: ["harness-client", "users-v2"],
    run: async (env) => {
      if (!env.usersScope) return [finding("UEV2-TOKEN-12", "skipped", "no Users.retrieve scope configured")];
      const t = await tokenProber(env);
      const reply = await t.postForm({ grant_type: JWT_BEARER_GRANT_TYPE, assertion: await t.assertion(), scope: env.usersScope });
      return tokenSuccessHeaderFindings(["UEV2-TOKEN-12", "FED-TRESP-02"], {
        label: "the jwt-bearer grant for the Users.retrieve scope",
        reply,
      });
    },
  },
];
