import { describe, expect, it } from "vitest";
import { loadConfig } from "../../lib/config/index.ts";
import { unknownVariables } from "../../lib/config/unknown-variables.ts";

describe("unknownVariables", () => {
  const known = new Set(["NHSLOGIN_CLIENT_ID", "SERVICE_START_URL"]);

  it("names variables of the harness's namespaces nothing reads, with the closest known name", () => {
    expect(unknownVariables({ NHSLOGIN_CLIENTID: "x", SERVICE_STRAT_URL: "y", SERVICE_WHOLLY_DIFFERENT_THING: "z" }, known)).toEqual([
      { name: "NHSLOGIN_CLIENTID", closest: "NHSLOGIN_CLIENT_ID" },
      { name: "SERVICE_STRAT_URL", closest: "SERVICE_START_URL" },
      { name: "SERVICE_WHOLLY_DIFFERENT_THING" },
    ]);
  });

  it("takes a name cut short or run on as the known one", () => {
    const k = new Set(["NHSLOGIN_PRIVATE_KEY_FILE"]);
    expect(unknownVariables({ NHSLOGIN_PRIVATE_KEY: "-----BEGIN" }, k)).toEqual([
      { name: "NHSLOGIN_PRIVATE_KEY", closest: "NHSLOGIN_PRIVATE_KEY_FILE" },
    ]);
  });

  it("ignores other namespaces, known names and proxies", () => {
    expect(unknownVariables({ PATH: "/bin", NHSLOGIN_CLIENT_ID: "x", HTTP_PROXY: "http://proxy" }, known)).toEqual([]);
  });
});

describe("loadConfig with unknown variables", () => {
  it("refuses a misspelling whose intended variable is unset, naming both", () => {
    expect(() => loadConfig({ env: { NHSLOGIN_CLIENTID: "x" }, dotenvPath: false })).toThrow(
      /NHSLOGIN_CLIENTID: expected a variable the harness reads: did you mean NHSLOGIN_CLIENT_ID\? \(NHSLOGIN_CLIENT_ID is not set/,
    );
  });

  it("warns, without refusing, when the intended variable is set or nothing is close", () => {
    const config = loadConfig({
      env: { NHSLOGIN_CLIENT_ID: "a", NHSLOGIN_CLIENTID: "b", SIMULATOR_NOTHING_LIKE_IT: "c" },
      dotenvPath: false,
    });
    expect(config.warnings).toEqual([
      "NHSLOGIN_CLIENTID is not a variable the harness reads (the closest is NHSLOGIN_CLIENT_ID); it is ignored",
      "SIMULATOR_NOTHING_LIKE_IT is not a variable the harness reads; it is ignored",
    ]);
  });
});
