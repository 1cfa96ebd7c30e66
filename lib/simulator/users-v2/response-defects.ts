/**
 * Users Endpoint V2 defects that garble one part of an answer, so that each rule of UEV2 §3.2.3
 * (token response), §4.2 T13 (access token) and §5.2 T15 (ListResponse and User resource) can be
 * shown failing against a live simulator. Rows of the fault table (lib/simulator/faults.ts); each
 * changes every answer of its kind, whatever the scope, so it shows under every check that reads
 * one. Values are taken from the catalogue rows they break.
 *
 * @example
 * ```ts
 * await startSimulator({ defects: ["uev2-user-active-string"] }) // every User resource says "active": "true"
 * ```
 */
import { NHS_USER_EXTENSION } from "../../nhs/constants.ts";
import type { FaultEntry } from "../faults.ts";
import type { Claims, HookPoints } from "../hooks/hook-points.ts";

type ListResponse = HookPoints["usersV2ListResponse"]["value"];

/** The answer with `change` applied to each User resource in `Resources`. */
const eachUser =
  (change: (user: Claims, ext: Claims) => void) =>
  (body: ListResponse): ListResponse => {
    if (!Array.isArray(body.Resources)) return body;
    const resources = (body.Resources as Claims[]).map((user) => {
      const copy = structuredClone(user);
      const ext = (copy[NHS_USER_EXTENSION] ?? {}) as Claims;
      change(copy, ext);
      copy[NHS_USER_EXTENSION] = ext;
      return copy;
    });
    return { ...body, Resources: resources };
  };

const OTHER_CLIENT = "some-other-client";

