/**
 * Looking people up in NHS login's Users Endpoint V2, the way a partner's service should:
 *
 * - the access token comes from `/token` with the RFC 7523 jwt-bearer grant: a fresh RS512
 *   assertion (`typ: JWT`, `iss` = `sub` = the client id, `aud` the token endpoint, a new `jti`,
 *   60 s to live) and exactly the configured scopes (Users.retrieve plus the approved extras);
 * - the token is reused while it is valid (by `expires_in`, with a margin) and replaced after it
 *   expires or on a 401 (one new token, one retry);
 * - an NHS number is checked (10 digits, modulus 11) and an email is checked before anything is
 *   sent; the filter is URL-encoded, with lower-case `and`; NHS numbers stay strings;
 * - answers are read leniently: unknown attributes are ignored, missing optional ones tolerated,
 *   several Resources returned as several users;
 * - errors by class: 400 is the caller's input (no retry), 403 and a refused token request are
 *   configuration (no retry), 5xx, a body that is not JSON and timeouts are retried twice with
 *   backoff, then reported as unavailable, never as "no match".
 *
 * @example
 * ```ts
 * const users = createUsersV2Lookup({ issuer, clientId, privateKey, scopes: [`${issuer}/Users.retrieve`, "profile"] })
 * await users.lookup({ nhsNumber: "9990010005" }) // { outcome: "found", users: [{ id, nhsNumber: "9990010005", ... }] }
 * ```
 */
import { randomUUID, type KeyObject } from "node:crypto";
import { decodeJwt, SignJWT } from "jose";
import { isValidNhsNumber } from "../../lib/nhs/nhs-number.ts";
import { isEmailShaped } from "../../lib/nhs/email.ts";
import { JWT_BEARER_GRANT_TYPE, JWT_BEARER_GRANT_TYPE_TYPO, NHS_USER_EXTENSION } from "../../lib/nhs/constants.ts";
import type { UsersV2TestOnly } from "./unsafe.ts";

export interface UsersV2Settings {
  issuer: string;
  clientId: string;
  privateKey: KeyObject;
  /** Exactly what is asked for: the Users.retrieve URL first, then the approved extras. */
  scopes: readonly string[];
  /** Per request (default 5000 ms). */
  timeoutMs?: number;
  /** The first retry waits this long, the second twice as long (default 200 ms). */
  backoffMs?: number;
}

export interface LookupQuery {
  nhsNumber?: string;
  email?: string;
}

/** What a looked-up person is to this service; every field but `id` may be missing. */
export interface LookedUpUser {
  id: string;
  nhsNumber?: string;
  familyName?: string;
  email?: string;
  identityProofing?: string;
}

export type LookupResult =
  | { outcome: "found"; users: LookedUpUser[] }
  | { outcome: "not-found" }
  | { outcome: "error"; errorClass: "input" | "configuration" | "unavailable"; message: string };

export interface UsersV2Lookup {
  lookup(query: LookupQuery): Promise<LookupResult>;
}

const ATTEMPTS = 3;

class Refused extends Error {
  constructor(
    readonly errorClass: "input" | "configuration" | "unavailable",
    message: string,
    readonly retry = false,
  ) {
    super(message);
  }
}

