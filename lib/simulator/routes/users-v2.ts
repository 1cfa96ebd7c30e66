/**
 * GET /v2/Users?filter=... (UEV2 §3.3; UEV2-GEN-02, UEV2-REQ-*, UEV2-FILTER-*, UEV2-RESP-*,
 * UEV2-SCOPE-*, UEV2-ERR-*). Read-only: other methods on /v2/Users answer 405 with `Allow: GET`,
 * and any other /v2 resource (Groups, Schemas, ResourceTypes, Bulk, Users/{id}) answers 404.
 *
 * A request is checked in this order, the first failure answering:
 *
 * 1. Bearer token in the Authorization header (RFC 6750): missing, malformed, bad signature,
 *    expired, revoked or not a Users V2 token → 401 with `WWW-Authenticate: Bearer ...`
 *    (not in Table 10; catalogue UEV2-ERR-14). The body uses the T9 envelope with code "401".
 * 2. Scopes, 403 with the Table 10 texts: nothing granted and nothing asked → "No scope was present
 *    in the request"; nothing granted but something asked → "Requested scopes: ... did not match
 *    the clients approved scopes: ..."; no Users.retrieve → `Scope "<Users.retrieve>" required ...`;
 *    another optional scope without `profile` → `Scope "profile" required ...` (catalogue A29).
 * 3. The filter, read from the raw query string (`+` is a space, percent-decoding must be valid
 *    UTF-8, else "Invalid syntax"): absent → `Query string "filter" not present`; present twice, or
 *    present but empty → "Invalid syntax"; then {@link parseFilter}. Other parameters (SCIM
 *    `attributes`, `count`, ...) are ignored (UEV2-GEN-03) and recorded.
 *
 * Matches are searched among the simulator's personas and answered as a SCIM ListResponse
 * (`application/scim+json`), `Resources: []` when nothing matches. Defects change it at the
 * `usersV2*` hook points (lib/simulator/hooks/hook-points.ts): writes, anonymous access, scope
 * enforcement, the expression limit, the filter reading, the no-match answer, the released
 * scopes, the error texts, the ListResponse body and its headers, the SCIM `attributes`
 * parameter (ignored) and a server error (none: a 500 here is only a defect's, or a bug's, and
 * then the body is T10 row 12's `{"error": "Internal server error"}`).
 *
 * @example
 * ```ts
 * registerUsersV2(app, ctx)
 * // GET /v2/Users?filter=nhsnumber%20eq%20%229990010005%22  Authorization: Bearer <token from the jwt-bearer grant>
 * // 200 {"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":1,"Resources":[...]}
 * ```
 */
import { holdAnswer } from "./hold-answer.ts";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { authenticateBearer, describeAuthorization } from "../tokens/authenticate-bearer.ts";
import type { SimulatorContext } from "../context.ts";
import type { AccessTokenRecord } from "../state.ts";
import { OAuthError, UsersV2Error } from "../errors.ts";
import { FilterError } from "../../errors/index.ts";
import { buildUserResource, type ScimUser } from "../users-v2/user-resource.ts";
import { applyHook } from "../hooks/apply-hook.ts";
import {
  matchesFilter,
  parseFilter,
  scopeRequiredDescription,
  scopesNotApprovedDescription,
  USERS_V2_ERRORS,
} from "../../nhs/scim-filter/index.ts";
import { LIST_RESPONSE_SCHEMA, SCIM_USER_SCHEMA } from "../../nhs/constants.ts";

const SCIM_JSON = "application/scim+json; charset=utf-8";

export function registerUsersV2(app: FastifyInstance, ctx: SimulatorContext): void {
  app.get("/v2/Users", (req, reply) => search(ctx, req, reply));
  // Static routes win over the wildcard, so this sees every other method on /v2/Users and every other /v2 path.
  app.all("/v2/*", async (req, reply) => {
    const path = req.url.split("?")[0] ?? "";
    const status = path === "/v2/Users" ? 405 : 404;
    ctx.record({
      type: "users-v2",
      detail: { method: req.method, path, status, authorization: describeAuthorization(req.headers.authorization) },
    });
    if (status === 405 && req.method === "POST" && applyHook(ctx, "usersV2Writes", "refuse") === "accept") {
      return reply
        .code(201)
        .type(SCIM_JSON)
        .send({ schemas: [SCIM_USER_SCHEMA], id: "created-by-defect" });
    }
    if (status === 405) {
      return reply
        .code(405)
        .header("allow", "GET")
        .send({ Errors: [{ description: "Method not allowed", code: "405" }] });
    }
    return reply.code(404).send({ Errors: [{ description: "Resource not found", code: "404" }] });
  });
}

