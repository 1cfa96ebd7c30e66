/**
 * The reference service's settings, read from `REFERENCE_SERVICE_*` environment variables and
 * checked before anything starts. Every problem is reported at once, naming the variable.
 *
 * @example
 * ```ts
 * const settings = loadSettings(process.env) // throws SettingsError listing every bad variable
 * settings.redirectUri // "https://service.example/callback"
 * ```
 */
import { readFileSync } from "node:fs";
import { createPrivateKey, type KeyObject } from "node:crypto";
import { isLoopbackHost } from "../../lib/http/is-loopback-host.ts";
import { parseVtr } from "../../lib/nhs/vot.ts";
import { parseUnsafeSwitch, REDIRECT_URI_QUERY, type UnsafeSwitch } from "./unsafe.ts";
import { ODS_CODE_PATTERN } from "../../lib/nhs/provision-account/check-provision-body.ts";

export interface Settings {
  /** The NHS login issuer, e.g. https://auth.sandpit.signin.nhs.uk */
  issuer: string;
  clientId: string;
  /** Signs the private_key_jwt client assertions (RS512). */
  privateKey: KeyObject;
  /** Where the service listens. */
  host: string;
  port: number;
  /** The public address of the service; the redirect URI is `<baseUrl>/callback`. */
  baseUrl: string;
  redirectUri: string;
  scope: string;
  vtr: string[];
  /** Shown on pages, e.g. in the no-consent message. */
  serviceName: string;
  /** TEST ONLY: expose POST /__test/clock to move the session clock. */
  testClock: boolean;
  /** Users Endpoint V2: exactly the scopes asked for, the Users.retrieve URL first. */
  usersScopes: string[];
  /** Users V2: how long one request may take before it counts as failed (REFERENCE_SERVICE_USERS_TIMEOUT_MS, default 5000). */
  usersTimeoutMs: number;
  /** Users V2: the first retry waits this long, the second twice as long (REFERENCE_SERVICE_USERS_BACKOFF_MS, default 200). */
  usersBackoffMs: number;
  /** Expose the Users V2 lookup hook, POST /__test/users-lookup (REFERENCE_SERVICE_USERS_LOOKUP_HOOK=true). */
  usersLookupHook: boolean;
  /**
   * Provision Account: the organisation's ODS code (REFERENCE_SERVICE_ODS_CODE). Without it the
   * service does not provision accounts (no staff page, no hook).
   */
  odsCode?: string;
  /** Provision Account: the endpoint (REFERENCE_SERVICE_PROVISION_URL, default `<issuer>/provision-account`). */
  provisionUrl?: string;
  /** Provision Account: per request and first backoff (REFERENCE_SERVICE_PROVISION_TIMEOUT_MS, _BACKOFF_MS; 5000 and 200). */
  provisionTimeoutMs: number;
  provisionBackoffMs: number;
  /** Expose the provisioning hook, POST /__test/provision (REFERENCE_SERVICE_PROVISION_HOOK=true). */
  provisionHook: boolean;
  /** TEST ONLY: one safeguard switched off (see unsafe.ts). */
  unsafe?: UnsafeSwitch;
}

export class SettingsError extends Error {}

/** True for 127.0.0.0/8, ::1 and localhost: the only hosts where plain http is tolerated. */
export function isLoopback(url: URL): boolean {
  return isLoopbackHost(url.hostname);
}

