/**
 * Faults for a Users Endpoint V2 *consumer* (the service under test calling `/token` with the
 * jwt-bearer grant and `GET /v2/Users`): armed per request, like the sign-in faults are armed per
 * sign-in. A `users-v2-search` fault changes the answer to the client's next search(es), a
 * `users-v2-token` fault its next jwt-bearer token request(s); `times` on the arm request says how
 * many. Every Table 10 row is a fault (`uev2-answer:<row>`), as are a 401 with `WWW-Authenticate`
 * (the token is then revoked, as a real rejection would leave it), a body that is not JSON, several
 * users, unknown attributes, a user without optional attributes, and token endpoint errors.
 *
 * @example
 * ```ts
 * sim.arm({ faults: ["uev2-answer:internal"], clientId, times: 2 }) // the next two searches answer 500
 * USERS_V2_CONSUMER_FAULTS["uev2-answer:internal"].hooks.usersV2SearchAnswer?.(undefined, env)
 * // { status: 500, body: { error: "Internal server error" } }
 * ```
 */
import type { Claims, Hooks, UsersV2Answer } from "../hooks/hook-points.ts";
import { slowAnswer } from "../hooks/slow-answer.ts";
import type { Persona } from "../personas.ts";
import {
  scopeRequiredDescription,
  scopesNotApprovedDescription,
  USERS_V2_ERRORS,
  type UsersV2ErrorName,
} from "../../nhs/scim-filter/index.ts";
import { NHS_USER_EXTENSION } from "../../nhs/constants.ts";

/** How long `uev2-answer-slow` keeps a search waiting: past a consumer's timeout, if it has a short one. */
export const SLOW_ANSWER_MS = 1200;

export interface UsersV2FaultInfo {
  kind: "users-v2-search" | "users-v2-token";
  title: string;
  requirements: readonly string[];
  hooks: Hooks;
}

/** The Table 10 row's answer, templates filled in for the client. */
function tableTenAnswer(name: UsersV2ErrorName, env: { usersScope: string; requested: readonly string[]; approved: readonly string[] }) {
  const row = USERS_V2_ERRORS[name];
  if (name === "internal") return { status: 500, body: { error: row.description } };
  const description =
    name === "scopeRequired"
      ? scopeRequiredDescription(env.usersScope)
      : name === "scopesNotApproved"
        ? scopesNotApprovedDescription(env.requested, env.approved)
        : row.description;
  return { status: row.status, body: { Errors: [{ description, code: String(row.status) }] } };
}

const ROW_FAULTS = Object.fromEntries(
  (Object.keys(USERS_V2_ERRORS) as UsersV2ErrorName[]).map((name) => [
    `uev2-answer:${name}`,
    {
      kind: "users-v2-search",
      title: `the search is answered with Table 10's ${USERS_V2_ERRORS[name].status} "${USERS_V2_ERRORS[name].description}"`,
      requirements: [USERS_V2_ERRORS[name].requirement, "UEV2-ERR-15"],
      hooks: { usersV2SearchAnswer: (_v: UsersV2Answer | undefined, env) => tableTenAnswer(name, env) },
    } satisfies UsersV2FaultInfo,
  ]),
) as unknown as Record<`uev2-answer:${UsersV2ErrorName}`, UsersV2FaultInfo>;

/** Keep schemas, id, active and the proofing level; drop every optional attribute. */
function minimal(resource: Claims): Claims {
  const ext = (resource[NHS_USER_EXTENSION] ?? {}) as Claims;
  return {
    schemas: resource.schemas,
    id: resource.id,
    active: resource.active,
    [NHS_USER_EXTENSION]: { vectorsOfTrust: ext.vectorsOfTrust },
  };
}

