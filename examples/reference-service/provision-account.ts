/**
 * Provisioning NHS login accounts through the Provision Account API (PA §3), the way a GP system
 * or a hospital front desk should:
 *
 * - the access token comes from `/token` with the client_credentials grant, the client
 *   authenticated by a fresh RS512 assertion (`typ: JWT`, `iss` = `sub` = the client id, `aud` the
 *   token endpoint, a new `jti`, 60 s to live; never the spec example's HS256 one), reused while
 *   it is valid (by `expires_in`, with a margin) and replaced once on a 401;
 * - what staff typed is checked and normalised before anything is sent: the NHS number (10 digits,
 *   modulus 11), the email, the date of birth (`YYYY-MM-DD`, or `DD/MM/YYYY` turned into it; a real
 *   date in the past), the mobile (`07...` turned into `+447...`; other numbers need their country
 *   code); the ODS code is the organisation's own, from the settings;
 * - answers by code (T11): 11000, a 5xx, a body that is not JSON and a timeout are retried twice
 *   with backoff, then "try later"; 11011 is not retried at once ("try again in a few minutes");
 *   11010, 11021, 11003, 11004, 11005 and the "unable to provision" group are never retried, each
 *   with its own advice. Staff see this service's words, never NHS login's `description` (PA-21).
 *
 * @example
 * ```ts
 * const pa = createAccountProvisioner({ issuer, clientId, privateKey, odsCode: "A12345" })
 * await pa.provision({ nhsNumber: "9990010013", email: "p@example.org", dateOfBirth: "30/12/2001", phoneNumber: "07700900105" })
 * // { outcome: "uplifted", message: "The patient's NHS login now has high verification (P9)..." }
 * ```
 */
import { createSecretKey, randomUUID, type KeyObject } from "node:crypto";
import { SignJWT } from "jose";
import { CLIENT_ASSERTION_TYPE } from "../../lib/nhs/constants.ts";
import {
  checkProvisionBody,
  PA_ERRORS,
  paErrorCode,
  PROVISION_ACCOUNT_PATH,
  type PaErrorClass,
} from "../../lib/nhs/provision-account/index.ts";
import type { ProvisionTestOnly } from "./unsafe.ts";

export interface ProvisionSettings {
  issuer: string;
  clientId: string;
  privateKey: KeyObject;
  /** The ODS code of this organisation, registered with NHS login for provisioning. */
  odsCode: string;
  /** The Provision Account endpoint (default `<issuer>/provision-account`). */
  provisionUrl?: string;
  /** Per request (default 5000 ms). */
  timeoutMs?: number;
  /** The first retry waits this long, the second twice as long (default 200 ms). */
  backoffMs?: number;
}

/** What staff entered about the patient. */
export interface ProvisionRequest {
  nhsNumber?: string;
  email?: string;
  dateOfBirth?: string;
  phoneNumber?: string;
}

export type ProvisionResult =
  | { outcome: "created" | "uplifted"; message: string }
  | { outcome: "error"; errorClass: PaErrorClass; message: string };

export interface AccountProvisioner {
  provision(request: ProvisionRequest): Promise<ProvisionResult>;
}

/** What staff are told, in this service's words, per class of answer. */
export const STAFF_MESSAGES: Readonly<Record<"created" | "uplifted" | PaErrorClass, string>> = {
  created: "An NHS login invitation is on its way to the patient's email: they finish setting up their account from it.",
  uplifted: "The patient's NHS login now has high verification (P9): they will be asked to confirm it when they next sign in.",
  input: "Some of the patient's details were not accepted: check them and try again.",
  configuration: "Account provisioning is not set up for this organisation: contact your system administrator.",
  unavailable: "NHS login is not available at the moment: try again later.",
  "too-many-requests": "Too many requests from this organisation just now: try again in a few minutes.",
  "cannot-provision": "NHS login cannot provision an account for this patient: they can register themselves in the NHS App.",
  "already-p9": "The patient already has an NHS login with high verification (P9) and can use it now.",
  "email-in-use": "That email address belongs to another NHS login account: ask the patient for a different one.",
  pending: "The patient was already invited in the last 7 days: ask them to check their email.",
};

const ATTEMPTS = 3;

class Refused extends Error {
  constructor(
    readonly errorClass: PaErrorClass,
    message: string,
    readonly retry = false,
    /** TEST ONLY (pa-raw-description): what NHS login said. */
    readonly description?: string,
  ) {
    super(message);
  }
}