export function loadSettings(env: NodeJS.ProcessEnv): Settings {
  const problems: string[] = [];
  const get = (name: string) => (env[name] === undefined || env[name] === "" ? undefined : env[name]);
  const need = (name: string, what: string) => {
    const v = get(name);
    if (v === undefined) problems.push(`${name} is required: ${what}`);
    return v ?? "";
  };

  let unsafe: UnsafeSwitch | undefined;
  try {
    unsafe = parseUnsafeSwitch(get("REFERENCE_SERVICE_UNSAFE"));
  } catch (err) {
    problems.push((err as Error).message);
  }

  const issuer = need("REFERENCE_SERVICE_ISSUER", "the NHS login issuer URL");
  if (issuer) {
    const u = safeUrl(issuer);
    if (!u) problems.push("REFERENCE_SERVICE_ISSUER must be an absolute URL");
    else if (u.protocol !== "https:" && !(u.protocol === "http:" && isLoopback(u)))
      problems.push("REFERENCE_SERVICE_ISSUER must use https (http only on a loopback host)");
  }
  const clientId = need("REFERENCE_SERVICE_CLIENT_ID", "the client_id NHS login issued");
  const keyFile = need("REFERENCE_SERVICE_PRIVATE_KEY_FILE", "a PEM file with the RSA private key whose public half is registered");
  let privateKey: KeyObject | undefined;
  if (keyFile) {
    try {
      privateKey = createPrivateKey(readFileSync(keyFile, "utf8"));
      const bits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
      if (privateKey.asymmetricKeyType !== "rsa" || bits < 2048)
        problems.push(
          `REFERENCE_SERVICE_PRIVATE_KEY_FILE must hold an RSA key of at least 2048 bits (found ${privateKey.asymmetricKeyType} ${bits})`,
        );
    } catch {
      problems.push("REFERENCE_SERVICE_PRIVATE_KEY_FILE must be a readable, unencrypted PEM private key");
    }
  }

  const host = get("REFERENCE_SERVICE_HOST") ?? "127.0.0.1";
  const port = Number(get("REFERENCE_SERVICE_PORT") ?? "8080");
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push("REFERENCE_SERVICE_PORT must be a port number");
  const baseUrl = (get("REFERENCE_SERVICE_BASE_URL") ?? `http://${host.includes(":") ? `[${host}]` : host}:${port}`).replace(/\/$/, "");
  const base = safeUrl(baseUrl);
  if (!base) problems.push("REFERENCE_SERVICE_BASE_URL must be an absolute URL");
  // Safeguard: redirect URIs must be https (FED-AUTHZ-08, FED-REG-02); plain http only on loopback for local testing.
  else if (base.protocol !== "https:" && !isLoopback(base) && unsafe !== "https-redirect-uri") {
    problems.push("REFERENCE_SERVICE_BASE_URL must use https (http only on a loopback host)");
  }

  const scope = get("REFERENCE_SERVICE_SCOPES") ?? "openid profile email phone";
  if (!scope.split(" ").includes("openid")) problems.push("REFERENCE_SERVICE_SCOPES must include openid");
  let vtr: string[] = ["P9.Cp.Cd", "P9.Cp.Ck", "P9.Cm"];
  const vtrText = get("REFERENCE_SERVICE_VTR");
  if (vtrText !== undefined) {
    try {
      vtr = parseVtr(vtrText).map((v) => v.raw);
    } catch (err) {
      problems.push(`REFERENCE_SERVICE_VTR must be a JSON array of vectors of trust: ${(err as Error).message}`);
    }
  }
  const testClock = get("REFERENCE_SERVICE_TEST_CLOCK") === "true";
  const usersScope = get("REFERENCE_SERVICE_USERS_SCOPE") ?? `${issuer.replace(/\/$/, "")}/Users.retrieve`;
  if (!/\/Users\.retrieve$/.test(usersScope))
    problems.push("REFERENCE_SERVICE_USERS_SCOPE must be the Users.retrieve scope URL, e.g. https://auth.login.nhs.uk/Users.retrieve");
  /** A whole number of milliseconds from `min` to 60000, or the default. */
  const milliseconds = (name: string, fallback: number, min: number) => {
    const v = Number(get(name) ?? String(fallback));
    if (!Number.isInteger(v) || v < min || v > 60_000) problems.push(`${name} must be a whole number of milliseconds from ${min} to 60000`);
    return v;
  };
  const usersTimeoutMs = milliseconds("REFERENCE_SERVICE_USERS_TIMEOUT_MS", 5000, 100);
  const usersBackoffMs = milliseconds("REFERENCE_SERVICE_USERS_BACKOFF_MS", 200, 0);
  const usersExtras = (get("REFERENCE_SERVICE_USERS_SCOPES") ?? "profile").split(" ").filter(Boolean);
  const odsCode = get("REFERENCE_SERVICE_ODS_CODE");
  if (odsCode !== undefined && !ODS_CODE_PATTERN.test(odsCode))
    problems.push("REFERENCE_SERVICE_ODS_CODE must be an ODS code: a capital letter and 5 or 6 digits, e.g. A12345");
  const provisionUrl = get("REFERENCE_SERVICE_PROVISION_URL");
  if (provisionUrl !== undefined && !safeUrl(provisionUrl)) problems.push("REFERENCE_SERVICE_PROVISION_URL must be an absolute URL");
  const provisionTimeoutMs = milliseconds("REFERENCE_SERVICE_PROVISION_TIMEOUT_MS", 5000, 100);
  const provisionBackoffMs = milliseconds("REFERENCE_SERVICE_PROVISION_BACKOFF_MS", 200, 0);

  if (problems.length > 0) throw new SettingsError(`reference service settings refused:\n  ${problems.join("\n  ")}`);
  return {
    issuer,
    clientId,
    privateKey: privateKey!,
    host,
    port,
    baseUrl,
    // TEST ONLY: the redirect-uri-query switch puts a query string on the redirect URI.
    redirectUri: `${baseUrl}/callback${unsafe === "redirect-uri-query" ? `?${REDIRECT_URI_QUERY}` : ""}`,
    scope,
    vtr,
    serviceName: get("REFERENCE_SERVICE_NAME") ?? "The reference service",
    testClock,
    usersScopes: [usersScope, ...usersExtras.filter((x) => x !== usersScope)],
    usersLookupHook: get("REFERENCE_SERVICE_USERS_LOOKUP_HOOK") === "true",
    usersTimeoutMs,
    usersBackoffMs,
    ...(odsCode ? { odsCode } : {}),
    ...(provisionUrl ? { provisionUrl } : {}),
    provisionTimeoutMs,
    provisionBackoffMs,
    provisionHook: get("REFERENCE_SERVICE_PROVISION_HOOK") === "true",
    ...(unsafe ? { unsafe } : {}),
  };
}

function safeUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