export const USERS_V2_RESPONSE_DEFECTS = {
  // The token response and its access token.
  "uev2-token-response-garbled": {
    title: "Users V2 token responses with an opaque non-JWT access_token, token_type MAC and an unrequested scope",
    requirements: ["UEV2-TOKEN-13", "UEV2-TOKEN-14", "UEV2-TOKEN-16"],
    hooks: {
      usersV2TokenResponse: (body: Claims): Claims => ({
        ...body,
        access_token: "opaque-access-token",
        token_type: "MAC",
        scope: `${String(body.scope ?? "")} openid`.trim(),
      }),
    },
  },
  "uev2-access-token-claims-other-client": {
    title: "Users V2 access tokens naming another client, issued in the future, with version 1 and a scope nobody asked for",
    requirements: ["UEV2-AT-02", "UEV2-AT-03", "UEV2-AT-04", "UEV2-AT-05", "UEV2-AT-07", "UEV2-AT-08", "UEV2-AT-10"],
    hooks: {
      usersV2AccessTokenClaims: (c: Claims): Claims => ({
        ...c,
        sub: OTHER_CLIENT,
        aud: OTHER_CLIENT,
        iat: Number(c.iat) + 3600,
        scope: `${String(c.scope ?? "")} openid`.trim(),
        version: 1,
        client_id: OTHER_CLIENT,
        requesting_system: OTHER_CLIENT,
      }),
    },
  },
  // The search: filter evaluation.
  "uev2-eq-matches-nothing": {
    title: "Users V2 eq matches no account, even for identical values",
    requirements: ["UEV2-FILTER-08"],
    hooks: { usersV2Matcher: () => () => false },
  },
  "uev2-and-as-or": {
    title: "Users V2 reads and as or",
    requirements: ["UEV2-FILTER-03"],
    hooks: {
      usersV2Matcher: () => (filter, record) =>
        filter.terms.some((t) => (t.attribute === "email" ? record.email === t.value : record.nhsNumber === t.value)),
    },
  },
  // The ListResponse envelope.
  "uev2-list-text-html": {
    title: "Users V2 search answers labelled text/html",
    requirements: ["UEV2-RESP-01"],
    hooks: { usersV2ResponseHeaders: (h: Record<string, string>) => ({ ...h, "content-type": "text/html; charset=utf-8" }) },
  },
  "uev2-list-schemas-wrong": {
    title: "Users V2 ListResponses naming the SCIM User schema instead of ListResponse",
    requirements: ["UEV2-RESP-02"],
    hooks: { usersV2ListResponse: (b: ListResponse) => ({ ...b, schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"] }) },
  },
  "uev2-list-total-string": {
    title: "Users V2 ListResponses with totalResults as a string",
    requirements: ["UEV2-RESP-03"],
    hooks: { usersV2ListResponse: (b: ListResponse) => ({ ...b, totalResults: String(b.totalResults) }) },
  },
  "uev2-list-resources-object": {
    title: "Users V2 ListResponses with Resources as an object",
    requirements: ["UEV2-RESP-05"],
    hooks: { usersV2ListResponse: (b: ListResponse) => ({ ...b, Resources: { count: b.totalResults } }) },
  },
  // Each User resource.
  "uev2-user-schemas-core-only": {
    title: "Users V2 User resources naming only the core User schema",
    requirements: ["UEV2-RESP-07"],
    hooks: { usersV2ListResponse: eachUser((u) => (u.schemas = ["urn:ietf:params:scim:schemas:core:2.0:User"])) },
  },
  "uev2-user-id-missing": {
    title: "Users V2 User resources without id",
    requirements: ["UEV2-RESP-08"],
    hooks: { usersV2ListResponse: eachUser((u) => delete u.id) },
  },
  "uev2-user-active-string": {
    title: 'Users V2 User resources with active "true" as a string',
    requirements: ["UEV2-RESP-09"],
    hooks: { usersV2ListResponse: eachUser((u) => (u.active = "true")) },
  },
  "uev2-user-proofing-missing": {
    title: "Users V2 User resources whose extension lacks vectorsOfTrust",
    requirements: ["UEV2-RESP-10"],
    hooks: { usersV2ListResponse: eachUser((_u, ext) => delete ext.vectorsOfTrust) },
  },
  "uev2-user-nhs-number-spaced": {
    title: "Users V2 User resources with the NHS number written in groups (999 001 0005)",
    requirements: ["UEV2-RESP-11"],
    hooks: { usersV2ListResponse: eachUser((_u, ext) => (ext.nhsNumber = "999 001 0005")) },
  },
  "uev2-user-gp-ods-code-empty": {
    title: "Users V2 User resources with an empty gpOdsCode",
    requirements: ["UEV2-RESP-12"],
    hooks: { usersV2ListResponse: eachUser((_u, ext) => (ext.gpOdsCode = "")) },
  },
  "uev2-user-gp-user-id-number": {
    title: "Users V2 User resources with gpUserId as a number",
    requirements: ["UEV2-RESP-13"],
    hooks: { usersV2ListResponse: eachUser((_u, ext) => (ext.gpUserId = 12345)) },
  },
  "uev2-user-family-name-empty": {
    title: "Users V2 User resources with an empty name.familyName",
    requirements: ["UEV2-RESP-14"],
    hooks: { usersV2ListResponse: eachUser((u) => (u.name = { ...(u.name as Claims | undefined), familyName: "" })) },
  },
  "uev2-user-email-not-an-address": {
    title: "Users V2 User resources whose emails hold a value that is no address",
    requirements: ["UEV2-RESP-15"],
    hooks: { usersV2ListResponse: eachUser((u) => (u.emails = [{ value: "not an address", type: "home", primary: true }])) },
  },
  "uev2-user-email-type-work": {
    title: "Users V2 User resources with emails of type work",
    requirements: ["UEV2-RESP-16"],
    hooks: { usersV2ListResponse: eachUser((u) => (u.emails = [{ value: "someone@example.org", type: "work", primary: true }])) },
  },
  "uev2-user-two-primary-emails": {
    title: "Users V2 User resources with two emails both marked primary",
    requirements: ["UEV2-RESP-17"],
    hooks: {
      usersV2ListResponse: eachUser(
        (u) =>
          (u.emails = [
            { value: "first@example.org", type: "home", primary: true },
            { value: "second@example.org", type: "home", primary: true },
          ]),
      ),
    },
  },
  "uev2-user-phone-type-cell": {
    title: "Users V2 User resources with a phone number of type cell",
    requirements: ["UEV2-RESP-18"],
    hooks: { usersV2ListResponse: eachUser((u) => (u.phoneNumbers = [{ type: "cell", value: "+447700900123" }])) },
  },
  "uev2-user-username-empty": {
    title: "Users V2 User resources with an empty userName",
    requirements: ["UEV2-RESP-19"],
    hooks: { usersV2ListResponse: eachUser((u) => (u.userName = "")) },
  },
  "uev2-user-null-title": {
    title: "Users V2 User resources with title sent as null",
    requirements: ["UEV2-RESP-20"],
    hooks: { usersV2ListResponse: eachUser((u) => (u.title = null)) },
  },
} as const satisfies Record<string, FaultEntry>;