export function createUsersV2Lookup(settings: UsersV2Settings, testOnly: UsersV2TestOnly = {}): UsersV2Lookup {
  const timeoutMs = settings.timeoutMs ?? 5000;
  const backoffMs = settings.backoffMs ?? 200;
  let endpoints: Promise<{ token: string; users: string }> | undefined;
  let cached: { token: string; until: number } | undefined;
  const fixedJti = randomUUID();

  const discover = () =>
    (endpoints ??= (async () => {
      const res = await send(`${settings.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`, {});
      if (!res.ok) {
        await res.body?.cancel();
        throw new Refused("unavailable", `discovery answered ${res.status}`, true);
      }
      const doc = (await res.json().catch(() => ({}))) as { token_endpoint?: string };
      if (!doc.token_endpoint) throw new Refused("configuration", "discovery names no token_endpoint");
      return { token: doc.token_endpoint, users: `${settings.issuer.replace(/\/$/, "")}/v2/Users` };
    })().catch((err) => {
      endpoints = undefined;
      throw err;
    }));

  async function assertion(tokenEndpoint: string): Promise<string> {
    const id = testOnly.assertionIdentity ?? settings.clientId;
    return new SignJWT({ jti: testOnly.fixedJti ? fixedJti : randomUUID() })
      .setProtectedHeader({ alg: testOnly.assertionAlg ?? "RS512", typ: "JWT" })
      .setIssuer(id)
      .setSubject(id)
      .setAudience(testOnly.audience === "issuer" ? settings.issuer : tokenEndpoint)
      .setIssuedAt()
      .setExpirationTime(`${testOnly.assertionLifetimeSeconds ?? 60}s`)
      .sign(testOnly.signingKey ?? settings.privateKey);
  }

  async function newToken(): Promise<string> {
    const { token: tokenEndpoint } = await discover();
    const form = new URLSearchParams({
      grant_type: testOnly.grantTypeTypo ? JWT_BEARER_GRANT_TYPE_TYPO : JWT_BEARER_GRANT_TYPE,
      [testOnly.assertionAsClientAssertion ? "client_assertion" : "assertion"]: await assertion(tokenEndpoint),
      scope: (testOnly.scopes ?? settings.scopes).join(" "),
    });
    const res = await send(tokenEndpoint, {
      method: "POST",
      headers: { "content-type": testOnly.tokenRequestJson ? "application/json" : "application/x-www-form-urlencoded" },
      body: testOnly.tokenRequestJson ? JSON.stringify(Object.fromEntries(form)) : form.toString(),
    });
    if (res.status >= 500) {
      await res.body?.cancel();
      throw new Refused("unavailable", `the token endpoint answered ${res.status}`, true);
    }
    const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (res.status !== 200 || typeof body?.access_token !== "string") {
      const code = typeof body?.error === "string" ? body.error : `HTTP ${res.status}`;
      throw new Refused("configuration", `NHS login refused the token request: ${code}`);
    }
    // TEST ONLY (users-decodes-token): read the expiry from the token itself, as if it were not opaque.
    const lifetime = testOnly.decodeToken
      ? (decodeJwt(body.access_token).exp ?? 0) - Math.floor(Date.now() / 1000)
      : typeof body.expires_in === "number"
        ? body.expires_in
        : 0;
    // Renew 10 s early; a token said to live less than that is used once.
    if (testOnly.cacheTokens !== false) cached = { token: body.access_token, until: Date.now() + (lifetime - 10) * 1000 };
    if (testOnly.ignoreExpiresIn && cached) cached.until = Number.POSITIVE_INFINITY;
    return body.access_token;
  }

  const currentToken = async () => (cached && cached.until > Date.now() ? cached.token : newToken());

  async function send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new Refused("unavailable", `no answer from ${new URL(url).pathname}: ${(err as Error).name}`, true);
    }
  }

  /** One search with a valid token; a 401 gets one new token and one more try. */
  async function search(filter: string): Promise<LookupResult> {
    const { users } = await discover();
    const query = testOnly.unencodedFilter ? `filter=${filter}` : new URLSearchParams({ filter }).toString();
    const get = (token: string) => {
      // TEST ONLY (users-scim-request): SCIM paging and attribute parameters, the filter twice, the token in the query.
      const extra = testOnly.scimRequest ? `&${query}&attributes=name.familyName&count=10&access_token=${token}` : "";
      return send(`${users}?${query}${extra}`, { headers: { authorization: `Bearer ${token}`, accept: "application/json" } });
    };
    let res = await get(await currentToken());
    if (res.status === 401) {
      await res.body?.cancel();
      cached = undefined;
      if (testOnly.renewOn401 === false) throw new Refused("configuration", "Users V2 refused the access token (401)");
      res = await get(await newToken());
      if (res.status === 401) throw new Refused("configuration", "a new access token was refused too (401)");
    }
    if (res.status >= 500) {
      await res.body?.cancel();
      if (testOnly.errorsAsNotFound) return { outcome: "not-found" };
      throw new Refused("unavailable", `Users V2 answered ${res.status}`, testOnly.retryOn500 !== false);
    }
    if (res.status === 400 && testOnly.errorsAsNotFound) return { outcome: "not-found" };
    if (res.status === 400) throw new Refused("input", `Users V2 refused the search: ${await describe(res)}`, testOnly.retryOn4xx === true);
    if (res.status === 403)
      throw new Refused("configuration", `Users V2 refused this client's scopes: ${await describe(res)}`, testOnly.retryOn4xx === true);
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new Refused("unavailable", `Users V2 answered ${res.status}`, true);
    }
    const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!body || typeof body !== "object") throw new Refused("unavailable", "Users V2 answered 200 with a body that is not JSON", true);
    const resources = Array.isArray(body.Resources) ? body.Resources.slice(0, testOnly.firstResourceOnly ? 1 : undefined) : [];
    if (resources.length === 0) {
      // TEST ONLY (users-no-match-as-error): an empty ListResponse taken for a broken answer.
      if (testOnly.noMatchAsError) throw new Refused("unavailable", "Users V2 answered without Resources");
      return { outcome: "not-found" };
    }
    return { outcome: "found", users: resources.map((r) => readUser(r, testOnly)) };
  }

  return {
    async lookup(query) {
      const nhsNumber = typeof query.nhsNumber === "string" ? query.nhsNumber.replace(/\s/g, "") : undefined;
      const email = typeof query.email === "string" ? query.email.trim() : undefined;
      if (!nhsNumber && !email) return { outcome: "error", errorClass: "input", message: "give an NHS number, an email, or both" };
      if (nhsNumber && !testOnly.skipInputValidation && !isValidNhsNumber(nhsNumber))
        return { outcome: "error", errorClass: "input", message: "that is not a valid NHS number (10 digits with a correct check digit)" };
      // A double quote would end the filter's value early: an email holding one is refused too.
      if (email && !testOnly.skipInputValidation && (!isEmailShaped(email) || email.includes('"')))
        return { outcome: "error", errorClass: "input", message: "that is not an email address" };
      const and = testOnly.upperCaseOperators ? " AND " : " and ";
      const q = testOnly.unquotedValues ? "" : '"';
      // TEST ONLY (users-scim-filter): SCIM habits NHS login does not take: another attribute, operator and brackets.
      const [nhsTerm, emailTerm] = testOnly.scimFilter
        ? [`(nhsnumber co ${q}${nhsNumber}${q})`, `(emails.value eq ${q}${email}${q})`]
        : [`nhsnumber eq ${q}${nhsNumber}${q}`, `email eq ${q}${email}${q}`];
      const filter = [nhsNumber && nhsTerm, email && emailTerm].filter(Boolean).join(and);
      const attempts = testOnly.maxAttempts ?? ATTEMPTS;
      for (let attempt = 1; ; attempt++) {
        try {
          return await search(filter);
        } catch (err) {
          if (!(err instanceof Refused)) throw err;
          // TEST ONLY (users-errors-as-not-found): an unavailable NHS login read as "nobody".
          if (testOnly.errorsAsNotFound && err.errorClass === "unavailable") return { outcome: "not-found" };
          if (!(err.retry || testOnly.retryEverything) || attempt >= attempts)
            return { outcome: "error", errorClass: err.errorClass, message: err.message };
          await new Promise((r) => setTimeout(r, testOnly.noBackoff ? 0 : backoffMs * 2 ** (attempt - 1)));
        }
      }
    },
  };
}