async function search(ctx: SimulatorContext, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const at = req.url.indexOf("?");
  // What the consumer sent, as sent: the raw query (its encoding is judged) and the shape of its
  // Authorization header (never the token itself).
  const query = readQuery(req.url);
  const detail: Record<string, unknown> = {
    method: req.method,
    path: "/v2/Users",
    // A token sent in the query (RFC 6750 §2.3, not allowed here) is not kept.
    rawQuery: at < 0 ? "" : withoutTokens(req.url.slice(at + 1)),
    authorization: describeAuthorization(req.headers.authorization),
    queryParams: query.names,
  };
  if (query.filters.length > 0) detail.filter = query.filters.length === 1 ? query.filters[0] : query.filters;
  let clientId: string | undefined;
  let recorded = false;
  try {
    const token = await authenticate(ctx, req.headers.authorization);
    clientId = token.clientId;
    const granted = token.grantedScopes ?? [];
    Object.assign(detail, { requestedScopes: token.requestedScopes ?? [], grantedScopes: granted });
    const taken = token.clientId === "<anonymous>" ? { faults: [] } : await ctx.ops.takeCallFaults(token.clientId, "search");
    const { faults } = taken;
    if (faults.length > 0) detail.faults = faults;
    await holdAnswer(ctx, "users-v2", taken, (delay) => {
      // Recorded when it arrives: a consumer that gives up waiting has still made this search, and
      // an answer sent after the scenario ended must not land in the next one's log.
      recorded = true;
      ctx.record({ type: "users-v2", clientId: token.clientId, detail: { ...detail, delayedMs: delay, status: "answered late" } });
    });
    const answer = applyHook(
      ctx,
      "usersV2SearchAnswer",
      undefined,
      {
        usersScope: ctx.usersScope,
        requested: token.requestedScopes ?? [],
        approved: ctx.clients.get(token.clientId)?.usersV2Scopes ?? [],
      },
      faults,
    );
    if (answer) {
      if (answer.revokeToken && token.jti !== undefined) await ctx.ops.revokeAccessToken(token.jti);
      Object.assign(detail, { status: answer.status, answeredByFault: true });
      reply.code(answer.status).headers(answer.headers ?? {});
      return typeof answer.body === "string" ? reply.send(answer.body) : reply.type(SCIM_JSON).send(JSON.stringify(answer.body));
    }
    checkScopes(ctx, token);

    if (query.filters.length === 0) throw new FilterError(USERS_V2_ERRORS.filterMissing.description);
    if (query.filters.length > 1 || query.malformed) throw new FilterError(USERS_V2_ERRORS.invalidSyntax.description);

    const serverError = applyHook(ctx, "usersV2ServerError", undefined, { filter: query.filters[0]! });
    if (serverError !== undefined) {
      detail.status = 500;
      return reply.code(500).type("application/json; charset=utf-8").send(JSON.stringify(serverError));
    }

    const filter = parseFilter(query.filters[0]!, {
      maxExpressions: applyHook(ctx, "usersV2MaxExpressions", undefined),
    });
    const matches = applyHook(ctx, "usersV2Matcher", matchesFilter);
    const found = applyHook(
      ctx,
      "usersV2Found",
      ctx.personas.filter((p) => matches(filter, { nhsNumber: p.nhsNumber, email: p.email })),
      { personas: ctx.personas },
      faults,
    );
    Object.assign(detail, { status: 200, totalResults: found.length, matched: found.map((p) => p.id) });
    if (found.length === 0 && applyHook(ctx, "usersV2NoMatch", "empty-list") === "not-found") {
      return reply.code(404).send({ Errors: [{ description: "User not found", code: "404" }] });
    }
    const released = applyHook(ctx, "usersV2ReleasedScopes", granted, { usersScope: ctx.usersScope });
    const body = {
      schemas: [LIST_RESPONSE_SCHEMA],
      totalResults: found.length,
      Resources: found.map((p) =>
        applyHook(ctx, "usersV2UserResource", { ...narrowed(buildUserResource(p, released), ctx, query.attributes) }, undefined, faults),
      ),
    };
    return reply
      .code(200)
      .headers(applyHook(ctx, "usersV2ResponseHeaders", { "content-type": SCIM_JSON }))
      .send(JSON.stringify(applyHook(ctx, "usersV2ListResponse", body, { found })));
  } catch (caught) {
    let err = caught;
    if (err instanceof FilterError) err = new UsersV2Error(400, err.description);
    if (err instanceof UsersV2Error) {
      const description = applyHook(ctx, "usersV2ErrorDescription", err.description);
      Object.assign(detail, { status: err.status, description });
      // Rendered by the global error handler as {"Errors":[{"description","code"}]}.
      throw new UsersV2Error(err.status, description);
    }
    if (err instanceof OAuthError && err.status === 401) {
      Object.assign(detail, { status: 401, description: err.description });
      return reply
        .code(401)
        .header("www-authenticate", err.headers["www-authenticate"] ?? 'Bearer realm="users-v2"')
        .send({ Errors: [{ description: err.description, code: "401" }] });
    }
    detail.status = 500;
    throw err;
  } finally {
    if (!recorded) ctx.record({ type: "users-v2", ...(clientId ? { clientId } : {}), detail });
  }
}

