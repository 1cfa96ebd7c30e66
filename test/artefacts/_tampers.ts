/**
 * Named tamperings of a good artefact capture (test/artefacts/_capture.ts), each a realistic way
 * a captured flow breaks a rule. The artefact breakers of test/breakers.ts name them; each changes
 * a copy of the good folder in place.
 */
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { decodeJwt, type JWTPayload } from "jose";
import {
  scopeRequiredDescription,
  scopesNotApprovedDescription,
  USERS_V2_ERRORS,
  type UsersV2ErrorName,
} from "../../lib/nhs/scim-filter/index.ts";
import { signToken } from "../../lib/simulator/tokens/sign.ts";
import { type Captured, editJson, flipSignature, readJson, resign, strangerKey } from "./_capture.ts";

export interface Tamper {
  what: string;
  tamper(dir: string, cap: Captured): void | Promise<void>;
}

const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");
const write = (dir: string, file: string, text: string) => writeFileSync(join(dir, file), text);

/** Re-sign a token file of the folder with a stranger key after changing it. */
async function resignFile(dir: string, file: string, change: Parameters<typeof resign>[2]): Promise<void> {
  write(dir, file, await resign(read(dir, file), strangerKey(), change));
}

/** Re-issue a token file with the simulator's own key (a valid signature) after changing its claims. */
async function reissue(dir: string, cap: Captured, file: string, change: (payload: JWTPayload) => JWTPayload): Promise<void> {
  write(dir, file, await signToken(cap.sim.context, change(decodeJwt(read(dir, file).trim()))));
}

/** The description a conformant answer gives for a Table 10 row (templates filled in). */
function filledText(name: UsersV2ErrorName): string {
  if (name === "scopeRequired") return scopeRequiredDescription("profile");
  if (name === "scopesNotApproved") return scopesNotApprovedDescription(["Users.read"], ["Users.retrieve"]);
  return USERS_V2_ERRORS[name].description;
}

/**
 * One per Table 10 row but the 500: the captured error carries the row's exact text under the
 * other 4xx status (a 400 row answered 403, a 403 row answered 400).
 */
const WRONG_STATUS_TAMPERS: Record<string, Tamper> = Object.fromEntries(
  (Object.keys(USERS_V2_ERRORS) as UsersV2ErrorName[])
    .filter((name) => name !== "internal")
    .map((name) => {
      const status = USERS_V2_ERRORS[name].status === 400 ? 403 : 400;
      const tamper: Tamper = {
        what: `Users V2 error with the ${USERS_V2_ERRORS[name].requirement} text under HTTP ${status}`,
        tamper: (d) =>
          write(
            d,
            "users-v2-error.json",
            JSON.stringify({
              status,
              headers: { "content-type": "application/json" },
              body: { Errors: [{ description: filledText(name), code: String(status) }] },
            }),
          ),
      };
      return [`users-v2-error-status:${name}`, tamper];
    }),
);

