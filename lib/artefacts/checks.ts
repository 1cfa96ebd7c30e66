/**
 * The artefact checks as data: captured ID token, access token, UserInfo answer and Users V2
 * answers, judged offline with the same finding functions the environment checks use (FED-JWT-*,
 * FED-DISC-02, FED-IDT-*, TTL-*, VOT-*, SCOPE-*, FED-AT-*, FED-UI-*, UEV2-*). The only network
 * access is fetching the issuer's JWKS when the folder has no `jwks.json`.
 *
 * Decisions (see docs/artefacts.md): tokens are judged as at `captured_at` when `expected.json`
 * gives it, else as at their own `iat`, and whether they are expired now is information; a JWKS
 * that cannot be had leaves signatures unverified, which fails; a bare body's status and headers
 * are not judged.
 *
 * @example
 * ```ts
 * const set = await loadArtefacts(dir)
 * for (const c of ARTEFACT_CHECKS) console.log(c.ids.join(" "), await runArtefactCheck(c, set))
 * ```
 */
import { finding, type Finding } from "../requirements/index.ts";
import { DEFAULT_VTR } from "../nhs/vot.ts";
import type { ArtefactCheck } from "./artefact-check.ts";
import type { Artefact, ArtefactExpectations, ArtefactSet, CapturedToken, UsersV2Capture, UsersV2Kind } from "./types.ts";
import { judgementTime, expiryNote } from "./judgement-time.ts";
import { bareTransport } from "./bare-transport.ts";
import { usersV2Expectations } from "./users-v2-expectations.ts";
import { expectedUsersV2Error } from "./expected-users-v2-error.ts";
import { parseFilter } from "../nhs/scim-filter/index.ts";
import { decodeJwtSafely } from "../jose/decode-jwt.ts";
import {
  idTokenClaimFindings,
  idTokenLifetimeFindings,
  idTokenProfileFindings,
  jtiFindings,
  nonceFindings,
  personLevel,
  votFindings,
  vtmFindings,
  type TokenExpectations,
} from "../checks/tokens/id-token.ts";
import { accessTokenClaimFindings, accessTokenLifetimeFindings } from "../checks/tokens/access-token.ts";
import { jwsSignatureFindings, jwtHeaderFindings } from "../checks/tokens/jwt-header.ts";
import { USERINFO_RELEASE_IDS, userinfoReleaseFindings, userinfoResponseFindings } from "../checks/code-flow/userinfo.ts";
import { accessTokenClaimsFindings, accessTokenSignatureFindings, USERS_V2_ACCESS_TOKEN_IDS } from "../checks/users-v2/access-token.ts";
import { USER_RESOURCE_IDS } from "../checks/users-v2/user-resource.ts";
import { errorResponseFindings } from "../checks/users-v2/error-response.ts";
import { listResponseFindings } from "../checks/users-v2/list-response.ts";
import { tokenResponseFindings } from "../checks/users-v2/token-response.ts";
import { publicKeyFileFindings } from "../checks/rules/public-key.ts";

/** The value of an artefact the check's `needs` guarantee. */
function ok<T>(a: Artefact<T>): T {
  if (a.state !== "ok") throw new Error(a.reason);
  return a.value;
}

const idToken = (set: ArtefactSet): CapturedToken => ok(set.idToken);
const expected = (set: ArtefactSet): ArtefactExpectations => ok(set.expected);

/** What the captured tokens are checked against, judged at the token's judgement time. */
function tokenExpectations(set: ArtefactSet, payload: unknown): TokenExpectations {
  const x = expected(set);
  return {
    issuer: x.issuer,
    clientId: x.clientId,
    ...(x.nonce !== undefined ? { nonce: x.nonce } : {}),
    vtr: x.vtr ?? DEFAULT_VTR,
    scopes: x.scopes,
    now: judgementTime(payload, x).now,
  };
}

/** Every id of `ids` failed with `message`. */
const failedAll = (ids: readonly string[], message: string): Finding[] => ids.map((id) => finding(id, "failed", message));

/** Prefix every message with the file it is about. */
const about = (file: string, findings: readonly Finding[]): Finding[] => findings.map((f) => ({ ...f, message: `${file}: ${f.message}` }));

/** The readable `users-v2-*.json` captures of one kind. */
function captures(set: ArtefactSet, kind: UsersV2Kind): { file: string; value: UsersV2Capture }[] {
  return set.usersV2.flatMap((a) => (a.state === "ok" && a.value.kind === kind ? [{ file: a.file, value: a.value }] : []));
}

/** The single term a search filter looked for, when it is one `eq` term. */
function searchedBy(filter: string | undefined): { nhsNumber?: string; email?: string } | undefined {
  if (filter === undefined) return undefined;
  try {
    const parsed = parseFilter(filter);
    if (parsed.terms.length !== 1) return undefined;
    const t = parsed.terms[0]!;
    return t.attribute === "nhsnumber" ? { nhsNumber: t.value } : { email: t.value };
  } catch {
    return undefined;
  }
}

