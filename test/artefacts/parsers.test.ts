/**
 * The artefact readers on crafted input: expected.json, captured answers in both forms, the kind
 * of a users-v2 capture, the Table 10 row an error is held to, capped reads, and ARTEFACTS_DIR.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  bareTransport,
  expectedUsersV2Error,
  judgementTime,
  parseCapturedAnswer,
  parseCapturedToken,
  parseExpectations,
  parseJwks,
  parseUsersV2Capture,
  readCappedFile,
  usersV2KindOf,
} from "../../lib/artefacts/index.ts";
import { errorResponseFindings } from "../../lib/checks/users-v2/error-response.ts";
import { finding } from "../../lib/requirements/index.ts";
import { loadConfig } from "../../lib/config/index.ts";
import { ConfigError } from "../../lib/errors/index.ts";
import { overallStatus } from "../../lib/checks/grade.ts";

const dir = mkdtempSync(join(tmpdir(), "artefacts-parsers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("parseExpectations", () => {
  const base = { issuer: "https://auth.sandpit.signin.nhs.uk", client_id: "abc" };

  it("reads the required members, scopes as an array or a string, vtr as an array or as the parameter text", () => {
    const a = parseExpectations(
      JSON.stringify({ ...base, scopes: "openid profile", nonce: "n1", vtr: '["P9.Cp.Cd","P9.Cm"]' }),
      "expected.json",
    );
    expect(a).toEqual({
      state: "ok",
      file: "expected.json",
      value: { issuer: base.issuer, clientId: "abc", scopes: ["openid", "profile"], nonce: "n1", vtr: ["P9.Cp.Cd", "P9.Cm"] },
    });
    const b = parseExpectations(JSON.stringify({ ...base, scopes: ["openid"], vtr: ["P5.Cp.Cd"] }), "expected.json");
    expect(b.state === "ok" && b.value.vtr).toEqual(["P5.Cp.Cd"]);
    expect(b.state === "ok" && b.value.nonce).toBeUndefined();
  });

  it("reads captured_at as epoch seconds or ISO 8601, and users_v2", () => {
    const a = parseExpectations(
      JSON.stringify({
        ...base,
        scopes: ["openid"],
        captured_at: "2025-01-02T03:04:05Z",
        users_v2: { users_scope: "x/Users.retrieve", scopes: "x/Users.retrieve profile" },
      }),
      "e",
    );
    expect(a.state === "ok" && a.value.capturedAt).toBe(Date.UTC(2025, 0, 2, 3, 4, 5) / 1000);
    expect(a.state === "ok" && a.value.usersV2).toEqual({ usersScope: "x/Users.retrieve", scopes: ["x/Users.retrieve", "profile"] });
    const b = parseExpectations(JSON.stringify({ ...base, scopes: ["openid"], captured_at: 1700000000 }), "e");
    expect(b.state === "ok" && b.value.capturedAt).toBe(1700000000);
  });

  it.each([
    ["not JSON", "{", /is not JSON/],
    ["an array", "[]", /is not a JSON object/],
    ["no issuer", JSON.stringify({ client_id: "a", scopes: "openid" }), /issuer is absent/],
    ["no scopes", JSON.stringify({ ...base }), /scopes is absent/],
    ["a malformed vtr", JSON.stringify({ ...base, scopes: "openid", vtr: ["P7.Cx"] }), /vtr \["P7.Cx"\] is not a list of vectors of trust/],
    ["an empty vtr", JSON.stringify({ ...base, scopes: "openid", vtr: [] }), /vtr \[\] is not a list/],
    ["a bad captured_at", JSON.stringify({ ...base, scopes: "openid", captured_at: "yesterday" }), /captured_at is "yesterday"/],
    ["a bad users_v2", JSON.stringify({ ...base, scopes: "openid", users_v2: [] }), /users_v2 is \[\]/],
  ])("refuses %s with the reason", (_what, text, reason) => {
    const r = parseExpectations(text, "expected.json");
    expect(r.state).toBe("unreadable");
    expect(r.state !== "ok" && r.reason).toMatch(reason);
  });
});

describe("parseCapturedToken and parseJwks", () => {
  it("accepts a compact JWT with surrounding whitespace and refuses anything else", () => {
    const token = "eyJhbGciOiJSUzUxMiJ9.eyJzdWIiOiJ4In0.c2ln";
    expect(parseCapturedToken(`\n ${token}\n`, "id_token.jwt").state).toBe("ok");
    for (const bad of ["", "a.b", `${token} ${token}`, "e30.e30", '{"alg":"none"}']) {
      expect(parseCapturedToken(bad, "id_token.jwt").state, bad).toBe("unreadable");
    }
  });

  it("wants a keys array in jwks.json", () => {
    expect(parseJwks('{"keys":[]}', "jwks.json").state).toBe("ok");
    expect(parseJwks('{"keys":{}}', "jwks.json").state).toBe("unreadable");
    expect(parseJwks("nope", "jwks.json").state).toBe("unreadable");
  });
});

describe("captured answers", () => {
  it("reads an envelope: status, lower-cased headers, body as JSON or as text, the request", () => {
    const a = parseCapturedAnswer(
      JSON.stringify({
        status: 400,
        headers: { "Content-Type": "application/json" },
        body: { Errors: [] },
        request: { filter: 'email eq "a"' },
      }),
      "x.json",
      () => 200,
    );
    expect(a.state === "ok" && a.value).toMatchObject({
      form: "envelope",
      status: 400,
      headers: { "content-type": "application/json" },
      text: '{"Errors":[]}',
      body: { Errors: [] },
      request: { filter: 'email eq "a"' },
    });
    const b = parseCapturedAnswer(JSON.stringify({ status: 502, body: "<html>bad gateway</html>" }), "x.json", () => 200);
    expect(b.state === "ok" && b.value).toMatchObject({
      form: "envelope",
      status: 502,
      headers: {},
      text: "<html>bad gateway</html>",
      body: undefined,
    });
  });

  it("reads a bare body with the inferred status and no headers", () => {
    const a = parseCapturedAnswer('{"sub":"s"}', "userinfo.json", () => 200);
    expect(a.state === "ok" && a.value).toEqual({ form: "bare", status: 200, headers: {}, text: '{"sub":"s"}', body: { sub: "s" } });
  });

  it("refuses a malformed envelope with the reason", () => {
    expect(parseCapturedAnswer(JSON.stringify({ status: 99, body: {} }), "x.json", () => 200)).toMatchObject({
      state: "unreadable",
      reason: expect.stringMatching(/not an HTTP status/),
    });
    expect(parseCapturedAnswer(JSON.stringify({ status: 200, headers: { a: 1 }, body: {} }), "x.json", () => 200)).toMatchObject({
      state: "unreadable",
      reason: expect.stringMatching(/headers are not an object of strings/),
    });
    expect(parseCapturedAnswer(JSON.stringify({ status: 200, body: {}, request: { filter: 5 } }), "x.json", () => 200)).toMatchObject({
      state: "unreadable",
    });
  });
});

describe("users-v2 captures", () => {
  it("tells the kind from the body", () => {
    expect(usersV2KindOf({ access_token: "x" })).toBe("token-response");
    expect(usersV2KindOf({ schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], totalResults: 0 })).toBe("list-response");
    expect(usersV2KindOf({ totalResults: 0 })).toBe("list-response");
    expect(usersV2KindOf({ Errors: [] })).toBe("error");
    expect(usersV2KindOf({ description: "Invalid syntax", code: "400" }, 400)).toBe("error");
    expect(usersV2KindOf({ description: "Invalid syntax", code: "400" })).toBeUndefined();
    expect(usersV2KindOf([])).toBeUndefined();
  });

  it("infers a bare body's status: 200 for a token response or ListResponse, the code for an error", () => {
    expect(parseUsersV2Capture('{"totalResults":0}', "users-v2-a.json")).toMatchObject({
      state: "ok",
      value: { kind: "list-response", status: 200, form: "bare" },
    });
    expect(
      parseUsersV2Capture('{"Errors":[{"description":"No scope was present in the request","code":"403"}]}', "users-v2-b.json"),
    ).toMatchObject({ state: "ok", value: { kind: "error", status: 403 } });
    expect(parseUsersV2Capture('{"Errors":[{"description":"x","code":"oops"}]}', "users-v2-c.json")).toMatchObject({
      state: "unreadable",
      reason: expect.stringMatching(/tells no HTTP status; capture it as an envelope/),
    });
  });

  it("holds an error to the row of the refused filter, else to the row its text names, else to every T10 text", () => {
    const viaFilter = expectedUsersV2Error({
      status: 400,
      body: { Errors: [{ description: "Invalid operator", code: "400" }] },
      request: { filter: 'email co "a@b.c"' },
    });
    expect(viaFilter.requirement).toBe("UEV2-ERR-03");
    const viaText = expectedUsersV2Error({
      status: 403,
      body: { Errors: [{ description: 'Scope "profile" required for access was not present in request', code: "403" }] },
    });
    expect(viaText.requirement).toBe("UEV2-ERR-10");
    const unquoted = expectedUsersV2Error({
      status: 403,
      body: { Errors: [{ description: "Scope profile required for access was not present in request", code: "403" }] },
    });
    expect(unquoted.accepted.map((a) => a.row)).toContain("UEV2-ERR-10 without quotes (A27)");
    const unknown = expectedUsersV2Error({ status: 400, body: { Errors: [{ description: "Bad things", code: "400" }] } });
    expect(unknown.requirement).toBe("UEV2-ERR-13");
  });

  it("a known text at the wrong status fails; a code that is not the status string fails", () => {
    const wrongStatus = {
      status: 400,
      headers: {},
      text: '{"Errors":[{"description":"No scope was present in the request","code":"400"}]}',
      body: { Errors: [{ description: "No scope was present in the request", code: "400" }] },
    };
    expect(overallStatus(errorResponseFindings(wrongStatus, expectedUsersV2Error(wrongStatus)))).toBe("failed");
    const numericCode = parseUsersV2Capture('{"Errors":[{"description":"Invalid syntax","code":400}]}', "users-v2-d.json");
    if (numericCode.state !== "ok") throw new Error(numericCode.reason);
    const findings = errorResponseFindings(numericCode.value, expectedUsersV2Error(numericCode.value));
    expect(
      findings.some((f) => f.status === "failed" && /Errors\[0\]\.code is 400, expected the status as a string "400"/.test(f.message)),
    ).toBe(true);
  });

  it("a bare body's transport rules are replaced by a skipped finding; an envelope keeps them", () => {
    const findings = [finding("UEV2-TOKEN-12", "failed", "Cache-Control is absent"), finding("UEV2-TOKEN-14", "passed", "Bearer")];
    expect(bareTransport(findings, { form: "bare" }, ["UEV2-TOKEN-12"], "users-v2-t.json").map((f) => [f.requirement, f.status])).toEqual([
      ["UEV2-TOKEN-14", "passed"],
      ["UEV2-TOKEN-12", "skipped"],
    ]);
    expect(bareTransport(findings, { form: "envelope" }, ["UEV2-TOKEN-12"], "users-v2-t.json")).toEqual(findings);
  });
});

describe("judgementTime", () => {
  it("is captured_at when given, else the token's iat, else the clock", () => {
    expect(judgementTime({ iat: 10 }, { capturedAt: 99 })).toEqual({ now: 99, basis: "captured_at" });
    expect(judgementTime({ iat: 10 }, {})).toEqual({ now: 10, basis: "iat" });
    expect(judgementTime({}, undefined).basis).toBe("clock");
  });
});

describe("readCappedFile", () => {
  it("reads a small file, says a missing one is missing, refuses one over the cap", async () => {
    writeFileSync(join(dir, "small.txt"), "\uFEFFhello");
    expect(await readCappedFile(join(dir, "small.txt"), 100)).toEqual({ ok: true, text: "hello", bytes: 8 });
    expect(await readCappedFile(join(dir, "absent.txt"), 100)).toMatchObject({ ok: false, missing: true });
    writeFileSync(join(dir, "big.txt"), "x".repeat(101));
    expect(await readCappedFile(join(dir, "big.txt"), 100)).toMatchObject({
      ok: false,
      missing: false,
      reason: "big.txt is 101 bytes, more than the 100 bytes an artefact may have",
    });
    expect(await readCappedFile(dir, 100)).toMatchObject({
      ok: false,
      missing: false,
      reason: expect.stringMatching(/is not a regular file/),
    });
  });
});

describe("ARTEFACTS_DIR", () => {
  const load = (env: NodeJS.ProcessEnv) => loadConfig({ env, dotenvPath: false });

  it("is optional, and made absolute when set to an existing directory", () => {
    expect(load({}).artefacts.dir).toBeUndefined();
    expect(load({ ARTEFACTS_DIR: "" }).artefacts.dir).toBeUndefined();
    expect(load({ ARTEFACTS_DIR: dir }).artefacts.dir).toBe(dir);
    expect(load({ ARTEFACTS_DIR: "." }).artefacts.dir).toBe(resolve("."));
  });

  it("refuses a path that does not exist or is not a directory, naming the variable", () => {
    writeFileSync(join(dir, "file.txt"), "x");
    for (const [value, detail] of [
      [join(dir, "nope"), /nothing exists at/],
      [join(dir, "file.txt"), /is not a directory/],
    ] as const) {
      let err: unknown;
      try {
        load({ ARTEFACTS_DIR: value });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(/ARTEFACTS_DIR/);
      expect((err as Error).message).toMatch(detail);
    }
  });
});
