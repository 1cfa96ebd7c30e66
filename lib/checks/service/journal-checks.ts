/**
 * The checks a journal of recorded traffic allows (`npm run conformance -- --suite service
 * --journal <file>`), as data: the service was exercised by its team against `npm run simulator --
 * --journal <file>`, and the same rules as the driven checks judge every token request and
 * Users V2 search it made. What needs the harness to drive (faults, sign-in outcomes, error
 * handling, retries) cannot be judged from a journal; docs/checking-your-service.md lists both.
 *
 * @example
 * ```ts
 * // target.journal = { file, issuer, tokenEndpoint, usersScope, events }
 * for (const c of JOURNAL_CHECKS) await runCheck(c, ctx, serviceGate)
 * ```
 */
import { createPublicKey } from "node:crypto";
import { finding, type Finding } from "../../requirements/index.ts";
import type { SimulatorEvent } from "../../simulator/state.ts";
import type { ServiceCheck } from "./service-check.ts";
import type { ServiceContext } from "./service-context.ts";
import {
  assertionClaimFindings,
  assertionLifetimeFindings,
  assertionSignatureFindings,
  clientAuthMethodFindings,
  codeUseFindings,
  jtiFindings,
  tokenEvents,
  tokenRequestFindings,
  type TokenRequest,
} from "./client-authentication.ts";
import {
  CONSUMER_TOKEN_IDS,
  consumerAssertionFindings,
  consumerJtiFindings,
  consumerScopeFindings,
  filterGrammarFindings,
  filterOperatorFindings,
  searchRequestFindings,
  usersV2Observation,
  type UsersV2Observation,
} from "./users-v2-consumer.ts";
import {
  PA_BODY_IDS,
  PA_TOKEN_IDS,
  paBodyFindings,
  paRequestFindings,
  paTokenRequestFindings,
  provisionObservation,
  type ProvisionObservation,
} from "./provision-account-consumer.ts";

const AREA = "Recorded traffic (journal)";
const NEEDS = ["journal"] as const;
const FEDERATION_GRANTS = new Set(["authorization_code", "refresh_token"]);

/** The journal's requests, sorted by what they were. */
interface Recorded {
  events: SimulatorEvent[];
  /** Code and refresh grants (and any readable request that is not the jwt-bearer grant). */
  federation: TokenRequest[];
  /** Every other token request whose form the simulator could read (the jwt-bearer grant, or a misspelt one). */
  users: TokenRequest[];
  /** Token requests whose form could not be read (not form-encoded): no grant can be told. */
  unreadable: TokenRequest[];
  /** Provision Account token requests (the client_credentials grant). */
  provision: TokenRequest[];
  tokenEndpoint: string;
}

function recorded(ctx: ServiceContext): Recorded {
  const j = ctx.target.journal!;
  const all = tokenEvents(j.events);
  const readable = (r: TokenRequest) => Object.keys(r.params).length > 0;
  // The jwt-bearer grant (or a misspelling of it) or an `assertion`: Users V2. Any other readable request: a code or refresh grant.
  const isUsers = (r: TokenRequest) =>
    !FEDERATION_GRANTS.has(r.params.grant_type ?? "") && (/jwt-bearer/.test(r.params.grant_type ?? "") || r.params.assertion !== undefined);
  const isProvision = (r: TokenRequest) => r.params.grant_type === "client_credentials";
  return {
    events: j.events,
    federation: all.filter((r) => readable(r) && !isUsers(r) && !isProvision(r)),
    provision: all.filter(isProvision),
    users: all.filter((r) => readable(r) && isUsers(r)),
    unreadable: all.filter((r) => !readable(r)),
    tokenEndpoint: j.tokenEndpoint,
  };
}

const when = (at: number) => new Date(at * 1000).toISOString();
const label = (r: TokenRequest) => `token request at ${when(r.at)}`;

/**
 * The findings of a rule run on each request, one verdict per ID: every finding that is not a
 * pass is kept (each names its request), and an ID with passes only keeps one, counting them.
 */
function perRequest(requests: readonly TokenRequest[], ids: readonly string[], rule: (r: TokenRequest) => Finding[], what: string) {
  if (requests.length === 0) return ids.map((id) => finding(id, "inconclusive", `the journal holds no ${what}`));
  const all = requests.flatMap((r) => rule(r).map((f) => ({ ...f, message: `${label(r)}: ${f.message}` })));
  return ids.flatMap((id) => {
    const mine = all.filter((f) => f.requirement === id);
    const flagged = mine.filter((f) => f.status !== "passed");
    if (flagged.length > 0) return flagged;
    const first = mine[0];
    return first ? [{ ...first, message: `${requests.length} ${what}(s) in the journal; the first, ${first.message}` }] : [];
  });
}

