/**
 * The discovery and JWKS checks as data (FED-DISC-01..03), and the TLS versions of the origins
 * discovery names (FED-GEN-01, UEV2-GEN-01). FED-JWT-01 (tokens signed RS512) is judged on the
 * tokens themselves, by the code-flow and Users V2 checks.
 */
import { finding } from "../../requirements/index.ts";
import type { EnvironmentCheck } from "../environment/environment-check.ts";
import { discoveryDocumentFindings, discoveryMetadataFindings, fidoEndpointFindings } from "./rules.ts";
import { jwksFindings } from "./jwks.ts";
import { TLS_IDS, tlsFindings, tlsProbe } from "./tls.ts";

export const DISCOVERY_CHECKS: readonly EnvironmentCheck[] = [
  {
    key: "fed-disc-01",
    ids: ["FED-DISC-01"],
    title: "discovery document names every endpoint with https URLs and the exact issuer",
    area: "Discovery",
    run: async (env) => discoveryDocumentFindings(await env.fetchJson(env.discoveryUrl), { expectedIssuer: env.issuer }),
  },
  {
    key: "fed-disc-03",
    ids: ["FED-DISC-03"],
    title: "discovery metadata agrees with the EIS (code flow, RS512, private_key_jwt)",
    area: "Discovery",
    run: async (env) => discoveryMetadataFindings(await env.discovery()),
  },
  {
    key: "fed-disc-04",
    ids: ["FED-DISC-04"],
    title: "where discovery offers FIDO UAF, it names all four of its endpoints with https URLs",
    area: "Discovery",
    run: async (env) => fidoEndpointFindings(await env.discovery()),
  },
  {
    key: "fed-disc-02",
    ids: ["FED-DISC-02"],
    title: "JWKS holds RSA signing keys of 2048+ bits with kid and use and no private parts",
    area: "Discovery",
    run: async (env) => {
      const jwksUri = (await env.discovery()).jwks_uri;
      if (typeof jwksUri !== "string") return [finding("FED-DISC-02", "failed", "discovery names no jwks_uri to fetch")];
      return jwksFindings(await env.fetchJson(jwksUri));
    },
  },
  {
    key: "tls-versions",
    ids: [...TLS_IDS],
    title: "every origin discovery names refuses TLS 1.0 and 1.1 and negotiates TLS 1.2 or later",
    area: "Discovery",
    run: async (env) =>
      tlsFindings(await tlsProbe(env), {
        ...(env.unavailable["users-v2"] !== undefined ? { usersV2Unavailable: env.unavailable["users-v2"] } : {}),
      }),
  },
];
