/**
 * An independent relying party (openid-client 6) runs the code flow against the simulator: if a
 * mature client accepts the happy path and rejects the faulted tokens, the simulator's protocol
 * behaviour and its faults are real, not artefacts of the project's own checks.
 */
import { webcrypto } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as client from "openid-client";
import { votSatisfiesVtr } from "../../lib/nhs/vot.ts";
import type { IdTokenFaultId } from "../../lib/simulator/faults.ts";
import type { Simulator } from "../../lib/simulator/start-simulator.ts";
import { makeClient, startTestSimulator, type TestClient } from "./_helpers.ts";

let sim: Simulator;
let rp: TestClient;
let signingKey: webcrypto.CryptoKey;

beforeAll(async () => {
  const a = makeClient("rp-openid-client", { redirectUris: ["https://rp.example/oidc/callback"] });
  rp = a.client;
  sim = await startTestSimulator([a.registration]);
  const pkcs8 = rp.key.privateKey.export({ type: "pkcs8", format: "der" });
  signingKey = await webcrypto.subtle.importKey("pkcs8", pkcs8, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-512" }, false, ["sign"]);
});
afterAll(async () => {
  await sim?.stop();
});

/**
 * Discover the simulator and configure private_key_jwt. openid-client signs RS512 (from the key)
 * and, by default, uses the issuer as the assertion audience; NHS login wants the token endpoint
 * and typ JWT (FED-TOKEN-08/11), so the assertion is adjusted just before signing.
 */
async function configure(
  options: { audience?: "token-endpoint" | "library-default"; nonRepudiation?: boolean } = {},
): Promise<client.Configuration> {
  const auth = client.PrivateKeyJwt(signingKey, {
    [client.modifyAssertion]: (header, payload) => {
      header.typ = "JWT";
      if ((options.audience ?? "token-endpoint") === "token-endpoint") payload.aud = sim.context.endpoints.token;
    },
  });
  const config = await client.discovery(new URL(sim.issuer), rp.clientId, { id_token_signed_response_alg: "RS512" }, auth, {
    execute: [client.allowInsecureRequests],
  });
  // Also verify the ID token's signature against the JWKS (openid-client skips it by default for
  // tokens received directly from the token endpoint).
  if (options.nonRepudiation ?? true) client.enableNonRepudiationChecks(config);
  return config;
}

interface Flow {
  state: string;
  nonce: string;
  callback: URL;
}

/** Build the authorization URL with openid-client and follow it to the callback (not fetched). */
async function authorizeWith(
  config: client.Configuration,
  vtr: string[] = ["P9.Cp.Cd", "P9.Cp.Ck", "P9.Cm"],
  scope = "openid profile email",
): Promise<Flow> {
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, { redirect_uri: rp.redirectUri, scope, state, nonce, vtr: JSON.stringify(vtr) });
  expect(url.origin).toBe(new URL(sim.issuer).origin);
  const res = await fetch(url, { redirect: "manual" });
  expect(res.status).toBe(302);
  const location = res.headers.get("location");
  expect(location).toBeTruthy();
  const callback = new URL(location!);
  expect(`${callback.origin}${callback.pathname}`).toBe(rp.redirectUri);
  return { state, nonce, callback };
}

