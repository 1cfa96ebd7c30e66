import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeMissing } from "../../lib/config/describe-missing.ts";
import { loadConfig } from "../../lib/config/load-config.ts";
import { makeFixtures, type Fixtures } from "./_fixtures.ts";

let fx: Fixtures;
beforeAll(() => {
  fx = makeFixtures();
});
afterAll(() => fx.cleanup());

const load = (env: NodeJS.ProcessEnv) => loadConfig({ env, dotenvPath: false });

describe("describeMissing", () => {
  it("lists what sandpit lacks for the token, code-flow and Users V2 checks, with reasons", () => {
    const missing = describeMissing(load({ NHSLOGIN_ENVIRONMENT: "sandpit" }));
    expect(missing.map((m) => m.variable)).toEqual([
      "NHSLOGIN_CLIENT_ID",
      "NHSLOGIN_PRIVATE_KEY_FILE",
      "NHSLOGIN_REDIRECT_URI",
      "NHSLOGIN_TEST_NHS_NUMBER",
    ]);
    expect(missing[0]?.features).toEqual(["token", "code-flow", "users-v2"]);
    for (const m of missing) expect(m.why.length).toBeGreaterThan(10);
  });

  it("lists what Provision Account needs, the client and key defaulting to the harness's own", () => {
    const missing = describeMissing(load({ NHSLOGIN_ENVIRONMENT: "sandpit", NHSLOGIN_CLIENT_ID: "client" }), ["provision-account"]);
    expect(missing.map((m) => m.variable)).toEqual(["NHSLOGIN_PA_URL", "NHSLOGIN_PA_ODS_CODE", "NHSLOGIN_PA_PRIVATE_KEY_FILE"]);
    expect(missing[0]?.why).toMatch(/onboarding pack/);
    expect(describeMissing(load({}), ["provision-account"])).toEqual([]);
  });

  it("asks for the Users scope in production, saying it is undocumented", () => {
    const missing = describeMissing(load({ NHSLOGIN_ENVIRONMENT: "production" }), ["users-v2"]);
    const scope = missing.find((m) => m.variable === "NHSLOGIN_USERS_SCOPE");
    expect(scope?.why).toMatch(/not documented/);
  });

  it("needs nothing from the simulator environment for NHS login checks", () => {
    expect(describeMissing(load({}))).toEqual([]);
  });

  it("lists nothing once everything is configured", () => {
    const config = load({
      NHSLOGIN_ENVIRONMENT: "integration",
      NHSLOGIN_CLIENT_ID: "client",
      NHSLOGIN_PRIVATE_KEY_FILE: fx.privateKey,
      NHSLOGIN_REDIRECT_URI: "http://127.0.0.1:8765/callback",
      NHSLOGIN_TEST_NHS_NUMBER: "9990000018",
    });
    expect(describeMissing(config)).toEqual([]);
    expect(describeMissing(config, ["token"])).toEqual([]);
  });

  it("lists the service variables for the service feature", () => {
    expect(describeMissing(load({ SERVICE_CLIENT_ID: "svc" }), ["service"]).map((m) => m.variable)).toEqual([
      "SERVICE_START_URL",
      "SERVICE_REDIRECT_URIS",
      "SERVICE_PUBLIC_KEY_FILE",
    ]);
  });
});
