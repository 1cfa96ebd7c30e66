/**
 * POST /provision-account (PA §3.3; PA-05..21): create or uplift an NHS login account for a
 * person the client's organisation has verified. Other methods answer 405 with `Allow: POST`.
 *
 * A request is checked in this order, the first failure answering:
 *
 * 1. Bearer token (RFC 6750) from the client_credentials grant: missing, malformed, expired or
 *    not a Provision Account token → 401 with `WWW-Authenticate: Bearer ...`.
 * 2. Faults armed for this call (lib/simulator/provision-account/consumer-faults.ts): a delay,
 *    or an answer instead of provisioning.
 * 3. The body: JSON with T7's five fields by {@link checkProvisionBody} (a real ISO date, a valid
 *    NHS number, an E.164 mobile, an email, an ODS code) → 11010. A mobile outside the UK is
 *    accepted.
 * 4. The ODS code is one the client is registered for → else 11021.
 * 5. The person (by NHS number) among the simulator's personas: already P9 → 11005.
 * 6. The email belongs to another persona → 11004.
 * 7. A request accepted for the same NHS number in the last 7 days → 11003.
 *
 * Otherwise the request is remembered (for 7.) and answered 200 `{code: "uplift"}` for a persona
 * below P9, `{code: "create"}` for anybody else. Errors are 400 `{code, description}` (T10, T11).
 * Defects switch rules off (`paRules`) or change the bodies (`paSuccessBody`, `paErrorBody`).
 *
 * @example
 * ```ts
 * registerProvisionAccount(app, ctx)
 * // POST /provision-account  Authorization: Bearer <token>  {"nhs_number":"9990010013", ...}
 * // 200 {"code":"uplift","description":"User able to uplift an existing account"}
 * ```
 */
import { holdAnswer } from "./hold-answer.ts";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { SimulatorContext } from "../context.ts";
import { OAuthError, ProvisionAccountError } from "../errors.ts";
import { applyHook } from "../hooks/apply-hook.ts";
import { authenticateBearer, describeAuthorization } from "../tokens/authenticate-bearer.ts";
import { isUnparsedBody, mediaTypeOf } from "./params.ts";
import { isValidNhsNumber } from "../../nhs/nhs-number.ts";
import {
  checkProvisionBody,
  PA_BODY_FIELDS,
  PA_ERRORS,
  PA_PENDING_SECONDS,
  PA_SUCCESS,
  PROVISION_ACCOUNT_PATH,
  type PaErrorCode,
} from "../../nhs/provision-account/index.ts";

const REALM = "provision-account";

export function registerProvisionAccount(app: FastifyInstance, ctx: SimulatorContext): void {
  app.post(PROVISION_ACCOUNT_PATH, { errorHandler: (err, req, reply) => parseError(ctx, req, reply, err) }, (req, reply) =>
    provision(ctx, req, reply),
  );
  app.route({
    method: ["GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"],
    url: PROVISION_ACCOUNT_PATH,
    handler: async (req, reply) => {
      ctx.record({ type: "provision-account", detail: { method: req.method, path: PROVISION_ACCOUNT_PATH, status: 405 } });
      return reply.code(405).header("allow", "POST").send({ code: "405", description: "Method not allowed" });
    },
  });
}

/**
 * What the event log keeps of a body: whether it is a JSON object, the names of any fields beyond
 * T7's, the rules it breaks (checkProvisionBody, the same rules the checks apply), and T7's fields as
 * sent when they are test data (an NHS number in the 999 test range, or none that is valid). A body
 * naming any other NHS number may be a real person's: its values are kept masked, and its problems
 * name the field only.
 */
function describeBody(req: FastifyRequest, now: number): Record<string, unknown> {
  const body = req.body;
  const json = mediaTypeOf(req.headers["content-type"]) === "application/json";
  if (body === null || typeof body !== "object" || Array.isArray(body) || isUnparsedBody(body)) return { json: false };
  const b = body as Record<string, unknown>;
  const fields = Object.fromEntries(Object.keys(PA_BODY_FIELDS).flatMap((k) => (k in b ? [[k, b[k]]] : [])));
  const others = Object.keys(b).filter((k) => !(k in PA_BODY_FIELDS));
  const testData = typeof b.nhs_number !== "string" || b.nhs_number.startsWith("999") || !isValidNhsNumber(b.nhs_number);
  const problems = checkProvisionBody(b, now * 1000).map((p) => ({
    field: p.field,
    requirement: p.requirement,
    status: p.status,
    problem: testData ? p.problem : `${p.field} breaks PA Table 7 (value not kept: not test data)`,
  }));
  return {
    json,
    fields: testData ? fields : Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, k === "ods_code" ? v : mask(v)])),
    ...(testData ? {} : { masked: true }),
    problems,
    ...(others.length > 0 ? { otherFields: others } : {}),
  };
}

