/**
 * Environment: discovery and JWKS (FED-DISC-01..03, FED-JWT-01).
 */
import { afterAll, beforeAll, describe } from "vitest";
import { check } from "../_support/check.ts";
import { environmentTarget } from "../_support/target.ts";
import { fetchJson, httpClientFor } from "../_support/fetch-json.ts";
import { discoveryDocumentFindings, discoveryMetadataFindings, type FetchedJson } from "../../lib/checks/discovery.ts";
import { jwksFindings } from "../../lib/checks/jwks.ts";
import { finding } from "../../lib/requirements/index.ts";

const target = environmentTarget();
const client = httpClientFor(target);
const discoveryUrl = `${target.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
let discovery: FetchedJson;

describe(`Discovery and JWKS of ${target.issuer}`, () => {
  beforeAll(async () => {
    discovery = await fetchJson(client, discoveryUrl);
  });
  afterAll(() => client.close());

  const spec = { epic: "Environment", feature: "Discovery" } as const;

  check({ ...spec, ids: ["FED-DISC-01"], title: "discovery document names every endpoint with https URLs and the exact issuer" }, () =>
    discoveryDocumentFindings(discovery, { expectedIssuer: target.issuer }),
  );

  check({ ...spec, ids: ["FED-DISC-03"], title: "discovery metadata agrees with the EIS (code flow, RS512, private_key_jwt)" }, () =>
    discovery.body && typeof discovery.body === "object"
      ? discoveryMetadataFindings(discovery.body as Record<string, unknown>)
      : [finding("FED-DISC-03", "failed", `no discovery document to read (${discovery.error ?? `HTTP ${discovery.status}`})`)],
  );

  check({ ...spec, ids: ["FED-DISC-02", "FED-JWT-01"], title: "JWKS holds RSA signing keys of 2048+ bits with kid and use and no private parts" }, async () => {
    const jwksUri = (discovery.body as { jwks_uri?: unknown } | undefined)?.jwks_uri;
    if (typeof jwksUri !== "string") return [finding("FED-DISC-02", "failed", "discovery names no jwks_uri to fetch")];
    return jwksFindings(await fetchJson(client, jwksUri));
  });
});
