/**
 * The reference service on its own: settings validation, the unsafe switch table, sessions and
 * their limits, cookies and pages (routes exercised with a stand-in for NHS login), and the
 * no-consent page content. The full flow against the simulator is in test/checks/service/.
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadSettings, SettingsError, type Settings } from "../../examples/reference-service/settings.ts";
import { parseUnsafeSwitch, testOnlyOverrides, UNSAFE_SWITCHES } from "../../examples/reference-service/unsafe.ts";
import { Clock, SessionStore, TransactionStore } from "../../examples/reference-service/session.ts";
import { buildApp } from "../../examples/reference-service/app.ts";
import { SignInError, type NhsLogin } from "../../examples/reference-service/oidc.ts";
import { noConsentPage } from "../../examples/reference-service/pages.ts";
import { noConsentContentFindings } from "../../lib/checks/service/error-handling.ts";

const dir = mkdtempSync(join(tmpdir(), "refsvc-test-"));
const keyFile = join(dir, "key.pem");
writeFileSync(keyFile, generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ENV = {
  REFERENCE_SERVICE_ISSUER: "https://auth.sandpit.signin.nhs.uk",
  REFERENCE_SERVICE_CLIENT_ID: "svc",
  REFERENCE_SERVICE_PRIVATE_KEY_FILE: keyFile,
};

describe("settings", () => {
  it("defaults to loopback http, the default vtr and openid profile email phone", () => {
    const s = loadSettings(ENV);
    expect(s.redirectUri).toBe("http://127.0.0.1:8080/callback");
    expect(s.vtr).toEqual(["P9.Cp.Cd", "P9.Cp.Ck", "P9.Cm"]);
    expect(s.scope).toBe("openid profile email phone");
    expect(s.testClock).toBe(false);
    expect(s.unsafe).toBeUndefined();
  });

  it("lists every missing or bad variable at once", () => {
    const err = (() => {
      try {
        loadSettings({
          REFERENCE_SERVICE_ISSUER: "http://auth.example",
          REFERENCE_SERVICE_SCOPES: "profile",
          REFERENCE_SERVICE_VTR: '["P7"]',
        });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(SettingsError);
    for (const v of [
      "REFERENCE_SERVICE_ISSUER",
      "REFERENCE_SERVICE_CLIENT_ID",
      "REFERENCE_SERVICE_PRIVATE_KEY_FILE",
      "REFERENCE_SERVICE_SCOPES",
      "REFERENCE_SERVICE_VTR",
    ])
      expect(err!.message).toContain(v);
  });

  it("refuses a plain-http public address off loopback, unless the test-only switch removes that safeguard", () => {
    expect(() => loadSettings({ ...ENV, REFERENCE_SERVICE_BASE_URL: "http://svc.example" })).toThrow(
      /REFERENCE_SERVICE_BASE_URL must use https/,
    );
    expect(loadSettings({ ...ENV, REFERENCE_SERVICE_BASE_URL: "https://svc.example/" }).redirectUri).toBe("https://svc.example/callback");
    expect(
      loadSettings({ ...ENV, REFERENCE_SERVICE_BASE_URL: "http://svc.example", REFERENCE_SERVICE_UNSAFE: "https-redirect-uri" })
        .redirectUri,
    ).toBe("http://svc.example/callback");
  });

  it("knows only the documented unsafe switches", () => {
    expect(parseUnsafeSwitch(undefined)).toBeUndefined();
    expect(parseUnsafeSwitch("")).toBeUndefined();
    expect(() => parseUnsafeSwitch("everything")).toThrow(/must be one of/);
    for (const sw of Object.keys(UNSAFE_SWITCHES))
      expect(() => testOnlyOverrides(parseUnsafeSwitch(sw), { clientId: "svc" })).not.toThrow();
    expect(testOnlyOverrides(undefined, { clientId: "svc" })).toBeUndefined();
  });
});

describe("sessions", () => {
  it("end after 30 minutes idle and after 12 hours however active", () => {
    const clock = new Clock();
    const sessions = new SessionStore(clock);
    const id = sessions.create({ sub: "s", vot: "P9.Cp.Cd" });
    clock.advance(29 * 60);
    expect(sessions.touch(id).person?.sub).toBe("s");
    clock.advance(30 * 60);
    expect(sessions.touch(id)).toEqual({ expired: true });
    const active = sessions.create({ sub: "s", vot: "P9.Cp.Cd" });
    for (let i = 0; i < 35; i++) {
      clock.advance(20 * 60);
      expect(sessions.touch(active).person).toBeDefined();
    }
    clock.advance(25 * 60);
    expect(sessions.touch(active).expired).toBe(true);
  });

  it("sign-in transactions are single use and expire after 10 minutes", () => {
    const clock = new Clock();
    const txns = new TransactionStore(clock);
    const a = txns.create({ state: "s", nonce: "n", vtr: [] });
    expect(txns.take(a)?.state).toBe("s");
    expect(txns.take(a)).toBeUndefined();
    const b = txns.create({ state: "s", nonce: "n", vtr: [] });
    clock.advance(601);
    expect(txns.take(b)).toBeUndefined();
    expect(txns.take(undefined)).toBeUndefined();
  });
});

describe("routes (NHS login stood in for)", () => {
  const fake = (outcome: "ok" | string): NhsLogin => ({
    start: async ({ reauthenticate }) => ({
      txn: { state: "st", nonce: "no", vtr: ["P9.Cp.Cd"] },
      url: new URL(`https://auth.example/authorize?state=st${reauthenticate ? "&prompt=login" : ""}`),
    }),
    finish: async () => {
      if (outcome === "ok") return { sub: "s", vot: "P9.Cp.Cd", name: "Nia <b>Nine</b>" };
      throw new SignInError(outcome === "refused" ? "refused" : "authorization-error", "x", outcome === "refused" ? undefined : outcome);
    },
  });
  const settings = (over: Partial<Settings> = {}): Settings => ({
    ...loadSettings({ ...ENV, REFERENCE_SERVICE_TEST_CLOCK: "true" }),
    ...over,
  });
  const cookieOf = (res: { headers: Record<string, unknown> }, name: string) =>
    ([] as string[]).concat((res.headers["set-cookie"] as string | string[] | undefined) ?? []).find((c) => c.startsWith(`${name}=`));

  it("signs in: HttpOnly SameSite=Lax cookies, the account page escapes, the clock hook ends the session", async () => {
    const app = await buildApp(settings(), fake("ok"));
    const login = await app.inject({ url: "/login" });
    expect(login.statusCode).toBe(302);
    const txn = cookieOf(login, "nhsl_txn")!;
    expect(txn).toMatch(/HttpOnly/);
    expect(txn).toMatch(/SameSite=Lax/);
    expect(txn).not.toMatch(/Secure/);
    const cb = await app.inject({ url: "/callback?code=c&state=st", headers: { cookie: txn.split(";")[0]! } });
    expect(cb.statusCode).toBe(303);
    const sid = cookieOf(cb, "nhsl_session")!;
    expect(sid).toMatch(/HttpOnly/);
    const account = await app.inject({ url: "/account", headers: { cookie: sid.split(";")[0]! } });
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain("Nia &lt;b&gt;Nine&lt;/b&gt;");
    expect(account.headers["cache-control"]).toBe("no-store");
    expect((await app.inject({ method: "POST", url: "/__test/clock", payload: { advanceSeconds: 31 * 60 } })).statusCode).toBe(204);
    const expired = await app.inject({ url: "/account", headers: { cookie: sid.split(";")[0]! } });
    expect(expired.headers.location).toBe("/login?reason=expired");
    expect((await app.inject({ url: "/login?reason=expired" })).headers.location).toContain("prompt=login");
    expect((await app.inject({ method: "POST", url: "/__test/clock", payload: { advanceSeconds: -1 } })).statusCode).toBe(400);
    await app.close();
  });

  it("uses Secure __Host- cookies on https, and has no clock hook unless enabled", async () => {
    const app = await buildApp(
      settings({ baseUrl: "https://svc.example", redirectUri: "https://svc.example/callback", testClock: false }),
      fake("ok"),
    );
    const login = await app.inject({ url: "/login" });
    expect(cookieOf(login, "__Host-nhsl_txn")).toMatch(/Secure/);
    expect((await app.inject({ method: "POST", url: "/__test/clock", payload: { advanceSeconds: 1 } })).statusCode).toBe(404);
    await app.close();
  });

  it("answers every failed sign-in with a page below 500; access_denied with the no-consent page", async () => {
    const expectations: [string, number, RegExp][] = [
      ["access_denied", 403, /You cannot continue without sharing your information/],
      ["server_error", 400, /try again/i],
      ["temporarily_unavailable", 400, /try again/i],
      ["invalid_scope", 400, /could not be signed in/],
      ["refused", 400, /could not be signed in/],
    ];
    for (const [outcome, status, text] of expectations) {
      const app = await buildApp(settings(), fake(outcome));
      const txn = cookieOf(await app.inject({ url: "/login" }), "nhsl_txn")!.split(";")[0]!;
      const cb = await app.inject({ url: "/callback?error=x&state=st", headers: { cookie: txn } });
      expect(cb.statusCode, outcome).toBe(status);
      expect(cb.body, outcome).toMatch(text);
      await app.close();
    }
  });

  it("a callback without a sign-in in progress never reaches NHS login", async () => {
    let finished = 0;
    const app = await buildApp(settings(), {
      ...fake("ok"),
      finish: async () => {
        finished++;
        return { sub: "s", vot: "v" };
      },
    });
    const cb = await app.inject({ url: "/callback?code=c&state=st" });
    expect(cb.statusCode).toBe(400);
    expect(finished).toBe(0);
    await app.close();
  });
});

describe("provisioning (Provision Account stood in for)", () => {
  const settings = (over: Record<string, string> = {}): Settings =>
    loadSettings({ ...ENV, REFERENCE_SERVICE_ODS_CODE: "A12345", REFERENCE_SERVICE_PROVISION_HOOK: "true", ...over });
  const signIn: NhsLogin = {
    start: async () => ({ txn: { state: "s", nonce: "n", vtr: ["P9.Cp.Cd"] }, url: new URL("https://auth.example/authorize") }),
    finish: async () => ({ sub: "s", vot: "P9.Cp.Cd" }),
  };

  it("reads the ODS code and the provisioning settings, naming a bad one", () => {
    expect(settings()).toMatchObject({ odsCode: "A12345", provisionHook: true, provisionTimeoutMs: 5000, provisionBackoffMs: 200 });
    const bad = () => settings({ REFERENCE_SERVICE_ODS_CODE: "a1234", REFERENCE_SERVICE_PROVISION_TIMEOUT_MS: "5" });
    expect(bad).toThrow(/REFERENCE_SERVICE_ODS_CODE must be an ODS code/);
    expect(bad).toThrow(/REFERENCE_SERVICE_PROVISION_TIMEOUT_MS must be a whole number of milliseconds from 100/);
  });

  it("the staff page posts what staff typed and shows the outcome in the service's words, escaped; the hook answers JSON", async () => {
    const asked: unknown[] = [];
    const app = await buildApp(settings(), signIn, undefined, undefined, {
      provision: async (request) => {
        asked.push(request);
        return request.nhsNumber === "9990200009"
          ? { outcome: "created", message: "Invitation <sent>" }
          : { outcome: "error", errorClass: "input", message: "Check the details" };
      },
    });
    const form = await app.inject({ url: "/staff/provision" });
    expect(form.statusCode).toBe(200);
    for (const name of ["nhsNumber", "email", "dateOfBirth", "phoneNumber"]) expect(form.body).toContain(`name="${name}"`);
    const posted = await app.inject({
      method: "POST",
      url: "/staff/provision",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "nhsNumber=9990200009&email=a%40b.org&dateOfBirth=17%2F05%2F1990&phoneNumber=07700900201",
    });
    expect(posted.statusCode).toBe(200);
    expect(posted.body).toContain("Invitation &lt;sent&gt;");
    expect(asked[0]).toEqual({ nhsNumber: "9990200009", email: "a@b.org", dateOfBirth: "17/05/1990", phoneNumber: "07700900201" });
    const refused = await app.inject({ method: "POST", url: "/__test/provision", payload: { nhsNumber: "1" } });
    expect(refused.json()).toEqual({ outcome: "error", errorClass: "input", message: "Check the details" });
    await app.close();
  });

  it("without an ODS code there is no staff page and no hook", async () => {
    const app = await buildApp(loadSettings(ENV), signIn);
    expect((await app.inject({ url: "/staff/provision" })).statusCode).toBe(404);
    expect((await app.inject({ method: "POST", url: "/__test/provision", payload: {} })).statusCode).toBe(404);
    await app.close();
  });
});

describe("no-consent page", () => {
  it("follows the guidance: heading, 111 and 999 links", () => {
    expect(noConsentContentFindings(noConsentPage("My service")).map((f) => f.status)).toEqual(["passed"]);
  });
});
