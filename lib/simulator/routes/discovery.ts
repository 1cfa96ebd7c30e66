/**
 * Discovery (FED-DISC-01/03), JWKS (FED-DISC-02), the trustmark (VOT-08), and the attacker
 * endpoints used by the jku/x5u faults, which only record that they were fetched.
 */
import type { FastifyInstance } from "fastify";
import type { SimulatorContext } from "../context.ts";
import { FEDERATION_SCOPES } from "../../nhs/scopes.ts";
import { CREDENTIALS, PROOFING_LEVELS } from "../../nhs/vot.ts";
import { JWT_BEARER_GRANT_TYPE } from "../../nhs/constants.ts";
import { applyHook } from "../hooks/apply-hook.ts";
import { signingAlgorithm } from "../tokens/sign.ts";

/** The discovery document of this simulator (defects applied). */
export function discoveryDocument(ctx: SimulatorContext): Record<string, unknown> {
  const e = ctx.endpoints;
  const alg = signingAlgorithm(ctx);
  const doc: Record<string, unknown> = {
    issuer: ctx.issuer,
    authorization_endpoint: e.authorization,
    token_endpoint: e.token,
    userinfo_endpoint: e.userinfo,
    jwks_uri: e.jwks,
    scopes_supported: [...FEDERATION_SCOPES],
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token", JWT_BEARER_GRANT_TYPE],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: [alg],
    token_endpoint_auth_methods_supported: ["private_key_jwt"],
    token_endpoint_auth_signing_alg_values_supported: ["RS512"],
    claims_supported: [
      "iss",
      "aud",
      "sub",
      "exp",
      "iat",
      "jti",
      "auth_time",
      "nonce",
      "vot",
      "vtm",
      "nhs_number",
      "family_name",
      "given_name",
      "birthdate",
      "identity_proofing_level",
      "email",
      "email_verified",
      "phone_number",
      "phone_number_verified",
      "phone_number_pds_matched",
      "landline_number",
      "landline_number_verified",
      "gp_registration_details",
      "gp_integration_credentials",
      "client_user_metadata",
    ],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    vtr_supported: [
      "P0.Cp",
      "P0.Cp.Cd",
      "P0.Cp.Ck",
      "P0.Cm",
      "P5.Cp",
      "P5.Cp.Cd",
      "P5.Cp.Ck",
      "P5.Cm",
      "P9.Cp",
      "P9.Cp.Cd",
      "P9.Cp.Ck",
      "P9.Cm",
    ],
  };
  return applyHook(ctx, "discoveryDocument", doc);
}

export function registerDiscovery(app: FastifyInstance, ctx: SimulatorContext): void {
  app.get("/.well-known/openid-configuration", async (_req, reply) => {
    return reply.header("cache-control", "public, max-age=60").send(discoveryDocument(ctx));
  });

  app.get("/.well-known/jwks.json", async (_req, reply) => {
    // The next key is published beside the current one, as during a rotation (FED-JWT-05).
    const keys = [ctx.keys.signing, ctx.keys.next].map((k) => applyHook(ctx, "publishedJwk", { ...k.publicJwk }));
    return reply.header("cache-control", "public, max-age=60").send({ keys });
  });

  app.get("/trustmark/:host", async (req, reply) => {
    const { host } = req.params as { host: string };
    if (host !== new URL(ctx.issuer).host) return reply.code(404).send({ error: "not_found" });
    ctx.record({ type: "trustmark", detail: {} });
    return reply.send(
      applyHook(ctx, "trustmarkDocument", {
        idp: ctx.issuer,
        trustmark_provider: ctx.issuer,
        P: [...PROOFING_LEVELS],
        C: [...CREDENTIALS],
      }),
    );
  });

  // Attacker-controlled key locations named by the jku/x5u faults. A safe client never fetches them.
  app.get("/__attacker/jwks.json", async (req, reply) => {
    ctx.record({ type: "attacker-fetch", detail: { url: req.url, userAgent: req.headers["user-agent"] } });
    return reply.send({ keys: [ctx.keys.attacker.publicJwk] });
  });
  app.get("/__attacker/cert.pem", async (req, reply) => {
    ctx.record({ type: "attacker-fetch", detail: { url: req.url, userAgent: req.headers["user-agent"] } });
    return reply.type("application/x-pem-file").send(ctx.keys.attacker.publicPem);
  });
}
