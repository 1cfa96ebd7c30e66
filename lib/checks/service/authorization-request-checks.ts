/**
 * The authorization-request checks as data (FED-AUTHZ-*, FED-REG-*, VOT-04), judged on the
 * redirects of several separate sign-ins.
 */
import type { ServiceCheck } from "./service-check.ts";
import type { ServiceContext } from "./service-context.ts";
import { signIns } from "./scenarios.ts";
import {
  type Captures,
  clientIdFindings,
  opaqueValueFindings,
  optionalParameterFindings,
  redirectUriRegisteredFindings,
  redirectUriSchemeFindings,
  registrationFindings,
  requestShapeFindings,
  scopeFindings,
  unsupportedParameterFindings,
  vtrFindings,
  vtrLevelFindings,
} from "./authorization-request.ts";

const captures = async (ctx: ServiceContext): Promise<Captures> =>
  (await signIns(ctx)).journeys.map(
    (j) => j.authorization ?? { notReached: j.notReached ?? "the browser never reached NHS login's /authorize" },
  );
const area = "Authorization request";

export const AUTHORIZATION_REQUEST_CHECKS: readonly ServiceCheck[] = [
  {
    key: "registration",
    ids: ["FED-REG-01", "FED-REG-02", "FED-REG-03", "FED-REG-04", "FED-REG-05"],
    title: "the registration has a client_id, 1 to 10 exact https redirect URIs without wildcard or query, and openid",
    area: "Registration",
    run: async (ctx) => registrationFindings(ctx.target),
  },
  {
    key: "request-shape",
    ids: ["FED-AUTHZ-01", "FED-AUTHZ-05", "FED-GEN-02", "FED-AUTHZ-22"],
    title: "the browser is sent to /authorize with response_type=code and no repeated parameter",
    area,
    run: async (ctx) => requestShapeFindings(await captures(ctx)),
  },
  {
    key: "scope",
    ids: ["FED-AUTHZ-02", "FED-REG-08", "FED-AUTHZ-23", "FED-AUTHZ-24", "FED-AUTHZ-26", "SCOPE-15"],
    title: "scope includes openid and only approved scopes",
    area,
    run: async (ctx) => scopeFindings(await captures(ctx), ctx.target.scopes),
  },
  {
    key: "client-id",
    ids: ["FED-AUTHZ-06"],
    title: "client_id is the registered one",
    area,
    run: async (ctx) => clientIdFindings(await captures(ctx), ctx.target.clientId),
  },
  {
    key: "redirect-uri-scheme",
    ids: ["FED-AUTHZ-08", "FED-REG-02"],
    title: "redirect_uri uses https (plain http tolerated on loopback only, as a warning)",
    area,
    run: async (ctx) => redirectUriSchemeFindings(await captures(ctx)),
  },
  {
    key: "redirect-uri-registered",
    ids: ["FED-AUTHZ-07", "FED-REG-04"],
    title: "redirect_uri exactly matches a registered URI",
    area,
    run: async (ctx) => redirectUriRegisteredFindings(await captures(ctx), ctx.target.redirectUris),
  },
  {
    key: "state",
    ids: ["FED-AUTHZ-09", "FED-AUTHZ-27"],
    title: "state is present, at least 128 bits by estimate, and fresh in every sign-in",
    area,
    run: async (ctx) => opaqueValueFindings(["FED-AUTHZ-09", "FED-AUTHZ-27"], "state", await captures(ctx)),
  },
  {
    key: "nonce",
    ids: ["FED-AUTHZ-10", "FED-AUTHZ-27"],
    title: "nonce is present, at least 128 bits by estimate, and fresh in every sign-in",
    area,
    run: async (ctx) => opaqueValueFindings(["FED-AUTHZ-10", "FED-AUTHZ-27"], "nonce", await captures(ctx)),
  },
  {
    key: "vtr",
    ids: ["FED-AUTHZ-15", "VOT-04", "FED-REG-06"],
    title: "vtr is a JSON array of supported vectors equal to the registered one",
    area,
    run: async (ctx) => vtrFindings(await captures(ctx), ctx.target.vtr),
  },
  {
    key: "vtr-levels",
    ids: ["FED-AUTHZ-17", "FED-AUTHZ-25", "VOT-12"],
    title: "every vector names its proofing level; P9 only with two factors; gp_integration_credentials only with P9 two-factor vectors",
    area,
    run: async (ctx) => vtrLevelFindings(await captures(ctx)),
  },
  {
    key: "unsupported-parameters",
    ids: ["FED-AUTHZ-14", "FED-AUTHZ-11"],
    title: "no unsupported parameter (response_mode other than query, max_age, acr_values, ...)",
    area,
    run: async (ctx) => unsupportedParameterFindings(await captures(ctx)),
  },
  {
    key: "optional-parameters",
    ids: ["FED-AUTHZ-13", "FED-AUTHZ-12", "FED-AUTHZ-20"],
    title: "prompt, display and allow_registration, when sent, have allowed values",
    area,
    run: async (ctx) => optionalParameterFindings(await captures(ctx)),
  },
];
