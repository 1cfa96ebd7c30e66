/**
 * Shared by the Users V2 rule tests: a captured response, the status of findings, and a signed
 * access token with the Table 13 claims (each overridable; `undefined` removes a claim).
 */
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { SignJWT } from "jose";
import type { CapturedResponse } from "../../../lib/checks/users-v2/response.ts";
import type { Finding, FindingStatus } from "../../../lib/requirements/index.ts";
import { overallStatus } from "../../../lib/checks/grade.ts";

export const USERS = "https://auth.sandpit.signin.nhs.uk/Users.retrieve";
export const ISSUER = "https://auth.sandpit.signin.nhs.uk";
export const CLIENT = "client-1";
export const NOW = 1_700_000_000;

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });

export function response(status: number, body: unknown, headers: Record<string, string> = {}): CapturedResponse {
  return {
    status,
    headers: { "content-type": "application/json", ...headers },
    text: typeof body === "string" ? body : JSON.stringify(body),
  };
}

/** Status of the findings for one requirement (or overall when `id` is omitted). */
export function statusOf(findings: readonly Finding[], id?: string): FindingStatus {
  return overallStatus(id ? findings.filter((f) => f.requirement === id) : findings);
}

export async function sign(claims: Record<string, unknown>, key: KeyObject = privateKey, alg = "RS512"): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg, typ: "JWT", kid: "k1" }).sign(key);
}

export function goodClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    iss: ISSUER,
    sub: CLIENT,
    aud: CLIENT,
    iat: NOW,
    exp: NOW + 300,
    scope: `${USERS} profile`,
    version: 0,
    client_id: CLIENT,
    reason_for_request: "directcare",
    requesting_system: CLIENT,
    token_use: "access",
    ...overrides,
  };
  for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete claims[k];
  return claims;
}

export const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };
