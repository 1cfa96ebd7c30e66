import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../lib/config/load-config.ts";
import { ConfigError, ConfigErrors } from "../../lib/errors/index.ts";
import { DEFAULT_VTR } from "../../lib/nhs/vot.ts";
import { makeFixtures, type Fixtures } from "./_fixtures.ts";

let fx: Fixtures;
beforeAll(() => {
  fx = makeFixtures();
});
afterAll(() => fx.cleanup());

const load = (env: NodeJS.ProcessEnv) => loadConfig({ env, dotenvPath: false });

/** The ConfigErrors thrown for `env`, as a list (empty when loading succeeds). */
function problems(env: NodeJS.ProcessEnv): ConfigError[] {
  try {
    load(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigErrors) return [...err.errors];
    if (err instanceof ConfigError) return [err];
    throw err;
  }
}

function onlyProblem(env: NodeJS.ProcessEnv): ConfigError {
  const found = problems(env);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe("loadConfig defaults", () => {
  it("gives simulator defaults for an empty environment", () => {
    const config = load({});
    expect(config.environment).toBe("simulator");
    expect(config.nhslogin.issuer).toBeUndefined();
    expect(config.nhslogin.usersScope).toBeUndefined();
    expect(config.nhslogin.scopes).toEqual(["openid", "profile", "email", "phone"]);
    expect(config.nhslogin.vtr).toEqual(DEFAULT_VTR);
    expect(config.nhslogin.usersScopes).toEqual([]);
    expect(config.http).toEqual({ timeoutMs: 10_000, maxResponseBytes: 5_242_880, caFile: undefined, ca: undefined });
    expect(config.simulator).toEqual({
      port: 0,
      issuer: undefined,
      persona: "p9",
      tls: false,
      tlsCert: undefined,
      tlsKey: undefined,
      limits: { storeEntries: undefined, storeMb: undefined, eventLogEntries: undefined, eventLogMb: undefined },
    });
    expect(config.service.usesUserinfo).toBe(true);
    expect([config.service.driver, config.service.chromiumPath]).toEqual(["http", undefined]);
    expect(config.report.includeTokens).toBe(false);
  });

  it("treats empty strings as unset", () => {
    const config = load({ NHSLOGIN_ENVIRONMENT: "", HTTP_TIMEOUT_MS: "", NHSLOGIN_CLIENT_ID: "" });
    expect(config.environment).toBe("simulator");
    expect(config.http.timeoutMs).toBe(10_000);
    expect(config.nhslogin.clientId).toBeUndefined();
  });

  it("returns a frozen object, nested groups included", () => {
    const config = load({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.nhslogin)).toBe(true);
    expect(Object.isFrozen(config.nhslogin.scopes)).toBe(true);
  });
});

describe("loadConfig presets", () => {
  it.each([
    ["sandpit", "https://auth.sandpit.signin.nhs.uk", "https://auth.sandpit.signin.nhs.uk/Users.retrieve"],
    ["integration", "https://auth.aos.signin.nhs.uk", "https://auth.aos.signin.nhs.uk/Users.retrieve"],
    ["production", "https://auth.login.nhs.uk", undefined],
    ["simulator", undefined, undefined],
  ])("%s has issuer %s and Users scope %s", (environment, issuer, usersScope) => {
    const config = load({ NHSLOGIN_ENVIRONMENT: environment });
    expect(config.environment).toBe(environment);
    expect(config.nhslogin.issuer).toBe(issuer);
    expect(config.nhslogin.usersScope).toBe(usersScope);
  });

  it("accepts the environment name in any case", () => {
    expect(load({ NHSLOGIN_ENVIRONMENT: "Sandpit" }).environment).toBe("sandpit");
  });

  it("lets variables override the preset, keeping a trailing slash byte-for-byte", () => {
    const config = load({
      NHSLOGIN_ENVIRONMENT: "production",
      NHSLOGIN_ISSUER: "https://auth.login.nhs.uk/",
      NHSLOGIN_USERS_SCOPE: "https://auth.login.nhs.uk/Users.retrieve",
    });
    expect(config.nhslogin.issuer).toBe("https://auth.login.nhs.uk/");
    expect(config.nhslogin.usersScope).toBe("https://auth.login.nhs.uk/Users.retrieve");
  });

  it.each(["http://127.0.0.1:9000", "http://127.8.9.10", "http://localhost:8080/", "http://[::1]:9000"])(
    "allows http for the loopback issuer %s",
    (issuer) => {
      expect(load({ NHSLOGIN_ISSUER: issuer }).nhslogin.issuer).toBe(issuer);
    },
  );
});

describe("loadConfig valid values", () => {
  it("reads every variable", () => {
    const config = load({
      NHSLOGIN_ENVIRONMENT: "sandpit",
      NHSLOGIN_CLIENT_ID: "my-client",
      NHSLOGIN_PRIVATE_KEY_FILE: fx.privateKey,
      NHSLOGIN_USERS_SCOPES: "profile gp_registration_details",
      NHSLOGIN_SCOPES: "openid profile",
      NHSLOGIN_VTR: '["P9.Cp.Cd"]',
      NHSLOGIN_TEST_NHS_NUMBER: "9990000018",
      NHSLOGIN_TEST_EMAIL: "tester@example.com",
      NHSLOGIN_REDIRECT_URI: "http://127.0.0.1:8765/callback",
      HTTP_TIMEOUT_MS: "2500",
      HTTP_MAX_RESPONSE_BYTES: "1024",
      SERVICE_START_URL: "https://service.example/start",
      SERVICE_PROTECTED_URL: "http://localhost:3000/account",
      SERVICE_CLIENT_ID: "service-client",
      SERVICE_REDIRECT_URIS: "https://service.example/cb, http://localhost:3000/cb",
      SERVICE_PUBLIC_KEY_FILE: fx.publicSpki,
      SERVICE_SCOPES: "openid email",
      SERVICE_VTR: '["P5.Cp.Cd","P9.Cm"]',
      SERVICE_USES_USERINFO: "FALSE",
      SERVICE_DRIVER: "browser",
      CHROMIUM_PATH: process.execPath,
      SIMULATOR_PORT: "9443",
      SIMULATOR_ISSUER: "http://127.0.0.1:9443",
      SIMULATOR_PERSONA: "p5",
      SIMULATOR_STORE_ENTRIES: "500000",
      SIMULATOR_STORE_MB: "64",
      SIMULATOR_EVENT_LOG_ENTRIES: "10000",
      SIMULATOR_EVENT_LOG_MB: "32",
      REPORT_INCLUDE_TOKENS: "True",
    });
    expect(config.nhslogin.clientId).toBe("my-client");
    expect(config.nhslogin.privateKey?.path).toBe(fx.privateKey);
    expect(config.nhslogin.privateKey?.modulusBits).toBe(2048);
    expect(config.nhslogin.privateKey?.key.asymmetricKeyType).toBe("rsa");
    expect(config.nhslogin.usersScopes).toEqual(["profile", "gp_registration_details"]);
    expect(config.nhslogin.scopes).toEqual(["openid", "profile"]);
    expect(config.nhslogin.vtr).toEqual(["P9.Cp.Cd"]);
    expect(config.nhslogin.testNhsNumber).toBe("9990000018");
    expect(config.nhslogin.redirectUri).toBe("http://127.0.0.1:8765/callback");
    expect(config.http.timeoutMs).toBe(2500);
    expect(config.http.maxResponseBytes).toBe(1024);
    expect(config.service.redirectUris).toEqual(["https://service.example/cb", "http://localhost:3000/cb"]);
    expect(config.service.publicKey?.modulusBits).toBe(2048);
    expect(config.service.scopes).toEqual(["openid", "email"]);
    expect(config.service.vtr).toEqual(["P5.Cp.Cd", "P9.Cm"]);
    expect(config.service.usesUserinfo).toBe(false);
    expect([config.service.driver, config.service.chromiumPath]).toEqual(["browser", process.execPath]);
    expect(config.simulator).toEqual({
      port: 9443,
      issuer: "http://127.0.0.1:9443",
      persona: "p5",
      tls: false,
      tlsCert: undefined,
      tlsKey: undefined,
      limits: { storeEntries: 500_000, storeMb: 64, eventLogEntries: 10_000, eventLogMb: 32 },
    });
    expect(config.report.includeTokens).toBe(true);
  });

  it("reads SERVICE_SIGN_IN_LINK, and leaves it and SERVICE_SIGNED_IN_TEXT unset by default", () => {
    expect(load({ SERVICE_SIGN_IN_LINK: "a#nhs-login" }).service.signInLink).toBe("a#nhs-login");
    expect(load({ SERVICE_SIGN_IN_LINK: "Continue to NHS login" }).service.signInLink).toBe("Continue to NHS login");
    expect(load({}).service.signInLink).toBeUndefined();
    expect(load({ SERVICE_SIGNED_IN_TEXT: "" }).service.signedInText).toBeUndefined();
  });

  it("keeps plain SERVICE_SIGNED_IN_TEXT as a string", () => {
    expect(load({ SERVICE_SIGNED_IN_TEXT: "Signed in as" }).service.signedInText).toBe("Signed in as");
    expect(load({ SERVICE_SIGNED_IN_TEXT: "/" }).service.signedInText).toBe("/");
    expect(load({ SERVICE_SIGNED_IN_TEXT: "and/or" }).service.signedInText).toBe("and/or");
  });

  it("reads SERVICE_SIGNED_IN_TEXT written /source/flags as a regular expression", () => {
    const pattern = load({ SERVICE_SIGNED_IN_TEXT: "/sign(ed)? out/i" }).service.signedInText;
    expect(pattern).toBeInstanceOf(RegExp);
    expect((pattern as RegExp).source).toBe("sign(ed)? out");
    expect((pattern as RegExp).flags).toBe("i");
    expect((pattern as RegExp).test("SIGNED OUT")).toBe(true);
    const plain = load({ SERVICE_SIGNED_IN_TEXT: "/Welcome, \\w+/" }).service.signedInText as RegExp;
    expect([plain.source, plain.flags]).toEqual(["Welcome, \\w+", ""]);
  });

  it("accepts a PKCS#1 private key", () => {
    expect(load({ NHSLOGIN_PRIVATE_KEY_FILE: fx.privatePkcs1 }).nhslogin.privateKey?.modulusBits).toBe(2048);
  });

  it.each([
    ["PKCS#1 PEM", () => fx.publicPkcs1],
    ["JWK", () => fx.publicJwk],
  ])("accepts a %s service public key", (_, path) => {
    expect(load({ SERVICE_PUBLIC_KEY_FILE: path() }).service.publicKey?.key.asymmetricKeyType).toBe("rsa");
  });

  it("reads a CA file into PEM certificates", (ctx) => {
    if (!fx.certificate) return ctx.skip();
    const config = load({ NHSLOGIN_CA_FILE: fx.certificate });
    expect(config.http.caFile).toBe(fx.certificate);
    expect(config.http.ca).toHaveLength(1);
    expect(config.http.ca?.[0]).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });
});

describe("loadConfig refuses bad values", () => {
  const cases: [variable: string, value: () => string, expected: string][] = [
    ["NHSLOGIN_ENVIRONMENT", () => "staging", "one of simulator, sandpit, integration, production"],
    ["NHSLOGIN_ISSUER", () => "http://auth.example.com", "an absolute https URL"],
    ["NHSLOGIN_ISSUER", () => "not a url", "an absolute https URL"],
    ["NHSLOGIN_ISSUER", () => "https://auth.example.com/?tenant=1", "without query or fragment"],
    ["NHSLOGIN_CLIENT_ID", () => "has space", "without whitespace"],
    ["NHSLOGIN_PRIVATE_KEY_FILE", () => join(fx.dir, "absent.pem"), "RSA private key of at least 2048 bits"],
    ["NHSLOGIN_USERS_SCOPE", () => "two scopes", "a single scope without spaces"],
    ["NHSLOGIN_USERS_SCOPES", () => "profile nonsense", "Users V2 scopes from: profile"],
    ["NHSLOGIN_SCOPES", () => "profile email", "scopes including openid"],
    ["NHSLOGIN_VTR", () => '["P9.Xx"]', "a JSON array of vectors of trust"],
    ["NHSLOGIN_TEST_NHS_NUMBER", () => "9990000019", "valid modulus 11 check digit"],
    ["NHSLOGIN_TEST_NHS_NUMBER", () => "12345", "10-digit NHS number"],
    ["NHSLOGIN_TEST_EMAIL", () => "nobody", "an email address"],
    ["NHSLOGIN_REDIRECT_URI", () => "https://service.example/cb", "on a loopback host"],
    ["NHSLOGIN_REDIRECT_URI", () => "http://127.0.0.1:8765/cb?x=1", "without query or fragment"],
    ["NHSLOGIN_CA_FILE", () => fx.publicSpki, "PEM file holding one or more certificates"],
    ["HTTP_TIMEOUT_MS", () => "50", "from 100 to 600000"],
    ["HTTP_TIMEOUT_MS", () => "1.5", "from 100 to 600000"],
    ["HTTP_MAX_RESPONSE_BYTES", () => "1e6", "from 1024 to 1073741824"],
    ["SERVICE_START_URL", () => "ftp://service.example/", "an absolute http or https URL"],
    ["SERVICE_PROTECTED_URL", () => "/account", "an absolute http or https URL"],
    ["SERVICE_CLIENT_ID", () => "a\tb", "without whitespace"],
    ["SERVICE_REDIRECT_URIS", () => "https://service.example/*", '1 to 10 comma-separated absolute http(s) URLs without "*"'],
    ["SERVICE_REDIRECT_URIS", () => "https://service.example/cb#x", "query or fragment"],
    ["SERVICE_REDIRECT_URIS", () => Array.from({ length: 11 }, (_, i) => `https://s.example/${i}`).join(","), "1 to 10"],
    ["SERVICE_PUBLIC_KEY_FILE", () => fx.smallPublicKey, "RSA public key of at least 2048 bits"],
    ["SERVICE_SCOPES", () => "email", "scopes including openid"],
    ["SERVICE_VTR", () => "P9.Cp", "a JSON array of vectors of trust"],
    ["SERVICE_USES_USERINFO", () => "yes", "true or false"],
    ["SERVICE_SIGN_IN_LINK", () => "   ", "a CSS selector or the text of the sign-in link or button"],
    ["SERVICE_SIGNED_IN_TEXT", () => " \t ", "text, or a regular expression written /source/flags"],
    ["SERVICE_SIGNED_IN_TEXT", () => "/(/", "text, or a regular expression written /source/flags"],
    ["SIMULATOR_PORT", () => "70000", "from 0 to 65535"],
    ["SIMULATOR_ISSUER", () => "nowhere", "an absolute http or https URL"],
    ["SIMULATOR_PERSONA", () => "p7", "one of p0, p5, p9"],
    ["SERVICE_DRIVER", () => "chrome", "http or browser"],
    ["CHROMIUM_PATH", () => "/nonexistent/chromium", "the path of an existing chromium executable"],
    ["SIMULATOR_STORE_ENTRIES", () => "lots", "a whole number of entries from 100 to 1000000"],
    ["SIMULATOR_STORE_MB", () => "0", "a whole number of megabytes from 1 to 1024"],
    ["SIMULATOR_EVENT_LOG_ENTRIES", () => "10", "a whole number of events from 100 to 1000000"],
    ["SIMULATOR_EVENT_LOG_MB", () => "512", "a whole number of megabytes from 1 to 256"],
    ["REPORT_INCLUDE_TOKENS", () => "1", "true or false"],
  ];

  it.each(cases)("%s=%s names the variable and the expected form", (variable, value, expected) => {
    const err = onlyProblem({ [variable]: value() });
    expect(err.variable).toBe(variable);
    expect(err.message).toContain(`${variable}: expected `);
    expect(err.message).toContain(expected);
  });

  it("reads SERVICE_BROWSER_STEPS, and names what is wrong in a steps file", () => {
    const dir = mkdtempSync(join(tmpdir(), "steps-config-"));
    try {
      const good = join(dir, "good.json");
      writeFileSync(good, '{"steps":[{"actions":[{"click":{"text":"Sign in"}}]}]}');
      expect(load({ SERVICE_BROWSER_STEPS: good }).service.browserSteps).toEqual({
        path: good,
        steps: [{ actions: [{ click: { text: "Sign in" } }] }],
      });
      const bad = join(dir, "bad.json");
      writeFileSync(bad, '{"steps":[{"actions":[{"tap":{"text":"x"}}]}]}');
      const err = onlyProblem({ SERVICE_BROWSER_STEPS: bad });
      expect(err.variable).toBe("SERVICE_BROWSER_STEPS");
      expect(err.message).toContain("/steps/0/actions/0 must NOT have additional properties");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("puts the vtr syntax reason in the detail", () => {
    expect(onlyProblem({ NHSLOGIN_VTR: '["P9.Xx"]' }).message).toContain('unknown component "Xx"');
  });

  it("says a blank SERVICE_SIGN_IN_LINK is only whitespace", () => {
    const err = onlyProblem({ SERVICE_SIGN_IN_LINK: " \n " });
    expect(err.variable).toBe("SERVICE_SIGN_IN_LINK");
    expect(err.message).toBe(
      "SERVICE_SIGN_IN_LINK: expected a CSS selector or the text of the sign-in link or button (got only whitespace)",
    );
  });

  it.each(["/(/", "/a[/", "/x/z"])("says SERVICE_SIGNED_IN_TEXT=%s is not a valid regular expression", (value) => {
    const err = onlyProblem({ SERVICE_SIGNED_IN_TEXT: value });
    expect(err.variable).toBe("SERVICE_SIGNED_IN_TEXT");
    expect(err.message).toMatch(
      /^SERVICE_SIGNED_IN_TEXT: expected text, or a regular expression written \/source\/flags, shown once signed in/,
    );
    expect(err.message).toContain(`(got ${JSON.stringify(value)}, which is not a valid regular expression: Invalid `);
  });

  it("reads NHSLOGIN_PA_TEST_PATIENT as T7's fields, naming what breaks them", () => {
    const patient = {
      nhs_number: "9990200009",
      email_address: "t@example.org",
      date_of_birth: "1990-05-17",
      phone_number: "+447700900201",
    };
    expect(load({ NHSLOGIN_PA_TEST_PATIENT: JSON.stringify(patient) }).nhslogin.provisionAccount.testPatient).toEqual(patient);
    const bad = onlyProblem({ NHSLOGIN_PA_TEST_PATIENT: JSON.stringify({ ...patient, date_of_birth: "1993-17-12" }) });
    expect(bad.variable).toBe("NHSLOGIN_PA_TEST_PATIENT");
    expect(bad.message).toMatch(/date_of_birth "1993-17-12" is not a real date/);
    expect(onlyProblem({ NHSLOGIN_PA_TEST_PATIENT: "{" }).message).toMatch(/got text that is not JSON/);
  });

  it("needs SERVICE_ODS_CODE with SERVICE_PROVISION_URL, and an ODS code in it", () => {
    const missing = onlyProblem({ SERVICE_PROVISION_URL: "http://127.0.0.1:9/__test/provision" });
    expect(missing.variable).toBe("SERVICE_ODS_CODE");
    expect(missing.message).toMatch(/the ODS code the service provisions for, because SERVICE_PROVISION_URL is set/);
    const bad = onlyProblem({ SERVICE_PROVISION_URL: "http://127.0.0.1:9/__test/provision", SERVICE_ODS_CODE: "a1234" });
    expect(bad.message).toBe('SERVICE_ODS_CODE: expected an ODS code: a capital letter and 5 or 6 digits, e.g. A12345 (got "a1234")');
    expect(problems({ SERVICE_PROVISION_URL: "http://127.0.0.1:9/__test/provision", SERVICE_ODS_CODE: "A12345" })).toEqual([]);
  });

  it("says booleans take only true or false", () => {
    expect(onlyProblem({ REPORT_INCLUDE_TOKENS: "yes" }).message).toMatch(/only "true" or "false"/);
  });

  it("throws a single ConfigError when one variable is wrong", () => {
    expect(() => load({ SIMULATOR_PERSONA: "p7" })).toThrow(ConfigError);
  });

  it("reports several bad values at once", () => {
    let thrown: unknown;
    try {
      load({ NHSLOGIN_ENVIRONMENT: "staging", HTTP_TIMEOUT_MS: "5", SIMULATOR_PORT: "-1", NHSLOGIN_TEST_EMAIL: "x" });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigErrors);
    const err = thrown as ConfigErrors;
    expect(err.code).toBe("ERR_CONFIG_INVALID_MANY");
    expect(err.errors.map((e) => e.variable).sort()).toEqual([
      "HTTP_TIMEOUT_MS",
      "NHSLOGIN_ENVIRONMENT",
      "NHSLOGIN_TEST_EMAIL",
      "SIMULATOR_PORT",
    ]);
    for (const v of ["HTTP_TIMEOUT_MS", "NHSLOGIN_ENVIRONMENT", "NHSLOGIN_TEST_EMAIL", "SIMULATOR_PORT"]) {
      expect(err.message).toContain(`${v}: expected`);
    }
  });
});

describe("loadConfig key files", () => {
  it("refuses a 1024-bit key and says how many bits it found", () => {
    const err = onlyProblem({ NHSLOGIN_PRIVATE_KEY_FILE: fx.smallPrivateKey });
    expect(err.message).toContain("1024-bit");
    expect(err.message).toContain("at least 2048 bits");
  });

  it("refuses a missing key file", () => {
    const path = join(fx.dir, "nothing-here.pem");
    expect(onlyProblem({ NHSLOGIN_PRIVATE_KEY_FILE: path }).message).toContain(`no file at ${path}`);
  });

  it.each([
    ["a file that is not PEM", () => fx.file("not-pem.txt", "hello"), "is not PEM"],
    ["an EC key", () => fx.ecPrivateKey, "holds a ec key, not RSA"],
    ["an encrypted key", () => fx.encryptedPrivateKey, "encrypted"],
    ["a public key", () => fx.publicSpki, "not a private key"],
    ["a directory", () => fx.dir, "is a directory"],
  ])("refuses %s", (_, path, detail) => {
    const err = onlyProblem({ NHSLOGIN_PRIVATE_KEY_FILE: path() });
    expect(err.variable).toBe("NHSLOGIN_PRIVATE_KEY_FILE");
    expect(err.message).toContain(detail);
  });

  it("refuses a private key or private JWK as the service public key", () => {
    expect(onlyProblem({ SERVICE_PUBLIC_KEY_FILE: fx.privateKey }).message).toContain("holds a private key");
    expect(onlyProblem({ SERVICE_PUBLIC_KEY_FILE: fx.privateJwk }).message).toContain("private JWK");
  });

  it("never puts PEM text in a message", () => {
    const body = fx.privatePem.split("\n")[1]!;
    const broken = fx.file("broken.pem", fx.privatePem.replace(body, body.slice(0, 20)));
    const truncated = fx.file("truncated.pem", fx.privatePem.slice(0, 400));
    const messages = [
      problems({ NHSLOGIN_PRIVATE_KEY_FILE: broken, SERVICE_PUBLIC_KEY_FILE: fx.privateKey, NHSLOGIN_CA_FILE: fx.privateKey }),
      problems({ NHSLOGIN_PRIVATE_KEY_FILE: truncated }),
    ]
      .flat()
      .map((e) => `${e.message} ${String(e.cause ?? "")}`);
    expect(messages.length).toBe(4);
    const keyLines = fx.privatePem.split("\n").filter((line) => line.length > 0 && !line.startsWith("-----"));
    for (const message of messages) {
      expect(message).not.toContain("-----END");
      for (const line of keyLines) expect(message).not.toContain(line.slice(0, 24));
    }
  });
});

describe("loadConfig dotenv", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "harness-dotenv-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads a dotenv file, with variables already set taking precedence", () => {
    const path = join(dir, ".env");
    writeFileSync(path, "NHSLOGIN_ENVIRONMENT=integration\nNHSLOGIN_CLIENT_ID=from-file\nHTTP_TIMEOUT_MS=1234\n");
    const env = { NHSLOGIN_CLIENT_ID: "from-env" };
    const config = loadConfig({ env, dotenvPath: path });
    expect(config.environment).toBe("integration");
    expect(config.nhslogin.clientId).toBe("from-env");
    expect(config.http.timeoutMs).toBe(1234);
    expect(env).toEqual({ NHSLOGIN_CLIENT_ID: "from-env" });
  });

  it("ignores a missing dotenv file", () => {
    expect(loadConfig({ env: {}, dotenvPath: join(dir, "missing.env") }).environment).toBe("simulator");
  });

  it("skips the file when dotenvPath is false", () => {
    const path = join(dir, ".env");
    writeFileSync(path, "NHSLOGIN_ENVIRONMENT=integration\n");
    expect(loadConfig({ env: {}, dotenvPath: false }).environment).toBe("simulator");
  });

  it("documents every variable in .env.example, and that file alone gives the defaults", () => {
    const source = readFileSync(new URL("../../lib/config/load-config.ts", import.meta.url), "utf8");
    const read = [...source.matchAll(/r\.(?:read|raw)\(\s*"([A-Z_]+)"/g)].map((m) => m[1]!);
    expect(read.length).toBeGreaterThan(20);
    const example = readFileSync(new URL("../../.env.example", import.meta.url), "utf8");
    for (const name of read) expect(example).toMatch(new RegExp(`^${name}=$`, "m"));
    const fromExample = loadConfig({ env: {}, dotenvPath: new URL("../../.env.example", import.meta.url).pathname });
    expect(fromExample).toEqual(load({}));
  });

  it("reports bad values that come from the file", () => {
    const path = join(dir, "bad.env");
    writeFileSync(path, "SIMULATOR_PERSONA=p4\n");
    expect(() => loadConfig({ env: {}, dotenvPath: path })).toThrow(/SIMULATOR_PERSONA: expected one of p0, p5, p9/);
  });
});
