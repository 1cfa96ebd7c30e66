/**
 * Checks of an OpenID Provider discovery document (FED-DISC-01, FED-DISC-03).
 *
 * @example
 * ```ts
 * const findings = discoveryFindings({ status: 200, contentType: "application/json", body }, { expectedIssuer })
 * ```
 */
import { finding, type Finding } from "../../requirements/index.ts";
import { isLoopbackHost } from "../../http/is-loopback-host.ts";

export interface FetchedJson {
  status: number;
  contentType: string | undefined;
  /** Parsed body, or undefined when it was not JSON. */
  body: unknown;
  /** Why the body could not be had (network error, invalid JSON...). */
  error?: string;
  /**
   * True when no complete answer arrived (a timeout, a refused or reset connection, a TLS
   * handshake refused): nothing was observed, so rules on the answer are inconclusive, not failed.
   */
  unanswered?: boolean;
}

export interface DiscoveryContext {
  /** The issuer the harness was told to test, compared byte for byte. */
  expectedIssuer: string;
}

/** Members the EIS needs, each an endpoint URL except `issuer`. */
export const REQUIRED_DISCOVERY_MEMBERS = ["issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri"] as const;

/** FED-DISC-01: the document exists, is JSON, names every endpoint with an https URL, and its issuer is exact. */
export function discoveryDocumentFindings(res: FetchedJson, ctx: DiscoveryContext): Finding[] {
  const id = "FED-DISC-01";
  if (res.error) return [finding(id, res.unanswered ? "inconclusive" : "failed", `discovery document could not be fetched: ${res.error}`)];
  if (res.status !== 200) return [finding(id, "failed", `discovery answered HTTP ${res.status}, expected 200`)];
  const out: Finding[] = [];
  if (!res.contentType?.toLowerCase().startsWith("application/json")) {
    out.push(finding(id, "failed", `discovery Content-Type is ${res.contentType ?? "absent"}, expected application/json`));
  }
  const doc = res.body;
  if (doc === null || typeof doc !== "object" || Array.isArray(doc))
    return [...out, finding(id, "failed", "discovery body is not a JSON object")];
  const d = doc as Record<string, unknown>;
  const plainLoopback: string[] = [];
  for (const member of REQUIRED_DISCOVERY_MEMBERS) {
    const value = d[member];
    if (typeof value !== "string" || value.length === 0) {
      out.push(finding(id, "failed", `discovery lacks ${member}`));
      continue;
    }
    const problem = urlProblem(value);
    if (problem === "loopback-http") plainLoopback.push(member);
    else if (problem) out.push(finding(id, "failed", `${member} ${problem}: ${JSON.stringify(value)}`));
  }
  if (plainLoopback.length > 0) {
    out.push(
      finding(
        id,
        "warning",
        `plain http on loopback for ${plainLoopback.join(", ")}: acceptable only for a local simulator, NHS login requires https`,
      ),
    );
  }
  if (typeof d.issuer === "string" && d.issuer !== ctx.expectedIssuer) {
    out.push(finding(id, "failed", `issuer is ${JSON.stringify(d.issuer)}, expected exactly ${JSON.stringify(ctx.expectedIssuer)}`));
  }
  if (out.every((f) => f.status !== "failed"))
    out.push(finding(id, "passed", "the document names every endpoint with an absolute URL and the exact issuer"));
  return out;
}

/** FED-DISC-03 (DERIVED, so deviations warn): metadata agrees with the EIS. */
export function discoveryMetadataFindings(doc: Record<string, unknown>): Finding[] {
  const id = "FED-DISC-03";
  const out: Finding[] = [];
  const rts = doc.response_types_supported;
  if (!Array.isArray(rts) || rts.length !== 1 || rts[0] !== "code") {
    out.push(finding(id, "warning", `response_types_supported is ${JSON.stringify(rts)}, expected ["code"]`));
  }
  const algs = doc.id_token_signing_alg_values_supported;
  if (!Array.isArray(algs) || !algs.includes("RS512")) {
    out.push(finding(id, "warning", `id_token_signing_alg_values_supported is ${JSON.stringify(algs)}, expected to contain RS512`));
  }
  const auth = doc.token_endpoint_auth_methods_supported;
  if (auth !== undefined && (!Array.isArray(auth) || !auth.includes("private_key_jwt") || auth.includes("none"))) {
    out.push(
      finding(id, "warning", `token_endpoint_auth_methods_supported is ${JSON.stringify(auth)}, expected private_key_jwt and not none`),
    );
  }
  const scopes = doc.scopes_supported;
  if (scopes !== undefined && (!Array.isArray(scopes) || !scopes.includes("openid"))) {
    out.push(finding(id, "warning", `scopes_supported is ${JSON.stringify(scopes)}, expected to contain openid`));
  }
  return out.length > 0
    ? out
    : [finding(id, "passed", "response types, signing algorithm, client authentication and scopes agree with the EIS")];
}

/** Why an endpoint URL is unacceptable, "loopback-http" for the tolerated local case, or undefined. */
function urlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "is not an absolute URL";
  }
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return "loopback-http";
  return "must use https";
}

/** The discovery members of FIDO UAF (EIS §6.1). */
export const FIDO_UAF_MEMBERS = [
  "fido_uaf_registration_request_endpoint",
  "fido_uaf_registration_response_endpoint",
  "fido_uaf_deregistration_endpoint",
  "fido_uaf_authentication_request_endpoint",
] as const;

/**
 * FED-DISC-04: where discovery offers FIDO UAF (any of its members present), it names all four
 * endpoints with https URLs. An environment without FIDO is skipped, with the reason.
 */
export function fidoEndpointFindings(doc: Record<string, unknown>): Finding[] {
  const id = "FED-DISC-04";
  const present = FIDO_UAF_MEMBERS.filter((m) => doc[m] !== undefined);
  if (present.length === 0) return [finding(id, "skipped", "discovery names no FIDO UAF endpoint: this environment offers no FIDO UAF")];
  const out: Finding[] = [];
  for (const member of FIDO_UAF_MEMBERS) {
    const value = doc[member];
    if (typeof value !== "string" || value.length === 0) {
      out.push(finding(id, "failed", `discovery offers FIDO UAF (${present.join(", ")}) but lacks ${member}`));
      continue;
    }
    const problem = urlProblem(value);
    if (problem === "loopback-http")
      out.push(
        finding(id, "warning", `${member} uses plain http on loopback: acceptable only for a local simulator, NHS login requires https`),
      );
    else if (problem) out.push(finding(id, "failed", `${member} ${problem}: ${JSON.stringify(value)}`));
  }
  return out.length > 0 ? out : [finding(id, "passed", "discovery names all four FIDO UAF endpoints with https URLs")];
}