/** All Users V2 traffic of the journal as one observation, for the rules that read searches. */
function usersObservation(r: Recorded): UsersV2Observation {
  return usersV2Observation(r.events, [], "the journal");
}

const single = (r: TokenRequest): UsersV2Observation => ({ label: label(r), answers: [], tokenRequests: [r], searches: [] });

/**
 * A Provision Account rule on the journal, for a service that provisions (SERVICE_ODS_CODE is
 * set); for any other, its IDs are skipped as not applicable.
 */
function provisioning(ctx: ServiceContext, ids: readonly string[], rule: (r: Recorded) => Finding[]): Finding[] {
  if (!ctx.target.odsCode)
    return ids.map((id) =>
      finding(id, "skipped", "not applicable: SERVICE_ODS_CODE is not set, so the journal is not judged as a Provision Account consumer's"),
    );
  return rule(recorded(ctx));
}

/** All Provision Account traffic of the journal as one observation. */
function provisionTraffic(r: Recorded): ProvisionObservation {
  return provisionObservation(r.events, [], "the journal");
}

/** The redirect_uri of the last authorization request before `req` (what its code was issued for). */
function authorizeRedirectBefore(events: readonly SimulatorEvent[], req: TokenRequest): string | undefined {
  const before = events.filter((e) => e.type === "authorize" && e.at <= req.at);
  const params = before.at(-1)?.detail.params as Record<string, unknown> | undefined;
  return typeof params?.redirect_uri === "string" ? params.redirect_uri : undefined;
}