const SIGNATURE = ["FED-DISC-02", "FED-IDT-17"];
const USERS_V2_ERROR_ROWS = [
  "UEV2-ERR-01",
  "UEV2-ERR-02",
  "UEV2-ERR-03",
  "UEV2-ERR-04",
  "UEV2-ERR-05",
  "UEV2-ERR-06",
  "UEV2-ERR-07",
  "UEV2-ERR-08",
  "UEV2-ERR-09",
  "UEV2-ERR-10",
  "UEV2-ERR-11",
];

export const ARTEFACT_CHECKS: readonly ArtefactCheck[] = [
  // ID token.
  {
    key: "fed-jwt-01",
    ids: ["FED-JWT-01", "FED-JWT-02", "FED-JWT-03", "FED-DISC-02"],
    title: "captured ID token header: RS512, typ JWT, a kid from the JWKS, no jku/jwk/x5u/x5c",
    area: "ID token",
    needs: ["id-token"],
    run: async (set) => {
      const keys = await set.signingKeys();
      return jwtHeaderFindings(idToken(set).header, { token: "ID token", ...(keys.ok ? { jwks: keys.jwks } : {}) });
    },
  },
  {
    key: "fed-disc-02",
    ids: SIGNATURE,
    title: "captured ID token signature verifies with the JWKS (jwks.json, else the issuer's)",
    area: "ID token",
    needs: ["id-token"],
    run: async (set) => {
      const keys = await set.signingKeys();
      if (!keys.ok) return failedAll(SIGNATURE, `the ID token signature is unverified: ${keys.reason}`);
      return (await jwsSignatureFindings(idToken(set).raw, keys.jwks)).map((f) => ({
        ...f,
        message: `${f.message} (keys from ${keys.from})`,
      }));
    },
  },
  {
    key: "fed-idt-01",
    ids: ["FED-IDT-01", "FED-IDT-02", "FED-IDT-03", "FED-IDT-04", "FED-IDT-05", "FED-IDT-07"],
    title: "captured ID token iss, sub, aud, exp and iat against expected.json, and the id-token-payload schema",
    area: "ID token",
    needs: ["id-token", "expected"],
    run: (set) => {
      const { payload } = idToken(set);
      return [
        ...idTokenClaimFindings(payload, tokenExpectations(set, payload)),
        expiryNote("FED-IDT-04", "ID token", payload, judgementTime(payload, expected(set))),
      ];
    },
  },
  {
    key: "fed-idt-06",
    ids: ["FED-IDT-06"],
    title: "captured ID token carries a jti",
    area: "ID token",
    needs: ["id-token"],
    run: (set) =>
      jtiFindings([idToken(set).payload]).map((f) =>
        f.status === "passed" ? { ...f, message: "the ID token has a jti (uniqueness across sign-ins needs several captures)" } : f,
      ),
  },
  {
    key: "ttl-02",
    ids: ["TTL-02", "FED-IDT-18"],
    title: "captured ID token lives 60 minutes (exp − iat = 3600)",
    area: "ID token",
    needs: ["id-token"],
    run: (set) => idTokenLifetimeFindings(idToken(set).payload),
  },
  {
    key: "fed-idt-08",
    ids: ["FED-IDT-08"],
    title: "captured ID token nonce is byte-identical to expected.nonce",
    area: "ID token",
    needs: ["id-token", "expected"],
    run: (set) => {
      const nonce = expected(set).nonce;
      if (nonce === undefined) return [finding("FED-IDT-08", "skipped", "expected.json gives no nonce to compare the ID token's with")];
      return nonceFindings(idToken(set).payload, nonce);
    },
  },
  {
    key: "fed-idt-10",
    ids: ["FED-IDT-10", "VOT-06"],
    title: "captured ID token vot is a valid vector that satisfies expected.vtr (the default vtr when absent)",
    area: "ID token",
    needs: ["id-token", "expected"],
    run: (set) => {
      const vtr = expected(set).vtr;
      const findings = votFindings(idToken(set).payload, vtr ?? DEFAULT_VTR);
      return vtr
        ? findings
        : findings.map((f) =>
            f.requirement === "VOT-06" ? { ...f, message: `${f.message} (the default vtr: expected.json names none)` } : f,
          );
    },
  },
  {
    key: "fed-idt-11",
    ids: ["FED-IDT-11", "VOT-07"],
    title: "captured ID token vtm is an https URL on the issuer host",
    area: "ID token",
    needs: ["id-token", "expected"],
    run: (set) => vtmFindings(idToken(set).payload, expected(set).issuer),
  },
  {
    key: "scope-02",
    ids: ["SCOPE-02", "SCOPE-03", "FED-IDT-12", "FED-IDT-13", "FED-IDT-14", "FED-IDT-15"],
    title: "captured ID token profile claims follow expected.scopes and the proofing level; birthdate and NHS number valid",
    area: "ID token",
    needs: ["id-token", "expected"],
    run: (set) => idTokenProfileFindings(idToken(set).payload, { scopes: expected(set).scopes }),
  },

  // Access token.
  {
    key: "fed-at-01",
    ids: ["FED-AT-01", "FED-DISC-02"],
    title: "captured access token header and signature follow the ID token rules (RS512, typ JWT, JWKS kid)",
    area: "Access token",
    needs: ["access-token"],
    run: async (set) => {
      const at = ok(set.accessToken);
      const keys = await set.signingKeys();
      const header = jwtHeaderFindings(at.header, {
        token: "access token",
        requirement: "FED-AT-01",
        ...(keys.ok ? { jwks: keys.jwks } : {}),
      });
      if (!keys.ok) return [...header, finding("FED-AT-01", "failed", `the access token signature is unverified: ${keys.reason}`)];
      return [...header, ...(await jwsSignatureFindings(at.raw, keys.jwks, { token: "access token", requirements: ["FED-AT-01"] }))];
    },
  },
  {
    key: "fed-at-02",
    ids: ["FED-AT-02", "FED-AT-03", "FED-AT-04", "FED-AT-05", "VOT-05"],
    title: "captured access token claims against expected.json; scope within the request; vot and vtm as in the ID token",
    area: "Access token",
    needs: ["access-token", "expected"],
    run: (set) => {
      const { payload } = ok(set.accessToken);
      const x = expected(set);
      const id = set.idToken.state === "ok" ? set.idToken.value.payload : undefined;
      const findings = accessTokenClaimFindings(payload, {
        ...tokenExpectations(set, payload),
        requestedScopes: x.scopes,
        ...(id ? { idToken: id } : {}),
      });
      findings.push(expiryNote("FED-AT-02", "access token", payload, judgementTime(payload, x)));
      if (set.idToken.state !== "ok") findings.push(finding("VOT-05", "skipped", `not compared with the ID token: ${set.idToken.reason}`));
      return findings;
    },
  },
  {
    key: "ttl-03",
    ids: ["TTL-03"],
    title: "captured access token lives 5 minutes (exp − iat = 300)",
    area: "Access token",
    needs: ["access-token"],
    // No token response was captured, so there is no expires_in to judge (FED-TRESP-06).
    run: (set) => accessTokenLifetimeFindings(ok(set.accessToken).payload, undefined).filter((f) => f.requirement === "TTL-03"),
  },

  // UserInfo.
  {
    key: "fed-ui-02",
    ids: ["FED-UI-02", "FED-UI-05", "FED-UI-07"],
    title: "captured UserInfo answer is a JSON object valid against the userinfo schema, with the ID token's sub",
    area: "UserInfo",
    needs: ["userinfo", "id-token"],
    run: (set) => {
      const answer = ok(set.userinfo);
      return bareTransport(
        userinfoResponseFindings(answer, { idTokenSub: idToken(set).payload.sub }),
        answer,
        ["FED-UI-02"],
        set.userinfo.file,
      );
    },
  },
  {
    key: "fed-ui-03",
    ids: USERINFO_RELEASE_IDS,
    title: "captured UserInfo releases exactly the claims of expected.scopes and the ID token's proofing level, never null or empty",
    area: "UserInfo",
    needs: ["userinfo", "id-token", "expected"],
    run: (set) => {
      const answer = ok(set.userinfo);
      if (answer.status !== 200)
        return [finding("FED-UI-04", "failed", `the captured UserInfo answer is HTTP ${answer.status}, not a 200 with claims`)];
      return userinfoReleaseFindings(answer.body, { scopes: expected(set).scopes, level: personLevel(idToken(set).payload) });
    },
  },

  // Users V2.
  {
    key: "uev2-token-12",
    ids: ["UEV2-TOKEN-12", "UEV2-TOKEN-13", "UEV2-TOKEN-14", "UEV2-TOKEN-15", "UEV2-TOKEN-16"],
    title: "captured Users V2 token response: 200 JSON, no-store/no-cache, a JWT, Bearer, 300 s, scope within the request",
    area: "Users V2 token",
    needs: ["users-v2-token-response"],
    run: (set) =>
      captures(set, "token-response").flatMap(({ file, value }) => {
        const x = usersV2Expectations(set, value);
        if (!x.usersScope || !x.requestedScopes) {
          return about(file, [
            finding(
              "UEV2-TOKEN-16",
              "skipped",
              "the requested Users V2 scopes are unknown: " +
                "give request.scope in the envelope or users_v2 { users_scope, scopes } in expected.json",
            ),
          ]);
        }
        const findings = tokenResponseFindings(value, { usersScope: x.usersScope, requestedScopes: x.requestedScopes });
        return about(file, bareTransport(findings, value, ["UEV2-TOKEN-12"], file));
      }),
  },
  {
    key: "uev2-at-01",
    ids: USERS_V2_ACCESS_TOKEN_IDS,
    title: "captured Users V2 access token: the claims of Table 13 against expected.json, 300 s, an RS512 signature from the JWKS",
    area: "Users V2 token",
    needs: ["users-v2-token-response", "expected"],
    run: async (set) => {
      const x = expected(set);
      const keys = await set.signingKeys();
      const out: Finding[] = [];
      for (const { file, value } of captures(set, "token-response")) {
        const token = (value.body as { access_token?: unknown }).access_token;
        if (typeof token !== "string") {
          out.push(...about(file, [finding("UEV2-AT-01", "failed", "the token response has no access_token string")]));
          continue;
        }
        const v2 = usersV2Expectations(set, value);
        if (!v2.usersScope || !v2.requestedScopes) {
          out.push(
            ...about(
              file,
              USERS_V2_ACCESS_TOKEN_IDS.map((id) =>
                finding(
                  id,
                  "skipped",
                  "the Users.retrieve scope and the requested scopes are unknown: give users_v2 { users_scope, scopes } in expected.json",
                ),
              ),
            ),
          );
          continue;
        }
        const decoded = decodeJwtSafely(token);
        const time = judgementTime(decoded.ok ? decoded.payload : undefined, x);
        out.push(
          ...about(file, [
            ...accessTokenClaimsFindings(token, {
              issuer: x.issuer,
              clientId: x.clientId,
              usersScope: v2.usersScope,
              requestedScopes: v2.requestedScopes,
              ...(v2.grantedScope !== undefined ? { grantedScope: v2.grantedScope } : {}),
              now: time.now,
            }),
            ...(keys.ok
              ? await accessTokenSignatureFindings(token, keys.jwks)
              : [finding("UEV2-AT-12", "failed", `the Users V2 access token signature is unverified: ${keys.reason}`)]),
          ]),
        );
      }
      return out;
    },
  },
  {
    key: "uev2-resp-01",
    ids: [
      "UEV2-RESP-01",
      "UEV2-RESP-02",
      "UEV2-RESP-03",
      "UEV2-RESP-05",
      "UEV2-RESP-07",
      "UEV2-RESP-08",
      "UEV2-RESP-09",
      "UEV2-RESP-10",
      ...USER_RESOURCE_IDS,
      "UEV2-SCOPE-10",
    ],
    title: "captured Users V2 search answer: a ListResponse of User resources within the granted scopes",
    area: "Users V2 search",
    needs: ["users-v2-list-response"],
    run: (set) =>
      captures(set, "list-response").flatMap(({ file, value }) => {
        const x = usersV2Expectations(set);
        if (!x.usersScope || !x.grantedScopes) {
          return about(file, [
            finding(
              "UEV2-SCOPE-10",
              "skipped",
              "the granted Users V2 scopes are unknown: " +
                "capture the token response too, or give users_v2 { users_scope, scopes } in expected.json",
            ),
          ]);
        }
        const searched = searchedBy(value.request?.filter);
        const result = listResponseFindings(value, {
          usersScope: x.usersScope,
          grantedScopes: x.grantedScopes,
          ...(searched ? { searched } : {}),
        });
        return about(file, bareTransport(result.findings, value, ["UEV2-RESP-01"], file));
      }),
  },
  {
    key: "uev2-err-13",
    ids: ["UEV2-ERR-13", ...USERS_V2_ERROR_ROWS],
    title: "captured Users V2 error answer: the Table 10 status and exact text in the Errors envelope",
    area: "Users V2 errors",
    needs: ["users-v2-error"],
    run: (set) => {
      const findings = captures(set, "error").flatMap(({ file, value }) =>
        about(file, errorResponseFindings(value, expectedUsersV2Error(value))),
      );
      // Each capture answers one Table 10 row; the rows nobody captured are not judged here.
      const judged = new Set(findings.map((f) => f.requirement));
      const absent = USERS_V2_ERROR_ROWS.filter((id) => !judged.has(id));
      return [
        ...findings,
        ...absent.map((id) => finding(id, "skipped", `not applicable: no captured users-v2-*.json error answers the ${id} row`)),
      ];
    },
  },
  // The submitted public key.
  {
    key: "key-02",
    ids: ["KEY-02", "KEY-03", "KEY-01"],
    title: "the public key file given to NHS login: one PEM SubjectPublicKeyInfo block, RSA 2048, nothing private",
    area: "Keys",
    needs: ["public-key"],
    run: (set) => publicKeyFileFindings(ok(set.publicKey), set.publicKey.file),
  },
];
