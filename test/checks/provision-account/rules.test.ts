import { describe, expect, it } from "vitest";
import { SignJWT } from "jose";
import { generateKeyPairSync } from "node:crypto";
import {
  paErrorShapeFindings,
  paRefusedFindings,
  paSuccessFindings,
  paTokenResponseFindings,
} from "../../../lib/checks/provision-account/rules.ts";
import type { TokenReply } from "../../../lib/checks/token-endpoint/rules.ts";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const NO_STORE = { "content-type": "application/json", "cache-control": "no-store", pragma: "no-cache" };
const reply = (status: number, body: unknown, headers: Record<string, string> = NO_STORE): TokenReply => ({
  status,
  headers,
  text: typeof body === "string" ? body : JSON.stringify(body),
  body: typeof body === "string" ? undefined : body,
});
const statuses = (fs: { requirement: string; status: string }[]) => [...new Set(fs.map((f) => `${f.requirement} ${f.status}`))];
const ctx = { issuer: "https://auth.example", clientId: "gp" };
const jwt = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: "RS512" }).sign(privateKey);

describe("paTokenResponseFindings (PA-03, TTL-06)", () => {
  it("passes T14's claims with a 300 s lifetime, iss compared without a trailing slash", async () => {
    const token = await jwt({ iss: "https://auth.example/", sub: "gp", aud: "gp", iat: 1000, exp: 1300 });
    const f = paTokenResponseFindings(
      { label: "t", reply: reply(200, { access_token: token, token_type: "Bearer", expires_in: 300 }) },
      ctx,
    );
    expect(statuses(f)).toEqual(["TTL-06 passed", "PA-03 passed"]);
  });

  it("fails another lifetime, another aud, and a cacheable answer", async () => {
    const token = await jwt({ iss: ctx.issuer, sub: "gp", aud: "other", iat: 1000, exp: 4600 });
    const f = paTokenResponseFindings(
      {
        label: "t",
        reply: reply(200, { access_token: token, token_type: "Bearer", expires_in: 3600 }, { "content-type": "application/json" }),
      },
      ctx,
    );
    expect(f.filter((x) => x.status === "failed").map((x) => x.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Cache-Control is absent/),
        expect.stringMatching(/sub and aud must be the client id gp/),
        expect.stringMatching(/lives 3600 s \(exp - iat\); expected 300 s/),
      ]),
    );
  });

  it("judges TTL-06 by expires_in when the token is not a JWT, and is inconclusive when none was issued", () => {
    const opaque = paTokenResponseFindings(
      { label: "t", reply: reply(200, { access_token: "opaque", token_type: "Bearer", expires_in: 300 }) },
      ctx,
    );
    expect(statuses(opaque)).toEqual(["PA-03 failed", "TTL-06 passed"]);
    const refused = paTokenResponseFindings({ label: "t", reply: reply(400, { error: "invalid_client" }) }, ctx);
    expect(statuses(refused)).toEqual(["PA-03 failed", "TTL-06 inconclusive"]);
  });
});

describe("provisioning answers (PA-11, PA-12, the T11 codes)", () => {
  it("PA-11: create or uplift, read trimmed; 11003 from an earlier run is inconclusive", () => {
    expect(statuses(paSuccessFindings({ label: "p", reply: reply(200, { code: " uplift" }) }))).toEqual(["PA-11 passed"]);
    expect(statuses(paSuccessFindings({ label: "p", reply: reply(200, { code: "created" }) }))).toEqual(["PA-11 failed"]);
    expect(statuses(paSuccessFindings({ label: "p", reply: reply(400, { code: "11003" }) }))).toEqual(["PA-11 inconclusive"]);
  });

  it("a refusal passes with its code only: provisioned or another code fails", () => {
    const expect11010 = { code: "11010", id: "PA-08" } as const;
    expect(statuses(paRefusedFindings({ label: "d", reply: reply(400, { code: " 11010" }) }, expect11010))).toEqual(["PA-08 passed"]);
    expect(paRefusedFindings({ label: "d", reply: reply(200, { code: "create" }) }, expect11010)[0]?.message).toMatch(/d was provisioned/);
    expect(statuses(paRefusedFindings({ label: "d", reply: reply(400, { code: "11021" }) }, expect11010))).toEqual(["PA-08 failed"]);
  });

  it("PA-12: a string code, an optional string description; spaces around the code and another status warn", () => {
    expect(statuses(paErrorShapeFindings([{ label: "e", reply: reply(400, { code: "11010", description: "x" }) }]))).toEqual([
      "PA-12 passed",
    ]);
    expect(statuses(paErrorShapeFindings([{ label: "e", reply: reply(400, { code: 11010 }) }]))).toEqual(["PA-12 failed"]);
    expect(statuses(paErrorShapeFindings([{ label: "e", reply: reply(422, { code: " 11010" }) }]))).toEqual(["PA-12 warning"]);
    expect(statuses(paErrorShapeFindings([]))).toEqual(["PA-12 inconclusive"]);
  });
});

