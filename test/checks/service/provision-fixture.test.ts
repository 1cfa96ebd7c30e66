/**
 * The Provision Account consumer checks against a consumer written the way a quick integration
 * often is, not the reference service: a new token for every request, the patient's details sent
 * exactly as staff typed them, no retry of anything, every refusal reported as "cannot provision"
 * with NHS login's own description shown to staff. It runs in this process on 127.0.0.1 beside its
 * simulator. Each flaw must be flagged under its requirement for its reason; what it does right
 * must pass.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServiceContext, PROVISION_ACCOUNT_CONSUMER_CHECKS, type ServiceContext } from "../../../lib/checks/service/index.ts";
import { generateRsaKeyPair } from "../../../lib/jose/generate-rsa-key.ts";
import { startSimulator, type Simulator } from "../../../lib/simulator/start-simulator.ts";
import { CLIENT_ASSERTION_TYPE } from "../../../lib/nhs/constants.ts";
import { SERVICE_SUITE_LENIENCY } from "../../../suites/_support/reference-service.ts";
import { type CheckOutcome, runChecks } from "./_service.ts";

const CLIENT_ID = "gp-desk";
const ODS = "B81001";

/** Status, and a reason some finding must match, per check. */
const EXPECTED: Readonly<Record<string, [string, RegExp]>> = {
  "pa-token-request": ["passed", /RS512, typ JWT, iss = sub = gp-desk/],
  "pa-assertion-jti": ["passed", /client assertions, each with its own jti/],
  "pa-token-reuse": ["warning", /2 token requests for 2 provisioning requests within the token's 300 s/],
  "pa-request": ["passed", /POST \/provision-account, Bearer token, JSON body/],
  "pa-body": ["failed", /date_of_birth "17\/05\/1990" is not in YYYY-MM-DD format/],
  "pa-outcomes": ["passed", /NHS login answered uplift; the service reported uplifted/],
  "pa-on-unavailable": ["failed", /after code 11000 the service reported error class cannot-provision; expected unavailable/],
  "pa-on-11010": ["failed", /after code 11010 the service reported error class cannot-provision; expected input/],
  "pa-on-11021": ["failed", /after code 11021 the service reported error class cannot-provision; expected configuration/],
  "pa-on-11011": ["failed", /after code 11011 the service reported error class cannot-provision; expected too-many-requests/],
  "pa-on-cannot-provision": ["passed", /1 request\(s\), then error \(cannot-provision\)/],
  "pa-on-11005": ["failed", /expected already-p9/],
  "pa-on-11004": ["failed", /expected email-in-use/],
  "pa-on-11003": ["failed", /expected pending/],
  "pa-raw-description": ["failed", /staff were shown NHS login's description of 11004 as it came/],
};

let sim: Simulator;
let desk: Server;
let ctx: ServiceContext;
let results: Map<string, CheckOutcome>;

beforeAll(async () => {
  const { privateKey, publicKey } = await generateRsaKeyPair();
  sim = await startSimulator({
    clients: [{ clientId: CLIENT_ID, redirectUris: ["https://gp-desk.invalid/unused"], publicKey, provisionAccount: { odsCodes: [ODS] } }],
    ...SERVICE_SUITE_LENIENCY,
  });
  const tokenUrl = `${sim.issuer}/token`;
  // The hook: what staff typed, provisioned at once.
  desk = createServer((req, res) => {
    // The harness's health probe GETs the hook between scenarios: only a POST provisions.
    if (req.method !== "POST") {
      res.writeHead(405, { allow: "POST" }).end();
      return;
    }
    let raw = "";
    req.on("data", (d: Buffer) => (raw += d.toString()));
    req.on("end", async () => {
      const typed = JSON.parse(raw || "{}") as Record<string, string>;
      const assertion = await new SignJWT({ jti: randomUUID() })
        .setProtectedHeader({ alg: "RS512", typ: "JWT" })
        .setIssuer(CLIENT_ID)
        .setSubject(CLIENT_ID)
        .setAudience(tokenUrl)
        .setIssuedAt()
        .setExpirationTime("60s")
        .sign(privateKey);
      const form = new URLSearchParams({
        grant_type: "client_credentials",
        client_assertion_type: CLIENT_ASSERTION_TYPE,
        client_assertion: assertion,
      });
      const token = (await (await fetch(tokenUrl, { method: "POST", body: form })).json()) as { access_token: string };
      const answer = await fetch(`${sim.issuer}/provision-account`, {
        method: "POST",
        headers: { authorization: `Bearer ${token.access_token}`, "content-type": "application/json" },
        body: JSON.stringify({
          nhs_number: typed.nhsNumber,
          email_address: typed.email,
          date_of_birth: typed.dateOfBirth,
          ods_code: ODS,
          phone_number: typed.phoneNumber,
        }),
      });
      const body = (await answer.json().catch(() => ({}))) as { code?: string; description?: string };
      const result =
        answer.status === 200
          ? { outcome: body.code === "uplift" ? "uplifted" : "created", message: "Done." }
          : { outcome: "error", errorClass: "cannot-provision", message: body.description ?? "Failed." };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result));
    });
  });
  await new Promise<void>((r) => desk.listen(0, "127.0.0.1", r));
  const port = (desk.address() as AddressInfo).port;
  ctx = createServiceContext({
    kind: "external",
    startUrl: `http://127.0.0.1:${port}/provision`,
    signsIn: false,
    provisionUrl: `http://127.0.0.1:${port}/provision`,
    odsCode: ODS,
    clientId: CLIENT_ID,
    redirectUris: [],
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    scopes: ["openid"],
    vtr: ["P9.Cp.Cd"],
    usesUserinfo: false,
    simulator: { url: sim.url, issuer: sim.issuer, controlSecret: sim.controlSecret },
    http: { timeoutMs: 5000, maxResponseBytes: 1024 * 1024 },
  });
  results = await runChecks(ctx, PROVISION_ACCOUNT_CONSUMER_CHECKS);
}, 120_000);

afterAll(async () => {
  await ctx?.close();
  await new Promise((r) => desk?.close(r));
  await sim?.stop();
});

describe("a quickly written Provision Account consumer", () => {
  for (const [key, [status, reason]] of Object.entries(EXPECTED)) {
    it(`${key}: ${status}`, () => {
      const r = results.get(key);
      expect(r?.status, `${key}\n${r?.messages}`).toBe(status);
      expect(
        r?.findings.some((f) => reason.test(f.message)),
        `${key}: no finding matches ${reason}\n${r?.messages}`,
      ).toBe(true);
    });
  }

  it("has a verdict pinned for every Provision Account consumer check", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(PROVISION_ACCOUNT_CONSUMER_CHECKS.map((c) => c.key).sort());
  });
});