describe("openid-client code flow against the simulator", () => {
  it("discovers the simulator", async () => {
    const config = await configure();
    const meta = config.serverMetadata();
    expect(meta.issuer).toBe(sim.issuer);
    expect(meta.token_endpoint).toBe(sim.context.endpoints.token);
    expect(meta.id_token_signing_alg_values_supported).toContain("RS512");
  });

  it("signs in, redeems the code, reads userinfo and refreshes", async () => {
    const config = await configure();
    const vtr = ["P9.Cp.Cd", "P9.Cm"];
    const flow = await authorizeWith(config, vtr);
    const tokens = await client.authorizationCodeGrant(config, flow.callback, { expectedState: flow.state, expectedNonce: flow.nonce });
    expect(tokens.token_type.toLowerCase()).toBe("bearer");
    expect(tokens.expires_in).toBe(300);
    expect(typeof tokens.refresh_token).toBe("string");
    const claims = tokens.claims();
    expect(claims).toBeDefined();
    expect(claims!.iss).toBe(sim.issuer);
    expect(claims!.aud).toBe(rp.clientId);
    expect(claims!.nonce).toBe(flow.nonce);
    expect(votSatisfiesVtr(String(claims!.vot), vtr)).toBe(true);

    const info = await client.fetchUserInfo(config, tokens.access_token, claims!.sub);
    expect(info.sub).toBe(claims!.sub);
    expect(typeof info.email).toBe("string");
    expect(typeof info.nhs_number).toBe("string");

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.id_token).toBeUndefined();
    expect(refreshed.refresh_token).toBeDefined();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    const again = await client.fetchUserInfo(config, refreshed.access_token, claims!.sub);
    expect(again.sub).toBe(claims!.sub);

    // Rotation: the old refresh token is now refused.
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("sees a state mismatch when the simulator returns another state", async () => {
    const config = await configure();
    sim.arm({ faults: ["authorize-state-wrong"], clientId: rp.clientId });
    const flow = await authorizeWith(config);
    await expect(
      client.authorizationCodeGrant(config, flow.callback, { expectedState: flow.state, expectedNonce: flow.nonce }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/"state" response parameter/) } });
  });

  it("receives an authorization error as an error, not a code", async () => {
    const config = await configure();
    sim.arm({ faults: ["authorize-error:access_denied"], clientId: rp.clientId });
    const flow = await authorizeWith(config);
    await expect(
      client.authorizationCodeGrant(config, flow.callback, { expectedState: flow.state, expectedNonce: flow.nonce }),
    ).rejects.toMatchObject({ error: "access_denied" });
  });

  it("is refused by the simulator when the assertion audience is the issuer (openid-client's default)", async () => {
    const config = await configure({ audience: "library-default" });
    const flow = await authorizeWith(config);
    await expect(
      client.authorizationCodeGrant(config, flow.callback, { expectedState: flow.state, expectedNonce: flow.nonce }),
    ).rejects.toMatchObject({ error: "invalid_client" });
  });

  it("sees a userinfo sub mismatch under userinfo-other-sub", async () => {
    const config = await configure();
    sim.arm({ faults: ["userinfo-other-sub"], clientId: rp.clientId });
    const flow = await authorizeWith(config);
    const tokens = await client.authorizationCodeGrant(config, flow.callback, { expectedState: flow.state, expectedNonce: flow.nonce });
    await expect(client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/"sub" property/) },
    });
  });
});

describe("openid-client rejects the simulator's faulted ID tokens", () => {
  /** Each fault, and the reason openid-client (oauth4webapi) gives for refusing the token. */
  const faults: [IdTokenFaultId, RegExp][] = [
    ["id-token-nonce-wrong", /"nonce" claim value/],
    ["id-token-wrong-iss", /"iss" \(issuer\) claim value/],
    ["id-token-expired", /"exp" \(expiration time\)/],
    ["id-token-bad-signature", /signature verification failed/],
    ["id-token-nonce-missing", /"nonce" .*claim missing/],
    ["id-token-wrong-aud", /"aud" \(audience\) claim value/],
    ["id-token-alg-none", /"alg" header parameter/],
    ["id-token-rs256", /"alg" header parameter/],
    ["id-token-unknown-kid", /no applicable keys found/],
    ["id-token-sub-missing", /"sub" \(subject\) claim missing/],
  ];
  for (const [fault, reason] of faults) {
    it(fault, async () => {
      const config = await configure();
      sim.arm({ faults: [fault], clientId: rp.clientId });
      const flow = await authorizeWith(config);
      const err = await client.authorizationCodeGrant(config, flow.callback, { expectedState: flow.state, expectedNonce: flow.nonce }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, `${fault} was accepted`).toBeInstanceOf(client.ClientError);
      const cause = (err as client.ClientError).cause;
      expect(cause instanceof Error ? cause.message : String(cause)).toMatch(reason);

      // The same client accepts the next, unfaulted sign-in.
      const clean = await authorizeWith(config);
      const tokens = await client.authorizationCodeGrant(config, clean.callback, {
        expectedState: clean.state,
        expectedNonce: clean.nonce,
      });
      expect(tokens.claims()!.nonce).toBe(clean.nonce);
    });
  }

  it("without non-repudiation checks, openid-client does not notice a bad signature (why the checks are enabled above)", async () => {
    const config = await configure({ nonRepudiation: false });
    sim.arm({ faults: ["id-token-bad-signature"], clientId: rp.clientId });
    const flow = await authorizeWith(config);
    const tokens = await client.authorizationCodeGrant(config, flow.callback, { expectedState: flow.state, expectedNonce: flow.nonce });
    expect(tokens.claims()!.nonce).toBe(flow.nonce);
  });
});