/** The raw query with the value of any parameter whose decoded name is access_token (any case) removed. */
function withoutTokens(rawQuery: string): string {
  return rawQuery
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const name = decode(eq < 0 ? pair : pair.slice(0, eq));
      return name?.toLowerCase() === "access_token" ? `${pair.slice(0, eq < 0 ? pair.length : eq)}=<removed>` : pair;
    })
    .join("&");
}

/** The Users V2 access token behind the Authorization header, or an OAuthError with status 401. */
async function authenticate(ctx: SimulatorContext, header: string | undefined): Promise<AccessTokenRecord & { jti?: string }> {
  if (header === undefined && applyHook(ctx, "usersV2Anonymous", "refuse") === "serve") {
    // The defect: an anonymous request is served as if it held a Users.retrieve token.
    return {
      kind: "users-v2",
      clientId: "<anonymous>",
      expiresAt: ctx.now() + 300,
      requestedScopes: [ctx.usersScope],
      grantedScopes: [ctx.usersScope],
    };
  }
  return authenticateBearer(ctx, header, { kind: "users-v2", realm: "users-v2" });
}

/** Table 10 rows 9 to 11, in that order. */
function checkScopes(ctx: SimulatorContext, token: AccessTokenRecord): void {
  const requested = token.requestedScopes ?? [];
  const granted = token.grantedScopes ?? [];
  if (granted.length === 0) {
    if (requested.length === 0) throw new UsersV2Error(403, USERS_V2_ERRORS.noScope.description);
    const approved = ctx.clients.get(token.clientId)?.usersV2Scopes ?? [];
    throw new UsersV2Error(403, scopesNotApprovedDescription(requested, approved));
  }
  if (applyHook(ctx, "usersV2ScopeEnforcement", "enforce") === "skip") return;
  if (!granted.includes(ctx.usersScope)) throw new UsersV2Error(403, scopeRequiredDescription(ctx.usersScope));
  if (!granted.includes("profile") && granted.some((s) => s !== ctx.usersScope)) {
    throw new UsersV2Error(403, scopeRequiredDescription("profile"));
  }
}

/**
 * The resource as it is sent: unchanged, since T14 scopes alone decide the attributes (UEV2-GEN-03);
 * under the `usersV2AttributesParameter` defect, cut to the SCIM `attributes` listed (plus schemas and id).
 */
function narrowed(user: ScimUser, ctx: SimulatorContext, attributes: readonly string[]): ScimUser | Record<string, unknown> {
  if (attributes.length === 0 || applyHook(ctx, "usersV2AttributesParameter", "ignore") === "ignore") return user;
  const keep = new Set(["schemas", "id", ...attributes.flatMap((a) => a.split(",")).map((a) => a.trim().split(".")[0]!)]);
  return Object.fromEntries(Object.entries(user).filter(([k]) => keep.has(k)));
}

interface QueryFilters {
  /** Every decoded `filter` value, in order. */
  filters: string[];
  /** Every decoded SCIM `attributes` value, in order (ignored unless a defect honours them). */
  attributes: string[];
  /** Decoded names of all parameters. */
  names: string[];
  /** A `filter` value was not valid percent-encoded UTF-8. */
  malformed: boolean;
}

/** Read `filter` from the raw request target, independent of the framework's query parser. */
function readQuery(url: string): QueryFilters {
  const at = url.indexOf("?");
  const out: QueryFilters = { filters: [], attributes: [], names: [], malformed: false };
  if (at < 0) return out;
  for (const pair of url.slice(at + 1).split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    out.names.push(name ?? "<malformed>");
    if (name === "attributes") out.attributes.push(decode(eq < 0 ? "" : pair.slice(eq + 1)) ?? "");
    if (name !== "filter") continue;
    const value = decode(eq < 0 ? "" : pair.slice(eq + 1));
    if (value === undefined) out.malformed = true;
    out.filters.push(value ?? "");
  }
  return out;
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}