async function describe(res: Response): Promise<string> {
  const body = (await res.json().catch(() => undefined)) as { Errors?: { description?: unknown }[] } | undefined;
  const text = body?.Errors?.[0]?.description;
  return typeof text === "string" ? text : `HTTP ${res.status}`;
}

/** The attributes this service uses; anything else in the resource is ignored. */
function readUser(resource: unknown, testOnly: UsersV2TestOnly): LookedUpUser {
  const r = (resource ?? {}) as Record<string, unknown>;
  if (testOnly.strictAttributes) {
    // TEST ONLY (uev2-strict-attributes): refuse a resource with an attribute this code does not know.
    const known = new Set(["schemas", "id", "active", "name", "userName", "emails", "phoneNumbers", NHS_USER_EXTENSION]);
    const unknown = Object.keys(r).filter((k) => !known.has(k));
    if (unknown.length > 0) throw new TypeError(`unexpected attribute ${unknown[0]}`);
  }
  const ext = (r[NHS_USER_EXTENSION] ?? {}) as Record<string, unknown>;
  const name = (r.name ?? {}) as Record<string, unknown>;
  const emails = Array.isArray(r.emails) ? (r.emails as Record<string, unknown>[]) : [];
  const proofing = (ext.vectorsOfTrust as Record<string, unknown> | undefined)?.IdentityProofing;
  const user: LookedUpUser = { id: String(r.id ?? "") };
  if (typeof ext.nhsNumber === "string") user.nhsNumber = ext.nhsNumber;
  if (typeof name.familyName === "string") user.familyName = name.familyName;
  const email = emails.find((e) => e.primary === true || e.primary === "true") ?? emails[0];
  if (typeof email?.value === "string") user.email = email.value;
  if (typeof proofing === "string") user.identityProofing = proofing;
  if (testOnly.nhsNumberAsNumber && user.nhsNumber) (user as { nhsNumber?: unknown }).nhsNumber = Number(user.nhsNumber);
  return user;
}
