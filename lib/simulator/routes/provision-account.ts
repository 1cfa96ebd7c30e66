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
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { SimulatorContext } from "../context.ts";
import { OAuthError, ProvisionAccountError } from "../errors.ts";
import { applyHook } from "../hooks/apply-hook.ts";
import { authenticateBearer, describeAuthorization } from "../tokens/authenticate-bearer.ts";
import { isUnparsedBody } from "./params.ts";
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

/** What the event log keeps of a body: whether it is a JSON object, T7's fields as sent (test data), and the names of any others. */
function describeBody(req: FastifyRequest): Record<string, unknown> {
  const body = req.body;
  const json = contentTypeOf(req) === "application/json";
  if (body === null || typeof body !== "object" || Array.isArray(body) || isUnparsedBody(body)) return { json: false };
  const b = body as Record<string, unknown>;
  const fields = Object.fromEntries(Object.keys(PA_BODY_FIELDS).flatMap((k) => (k in b ? [[k, b[k]]] : [])));
  const others = Object.keys(b).filter((k) => !(k in PA_BODY_FIELDS));
  return { json, fields, ...(others.length > 0 ? { otherFields: others } : {}) };
}

function contentTypeOf(req: FastifyRequest): string {
  return String(req.headers["content-type"] ?? "")
    .split(";")[0]!
    .trim()
    .toLowerCase();
}

async function provision(ctx: SimulatorContext, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const detail: Record<string, unknown> = {
    method: req.method,
    path: PROVISION_ACCOUNT_PATH,
    contentType: contentTypeOf(req),
    authorization: describeAuthorization(req.headers.authorization),
    body: describeBody(req),
    atMs: Date.now(),
  };
  let clientId: string | undefined;
  let recorded = false;
  try {
    const token = await authenticateBearer(ctx, req.headers.authorization, { kind: "provision-account", realm: REALM });
    clientId = token.clientId;
    const faults = ctx.state.takeCallFaults(token.clientId, "provision");
    if (faults.length > 0) detail.faults = faults;
    const delay = applyHook(ctx, "paDelayMs", 0, undefined, faults);
    if (delay > 0) {
      // Recorded on arrival: a consumer that gives up waiting has still made this request.
      recorded = true;
      ctx.record({ type: "provision-account", clientId, detail: { ...detail, delayedMs: delay, status: "answered late" } });
      await new Promise((r) => setTimeout(r, delay));
    }
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
    const outcome = decide(ctx, token.clientId, req);
    const body = applyHook(ctx, "paSuccessBody", { code: outcome, description: PA_SUCCESS[outcome] });
    Object.assign(detail, { status: 200, code: body.code });
    return reply.code(200).type("application/json").send(JSON.stringify(body));
  } catch (err) {
    if (err instanceof ProvisionAccountError) return sendPaError(ctx, reply, err, detail);
    if (err instanceof OAuthError && err.status === 401) {
      Object.assign(detail, { status: 401, reason: err.description });
      return reply
        .code(401)
        .headers(err.headers)
        .type("application/json")
        .send(JSON.stringify({ error: err.error, error_description: err.description }));
    }
    detail.status = 500;
    throw err;
  } finally {
    if (!recorded) ctx.record({ type: "provision-account", ...(clientId ? { clientId } : {}), detail });
  }
}

/** The rules of T11, in order; returns the success code or throws the refusal. */
function decide(ctx: SimulatorContext, clientId: string, req: FastifyRequest): "create" | "uplift" {
  const rules = applyHook(ctx, "paRules", { body: true, odsCode: true, alreadyP9: true, emailInUse: true, pending: true });
  const refuse = (code: PaErrorCode, reason: string): never => {
    throw new ProvisionAccountError(code, PA_ERRORS[code].description, reason);
  };
  const json = contentTypeOf(req) === "application/json" && !isUnparsedBody(req.body);
  if (!json && rules.body) refuse("11010", "the body is not application/json");
  const body = (json && req.body !== null && typeof req.body === "object" ? req.body : {}) as Record<string, unknown>;
  const problems = checkProvisionBody(body, ctx.now() * 1000).filter((p) => p.status === "failed");
  if (problems.length > 0 && rules.body) refuse("11010", problems.map((p) => p.problem).join("; "));
  const nhsNumber = String(body.nhs_number ?? "");
  const email = String(body.email_address ?? "").toLowerCase();
  const client = ctx.clients.get(clientId);
  if (rules.odsCode && !client?.paOdsCodes.includes(String(body.ods_code)))
    refuse("11021", `ODS code ${JSON.stringify(body.ods_code)} is not one this client provisions for`);
  const person = ctx.personas.find((p) => p.nhsNumber !== undefined && p.nhsNumber === nhsNumber);
  if (rules.alreadyP9 && person?.proofing === "P9") refuse("11005", `${nhsNumber} is persona ${person.id}, already P9`);
  const owner = ctx.personas.find((p) => p.email.toLowerCase() === email && p !== person);
  if (rules.emailInUse && owner) refuse("11004", `the email is persona ${owner.id}'s`);
  const now = ctx.now();
  const earlier = ctx.state.provisionRequests.get(nhsNumber);
  if (rules.pending && earlier !== undefined && now - earlier < PA_PENDING_SECONDS)
    refuse("11003", `a request for ${nhsNumber} was accepted ${now - earlier} s ago`);
  ctx.state.provisionRequests.set(nhsNumber, now);
  return person ? "uplift" : "create";
}

function sendPaError(ctx: SimulatorContext, reply: FastifyReply, err: ProvisionAccountError, detail: Record<string, unknown>) {
  Object.assign(detail, { status: 400, code: err.paCode, ...(err.reason ? { reason: err.reason } : {}) });
  const body = applyHook(ctx, "paErrorBody", { code: err.paCode, description: err.description });
  return reply.code(400).type("application/json").send(JSON.stringify(body));
}

/** A body Fastify could not read (bad JSON, too large): 11010, recorded like any request. */
function parseError(ctx: SimulatorContext, req: FastifyRequest, reply: FastifyReply, err: FastifyError) {
  const status = typeof err.statusCode === "number" ? err.statusCode : 500;
  const detail: Record<string, unknown> = {
    method: req.method,
    path: PROVISION_ACCOUNT_PATH,
    contentType: contentTypeOf(req),
    authorization: describeAuthorization(req.headers.authorization),
    body: { json: false, parseError: err.code ?? "unknown" },
    atMs: Date.now(),
  };
  if (status >= 500) {
    // A bug in the simulator (the request was recorded by the handler): say so, answer the spec's unavailable code.
    process.stderr.write(`[simulator] internal error on provision-account: ${err.stack ?? String(err)}\n`);
    return reply.code(500).send({ code: "11000", description: PA_ERRORS["11000"].description });
  }
  const answer = sendPaError(ctx, reply, new ProvisionAccountError("11010", PA_ERRORS["11010"].description, err.message), detail);
  ctx.record({ type: "provision-account", detail });
  return answer;
}