const OTHER_CONSUMER_FAULTS = {
  "uev2-answer-401": {
    kind: "users-v2-search",
    title: "the search is answered 401 with WWW-Authenticate: Bearer error=invalid_token, and the token is revoked",
    requirements: ["UEV2-ERR-14", "UEV2-GEN-05"],
    hooks: {
      usersV2SearchAnswer: () => ({
        status: 401,
        headers: {
          "www-authenticate": 'Bearer realm="users-v2", error="invalid_token", error_description="the access token has been revoked"',
        },
        body: { Errors: [{ description: "the access token has been revoked", code: "401" }] },
        revokeToken: true,
      }),
    },
  },
  "uev2-answer-not-json": {
    kind: "users-v2-search",
    title: "the search is answered 200 with a body that is not JSON",
    requirements: ["UEV2-ERR-15"],
    hooks: { usersV2SearchAnswer: () => ({ status: 200, headers: { "content-type": "text/html" }, body: "<html>maintenance</html>" }) },
  },
  "uev2-answer-slow": {
    kind: "users-v2-search",
    title: `the search is answered only after ${SLOW_ANSWER_MS / 1000} s (or the arm request's delayMs)`,
    requirements: ["UEV2-ERR-15"],
    hooks: { answerDelayMs: slowAnswer("users-v2", SLOW_ANSWER_MS) },
  },
  "uev2-answer-several-users": {
    kind: "users-v2-search",
    title: "the search finds a second account as well (two Resources, totalResults 2)",
    requirements: ["UEV2-RESP-06"],
    hooks: {
      usersV2Found: (found: Persona[], { personas }) => {
        const other = personas.find((p) => !found.includes(p) && p.nhsNumber);
        return found.length > 0 && other ? [...found, other] : found;
      },
    },
  },
  "uev2-answer-unknown-attributes": {
    kind: "users-v2-search",
    title: "each User resource carries attributes and an extension the consumer has never seen",
    requirements: ["UEV2-RESP-21"],
    hooks: {
      usersV2UserResource: (r: Claims) => ({
        ...r,
        nickName: "unexpected",
        "urn:example:future:1.0:User": { loyalty: 3 },
        [NHS_USER_EXTENSION]: { ...(r[NHS_USER_EXTENSION] as Claims), futureAttribute: ["x", 1] },
      }),
    },
  },
  "uev2-answer-minimal": {
    kind: "users-v2-search",
    title: "each User resource has only schemas, id, active and the proofing level (every optional attribute left out)",
    requirements: ["UEV2-RESP-21"],
    hooks: { usersV2UserResource: minimal },
  },
  "uev2-token-short-lived": {
    kind: "users-v2-token",
    title: "the jwt-bearer grant issues a token that lives 2 s (expires_in 2)",
    requirements: ["UEV2-TOKEN-15", "UEV2-AT-06"],
    hooks: { usersV2TokenLifetime: () => 2 },
  },
  "uev2-token-opaque": {
    kind: "users-v2-token",
    title: "the jwt-bearer grant issues an opaque access token (not a JWT)",
    requirements: ["UEV2-AT-13"],
    hooks: { usersV2OpaqueToken: () => true },
  },
  "uev2-token-invalid-client": {
    kind: "users-v2-token",
    title: "the jwt-bearer token request is refused with 400 invalid_client",
    requirements: ["UEV2-ERR-15", "UEV2-TOKEN-18"],
    hooks: { usersV2TokenError: () => "invalid_client" },
  },
  "uev2-token-invalid-scope": {
    kind: "users-v2-token",
    title: "the jwt-bearer token request is refused with 400 invalid_scope",
    requirements: ["UEV2-ERR-15", "UEV2-TOKEN-18"],
    hooks: { usersV2TokenError: () => "invalid_scope" },
  },
} as const satisfies Record<string, UsersV2FaultInfo>;

/** Every Users V2 consumer fault, by id. */
export const USERS_V2_CONSUMER_FAULTS = Object.freeze({ ...ROW_FAULTS, ...OTHER_CONSUMER_FAULTS });
export type UsersV2ConsumerFaultId = keyof typeof USERS_V2_CONSUMER_FAULTS;
