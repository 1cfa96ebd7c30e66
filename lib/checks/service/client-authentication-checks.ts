/**
 * The client-authentication checks as data (FED-TOKEN-*, FED-REG-07, KEY-01, FED-ARESP-04),
 * judged on the token requests the simulator recorded, and (browser mode) that the browser never
 * calls NHS login's back-channel endpoints itself (FED-GEN-03, FED-GEN-06).
 */
import { createPublicKey } from "node:crypto";
import type { ServiceCheck } from "./service-check.ts";
import type { ServiceContext } from "./service-context.ts";
import { signIns } from "./scenarios.ts";
import { backChannelFindings } from "./back-channel.ts";
import {
  assertionClaimFindings,
  assertionLifetimeFindings,
  assertionSignatureFindings,
  clientAuthMethodFindings,
  codeUseFindings,
  jtiFindings,
  tokenEvents,
  tokenRequestFindings,
} from "./client-authentication.ts";

/** The happy path's first token request, with the redirect_uri its authorization request sent. */
async function firstTokenRequest(ctx: ServiceContext) {
  const { journeys, events } = await signIns(ctx);
  return { req: tokenEvents(events)[0], redirectUri: journeys[0]?.authorization?.params.redirect_uri };
}
const area = "Client authentication";

export const CLIENT_AUTHENTICATION_CHECKS: readonly ServiceCheck[] = [
  {
    key: "browser-back-channel",
    ids: ["FED-GEN-03", "FED-GEN-06"],
    title: "the browser goes only to /authorize: the token, UserInfo, JWKS and discovery calls come from the service's backend",
    area,
    needs: ["browser"],
    run: async (ctx) => backChannelFindings((await signIns(ctx)).journeys, await ctx.endpoints()),
  },
  {
    key: "token-request",
    ids: ["FED-TOKEN-01", "FED-TOKEN-02", "FED-TOKEN-03", "FED-TOKEN-04", "FED-TOKEN-15"],
    title: "the token request is a form POST with grant_type, code and the authorization request's redirect_uri",
    area,
    run: async (ctx) => {
      const { req, redirectUri } = await firstTokenRequest(ctx);
      return tokenRequestFindings(req, redirectUri);
    },
  },
  {
    key: "client-auth-method",
    ids: ["FED-REG-07", "FED-TOKEN-06", "FED-TOKEN-14", "FED-TOKEN-05"],
    title: "the client authenticates with private_key_jwt only",
    area,
    run: async (ctx) => clientAuthMethodFindings((await firstTokenRequest(ctx)).req, ctx.target.clientId),
  },
  {
    key: "assertion-signature",
    ids: ["FED-TOKEN-11", "KEY-01"],
    title: "the client assertion is RS512, typ JWT, signed by the registered RSA 2048 key",
    area,
    run: async (ctx) => assertionSignatureFindings((await firstTokenRequest(ctx)).req, createPublicKey(ctx.target.publicKeyPem)),
  },
  {
    key: "assertion-claims",
    ids: ["FED-TOKEN-07", "FED-TOKEN-08"],
    title: "the client assertion has iss = sub = client_id and aud the token endpoint",
    area,
    run: async (ctx) =>
      assertionClaimFindings((await firstTokenRequest(ctx)).req, ctx.target.clientId, (await ctx.endpoints()).tokenEndpoint),
  },
  {
    key: "assertion-lifetime",
    ids: ["FED-TOKEN-09", "FED-TOKEN-12"],
    title: "the client assertion expires at most 5 minutes after use (a warning above) and iat is not in the future",
    area,
    run: async (ctx) => assertionLifetimeFindings((await firstTokenRequest(ctx)).req),
  },
  {
    key: "assertion-jti",
    ids: ["FED-TOKEN-10"],
    title: "every client assertion has its own jti",
    area,
    run: async (ctx) => jtiFindings(tokenEvents((await signIns(ctx)).events)),
  },
  {
    key: "code-single-use",
    ids: ["FED-ARESP-04"],
    title: "each authorization code is redeemed once",
    area,
    run: async (ctx) => codeUseFindings(tokenEvents((await signIns(ctx)).events)),
  },
];
