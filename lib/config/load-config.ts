/**
 * Read the harness configuration from environment variables (and a `.env` file), validate every
 * variable, and return a typed, frozen {@link HarnessConfig}.
 *
 * All problems are collected: one bad variable throws a {@link ConfigError}, several throw a
 * {@link ConfigErrors} listing each. Messages name the variable and the expected form, and never
 * contain key material.
 *
 * @example
 * ```ts
 * const config = loadConfig()
 * if (config.environment !== "simulator") console.log(config.nhslogin.issuer)
 *
 * loadConfig({ env: { NHSLOGIN_ENVIRONMENT: "sandpit" }, dotenvPath: false })
 * ```
 */
import { ConfigError, ConfigErrors } from "../errors/index.ts";
import { DEFAULT_VTR } from "../nhs/vot.ts";
import { unknownVariables } from "./unknown-variables.ts";
import { ENVIRONMENTS, PRESETS } from "./presets.ts";
import { PERSONAS, USERS_V2_SCOPES, type HarnessConfig } from "./types.ts";
import { deepFreeze, EnvReader, Invalid, withDotenv } from "./_internal.ts";
import { readCertificates, readRsaPrivateKey, readRsaPublicKey } from "./_key-files.ts";
import * as p from "./_parsers.ts";
import { existsSync } from "node:fs";
import { readBrowserSteps } from "../driver/browser-steps.ts";

/** Where Debian's chromium package puts the browser (SERVICE_DRIVER=browser without CHROMIUM_PATH). */
const DEFAULT_CHROMIUM = "/usr/bin/chromium";

export interface LoadConfigOptions {
  /** Variables to read; defaults to `process.env`. It is never modified. */
  env?: NodeJS.ProcessEnv;
  /** Dotenv file to read underneath `env`; defaults to `.env` in the working directory, `false` skips it. */
  dotenvPath?: string | false;
}

const CLIENT_ID = "a non-empty client identifier without whitespace";
const OPENID_SCOPES = 'space-separated scopes including openid, e.g. "openid profile email phone"';
const VTR = 'a JSON array of vectors of trust, e.g. ["P9.Cp.Cd","P9.Cm"]';
const BOOLEAN = "true or false";
const HTTP_URL = "an absolute http or https URL";

