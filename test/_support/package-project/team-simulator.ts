// A team's own test, in an empty project that installed the packed harness: the simulator as a
// library, driven with openid-client. test/package.test.ts copies it there as simulator.test.ts; in
// this repository it is neither run nor type-checked (it imports the package by name).
import { webcrypto } from "node:crypto";
import * as client from "openid-client";
import { expect, it } from "vitest";
import { FAULTS, generateRsaKeyPair, startSimulator } from "nhslogin-conformance/simulator";
import { validatePayload } from "nhslogin-conformance/schemas";

const REDIRECT_URI = "http://127.0.0.1:9/callback";

it("serves a code flow to openid-client, and an armed fault shows in the next one", async () => {
  const { privateKey, publicKey } = await generateRsaKeyPair();
  const sim = await startSimulator({ clients: [{ clientId: "team-service", redirectUris: [REDIRECT_URI], publicKey }] });
  try {
    const key = await webcrypto.subtle.importKey(
      "pkcs8",
      privateKey.export({ type: "pkcs8", format: "der" }),
      { name: "RSASSA-PKCS1-v1_5", hash: "SHA-512" },
      false,
      ["sign"],
    );
    const auth = client.PrivateKeyJwt(key, {
      [client.modifyAssertion]: (_header, payload) => {
        payload.aud = `${sim.issuer}/token`;
      },
    });
    const config = await client.discovery(new URL(sim.issuer), "team-service", { id_token_signed_response_alg: "RS512" }, auth, {
      execute: [client.allowInsecureRequests],
    });
    const signIn = async () => {
      const nonce = client.randomNonce();
      const state = client.randomState();
      const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: "openid", nonce, state, vtr: '["P9.Cp.Cd"]' });
      const res = await fetch(url, { redirect: "manual" });
      const callback = new URL(res.headers.get("location") ?? "");
      return client.authorizationCodeGrant(config, callback, { expectedNonce: nonce, expectedState: state });
    };
    const tokens = await signIn();
    expect(tokens.claims()?.vot).toBe("P9.Cp.Cd");
    // The harness's own schema agrees with what openid-client accepted.
    expect(validatePayload("id-token-payload", tokens.claims()).errors).toEqual([]);
    expect(FAULTS["id-token-nonce-wrong"].requirements.length).toBeGreaterThan(0);
    sim.arm({ faults: ["id-token-nonce-wrong"], clientId: "team-service" });
    // openid-client refuses the ID token: its nonce is not the one sent.
    await expect(signIn()).rejects.toMatchObject({ cause: { message: expect.stringMatching(/"nonce" claim/) } });
    expect(sim.events.filter((e) => e.type === "token")).toHaveLength(2);
  } finally {
    await sim.stop();
  }
}, 60_000); // three RSA keys and two code flows: generous for a loaded CI machine