export const TAMPERS: Readonly<Record<string, Tamper>> = {
  ...WRONG_STATUS_TAMPERS,
  "public-key-with-private-key": {
    what: "public_key.pem also holds the private key (the whole key pair was submitted)",
    tamper: (d) => {
      const secret = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" });
      write(d, "public_key.pem", `${read(d, "public_key.pem")}${String(secret)}`);
    },
  },
  "public-key-pkcs1": {
    what: "public_key.pem is a PKCS#1 BEGIN RSA PUBLIC KEY block, not SubjectPublicKeyInfo",
    tamper: (d) => write(d, "public_key.pem", String(createPublicKey(read(d, "public_key.pem")).export({ type: "pkcs1", format: "pem" }))),
  },
  "public-key-1024-bits": {
    what: "public_key.pem is an RSA key of 1024 bits",
    tamper: (d) =>
      write(
        d,
        "public_key.pem",
        String(generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ type: "spki", format: "pem" })),
      ),
  },
  "id-token-header-rs256": {
    what: "ID token header says RS256",
    tamper: (d) => resignFile(d, "id_token.jwt", { header: { alg: "RS256" } }),
  },
  "id-token-signature-flipped": {
    what: "one bit of the ID token signature flipped",
    tamper: (d) => write(d, "id_token.jwt", flipSignature(read(d, "id_token.jwt"))),
  },
  "expected-other-client-id": {
    what: "expected.json names another client_id (aud mismatch)",
    tamper: (d) => editJson(d, "expected.json", (x) => void (x.client_id = "someone-else")),
  },
  "id-token-without-jti": {
    what: "ID token without jti",
    tamper: (d) => resignFile(d, "id_token.jwt", { claims: { jti: undefined } }),
  },
  "id-token-two-hours": {
    what: "ID token living two hours",
    tamper: (d) => resignFile(d, "id_token.jwt", { claims: { exp: (decodeJwt(read(d, "id_token.jwt").trim()).iat as number) + 7200 } }),
  },
  "expected-other-nonce": {
    what: "expected.json nonce changed",
    tamper: (d) => editJson(d, "expected.json", (x) => void (x.nonce = `${String(x.nonce)}-other`)),
  },
  "expected-vtr-unmet": {
    what: "expected.json vtr the vot does not satisfy (P9.Cm)",
    tamper: (d) => editJson(d, "expected.json", (x) => void (x.vtr = ["P9.Cm"])),
  },
  "expected-issuer-other-host": {
    what: "expected.json issuer on another host (vtm not on the issuer host)",
    tamper: (d) => editJson(d, "expected.json", (x) => void (x.issuer = "https://auth.sandpit.signin.nhs.uk")),
  },
  "id-token-bad-nhs-number": {
    what: "ID token NHS number with a bad check digit",
    tamper: (d) => resignFile(d, "id_token.jwt", { claims: { nhs_number: "9990010006" } }),
  },
  "access-token-signature-flipped": {
    what: "one bit of the access token signature flipped",
    tamper: (d) => write(d, "access_token.jwt", flipSignature(read(d, "access_token.jwt"))),
  },
  "expected-scopes-without-phone": {
    what: "expected.json scopes without phone (the access token grants more than requested)",
    tamper: (d) => editJson(d, "expected.json", (x) => void (x.scopes = ["openid", "profile", "email"])),
  },
  "access-token-one-hour": {
    what: "access token living an hour",
    tamper: (d) =>
      resignFile(d, "access_token.jwt", { claims: { exp: (decodeJwt(read(d, "access_token.jwt").trim()).iat as number) + 3600 } }),
  },
  "userinfo-other-sub": {
    what: "UserInfo with another sub",
    tamper: (d) => editJson(d, "userinfo.json", (x) => void (x.sub = "another-person")),
  },
  "userinfo-null-claim": {
    what: "UserInfo with a null claim",
    tamper: (d) => editJson(d, "userinfo.json", (x) => void (x.email = null)),
  },
  "users-v2-token-no-cache-control": {
    what: "Users V2 token response captured without Cache-Control",
    tamper: (d) => editJson(d, "users-v2-token.json", (x) => void delete (x.headers as Record<string, string>)["cache-control"]),
  },
  "users-v2-access-token-signature-flipped": {
    what: "one bit of the Users V2 access token signature flipped",
    tamper: (d) =>
      editJson(d, "users-v2-token.json", (x) => {
        const body = x.body as { access_token: string };
        body.access_token = flipSignature(body.access_token);
      }),
  },
  "users-v2-eight-digit-nhs-number": {
    what: "Users V2 search answer whose user has an 8-digit NHS number",
    tamper: (d) =>
      editJson(d, "users-v2-search.json", (x) => {
        const user = (x.body as { Resources: Record<string, Record<string, unknown>>[] }).Resources[0]!;
        user["uk:nhs:login:auth:1.0:User"]!.nhsNumber = "99900100";
      }),
  },
  "users-v2-error-wrong-text": {
    what: "Users V2 error with a wrong text (Invalid Syntax)",
    tamper: (d) => write(d, "users-v2-error.json", '{"Errors":[{"description":"Invalid Syntax","code":"400"}]}'),
  },
  // Re-signed by the issuer's own key: only the claim under test is wrong.
  "id-token-nbf-future": {
    what: "ID token not valid before an hour from its iat (nbf), signed by the issuer",
    tamper: (d, c) => reissue(d, c, "id_token.jwt", (p) => ({ ...p, nbf: (p.iat as number) + 3600 })),
  },
  "id-token-auth-time-string": {
    what: "ID token auth_time as a string, signed by the issuer",
    tamper: (d, c) => reissue(d, c, "id_token.jwt", (p) => ({ ...p, auth_time: String(p.iat) })),
  },
  "id-token-auth-time-future": {
    what: "ID token auth_time an hour after its iat, signed by the issuer",
    tamper: (d, c) => reissue(d, c, "id_token.jwt", (p) => ({ ...p, auth_time: (p.iat as number) + 3600 })),
  },
  "id-token-iat-future": {
    what: "ID token iat an hour after the capture, signed by the issuer",
    tamper: (d, c) => reissue(d, c, "id_token.jwt", (p) => ({ ...p, iat: (p.iat as number) + 3600, exp: (p.exp as number) + 3600 })),
  },
  "id-token-without-sub": {
    what: "ID token without sub, signed by the issuer",
    tamper: (d, c) => reissue(d, c, "id_token.jwt", ({ sub: _sub, ...p }) => p),
  },
  "id-token-without-vot-vtm": {
    what: "ID token without vot and vtm, signed by the issuer",
    tamper: (d, c) => reissue(d, c, "id_token.jwt", ({ vot: _vot, vtm: _vtm, ...p }) => p),
  },
  "expected-other-issuer": {
    what: "expected.json names another issuer (the ID token's iss no longer matches)",
    tamper: (d) => editJson(d, "expected.json", (x) => void (x.issuer = "https://auth.other.example")),
  },
  "userinfo-status-500": {
    what: "userinfo.json captures an HTTP 500 answer",
    tamper: (d) =>
      write(d, "userinfo.json", JSON.stringify({ status: 500, headers: { "content-type": "application/json" }, body: { error: "x" } })),
  },
  "access-token-without-scope": {
    what: "access token without scope, vot and vtm, signed by the issuer",
    tamper: (d, c) => reissue(d, c, "access_token.jwt", ({ scope: _s, vot: _v, vtm: _m, ...p }) => p),
  },
  // Headers a verifier must refuse, re-signed by a stranger (the header is what is under test).
  "id-token-typ-at-jwt": {
    what: "ID token header typ at+jwt",
    tamper: (d) => resignFile(d, "id_token.jwt", { header: { typ: "at+jwt" } }),
  },
  "id-token-jku-header": {
    what: "ID token header naming a jku",
    tamper: (d) => resignFile(d, "id_token.jwt", { header: { jku: "https://attacker.invalid/jwks.json" } }),
  },
  "id-token-unknown-kid": {
    what: "ID token header kid in no JWKS",
    tamper: (d) => resignFile(d, "id_token.jwt", { header: { kid: "kid-in-no-jwks" } }),
  },
  "access-token-unknown-kid": {
    what: "access token header kid in no JWKS",
    tamper: (d) => resignFile(d, "access_token.jwt", { header: { kid: "kid-in-no-jwks" } }),
  },
  // Claims, re-issued with the issuer's key: only the claim under test is wrong.
  "access-token-other-vot": {
    what: "access token vot P5.Cp.Cd while the ID token says P9.Cp.Cd, signed by the issuer",
    tamper: (d, c) => reissue(d, c, "access_token.jwt", (p) => ({ ...p, vot: "P5.Cp.Cd" })),
  },
  "id-token-profile-claims-wrong": {
    what: "ID token without family_name, birthdate 30/12/2001, identity_proofing_level P7, signed by the issuer",
    tamper: (d, c) =>
      reissue(d, c, "id_token.jwt", ({ family_name: _f, ...p }) => ({ ...p, birthdate: "30/12/2001", identity_proofing_level: "P7" })),
  },
  "expected-basic-demographics": {
    what: "expected.json scopes openid basic_demographics, while the ID token carries nhs_number",
    tamper: (d) => editJson(d, "expected.json", (x) => void (x.scopes = ["openid", "basic_demographics"])),
  },
  "users-v2-access-token-iat-string": {
    what: "Users V2 access token iat as a string, signed by the issuer",
    tamper: async (d, c) => {
      const file = readJson(d, "users-v2-token.json");
      const body = file.body as { access_token: string };
      body.access_token = await signToken(c.sim.context, { ...decodeJwt(body.access_token), iat: "now" as unknown as number });
      write(d, "users-v2-token.json", JSON.stringify(file));
    },
  },
  "expected-scopes-openid-only": {
    what: "expected.json scopes openid alone, while the ID token carries profile claims",
    tamper: (d) => editJson(d, "expected.json", (x) => void (x.scopes = ["openid"])),
  },
  "id-token-iat-future-captured-at": {
    what: "ID token iat an hour after expected.json's captured_at, signed by the issuer",
    tamper: async (d, c) => {
      const iat = decodeJwt(read(d, "id_token.jwt").trim()).iat as number;
      await reissue(d, c, "id_token.jwt", (p) => ({ ...p, iat: iat + 3600, exp: (p.exp as number) + 3600 }));
      editJson(d, "expected.json", (x) => void (x.captured_at = iat));
    },
  },
};
