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
