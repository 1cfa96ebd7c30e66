/**
 * Signing in with NHS login through openid-client 6 (a certified OpenID Connect library):
 *
 * - private_key_jwt client authentication, RS512, `typ: JWT`, `aud` = the token endpoint
 *   (openid-client's default audience is the issuer, which NHS login refuses; FED-TOKEN-08/11);
 * - a fresh random `state` and `nonce` for every sign-in, and the `vtr` the service is registered for;
 * - the ID token pinned to RS512, its signature checked against the NHS login JWKS (non-repudiation
 *   checks), `iss`, `aud`, `exp`, `nonce` checked by the library;
 * - the returned `vot` checked against the requested `vtr` (VOT-06), `vtm` required;
 * - the UserInfo `sub` checked against the ID token's (FED-UI-05).
 *
 * @example
 * ```ts
 * const nhsLogin = await createNhsLogin(settings)
 * const { txn, url } = await nhsLogin.start({ reauthenticate: false }) // remember txn, redirect to url
 * const person = await nhsLogin.finish(callbackQueryString, txn)  // throws SignInError
 * ```
 */
import { webcrypto } from "node:crypto";
import * as client from "openid-client";
import { votSatisfiesVtr } from "../../lib/nhs/vot.ts";
import { isLoopback, type Settings } from "./settings.ts";
import type { Person, Transaction } from "./session.ts";
import type { TestOnlyOverrides } from "./unsafe.ts";

/** Clock skew tolerated on token timestamps (openid-client's default is the same). */
const CLOCK_TOLERANCE_SECONDS = 30;

export interface StartOptions {
  /** After a session ended: the user must authenticate again (prompt=login). */
  reauthenticate: boolean;
  /** The vectors of trust of this sign-in (a step-up asks for P9 vectors only); default, the registered ones. */
  vtr?: string[];
}

export interface NhsLogin {
  /** A new sign-in: the transaction to bind to the browser and the URL to send it to. */
  start(options: StartOptions): Promise<{ txn: Transaction; url: URL }>;
  /** Complete a sign-in from the callback's query string; throws {@link SignInError}. */
  finish(callbackSearch: string, txn: Transaction): Promise<Person>;
}

/** Why a sign-in did not complete. `error` is NHS login's error code when it sent one. */
export class SignInError extends Error {
  constructor(
    readonly kind: "authorization-error" | "refused",
    message: string,
    readonly error?: string,
  ) {
    super(message);
  }
}