/** A value's shape without its content: digits as 9, letters as x (e.g. "+449999999999", "xxxx@xxxxxxx.xxx"). */
function mask(v: unknown): unknown {
  return typeof v === "string" ? v.replace(/[0-9]/g, "9").replace(/[A-Za-z]/g, "x") : v;
}

/** What every provisioning event records of the request. */
function baseDetail(req: FastifyRequest, body: Record<string, unknown>): Record<string, unknown> {
  return {
    method: req.method,
    path: PROVISION_ACCOUNT_PATH,
    contentType: mediaTypeOf(req.headers["content-type"]),
    authorization: describeAuthorization(req.headers.authorization),
    body,
    atMs: Date.now(),
  };
}

async function provision(ctx: SimulatorContext, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const detail = baseDetail(req, describeBody(req, ctx.now()));
  let clientId: string | undefined;
  let recorded = false;
  try {
    const token = await authenticate(ctx, req);
    clientId = token.clientId;
    const taken = await ctx.ops.takeCallFaults(token.clientId, "provision");
    const { faults } = taken;
    if (faults.length > 0) detail.faults = faults;
    await holdAnswer(ctx, "provision-account", taken, (delay) => {
      // Recorded on arrival: a consumer that gives up waiting has still made this request.
      recorded = true;
      ctx.record({ type: "provision-account", clientId, detail: { ...detail, delayedMs: delay, status: "answered late" } });
    });
    const answer = applyHook(ctx, "paAnswer", undefined, undefined, faults);
    if (answer) {
      const code = (answer.body as { code?: unknown } | undefined)?.code;
      Object.assign(detail, { status: answer.status, answeredByFault: true, ...(typeof code === "string" ? { code } : {}) });
      return reply
        .code(answer.status)
        .headers(answer.headers ?? {})
        .type("application/json")
        .send(JSON.stringify(answer.body));
    }
    const outcome = await decide(ctx, token.clientId, req);
    const body = applyHook(ctx, "paSuccessBody", { code: outcome, description: PA_SUCCESS[outcome] });
    Object.assign(detail, { status: 200, code: body.code });
    return reply.code(200).type("application/json").send(JSON.stringify(body));
  } catch (err) {
    if (err instanceof ProvisionAccountError) return sendPaError(ctx, reply, err, detail);
    if (err instanceof OAuthError && err.status === 401) return sendUnauthorized(reply, err, detail);
    detail.status = 500;
    throw err;
  } finally {
    if (!recorded) ctx.record({ type: "provision-account", ...(clientId ? { clientId } : {}), detail });
  }
}

/**
 * The Provision Account token of the request. A token this simulator signed for a Provision Account
 * client (`sub` = `aud` = the client, no `scope`: not a Users V2 token) stays valid until its `exp`
 * even when the simulator's stores were reset between scenarios: NHS login does not forget tokens,
 * so a consumer that keeps its token (PA-03) must not be refused for it.
 */
function authenticate(ctx: SimulatorContext, req: FastifyRequest) {
  return authenticateBearer(ctx, req.headers.authorization, {
    kind: "provision-account",
    realm: REALM,
    recover: (p) =>
      typeof p.sub === "string" && p.aud === p.sub && p.scope === undefined && (ctx.clients.get(p.sub)?.paOdsCodes.length ?? 0) > 0
        ? { kind: "provision-account", clientId: p.sub, expiresAt: Number(p.exp) }
        : undefined,
  });
}