export function loadConfig(options: LoadConfigOptions = {}): HarnessConfig {
  const dotenvPath = options.dotenvPath ?? ".env";
  let env: Record<string, string | undefined> = { ...(options.env ?? process.env) };
  const problems: ConfigError[] = [];
  try {
    env = withDotenv(env, dotenvPath);
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    problems.push(new ConfigError("dotenv file", `a readable dotenv file at ${String(dotenvPath)}`, err.message));
  }
  const r = new EnvReader(env);

  const environment = r.read("NHSLOGIN_ENVIRONMENT", `one of ${ENVIRONMENTS.join(", ")}`, p.oneOf(ENVIRONMENTS)) ?? "simulator";
  const preset = PRESETS[environment];

  const nhslogin = {
    issuer:
      r.read("NHSLOGIN_ISSUER", "an absolute https URL without query or fragment (http only on a loopback host)", p.issuerUrl) ??
      preset.issuer,
    clientId: r.read("NHSLOGIN_CLIENT_ID", CLIENT_ID, p.identifier),
    privateKey: r.read(
      "NHSLOGIN_PRIVATE_KEY_FILE",
      "the path of a PEM file holding an unencrypted RSA private key of at least 2048 bits",
      readRsaPrivateKey,
    ),
    usersScope:
      r.read(
        "NHSLOGIN_USERS_SCOPE",
        "a single scope without spaces, e.g. https://auth.sandpit.signin.nhs.uk/Users.retrieve",
        p.scopeToken,
      ) ?? preset.usersScope,
    usersScopes:
      r.read(
        "NHSLOGIN_USERS_SCOPES",
        `space-separated Users V2 scopes from: ${USERS_V2_SCOPES.join(", ")}`,
        p.scopesFrom(USERS_V2_SCOPES),
      ) ?? [],
    scopes: r.read("NHSLOGIN_SCOPES", OPENID_SCOPES, p.openidScopes) ?? ["openid", "profile", "email", "phone"],
    vtr: r.read("NHSLOGIN_VTR", `${VTR}, each one of the profiles of EIS Table 21`, p.profileVtr) ?? [...DEFAULT_VTR],
    testNhsNumber: r.read("NHSLOGIN_TEST_NHS_NUMBER", "a 10-digit NHS number with a valid modulus 11 check digit", p.nhsNumber),
    testEmail: r.read("NHSLOGIN_TEST_EMAIL", "an email address such as tester@example.com", p.email),
    testNhsNumber2: r.read("NHSLOGIN_TEST_NHS_NUMBER_2", "a 10-digit NHS number with a valid modulus 11 check digit", p.nhsNumber),
    testEmail2: r.read("NHSLOGIN_TEST_EMAIL_2", "an email address such as tester2@example.com", p.email),
    provisionAccount: {
      url: r.read("NHSLOGIN_PA_URL", "an absolute https URL (http only on a loopback host)", p.issuerUrl),
      clientId: r.read("NHSLOGIN_PA_CLIENT_ID", CLIENT_ID, p.identifier),
      privateKey: r.read(
        "NHSLOGIN_PA_PRIVATE_KEY_FILE",
        "the path of a PEM file holding an unencrypted RSA private key of at least 2048 bits",
        readRsaPrivateKey,
      ),
      odsCode: r.read("NHSLOGIN_PA_ODS_CODE", "an ODS code: a capital letter and 5 or 6 digits, e.g. A12345", p.odsCode),
      testPatient: r.read(
        "NHSLOGIN_PA_TEST_PATIENT",
        'a JSON object {"nhs_number", "email_address", "date_of_birth", "phone_number"} of a test patient, each as PA Table 7 asks',
        p.paTestPatient,
      ),
    },
    redirectUri: r.read(
      "NHSLOGIN_REDIRECT_URI",
      "an http(s) URL on a loopback host (127.0.0.1, localhost or [::1]) without query or fragment, e.g. http://127.0.0.1:8765/callback",
      p.loopbackUrl,
    ),
  };

  const caFile = r.raw("NHSLOGIN_CA_FILE");
  const http = {
    timeoutMs: r.read("HTTP_TIMEOUT_MS", "a whole number of milliseconds from 100 to 600000", p.integer(100, 600_000)) ?? 10_000,
    maxResponseBytes:
      r.read("HTTP_MAX_RESPONSE_BYTES", "a whole number of bytes from 1024 to 1073741824", p.integer(1024, 1_073_741_824)) ?? 5_242_880,
    caFile,
    ca: r.read("NHSLOGIN_CA_FILE", "the path of a PEM file holding one or more certificates", readCertificates),
  };

  const service: { -readonly [K in keyof HarnessConfig["service"]]: HarnessConfig["service"][K] } = {
    startUrl: r.read("SERVICE_START_URL", HTTP_URL, p.httpUrl),
    protectedUrl: r.read("SERVICE_PROTECTED_URL", HTTP_URL, p.httpUrl),
    stepUpUrl: r.read("SERVICE_STEP_UP_URL", HTTP_URL, p.httpUrl),
    readyUrl: r.read("SERVICE_READY_URL", HTTP_URL, p.httpUrl),
    restartCommand: r.read("SERVICE_RESTART_COMMAND", "a shell command that restarts the service", p.text),
    signInLink: r.read("SERVICE_SIGN_IN_LINK", "a CSS selector or the text of the sign-in link or button", p.text),
    driver: r.read("SERVICE_DRIVER", "http or browser", p.oneOf(["http", "browser"] as const)) ?? "http",
    chromiumPath: r.read("CHROMIUM_PATH", "the path of an existing chromium executable", p.existingFile),
    browserSteps: r.read("SERVICE_BROWSER_STEPS", "the path of a JSON file of browser steps (docs/checking-your-service.md)", (v) => {
      const path = p.existingFile(v);
      try {
        return { path, ...readBrowserSteps(path) };
      } catch (err) {
        throw new Invalid(`${path}: ${(err as Error).message}`);
      }
    }),
    signedInText: r.read(
      "SERVICE_SIGNED_IN_TEXT",
      "text, or a regular expression written /source/flags, shown once signed in",
      p.textOrPattern,
    ),
    clientId: r.read("SERVICE_CLIENT_ID", CLIENT_ID, p.identifier),
    redirectUris: r.read(
      "SERVICE_REDIRECT_URIS",
      '1 to 10 comma-separated absolute http(s) URLs without "*", query or fragment',
      p.redirectUriList,
    ),
    publicKey: r.read(
      "SERVICE_PUBLIC_KEY_FILE",
      "the path of an RSA public key of at least 2048 bits, as PEM (BEGIN PUBLIC KEY or BEGIN RSA PUBLIC KEY) or as a JWK JSON file",
      readRsaPublicKey,
    ),
    scopes: r.read("SERVICE_SCOPES", OPENID_SCOPES, p.openidScopes),
    vtr: r.read("SERVICE_VTR", `${VTR}, each one of the profiles of EIS Table 21`, p.profileVtr),
    usesUserinfo: r.read("SERVICE_USES_USERINFO", BOOLEAN, p.boolean) ?? true,
    testClockUrl: r.read("SERVICE_TEST_CLOCK_URL", HTTP_URL, p.httpUrl),
    usersLookupUrl: r.read("SERVICE_USERS_LOOKUP_URL", HTTP_URL, p.httpUrl),
    provisionUrl: r.read("SERVICE_PROVISION_URL", HTTP_URL, p.httpUrl),
    odsCode: r.read("SERVICE_ODS_CODE", "an ODS code: a capital letter and 5 or 6 digits, e.g. A12345", p.odsCode),
    journal: r.read("SERVICE_JOURNAL", "the path of an existing journal file (nhslogin-simulator --journal <file>)", p.existingFile),
    usersScopes:
      r.read(
        "SERVICE_USERS_SCOPES",
        `space-separated Users V2 scopes from: ${USERS_V2_SCOPES.join(", ")}`,
        p.scopesFrom(USERS_V2_SCOPES),
      ) ?? [],
  };

  const simulator = {
    port: r.read("SIMULATOR_PORT", "a whole-number port from 0 to 65535 (0 picks a free port)", p.integer(0, 65_535)) ?? 0,
    issuer: r.read("SIMULATOR_ISSUER", HTTP_URL, p.httpUrl),
    persona: r.read("SIMULATOR_PERSONA", `one of ${PERSONAS.join(", ")}`, p.oneOf(PERSONAS)) ?? "p9",
    tls: r.read("SIMULATOR_TLS", BOOLEAN, p.boolean) ?? false,
    tlsCert: r.read("SIMULATOR_TLS_CERT", "the path of a PEM file holding the server certificate (and its chain)", readCertificates),
    tlsKey: r.read("SIMULATOR_TLS_KEY", "the path of the certificate's unencrypted RSA private key, as PEM", readRsaPrivateKey),
    limits: {
      storeEntries: r.read("SIMULATOR_STORE_ENTRIES", "a whole number of entries from 100 to 1000000", p.integer(100, 1_000_000)),
      storeMb: r.read("SIMULATOR_STORE_MB", "a whole number of megabytes from 1 to 1024", p.integer(1, 1024)),
      eventLogEntries: r.read("SIMULATOR_EVENT_LOG_ENTRIES", "a whole number of events from 100 to 1000000", p.integer(100, 1_000_000)),
      eventLogMb: r.read("SIMULATOR_EVENT_LOG_MB", "a whole number of megabytes from 1 to 256", p.integer(1, 256)),
    },
  };
  if ((simulator.tlsCert === undefined) !== (simulator.tlsKey === undefined)) {
    const missing = simulator.tlsCert === undefined ? "SIMULATOR_TLS_CERT" : "SIMULATOR_TLS_KEY";
    problems.push(new ConfigError(missing, "a value, because the other of SIMULATOR_TLS_CERT and SIMULATOR_TLS_KEY is set"));
  }

  if (service.provisionUrl !== undefined && r.raw("SERVICE_ODS_CODE") === undefined)
    problems.push(
      new ConfigError("SERVICE_ODS_CODE", "the ODS code the service provisions for, because SERVICE_PROVISION_URL is set", "unset"),
    );

  if (service.driver === "browser" && service.chromiumPath === undefined) {
    if (existsSync(DEFAULT_CHROMIUM)) service.chromiumPath = DEFAULT_CHROMIUM;
    else
      problems.push(
        new ConfigError(
          "CHROMIUM_PATH",
          `the path of a chromium executable, because SERVICE_DRIVER=browser and ${DEFAULT_CHROMIUM} is missing`,
          "install it (Debian: apt-get install chromium) or set CHROMIUM_PATH",
        ),
      );
  }

  const report = {
    includeTokens: r.read("REPORT_INCLUDE_TOKENS", BOOLEAN, p.boolean) ?? false,
    dir: r.read("REPORTS_DIR", "a directory path for the reports (created when missing)", p.text) ?? "reports",
    manualResults:
      r.read("MANUAL_RESULTS_FILE", "the path of an existing manual results file (docs/reports.md)", p.existingFile) ??
      (existsSync("manual-results.json") ? "manual-results.json" : undefined),
  };

  const artefacts = { dir: r.read("ARTEFACTS_DIR", "the path of an existing directory holding captured artefacts", p.existingDirectory) };

  const warnings: string[] = [];
  for (const u of unknownVariables(env, r.names)) {
    if (u.closest && r.raw(u.closest) === undefined)
      problems.push(
        new ConfigError(
          u.name,
          `a variable the harness reads: did you mean ${u.closest}?`,
          `${u.closest} is not set, so this value would be lost`,
        ),
      );
    else warnings.push(`${u.name} is not a variable the harness reads${u.closest ? ` (the closest is ${u.closest})` : ""}; it is ignored`);
  }

  problems.push(...r.problems);
  if (problems.length === 1) throw problems[0]!;
  if (problems.length > 1) throw new ConfigErrors(problems);
  return deepFreeze({ environment, nhslogin, service, simulator, http, report, artefacts, warnings });
}