export async function createNhsLogin(settings: Settings, testOnly?: TestOnlyOverrides): Promise<NhsLogin> {
  const issuer = new URL(settings.issuer);
  const signingKey = await webcrypto.subtle.importKey(
    "pkcs8",
    settings.privateKey.export({ type: "pkcs8", format: "der" }),
    // RS512 (RSASSA-PKCS1-v1_5 with SHA-512): openid-client picks the algorithm from the key.
    { name: "RSASSA-PKCS1-v1_5", hash: testOnly?.assertionHash ?? "SHA-512" },
    false,
    ["sign"],
  );
  let tokenEndpoint = "";
  const clientAuth = client.PrivateKeyJwt(signingKey, {
    [client.modifyAssertion]: (header, payload) => {
      header.typ = "JWT";
      payload.aud = tokenEndpoint;
      testOnly?.modifyAssertion?.(header, payload);
    },
  });
  const config = await client.discovery(
    issuer,
    settings.clientId,
    { id_token_signed_response_alg: "RS512" },
    clientAuth,
    // Plain http is allowed for a loopback issuer only (the local simulator).
    isLoopback(issuer) && issuer.protocol === "http:" ? { execute: [client.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
  );
  tokenEndpoint = config.serverMetadata().token_endpoint!;
  // Verify the ID token's signature against the JWKS too: openid-client otherwise trusts the TLS
  // channel for tokens received straight from the token endpoint.
  if (!testOnly?.skipSignatureCheck) client.enableNonRepudiationChecks(config);
  if (testOnly?.customFetch) config[client.customFetch] = testOnly.customFetch(tokenEndpoint);
  const trustmarkProtocols = issuer.protocol === "https:" ? ["https:"] : ["https:", "http:"];

  return {
    async start({ reauthenticate, vtr = settings.vtr }) {
      let txn: Transaction = { state: client.randomState(), nonce: client.randomNonce(), vtr };
      if (testOnly?.transaction) txn = testOnly.transaction(txn);
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: settings.scope,
        state: txn.state,
        nonce: txn.nonce,
        vtr: JSON.stringify(txn.vtr),
        // After a session ends the user must really authenticate again, not reuse an SSO session (SESSION-07).
        ...(reauthenticate ? { prompt: "login" } : {}),
      });
      if (testOnly?.authorizationParams) {
        const params = Object.fromEntries(url.searchParams);
        testOnly.authorizationParams(params);
        url.search = new URLSearchParams(params).toString();
      }
      testOnly?.authorizationUrl?.(url);
      return { txn, url };
    },

    async finish(callbackSearch, txn) {
      const currentUrl = new URL(settings.redirectUri);
      currentUrl.search = callbackSearch;
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(config, currentUrl, {
          expectedState: testOnly?.skipStateCheck ? client.skipStateCheck : txn.state,
          ...(testOnly?.validateIdToken ? {} : { expectedNonce: txn.nonce, idTokenExpected: true }),
        });
      } catch (err) {
        if (err instanceof client.AuthorizationResponseError)
          throw new SignInError("authorization-error", err.error_description ?? err.error, err.error);
        throw new SignInError("refused", describe(err));
      }
      const claims = testOnly?.validateIdToken
        ? await testOnly
            .validateIdToken(txn, { issuer: config.serverMetadata().issuer, jwksUri: config.serverMetadata().jwks_uri! })
            .catch((err: unknown) => {
              throw new SignInError("refused", describe(err));
            })
        : tokens.claims();
      if (!claims) throw new SignInError("refused", "the token response has no ID token");
      // FED-IDT-05: openid-client accepts an iat in the future; a token from the future is refused.
      const fromFuture = typeof claims.iat === "number" && claims.iat > Math.floor(Date.now() / 1000) + CLOCK_TOLERANCE_SECONDS;
      if (typeof claims.iat !== "number" || (fromFuture && !testOnly?.skipIatCheck)) {
        throw new SignInError("refused", "the ID token was issued in the future");
      }

      // VOT-06: the level NHS login vouches for must be one this sign-in asked for.
      if (!testOnly?.skipVotCheck && (typeof claims.vot !== "string" || !votSatisfiesVtr(claims.vot, txn.vtr))) {
        throw new SignInError(
          "refused",
          `vot ${JSON.stringify(claims.vot)} matches none of the requested vectors ${JSON.stringify(txn.vtr)}`,
        );
      }
      // FED-IDT-11: the trust mark must be named, over https.
      if (!testOnly?.skipVtmCheck && (typeof claims.vtm !== "string" || !trustmarkProtocols.includes(safeProtocol(claims.vtm)))) {
        throw new SignInError("refused", "the ID token has no valid vtm");
      }

      try {
        testOnly?.inspectTokens?.({ idToken: tokens.id_token, accessToken: tokens.access_token, refreshToken: tokens.refresh_token });
      } catch (err) {
        throw new SignInError("refused", describe(err));
      }

      let info: client.UserInfoResponse = { sub: claims.sub };
      try {
        // FED-UI-05: the library refuses UserInfo whose sub differs from the ID token's.
        // TEST ONLY (no-userinfo): the ID token's claims are all the service uses.
        if (!testOnly?.skipUserinfo)
          info = await client.fetchUserInfo(
            config,
            tokens.access_token,
            testOnly?.skipUserinfoSubCheck ? client.skipSubjectCheck : claims.sub,
          );
      } catch (err) {
        throw new SignInError("refused", `userinfo: ${describe(err)}`);
      }
      try {
        testOnly?.inspectUserinfo?.(info);
      } catch (err) {
        throw new SignInError("refused", `userinfo: ${describe(err)}`);
      }
      const name = [info.given_name, info.family_name ?? claims.family_name].filter((x) => typeof x === "string").join(" ");
      const nhsNumber = info.nhs_number ?? claims.nhs_number;
      return {
        sub: claims.sub,
        vot: typeof claims.vot === "string" ? claims.vot : "unknown",
        ...(name ? { name } : {}),
        ...(typeof nhsNumber === "string" ? { nhsNumber } : {}),
        ...(testOnly?.exposeIdToken && tokens.id_token ? { exposedIdToken: tokens.id_token } : {}),
      };
    },
  };
}

/**
 * An NhsLogin that discovers NHS login on first use, and again after a failure: the service
 * starts even while NHS login (or the simulator) is not reachable yet.
 */
export function discoverLazily(create: () => Promise<NhsLogin>): NhsLogin {
  let ready: Promise<NhsLogin> | undefined;
  const get = () =>
    (ready ??= create().catch((err: unknown) => {
      ready = undefined;
      throw err;
    }));
  return {
    start: async (options) => (await get()).start(options),
    finish: async (search, txn) => (await get()).finish(search, txn),
  };
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : "";
  return `${err.message}${cause}`;
}

function safeProtocol(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return "";
  }
}
