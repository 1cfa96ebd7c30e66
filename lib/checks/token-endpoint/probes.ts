/**
 * Send deliberately wrong token requests with the harness's own client. Every probe that needs a
 * grant carries an unknown authorization code (nothing real is consumed) and every assertion a
 * fresh `jti` unless a probe reuses one on purpose, so no probe leaves the environment changed.
 *
 * @example
 * ```ts
 * const t = await tokenProber(env)
 * const reply = await t.codeGrant({ assertion: await t.assertion({ lifetimeSeconds: -300 }) })
 * ```
 */
import { createPublicKey, randomUUID, type KeyObject } from "node:crypto";
import { SignJWT } from "jose";
import { createClientAssertion, type ClientAssertionOptions } from "../../jose/create-client-assertion.ts";
import { generateRsaKeyPair } from "../../jose/generate-rsa-key.ts";
import type { EnvironmentContext } from "../environment/environment-check.ts";
import { tokenReplyOf, type TokenReply } from "./rules.ts";
import { CLIENT_ASSERTION_TYPE } from "../../nhs/constants.ts";

export interface CodeGrantOptions {
  /** The client assertion; omitted = none sent. */
  assertion?: string;
  /** `client_assertion_type`: default the jwt-bearer type when an assertion is sent; `null` = omit. */
  assertionType?: string | null;
  /** Extra or replacing form parameters. */
  extra?: Record<string, string>;
  headers?: Record<string, string>;
}

export interface TokenProber {
  /** The discovery `token_endpoint`. */
  tokenEndpoint: string;
  clientId: string;
  /** A client assertion for the token endpoint, RS512 with the harness key and a fresh jti unless overridden. */
  assertion(overrides?: Partial<Omit<ClientAssertionOptions, "clientId" | "privateKey">>): Promise<string>;
  /** An assertion HS256-signed with the harness's public key (SPKI PEM) as the HMAC secret. */
  hs256Assertion(): Promise<string>;
  /** An RS512 assertion with the harness's claims, signed by a freshly generated key. */
  foreignKeyAssertion(): Promise<string>;
  /** POST an authorization_code grant with an unknown code. */
  codeGrant(options?: CodeGrantOptions): Promise<TokenReply>;
  /** POST any form. */
  postForm(form: Record<string, string>, headers?: Record<string, string>): Promise<TokenReply>;
  /** POST a JSON body. */
  postJson(body: Record<string, string>): Promise<TokenReply>;
  /** A new unknown authorization code. */
  bogusCode(): string;
}

/** Build the prober for the environment's harness client; throws when the prerequisites are missing. */
export async function tokenProber(env: EnvironmentContext): Promise<TokenProber> {
  const harness = env.harness;
  if (!harness) throw new Error("no harness client configured");
  const tokenEndpoint = (await env.discovery()).token_endpoint;
  if (typeof tokenEndpoint !== "string" || tokenEndpoint.length === 0) throw new Error("discovery names no token_endpoint");
  const post = async (req: { form?: Record<string, string>; json?: unknown; headers?: Record<string, string> }) =>
    tokenReplyOf(await env.http.request({ method: "POST", url: tokenEndpoint, ...req }));
  const bogusCode = () => `nhslogin-conformance-unknown-code-${randomUUID()}`;
  const assertion: TokenProber["assertion"] = (overrides = {}) =>
    createClientAssertion({ audience: tokenEndpoint, ...overrides, clientId: harness.clientId, privateKey: harness.privateKey });
  let foreignKey: KeyObject | undefined;
  const codeGrant: TokenProber["codeGrant"] = (o = {}) => {
    const form: Record<string, string> = { grant_type: "authorization_code", code: bogusCode(), redirect_uri: harness.redirectUri };
    if (o.assertion !== undefined) {
      form.client_assertion = o.assertion;
      if (o.assertionType !== null) form.client_assertion_type = o.assertionType ?? CLIENT_ASSERTION_TYPE;
    } else if (o.assertionType) {
      form.client_assertion_type = o.assertionType;
    }
    return post({ form: { ...form, ...o.extra }, ...(o.headers ? { headers: o.headers } : {}) });
  };
  return {
    tokenEndpoint,
    clientId: harness.clientId,
    assertion,
    async hs256Assertion() {
      const secret = new TextEncoder().encode(createPublicKey(harness.privateKey).export({ type: "spki", format: "pem" }).toString());
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: harness.clientId, sub: harness.clientId, aud: tokenEndpoint, iat: now, exp: now + 60, jti: randomUUID() })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .sign(secret);
    },
    async foreignKeyAssertion() {
      foreignKey ??= (await generateRsaKeyPair()).privateKey;
      return createClientAssertion({ clientId: harness.clientId, privateKey: foreignKey, audience: tokenEndpoint });
    },
    codeGrant,
    postForm: (form, headers) => post({ form, ...(headers ? { headers } : {}) }),
    postJson: (json) => post({ json }),
    bogusCode,
  };
}