/** `DD/MM/YYYY` as `YYYY-MM-DD`; anything else as typed. */
function isoDate(typed: string): string {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(typed.trim());
  return m ? `${m[3]}-${m[2]}-${m[1]}` : typed.trim();
}

/** A UK mobile typed as `07...` in E.164; anything else as typed, spaces removed. */
function e164(typed: string): string {
  const n = typed.replace(/[\s()-]/g, "");
  return /^07\d{9}$/.test(n) ? `+44${n.slice(1)}` : n;
}

export function createAccountProvisioner(settings: ProvisionSettings, testOnly: ProvisionTestOnly = {}): AccountProvisioner {
  const timeoutMs = settings.timeoutMs ?? 5000;
  const backoffMs = settings.backoffMs ?? 200;
  const provisionUrl = settings.provisionUrl ?? `${settings.issuer.replace(/\/$/, "")}${PROVISION_ACCOUNT_PATH}`;
  let tokenEndpoint: Promise<string> | undefined;
  let cached: { token: string; until: number } | undefined;
  const fixedJti = randomUUID();

  const discover = () =>
    (tokenEndpoint ??= (async () => {
      const res = await send(`${settings.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`, {});
      const doc = (await res.json().catch(() => ({}))) as { token_endpoint?: unknown };
      if (res.status !== 200) throw new Refused("unavailable", `discovery answered ${res.status}`, true);
      if (typeof doc.token_endpoint !== "string") throw new Refused("configuration", "discovery names no token_endpoint");
      return doc.token_endpoint;
    })().catch((err) => {
      tokenEndpoint = undefined;
      throw err;
    }));

  async function send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new Refused("unavailable", `no answer from ${new URL(url).pathname}: ${(err as Error).name}`, true);
    }
  }

  async function assertion(audience: string): Promise<string> {
    // TEST ONLY (pa-hs256-assertion): the spec example's HS256 assertion, keyed with a shared secret.
    const key = testOnly.hs256 ? createSecretKey(Buffer.from("spec-example-secret-that-nhs-login-never-agreed")) : settings.privateKey;
    return new SignJWT({ jti: testOnly.fixedJti ? fixedJti : randomUUID() })
      .setProtectedHeader({ alg: testOnly.hs256 ? "HS256" : "RS512", typ: "JWT" })
      .setIssuer(settings.clientId)
      .setSubject(testOnly.subject ?? settings.clientId)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime("60s")
      .sign(key);
  }

  async function newToken(): Promise<string> {
    const endpoint = await discover();
    const res = await send(endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        // TEST ONLY (pa-no-assertion-type): the assertion's type left out.
        ...(testOnly.noAssertionType ? {} : { client_assertion_type: CLIENT_ASSERTION_TYPE }),
        client_assertion: await assertion(endpoint),
      }).toString(),
    });
    if (res.status >= 500) {
      await res.body?.cancel();
      throw new Refused("unavailable", `the token endpoint answered ${res.status}`, true);
    }
    const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (res.status !== 200 || typeof body?.access_token !== "string") {
      throw new Refused("configuration", `NHS login refused the token request: ${String(body?.error ?? `HTTP ${res.status}`)}`);
    }
    const lifetime = typeof body.expires_in === "number" ? body.expires_in : 0;
    // Renew 10 s early; a token said to live less than that is used once.
    if (!testOnly.tokenPerCall) cached = { token: body.access_token, until: Date.now() + (lifetime - 10) * 1000 };
    // TEST ONLY (pa-ignores-expires-in): the token kept until NHS login refuses it.
    if (testOnly.ignoreExpiresIn && cached) cached.until = Number.POSITIVE_INFINITY;
    return body.access_token;
  }

  const currentToken = async () => (cached && cached.until > Date.now() ? cached.token : newToken());

  /** One provisioning request with a valid token; a 401 gets one new token and one more try. */
  async function post(body: Record<string, string>): Promise<"created" | "uplifted"> {
    const call = (token: string) =>
      send(provisionUrl, {
        method: "POST",
        // TEST ONLY (pa-form-body): the body form-encoded.
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": testOnly.formBody ? "application/x-www-form-urlencoded" : "application/json",
          accept: "application/json",
        },
        body: testOnly.formBody ? new URLSearchParams(body).toString() : JSON.stringify(body),
      });
    let res = await call(await currentToken());
    if (res.status === 401) {
      await res.body?.cancel();
      cached = undefined;
      res = await call(await newToken());
      if (res.status === 401) throw new Refused("configuration", "a new access token was refused too (401)");
    }
    const answer = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    // Codes are read trimmed: the spec's own example has a leading space (A38).
    const success = typeof answer?.code === "string" ? answer.code.trim() : undefined;
    if (res.status === 200 && (success === "create" || success === "uplift")) {
      // TEST ONLY (pa-uplift-as-created): every success read as a new account.
      if (testOnly.upliftAsCreated) return "created";
      return success === "create" ? "created" : "uplifted";
    }
    if (res.status >= 500 || answer === undefined) throw new Refused("unavailable", `Provision Account answered ${res.status}`, true);
    const code = paErrorCode(answer);
    const row = code !== undefined && Object.hasOwn(PA_ERRORS, code) ? PA_ERRORS[code as keyof typeof PA_ERRORS] : undefined;
    const description = typeof answer.description === "string" ? answer.description : undefined;
    if (!row)
      throw new Refused("cannot-provision", `Provision Account answered ${res.status} with code ${String(code)}`, false, description);
    // TEST ONLY: pa-retry-11010 retries 11010; pa-tight-retry-11011 retries 11011 at once; pa-errors-all-unavailable
    // reads every code as NHS login being unavailable.
    if (testOnly.allUnavailable) throw new Refused("unavailable", `code ${code}`, true, description);
    const retry =
      row.errorClass === "unavailable" ||
      (testOnly.retry11010 === true && code === "11010") ||
      (testOnly.tightRetry11011 === true && code === "11011");
    throw new Refused(row.errorClass, `code ${code}`, retry, description);
  }

  return {
    async provision(request) {
      const body = {
        nhs_number: (request.nhsNumber ?? "").replace(/\s/g, ""),
        email_address: (request.email ?? "").trim(),
        // TEST ONLY: pa-non-iso-date and pa-local-mobile send the date and the mobile as staff typed them.
        date_of_birth: testOnly.dateAsTyped ? (request.dateOfBirth ?? "").trim() : isoDate(request.dateOfBirth ?? ""),
        // TEST ONLY (pa-other-ods-code): another organisation's code.
        ods_code: testOnly.otherOdsCode ? settings.odsCode.replace(/\d$/, (d) => String((Number(d) + 1) % 10)) : settings.odsCode,
        phone_number: testOnly.mobileAsTyped ? (request.phoneNumber ?? "").trim() : e164(request.phoneNumber ?? ""),
      };
      // TEST ONLY: pa-no-input-validation checks nothing before it is sent, pa-non-iso-date not the date, pa-local-mobile not the mobile.
      const unchecked = (field: string) =>
        testOnly.skipInputValidation ||
        (testOnly.dateAsTyped && field === "date_of_birth") ||
        (testOnly.mobileAsTyped && field === "phone_number");
      const problems = checkProvisionBody(body).filter((p) => p.status === "failed" && !unchecked(p.field));
      if (problems.length > 0) return { outcome: "error", errorClass: "input", message: `${STAFF_MESSAGES.input} (${problems[0]!.field})` };
      for (let attempt = 1; ; attempt++) {
        try {
          const outcome = await post(body);
          return { outcome, message: STAFF_MESSAGES[outcome] };
        } catch (err) {
          if (!(err instanceof Refused)) throw err;
          // TEST ONLY (pa-no-retry-on-unavailable): nothing is retried.
          const attempts = testOnly.tightRetry11011 && err.errorClass === "too-many-requests" ? 10 : ATTEMPTS;
          if (!err.retry || testOnly.noRetry || attempt >= attempts) {
            // TEST ONLY (pa-raw-description): NHS login's description shown to staff as it came.
            const message = testOnly.rawDescription && err.description ? err.description : STAFF_MESSAGES[err.errorClass];
            return { outcome: "error", errorClass: err.errorClass, message };
          }
          const tight = testOnly.tightRetry11011 && err.errorClass === "too-many-requests";
          await new Promise((r) => setTimeout(r, tight ? 0 : backoffMs * 2 ** (attempt - 1)));
        }
      }
    },
  };
}