describe("the Provision Account rules' reasons, word for word", () => {
  const good = { iss: ctx.issuer, sub: "gp", aud: ["gp", "other"], iat: 1000, exp: 1300 };
  const messages = (fs: { requirement: string; status: string; message: string }[]) =>
    fs.filter((f) => f.status !== "passed").map((f) => `${f.requirement} ${f.status}: ${f.message}`);

  it("describePaAnswer: status and code, or the text cut at 80 characters", async () => {
    const { describePaAnswer } = await import("../../../lib/checks/provision-account/rules.ts");
    expect(describePaAnswer(reply(400, { code: "11010" }))).toBe('HTTP 400 code "11010"');
    expect(describePaAnswer(reply(502, "bad gateway"))).toBe('HTTP 502 without a code: "bad gateway"');
    expect(describePaAnswer(reply(500, "x".repeat(81)))).toBe(`HTTP 500 without a code: "${"x".repeat(80)}..."`);
    expect(describePaAnswer(reply(500, "y".repeat(80)))).toBe(`HTTP 500 without a code: "${"y".repeat(80)}"`);
  });

  it("paTokenResponseFindings: token_type, expires_in and each claim, with the evidence", async () => {
    const token = await jwt({ ...good, iss: "https://elsewhere.example", sub: "other" });
    const f = paTokenResponseFindings({ label: "t", reply: reply(200, { access_token: token, token_type: "bearer" }) }, ctx);
    expect(messages(f)).toEqual([
      'PA-03 failed: t: token_type "bearer"; expected "Bearer"',
      "PA-03 failed: t: expires_in null; expected the lifetime in seconds",
      'PA-03 failed: t: the access token\'s iss "https://elsewhere.example" is not https://auth.example',
      "PA-03 failed: t: the access token's sub and aud must be the client id gp",
    ]);
    expect(f.find((x) => /iss/.test(x.message))?.evidence).toEqual({
      actual: JSON.stringify({ iss: "https://elsewhere.example", sub: "other", aud: ["gp", "other"], iat: 1000, exp: 1300 }),
    });
    expect(f.find((x) => /token_type/.test(x.message))?.evidence).toEqual({ expected: "Bearer", actual: '"bearer"' });
    // A failed ID is not also passed; TTL-06 is judged on the token alone.
    expect(f.some((x) => x.requirement === "PA-03" && x.status === "passed")).toBe(false);
    expect(f.at(-1)).toMatchObject({ requirement: "TTL-06", status: "passed" });
  });

  it("paTokenResponseFindings: expires_in of 0 or a string fails; the aud may be an array holding the client", async () => {
    for (const expires_in of [0, -5, "300"]) {
      const f = paTokenResponseFindings(
        { label: "t", reply: reply(200, { access_token: await jwt(good), token_type: "Bearer", expires_in }) },
        ctx,
      );
      expect(messages(f)[0], String(expires_in)).toBe(
        `PA-03 failed: t: expires_in ${JSON.stringify(expires_in)}; expected the lifetime in seconds`,
      );
    }
    const ok = paTokenResponseFindings(
      { label: "t", reply: reply(200, { access_token: await jwt(good), token_type: "Bearer", expires_in: 300 }) },
      ctx,
    );
    expect(messages(ok)).toEqual([]);
    expect(ok.find((x) => x.requirement === "TTL-06")?.message).toBe("t: the access token lives 300 s (exp - iat) and expires_in says 300");
  });

  it("paTokenResponseFindings: no iat or exp, and an expires_in that disagrees with the token", async () => {
    const noTimes = paTokenResponseFindings(
      {
        label: "t",
        reply: reply(200, { access_token: await jwt({ iss: ctx.issuer, sub: "gp", aud: "gp" }), token_type: "Bearer", expires_in: 300 }),
      },
      ctx,
    );
    expect(messages(noTimes)).toEqual([
      "PA-03 failed: t: the access token lacks a numeric iat or exp",
      "TTL-06 failed: t: the access token lacks a numeric iat or exp, so its lifetime cannot be read",
    ]);
    const disagree = paTokenResponseFindings(
      { label: "t", reply: reply(200, { access_token: await jwt(good), token_type: "Bearer", expires_in: 600 }) },
      ctx,
    );
    expect(messages(disagree)).toEqual(["TTL-06 failed: t: expires_in 600; expected 300 s"]);
  });

  it("paTokenResponseFindings: an opaque token with the wrong expires_in, and a 200 that is not an object", () => {
    const opaque = paTokenResponseFindings(
      { label: "t", reply: reply(200, { access_token: "opaque", token_type: "Bearer", expires_in: 60 }) },
      ctx,
    );
    expect(messages(opaque)).toEqual([
      "PA-03 failed: t: the access token is not a JWT; T14 lists the claims it carries (iss, sub, aud, iat, exp)",
      "TTL-06 failed: t: expires_in 60; expected 300 s",
    ]);
    const list = paTokenResponseFindings({ label: "t", reply: reply(200, ["a"]) }, ctx);
    expect(list.find((x) => x.requirement === "TTL-06")).toMatchObject({
      status: "inconclusive",
      message:
        't: no token was issued (HTTP 200 (application/json) without a JSON error member: "[\\"a\\"]"), so its lifetime was not seen',
    });
  });

  it("paSuccessFindings: each refusal reason and the pass", () => {
    const m = (r: TokenReply) => paSuccessFindings({ label: "p", reply: r }).map((f) => `${f.status}: ${f.message}`);
    expect(m(reply(200, { code: "create" }))).toEqual(["passed: p: HTTP 200, code create"]);
    expect(m(reply(200, "not json"))).toEqual(['failed: p: HTTP 200 with a body that is not a JSON object: "not json"']);
    expect(m(reply(200, { code: "create", description: 7 }))).toEqual(["failed: p: description 7 is not a string"]);
    expect(m(reply(200, {}))).toEqual(["failed: p: code null; T9 has only create and uplift"]);
    expect(m(reply(400, { code: "11010" }))).toEqual(['failed: p: HTTP 400 code "11010"; expected HTTP 200 with code create or uplift']);
    expect(m(reply(400, { code: "11003" }))[0]).toBe(
      "inconclusive: p: answered 11003 (a request for this patient in the last 7 days, perhaps an earlier run's), so success was not seen",
    );
    expect(paSuccessFindings({ label: "p", reply: reply(200, { code: "nope" }) })[0]?.evidence).toEqual({
      expected: "create or uplift",
      actual: '"nope"',
    });
  });

  it("paRefusedFindings: the reasons name the expected code and its description, with the evidence", () => {
    const x = { code: "11010", id: "PA-14" } as const;
    const [other] = paRefusedFindings({ label: "d", reply: reply(400, { code: "11021" }) }, x);
    expect(other).toEqual({
      requirement: "PA-14",
      status: "failed",
      message: 'd: HTTP 400 code "11021"; expected 11010 (Data in request not valid)',
      evidence: { expected: "HTTP 400 code 11010", actual: 'HTTP 400 code "11021"' },
    });
    expect(paRefusedFindings({ label: "d", reply: reply(201, { code: "create" }) }, x)[0]?.message).toBe(
      'd was provisioned (HTTP 201 code "create"); expected 11010',
    );
    expect(paRefusedFindings({ label: "d", reply: reply(300, { code: "11010" }) }, x)[0]?.status).toBe("passed");
    expect(paRefusedFindings({ label: "d", reply: reply(400, { code: "11010" }) }, x)[0]?.message).toBe(
      'd was refused: HTTP 400 code "11010"',
    );
  });

  it("paErrorShapeFindings: each reason word for word", () => {
    const m = (r: TokenReply) => messages(paErrorShapeFindings([{ label: "e", reply: r }]));
    expect(m(reply(400, "plain"))).toEqual(['PA-12 failed: e: the error body is not a JSON object: "plain"']);
    expect(m(reply(400, { description: "x" }))).toEqual(["PA-12 failed: e: code is null, not a string; T10 makes it mandatory"]);
    expect(m(reply(400, { code: "11010", description: 5 }))).toEqual(["PA-12 failed: e: description 5 is not a string"]);
    expect(m(reply(400, { code: " 11010 " }))).toEqual([
      'PA-12 warning: e: code " 11010 " has surrounding spaces (as the spec\'s example; A38): read trimmed',
    ]);
    expect(m(reply(403, { code: "11021" }))).toEqual(["PA-12 warning: e: HTTP 403; the spec's error example is 400"]);
    const two = paErrorShapeFindings([
      { label: "a", reply: reply(400, { code: "11010" }) },
      { label: "b", reply: reply(400, { code: "11021" }) },
    ]);
    expect(two).toEqual([
      { requirement: "PA-12", status: "passed", message: "2 error answer(s), each {code, description} with a string code" },
    ]);
    expect(paErrorShapeFindings([{ label: "e", reply: reply(400, { code: 1 }) }])[0]?.evidence).toEqual({
      expected: '{"code": "<T11 code>", "description"?}',
      actual: '{"code":1}',
    });
  });
});