export const JOURNAL_CHECKS: readonly ServiceCheck[] = [
  {
    key: "journal-users-assertion",
    ids: CONSUMER_TOKEN_IDS,
    title: "recorded: Users V2 token requests are form POSTs of the jwt-bearer grant with an RS512 assertion for this client",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => {
      const r = recorded(ctx);
      const ids = CONSUMER_TOKEN_IDS;
      return perRequest(
        [...r.users, ...r.unreadable],
        ids,
        (req) => consumerAssertionFindings(single(req), { clientId: ctx.target.clientId, tokenEndpoint: r.tokenEndpoint }),
        "Users V2 token request",
      );
    },
  },
  {
    key: "journal-users-scope",
    ids: ["UEV2-TOKEN-04"],
    title: "recorded: Users V2 token requests ask for Users.retrieve and approved scopes only",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) =>
      perRequest(
        recorded(ctx).users,
        ["UEV2-TOKEN-04"],
        (req) => consumerScopeFindings(single(req), ctx.target.usersScopes ?? []),
        "Users V2 token request",
      ),
  },
  {
    key: "journal-users-jti",
    ids: ["UEV2-TOKEN-10"],
    title: "recorded: every Users V2 assertion has its own jti",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => consumerJtiFindings({ ...usersObservation(recorded(ctx)), tokenRequests: recorded(ctx).users }),
  },
  {
    key: "journal-users-search-request",
    ids: ["UEV2-REQ-01", "UEV2-REQ-02", "UEV2-GEN-03"],
    title: "recorded: searches are GET /v2/Users with one filter, the token in a Bearer header only, and no SCIM parameters",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => searchRequestFindings([usersObservation(recorded(ctx))]),
  },
  {
    key: "journal-users-filter-grammar",
    ids: ["UEV2-FILTER-01", "UEV2-FILTER-02", "UEV2-FILTER-03", "UEV2-FILTER-04", "UEV2-FILTER-05"],
    title: 'recorded: filters read nhsnumber/email eq "<value>" joined by and/or, values in ASCII double quotes',
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => filterGrammarFindings([usersObservation(recorded(ctx))]),
  },
  {
    key: "journal-users-filter-operators",
    ids: ["UEV2-FILTER-13"],
    title: "recorded: and/or are sent in lower case",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => filterOperatorFindings(usersObservation(recorded(ctx))),
  },
  {
    key: "journal-pa-token-request",
    ids: PA_TOKEN_IDS,
    title: "recorded: Provision Account token requests are form POSTs of client_credentials with an RS512 assertion for this client",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) =>
      provisioning(ctx, PA_TOKEN_IDS, (r) =>
        perRequest(
          r.provision,
          PA_TOKEN_IDS,
          (req) =>
            paTokenRequestFindings(
              { label: label(req), answers: [], tokenRequests: [req], calls: [] },
              { clientId: ctx.target.clientId, tokenEndpoint: r.tokenEndpoint },
            ),
          "Provision Account token request",
        ),
      ),
  },
  {
    key: "journal-pa-request",
    ids: ["PA-05"],
    title: "recorded: provisioning requests are POST /provision-account with a Bearer token and a JSON body",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => provisioning(ctx, ["PA-05"], (r) => paRequestFindings([provisionTraffic(r)])),
  },
  {
    key: "journal-pa-body",
    ids: PA_BODY_IDS,
    title: "recorded: every provisioning body has T7's fields in their formats, with the organisation's ODS code",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => provisioning(ctx, PA_BODY_IDS, (r) => paBodyFindings([provisionTraffic(r)], ctx.target.odsCode)),
  },
  {
    key: "journal-token-request",
    ids: ["FED-TOKEN-01", "FED-TOKEN-02", "FED-TOKEN-03", "FED-TOKEN-04", "FED-TOKEN-15"],
    title: "recorded: code exchanges are form POSTs with grant_type, code and the authorization request's redirect_uri",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => {
      const r = recorded(ctx);
      const codeGrants = r.federation.filter((q) => q.params.grant_type !== "refresh_token");
      return perRequest(
        [...codeGrants, ...r.unreadable],
        ["FED-TOKEN-01", "FED-TOKEN-02", "FED-TOKEN-03", "FED-TOKEN-04", "FED-TOKEN-15"],
        (q) => tokenRequestFindings(q, authorizeRedirectBefore(r.events, q)),
        "code exchange",
      );
    },
  },
  {
    key: "journal-client-auth-method",
    ids: ["FED-REG-07", "FED-TOKEN-06", "FED-TOKEN-14", "FED-TOKEN-05"],
    title: "recorded: the client authenticates with private_key_jwt only",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) =>
      perRequest(
        recorded(ctx).federation,
        ["FED-REG-07", "FED-TOKEN-06", "FED-TOKEN-14", "FED-TOKEN-05"],
        (q) => clientAuthMethodFindings(q, ctx.target.clientId),
        "federation token request",
      ),
  },
  {
    key: "journal-assertion-signature",
    ids: ["FED-TOKEN-11", "KEY-01"],
    title: "recorded: client assertions are RS512, typ JWT, signed by the registered RSA 2048 key",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) =>
      perRequest(
        recorded(ctx).federation,
        ["FED-TOKEN-11", "KEY-01"],
        (q) => assertionSignatureFindings(q, createPublicKey(ctx.target.publicKeyPem)),
        "federation token request",
      ),
  },
  {
    key: "journal-assertion-claims",
    ids: ["FED-TOKEN-07", "FED-TOKEN-08"],
    title: "recorded: client assertions have iss = sub = client_id and aud the token endpoint",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => {
      const r = recorded(ctx);
      return perRequest(
        r.federation,
        ["FED-TOKEN-07", "FED-TOKEN-08"],
        (q) => assertionClaimFindings(q, ctx.target.clientId, r.tokenEndpoint),
        "federation token request",
      );
    },
  },
  {
    key: "journal-assertion-lifetime",
    ids: ["FED-TOKEN-09", "FED-TOKEN-12"],
    title: "recorded: client assertions expire at most 5 minutes after use and iat is not in the future",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) =>
      perRequest(recorded(ctx).federation, ["FED-TOKEN-09", "FED-TOKEN-12"], assertionLifetimeFindings, "federation token request"),
  },
  {
    key: "journal-assertion-jti",
    ids: ["FED-TOKEN-10"],
    title: "recorded: every client assertion has its own jti",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => {
      const reqs = recorded(ctx).federation;
      if (reqs.length < 2)
        return [finding("FED-TOKEN-10", "inconclusive", `the journal holds ${reqs.length} federation token request(s); two are needed`)];
      return jtiFindings(reqs);
    },
  },
  {
    key: "journal-code-single-use",
    ids: ["FED-ARESP-04"],
    title: "recorded: each authorization code is redeemed once",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => codeUseFindings(recorded(ctx).federation),
  },
];
