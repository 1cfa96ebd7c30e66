/**
 * The Users V2 consumer checks as data: the service looks people up through its lookup hook
 * (SERVICE_USERS_LOOKUP_URL) while the simulator answers, sometimes with a fault armed, and
 * records every token request and search. Skipped without the hook.
 */
import type { ServiceCheck } from "./service-check.ts";
import { lookup, LOOKUP_PERSON } from "./users-v2-scenarios.ts";
import {
  CONSUMER_TOKEN_IDS,
  consumerAssertionFindings,
  consumerJtiFindings,
  consumerScopeFindings,
  errorHandlingFindings,
  filterEncodingFindings,
  filterGrammarFindings,
  filterOperatorFindings,
  foundUsersFindings,
  inputRefusedFindings,
  notFoundFindings,
  opaqueTokenFindings,
  searchRequestFindings,
  severalUsersFindings,
  tokenExpiryFindings,
  tokenReuseFindings,
  tolerantReadingFindings,
  unauthorizedFindings,
} from "./users-v2-consumer.ts";

const AREA = "Users V2 consumer";
const NEEDS = ["users-lookup"] as const;

export const USERS_V2_CONSUMER_CHECKS: readonly ServiceCheck[] = [
  {
    key: "users-assertion",
    ids: CONSUMER_TOKEN_IDS,
    title: "the token request is a form POST of the jwt-bearer grant with an RS512 assertion for this client and the token endpoint",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => {
      const { tokenEndpoint } = await ctx.endpoints();
      return consumerAssertionFindings(await lookup(ctx, "nhs-number"), { clientId: ctx.target.clientId, tokenEndpoint });
    },
  },
  {
    key: "users-scope",
    ids: ["UEV2-TOKEN-04"],
    title: "the token request asks for the Users.retrieve scope and approved scopes only",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => consumerScopeFindings(await lookup(ctx, "nhs-number"), ctx.target.usersScopes ?? []),
  },
  {
    key: "users-assertion-jti",
    ids: ["UEV2-TOKEN-10"],
    title: "every assertion has its own jti",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => consumerJtiFindings((await lookup(ctx, "401")).all),
  },
  {
    key: "users-token-reuse",
    ids: ["UEV2-GEN-05"],
    title: "the access token is reused for searches while it is valid",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => tokenReuseFindings(await lookup(ctx, "reuse")),
  },
  {
    key: "users-token-expiry",
    ids: ["UEV2-TOKEN-15"],
    title: "a token is not presented after its expires_in has passed",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => tokenExpiryFindings(await lookup(ctx, "expiry")),
  },
  {
    key: "users-token-401",
    ids: ["UEV2-ERR-14"],
    title: "a 401 from /v2/Users gets one new token and one retry",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => unauthorizedFindings(await lookup(ctx, "401")),
  },
  {
    key: "users-search-request",
    ids: ["UEV2-REQ-01", "UEV2-REQ-02", "UEV2-GEN-03"],
    title: "searches are GET /v2/Users with one filter, the token in a Bearer header only, and no SCIM parameters",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => searchRequestFindings([await lookup(ctx, "nhs-number"), await lookup(ctx, "both")]),
  },
  {
    key: "users-filter-grammar",
    ids: ["UEV2-FILTER-01", "UEV2-FILTER-02", "UEV2-FILTER-03", "UEV2-FILTER-04", "UEV2-FILTER-05"],
    title: 'filters read nhsnumber/email eq "<value>" joined by and/or, values in ASCII double quotes',
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => filterGrammarFindings([await lookup(ctx, "nhs-number"), await lookup(ctx, "both")]),
  },
  {
    key: "users-filter-encoding",
    ids: ["UEV2-FILTER-12"],
    title: "the filter is URL-encoded: an email with + reaches NHS login unchanged",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => filterEncodingFindings(await lookup(ctx, "plus-email"), LOOKUP_PERSON.plusEmail),
  },
  {
    key: "users-filter-operators",
    ids: ["UEV2-FILTER-13"],
    title: "and/or are sent in lower case",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => filterOperatorFindings(await lookup(ctx, "both")),
  },
  {
    key: "users-nhs-number-check",
    ids: ["NHSNO-02"],
    title: "an NHS number with a wrong check digit is refused before it is sent",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) =>
      inputRefusedFindings(await lookup(ctx, "bad-nhs-number"), {
        requirements: ["NHSNO-02"],
        value: LOOKUP_PERSON.badNhsNumber,
        why: "wrong check digit",
        sent: "warning",
      }),
  },
  {
    key: "users-input-validation",
    ids: ["UEV2-FILTER-09", "NHSNO-01", "UEV2-FILTER-10"],
    title: "an NHS number that is not 10 digits and an email that is not an address are refused before they are sent",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => [
      ...inputRefusedFindings(await lookup(ctx, "short-nhs-number"), {
        requirements: ["UEV2-FILTER-09", "NHSNO-01"],
        value: LOOKUP_PERSON.shortNhsNumber,
        why: "not 10 digits",
        sent: "failed",
      }),
      ...inputRefusedFindings(await lookup(ctx, "bad-email"), {
        requirements: ["UEV2-FILTER-10"],
        value: LOOKUP_PERSON.badEmail,
        why: "not an email address",
        sent: "failed",
      }),
    ],
  },
  {
    key: "users-not-found",
    ids: ["UEV2-RESP-04"],
    title: "a search that matches nobody is read as not found, not as an error",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => notFoundFindings(await lookup(ctx, "nobody")),
  },
  {
    key: "users-found",
    ids: ["NHSNO-03"],
    title: "a found user keeps its NHS number as the same string",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => foundUsersFindings(await lookup(ctx, "nhs-number"), LOOKUP_PERSON.nhsNumber),
  },
  {
    key: "users-several",
    ids: ["UEV2-RESP-06"],
    title: "a ListResponse with two users gives two users",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => severalUsersFindings(await lookup(ctx, "several")),
  },
  {
    key: "users-tolerant-reading",
    ids: ["UEV2-RESP-21"],
    title: "unknown attributes are ignored and missing optional attributes tolerated",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => tolerantReadingFindings([await lookup(ctx, "unknown-attributes"), await lookup(ctx, "minimal")]),
  },
  {
    key: "users-error-400",
    ids: ["UEV2-ERR-15", "UEV2-ERR-01"],
    title: "a 400 is the caller's input: no retry, an input error",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) =>
      errorHandlingFindings(await lookup(ctx, "400"), { kind: "400", requirement: "UEV2-ERR-01", fault: "uev2-answer:invalidSyntax" }),
  },
  {
    key: "users-error-403",
    ids: ["UEV2-ERR-15"],
    title: "a 403 is configuration: no retry, a configuration error",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => errorHandlingFindings(await lookup(ctx, "403"), { kind: "403", fault: "uev2-answer:scopeRequired" }),
  },
  {
    key: "users-error-500",
    ids: ["UEV2-ERR-15", "UEV2-ERR-12"],
    title: "a 500 is retried a bounded number of times, then an error, never no match",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) =>
      errorHandlingFindings(await lookup(ctx, "500"), { kind: "500", requirement: "UEV2-ERR-12", fault: "uev2-answer:internal" }),
  },
  {
    key: "users-error-not-json",
    ids: ["UEV2-ERR-15"],
    title: "an answer that is not JSON is retried a bounded number of times, then an error",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => errorHandlingFindings(await lookup(ctx, "not-json"), { kind: "not-json", fault: "uev2-answer-not-json" }),
  },
  {
    key: "users-error-timeout",
    ids: ["UEV2-ERR-15"],
    title: "a search that times out is retried a bounded number of times, then an error, never no match",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => errorHandlingFindings(await lookup(ctx, "slow"), { kind: "timeout", fault: "uev2-answer-slow" }),
  },
  {
    key: "users-opaque-token",
    ids: ["UEV2-AT-13"],
    title: "an access token that is not a JWT is used as it is (treated as opaque)",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => opaqueTokenFindings(await lookup(ctx, "opaque")),
  },
  {
    key: "users-token-refused",
    ids: ["UEV2-ERR-15"],
    title: "a refused token request is configuration: no retry loop, a configuration error",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) =>
      errorHandlingFindings(await lookup(ctx, "token-refused"), { kind: "token-refused", fault: "uev2-token-invalid-client" }),
  },
];