/** The rules of T11, in order; returns the success code or throws the refusal. */
async function decide(ctx: SimulatorContext, clientId: string, req: FastifyRequest): Promise<"create" | "uplift"> {
  const rules = applyHook(ctx, "paRules", { body: true, odsCode: true, alreadyP9: true, emailInUse: true, pending: true });
  const refuse = (code: PaErrorCode, reason: string): never => {
    throw new ProvisionAccountError(code, PA_ERRORS[code].description, reason);
  };
  const json = mediaTypeOf(req.headers["content-type"]) === "application/json" && !isUnparsedBody(req.body);
  if (!json && rules.body) refuse("11010", "the body is not application/json");
  const body = (json && req.body !== null && typeof req.body === "object" ? req.body : {}) as Record<string, unknown>;
  const problems = checkProvisionBody(body, ctx.now() * 1000).filter((p) => p.status === "failed");
  if (problems.length > 0 && rules.body) refuse("11010", `breaks PA Table 7: ${problems.map((p) => p.field).join(", ")}`);
  const nhsNumber = String(body.nhs_number ?? "");
  const email = String(body.email_address ?? "").toLowerCase();
  const client = ctx.clients.get(clientId);
  if (rules.odsCode && !client?.paOdsCodes.includes(String(body.ods_code)))
    refuse("11021", `ODS code ${JSON.stringify(body.ods_code)} is not one this client provisions for`);
  const person = ctx.personas.find((p) => p.nhsNumber !== undefined && p.nhsNumber === nhsNumber);
  if (rules.alreadyP9 && person?.proofing === "P9") refuse("11005", `the NHS number is persona ${person.id}'s, already P9`);
  const owner = ctx.personas.find((p) => p.email.toLowerCase() === email && p !== person);
  if (rules.emailInUse && owner) refuse("11004", `the email is persona ${owner.id}'s`);
  const now = ctx.now();
  // Stamped only when accepted, in one operation: of two requests at once, one is the first.
  const earlier = await ctx.ops.stampUnlessWithin("provisionRequests", nhsNumber, now, rules.pending ? PA_PENDING_SECONDS : 0);
  if (rules.pending && earlier !== undefined && now - earlier < PA_PENDING_SECONDS)
    refuse("11003", `a request for the same NHS number was accepted ${now - earlier} s ago`);
  return person ? "uplift" : "create";
}

/** A refused bearer token: 401 with the RFC 6750 challenge and an OAuth error body. */
function sendUnauthorized(reply: FastifyReply, err: OAuthError, detail: Record<string, unknown>): FastifyReply {
  Object.assign(detail, { status: 401, reason: err.description });
  return reply
    .code(401)
    .headers(err.headers)
    .type("application/json")
    .send(JSON.stringify({ error: err.error, error_description: err.description }));
}

function sendPaError(ctx: SimulatorContext, reply: FastifyReply, err: ProvisionAccountError, detail: Record<string, unknown>) {
  Object.assign(detail, { status: 400, code: err.paCode, ...(err.reason ? { reason: err.reason } : {}) });
  const body = applyHook(ctx, "paErrorBody", { code: err.paCode, description: err.description });
  return reply.code(400).type("application/json").send(JSON.stringify(body));
}

/**
 * A body Fastify could not read (bad JSON, too large): the bearer token is checked first, as for
 * any request (401), then 11010; recorded like any request.
 */
async function parseError(ctx: SimulatorContext, req: FastifyRequest, reply: FastifyReply, err: FastifyError) {
  const status = typeof err.statusCode === "number" ? err.statusCode : 500;
  if (status >= 500) {
    // A bug in the simulator (the request was recorded by the handler): say so, answer the spec's unavailable code.
    process.stderr.write(`[simulator] internal error on provision-account: ${err.stack ?? String(err)}\n`);
    return reply.code(500).send({ code: "11000", description: PA_ERRORS["11000"].description });
  }
  const detail = baseDetail(req, { json: false, parseError: err.code ?? "unknown" });
  let clientId: string | undefined;
  try {
    clientId = (await authenticate(ctx, req)).clientId;
    return sendPaError(ctx, reply, new ProvisionAccountError("11010", PA_ERRORS["11010"].description, err.message), detail);
  } catch (caught) {
    if (!(caught instanceof OAuthError)) throw caught;
    return sendUnauthorized(reply, caught, detail);
  } finally {
    ctx.record({ type: "provision-account", ...(clientId ? { clientId } : {}), detail });
  }
}
