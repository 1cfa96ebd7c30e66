/**
 * GET and POST /authorize (EIS §3.4; FED-AUTHZ-*, FED-ARESP-*, VOT-*, SSO-01..03, and
 * asserted_login_identity, SSO-04..11).
 *
 * No UI by default: a persona chosen by config or by the armed scenario signs in at once. With
 * `interactive`, a minimal page lets a person pick the persona (or decline consent).
 */
import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { SimulatorContext } from "../context.ts";
import { TTL } from "../context.ts";
import { OAuthError } from "../errors.ts";
import { DEFAULT_VTR, parseVtr, proofingRank, VectorSyntaxError, votSatisfiesVtr } from "../../nhs/vot.ts";
import { isFederationScope, splitScope } from "../../nhs/scopes.ts";
import { applyHook } from "../hooks/apply-hook.ts";
import { holdAnswer } from "./hold-answer.ts";
import type { Persona } from "../personas.ts";
import type { Grant } from "../state.ts";
import { chooseVot } from "../sign-in.ts";
import { judgeAssertedIdentity } from "../asserted-identity.ts";
import { errorPage, escapeHtml } from "./error-page.ts";
import { isUnparsedBody, safeName } from "./params.ts";

const SESSION_COOKIE = "nhsl_sim_session";
/** Longest state or nonce accepted; longer values would not fit in a redirect a client can read. */
const MAX_OPAQUE_LENGTH = 2048;

/** A validated authorization request, ready to sign someone in. */
interface ValidRequest {
  clientId: string;
  redirectUri: string;
  /** Absent only when the simulator is lenient about it (requireStateAndNonce false). */
  state: string | undefined;
  nonce: string | undefined;
  scopes: string[];
  vtr: string[];
  prompt: string | undefined;
}

export function registerAuthorize(app: FastifyInstance, ctx: SimulatorContext): void {
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const source = req.method === "GET" ? req.query : req.body;
    if (
      req.method === "POST" &&
      (isUnparsedBody(source) ||
        !String(req.headers["content-type"] ?? "")
          .toLowerCase()
          .startsWith("application/x-www-form-urlencoded"))
    ) {
      return sendPage(
        reply,
        400,
        "Sign-in request refused",
        "An authorization request sent by POST must be application/x-www-form-urlencoded.",
        "invalid_request",
      );
    }
    return authorize(ctx, req, reply, (source ?? {}) as Record<string, unknown>);
  };
  app.get("/authorize", handler);
  app.post("/authorize", handler);

  // The persona picker's answer (interactive mode only).
  app.post("/authorize/continue", async (req, reply) => {
    const body = (isUnparsedBody(req.body) ? {} : (req.body ?? {})) as Record<string, unknown>;
    const txn = typeof body.txn === "string" ? body.txn : "";
    // Taken, so a second answer to the same page (a double submit, another worker) finds it gone.
    const pending = await ctx.ops.take("pending", txn);
    if (!pending || pending.expiresAt <= ctx.now()) {
      return sendPage(reply, 400, "Sign-in expired", "This sign-in page has expired. Start again from the service.", "invalid_request");
    }
    const { armed, ...valid } = pending.params as unknown as ValidRequest & { armed: Armed };
    if (body.decision === "decline") {
      return redirectWithError(ctx, reply, valid.redirectUri, "access_denied", "The user declined to share their information", valid.state);
    }
    const persona = ctx.personas.find((p) => p.id === body.persona);
    if (!persona) return sendPage(reply, 400, "Unknown person", "Choose one of the listed people.", "invalid_request");
    return signIn(ctx, req, reply, valid, persona, armed, {});
  });
}

async function authorize(ctx: SimulatorContext, req: FastifyRequest, reply: FastifyReply, raw: Record<string, unknown>) {
  const detail: Record<string, unknown> = { method: req.method, params: summarise(raw) };
  const record = (outcome: string, clientId?: string) =>
    ctx.record({ type: "authorize", ...(clientId ? { clientId } : {}), detail: { ...detail, outcome } });

  if (applyHook(ctx, "authorizeValidation", "validate") === "accept-anything") return acceptAnything(reply, raw, record);

  // 1. Who is asking, and where to answer. Until both are trusted, errors are shown, not redirected.
  const clientId = single(raw, "client_id");
  const client = clientId ? ctx.clients.get(clientId) : undefined;
  if (!client) {
    record("error-page:unknown-client", clientId);
    return sendPage(
      reply,
      400,
      "Unknown service",
      "The client_id is missing, repeated or not registered with NHS login.",
      "invalid_request",
    );
  }
  const redirectUri = single(raw, "redirect_uri");
  if (!redirectUri || !client.redirectUris.includes(redirectUri)) {
    record("error-page:unregistered-redirect-uri", clientId);
    return sendPage(
      reply,
      400,
      "Unknown return address",
      "The redirect_uri is missing, repeated or does not exactly match one registered for this service.",
      "invalid_request",
    );
  }

  // 2. Everything else is answered at the redirect URI, with the state when there is one.
  const state = single(raw, "state");
  const fail = (error: string, description: string) => {
    record(`redirect-error:${error}`, clientId);
    return redirectWithError(ctx, reply, redirectUri, error, description, state);
  };
  const repeated = Object.entries(raw).find(([, v]) => Array.isArray(v));
  if (repeated) return fail("invalid_request", `parameter ${safeName(repeated[0])} is repeated`);
  if (raw.request !== undefined) return fail("request_not_supported", "the request parameter is not supported");
  if (raw.request_uri !== undefined) return fail("request_uri_not_supported", "the request_uri parameter is not supported");
  if (raw.registration !== undefined) return fail("registration_not_supported", "the registration parameter is not supported");
  const responseType = single(raw, "response_type");
  if (!responseType) return fail("invalid_request", "response_type is required");
  if (responseType !== "code") return fail("unsupported_response_type", "only response_type=code is supported");
  if (!state && ctx.requireStateAndNonce) return fail("invalid_request", "state is required");
  if (state && state.length > MAX_OPAQUE_LENGTH) {
    // Not echoed: a huge state would make a Location header no client can read.
    record("redirect-error:invalid_request", clientId);
    return redirectWithError(ctx, reply, redirectUri, "invalid_request", `state is longer than ${MAX_OPAQUE_LENGTH} characters`, undefined);
  }
  const nonce = single(raw, "nonce");
  if (!nonce && ctx.requireStateAndNonce) return fail("invalid_request", "nonce is required");
  if (nonce && nonce.length > MAX_OPAQUE_LENGTH) return fail("invalid_request", `nonce is longer than ${MAX_OPAQUE_LENGTH} characters`);
  const responseMode = single(raw, "response_mode");
  if (responseMode !== undefined && responseMode !== "query") return fail("invalid_request", "only response_mode=query is supported");
  const prompt = single(raw, "prompt");
  if (prompt !== undefined && !["", "none", "login"].includes(prompt))
    return fail("invalid_request", "prompt must be none, login or blank");

  const scopeParam = single(raw, "scope");
  if (scopeParam === undefined) return fail("invalid_request", "scope is required");
  const requested = splitScope(scopeParam);
  if (!requested.includes("openid")) return fail("invalid_scope", "scope must include openid");
  if (requested.includes("profile") && requested.includes("basic_demographics")) {
    return fail("invalid_scope", "profile and basic_demographics cannot be requested together");
  }
  const known = requested.filter(isFederationScope);
  const unapproved = known.filter((s) => !client.scopes.has(s));
  if (unapproved.length > 0) return fail("invalid_scope", `scope not approved for this client: ${unapproved.join(" ")}`);

  let vtr: string[];
  const vtrParam = single(raw, "vtr");
  if (vtrParam === undefined) vtr = [...DEFAULT_VTR];
  else {
    try {
      vtr = parseVtr(vtrParam).map((v) => v.raw);
    } catch (err) {
      return fail("invalid_request", err instanceof VectorSyntaxError ? `vtr: ${err.message}` : "vtr is malformed");
    }
  }
  const unregistered = vtr.filter((v) => !client.vtr.includes(v));
  if (unregistered.length > 0) return fail("invalid_request", "vtr does not match the vectors of trust registered for this client");

  // Unknown scope values are ignored (FED-AUTHZ-03), unless a defect grants them (the grantedScopes hook).
  const granted = applyHook(ctx, "grantedScopes", known, { requested });
  const valid: ValidRequest = { clientId: client.clientId, redirectUri, state, nonce, scopes: granted, vtr, prompt };

  // 3. The armed scenario, if any, for this sign-in.
  const scenario = await ctx.ops.takeScenario(client.clientId);
  const faults = scenario?.faults ?? [];
  detail.faults = faults;
  const armed: Armed = { faults, ...(scenario?.delayMs !== undefined ? { delayMs: scenario.delayMs } : {}) };
  const heldMs = await holdAnswer(ctx, "authorize", armed);
  if (heldMs > 0) detail.delayedMs = heldMs;
  const errorCode = applyHook(ctx, "authorizeError", undefined, undefined, faults);
  if (errorCode) {
    record(`fault:authorize-error:${errorCode}`, clientId);
    return redirectWithError(ctx, reply, redirectUri, errorCode, "simulated error (fault scenario)", state);
  }

  // 4. Who signs in: the scenario's persona, an SSO session, a person at the picker, or the default.
  // An asserted_login_identity that is honoured stands for a session: the sign-in behind the ID
  // token it names (SSO-04..11); one that is refused is ignored, and the reason recorded.
  const assertion = single(raw, "asserted_login_identity");
  let asserted: Awaited<ReturnType<typeof judgeAssertedIdentity>> | undefined;
  if (assertion !== undefined) {
    asserted = await judgeAssertedIdentity(ctx, assertion, client.clientId);
    detail.assertedLoginIdentity = asserted.ok ? `honoured (from ${asserted.rp1})` : `refused: ${asserted.reason}`;
  }
  const live = (asserted?.ok ? asserted.session : undefined) ?? (await ssoSession(ctx, req));
  const session = live && applyHook(ctx, "ssoReuse", "reuse") === "reuse" ? live : undefined;
  // A session is reused only for vectors it meets (VOT-10): its vot must satisfy the request.
  const meets = (s: NonNullable<typeof session>) => votSatisfiesVtr(s.vot, vtr) || applyHook(ctx, "ssoVtrCheck", "enforce") === "ignore";
  const sessionVot = (s: NonNullable<typeof session>) => (votSatisfiesVtr(s.vot, vtr) ? s.vot : chooseVot(s.persona, vtr));
  if (prompt === "none") {
    if (!session) return fail("sso_login_required", "there is no NHS login session to reuse");
    const persona = scenario?.persona ? ctx.personas.find((p) => p.id === scenario.persona)! : session.persona;
    if (persona.sub !== session.persona.sub) return fail("sso_login_required", "there is no NHS login session for this person");
    const vot = meets(session) ? sessionVot(session) : undefined;
    if (!vot) return fail("sso_login_required", "the NHS login session does not meet the requested vectors of trust");
    record("code", clientId);
    return issueCode(ctx, reply, valid, persona, vot, armed, session.authTime);
  }
  // Silent SSO (SSO-01): no prompt, a live session that meets the vectors, no other person asked
  // for. prompt=login always asks again (SSO-03), unless a defect ignores it.
  const askAgain = prompt === "login" && applyHook(ctx, "promptLogin", "honour") === "honour";
  if (session && !askAgain && (!scenario?.persona || scenario.persona === session.persona.id) && meets(session)) {
    const vot = sessionVot(session);
    if (vot) {
      record("code", clientId);
      return issueCode(ctx, reply, valid, session.persona, vot, armed, session.authTime);
    }
  }
  if (ctx.interactive && !scenario?.persona) {
    const txn = randomBytes(18).toString("base64url");
    await ctx.ops.set("pending", txn, {
      params: { ...valid, armed } as unknown as Record<string, string>,
      expiresAt: ctx.now() + TTL.code,
    });
    record("picker", clientId);
    return reply
      .code(200)
      .type("text/html; charset=utf-8")
      .header("cache-control", "no-store")
      .send(pickerPage(ctx, client.name, txn));
  }
  const personaId = scenario?.persona ?? (prompt !== "login" && session ? session.persona.id : ctx.defaultPersona);
  const found = ctx.personas.find((p) => p.id === personaId)!;
  // An armed uplift: the person goes through NHS login's verification and comes back at that level, same sub.
  const uplifted = scenario?.uplift && proofingRank(scenario.uplift) > proofingRank(found.proofing);
  const persona = uplifted ? { ...found, proofing: scenario.uplift! } : found;
  if (uplifted) detail.uplift = `${found.proofing} to ${scenario.uplift}`;
  // Recorded before the answer leaves (with --workers, a reply waits for what was recorded before it).
  return signIn(ctx, req, reply, valid, persona, armed, detail, () => record(String(detail.outcome ?? "code"), clientId));
}

/** What the armed scenario gives the sign-in's grant: its faults, and the delay of its `slow-*` ones. */
type Armed = Pick<Grant, "faults" | "delayMs">;

/** Sign `persona` in for a validated request: uplift refusal, SSO cookie, code. */
async function signIn(
  ctx: SimulatorContext,
  _req: FastifyRequest,
  reply: FastifyReply,
  valid: ValidRequest,
  persona: Persona,
  armed: Armed,
  detail: Record<string, unknown>,
  beforeAnswer: () => void = () => undefined,
) {
  const vot = chooseVot(persona, valid.vtr);
  if (!vot) {
    // Below every requested vector: the person would be sent through uplift, which a simulated
    // person does not complete, so the service gets the no-consent outcome.
    detail.outcome = "redirect-error:access_denied";
    beforeAnswer();
    return redirectWithError(
      ctx,
      reply,
      valid.redirectUri,
      "access_denied",
      "the user did not reach the requested level of verification",
      valid.state,
    );
  }
  const authTime = ctx.now();
  const sessionId = randomBytes(24).toString("base64url");
  await ctx.ops.set("sessions", sessionId, { persona, vot, authTime, expiresAt: authTime + TTL.ssoSession });
  reply.setCookie(SESSION_COOKIE, sessionId, { path: "/", httpOnly: true, sameSite: "lax" });
  detail.outcome = "code";
  return issueCode(ctx, reply, valid, persona, vot, armed, authTime, beforeAnswer);
}

async function issueCode(
  ctx: SimulatorContext,
  reply: FastifyReply,
  valid: ValidRequest,
  persona: Persona,
  vot: string,
  armed: Armed,
  authTime: number,
  beforeAnswer: () => void = () => undefined,
) {
  const code = randomBytes(32).toString("base64url");
  const grant = {
    clientId: valid.clientId,
    redirectUri: valid.redirectUri,
    scopes: valid.scopes,
    nonce: valid.nonce,
    state: valid.state,
    vtr: valid.vtr,
    vot,
    persona,
    authTime,
    ...armed,
  };
  const lifetime = applyHook(ctx, "grantLifetimes", { code: TTL.code, refreshToken: TTL.refreshToken }).code;
  await ctx.ops.set("codes", code, { grant, expiresAt: ctx.now() + lifetime, used: false, issued: { accessJtis: [], refreshTokens: [] } });
  const target = new URL(valid.redirectUri);
  target.searchParams.set("code", code);
  const state = applyHook(ctx, "authorizeState", valid.state, undefined, armed.faults);
  if (state !== undefined) target.searchParams.set("state", state);
  beforeAnswer();
  return reply.code(302).header("location", target.toString()).header("cache-control", "no-store").send();
}

/**
 * The `authorize-accepts-anything` defect: no validation at all, a code for whatever was asked,
 * sent to whatever redirect_uri was named. Nothing can be redeemed with it.
 */
function acceptAnything(reply: FastifyReply, raw: Record<string, unknown>, record: (outcome: string) => void) {
  const first = (name: string) =>
    Array.isArray(raw[name]) ? String((raw[name] as unknown[])[0]) : typeof raw[name] === "string" ? (raw[name] as string) : undefined;
  let target: URL;
  try {
    target = new URL(first("redirect_uri") ?? "");
  } catch {
    return sendPage(reply, 400, "No redirect URI", "The request names no redirect_uri.", "invalid_request");
  }
  target.searchParams.set("code", randomBytes(16).toString("base64url"));
  const state = first("state");
  if (state !== undefined) target.searchParams.set("state", state);
  record("defect:authorize-accepts-anything");
  return reply.code(302).header("location", target.toString()).header("cache-control", "no-store").send();
}

function redirectWithError(
  ctx: SimulatorContext,
  reply: FastifyReply,
  redirectUri: string,
  error: string,
  description: string,
  state: string | undefined,
) {
  const target = new URL(redirectUri);
  target.searchParams.set("error", applyHook(ctx, "authorizeErrorCode", error));
  target.searchParams.set("error_description", descriptionText(description));
  if (state) target.searchParams.set("state", state);
  return reply.code(302).header("location", target.toString()).header("cache-control", "no-store").send();
}

/**
 * error_description may only use %x20-21 / %x23-5B / %x5D-7E (RFC 6749 §4.1.2.1; EIS T4 "ASCII"):
 * descriptions that echo request values (e.g. a vtr component) are folded into that set.
 */
function descriptionText(description: string): string {
  return description.replace(/"/g, "'").replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, "?");
}

async function ssoSession(ctx: SimulatorContext, req: FastifyRequest) {
  const id = req.cookies?.[SESSION_COOKIE];
  const s = id ? await ctx.ops.get("sessions", id) : undefined;
  return s && s.expiresAt > ctx.now() ? s : undefined;
}

function single(raw: Record<string, unknown>, name: string): string | undefined {
  const v = raw[name];
  return typeof v === "string" ? v : undefined;
}

function summarise(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw).slice(0, 50)) out[safeName(k)] = Array.isArray(v) ? v.map(String) : String(v).slice(0, 2048);
  return out;
}

function sendPage(reply: FastifyReply, status: number, title: string, message: string, code: string) {
  return reply
    .code(status)
    .type("text/html; charset=utf-8")
    .header("cache-control", "no-store")
    .send(errorPage(title, message, code));
}

function pickerPage(ctx: SimulatorContext, clientName: string, txn: string): string {
  const people = ctx.personas
    .map(
      (p) =>
        `<li><form method="post" action="/authorize/continue"><input type="hidden" name="txn" value="${escapeHtml(txn)}">` +
        `<input type="hidden" name="persona" value="${escapeHtml(p.id)}">` +
        `<button type="submit">Sign in as ${escapeHtml(p.id.toUpperCase())}</button> ${escapeHtml(p.label)}</form></li>`,
    )
    .join("\n");
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>NHS login simulator - choose a person</title></head>\n` +
    `<body><main><h1>NHS login simulator</h1><p>${escapeHtml(clientName)} asks you to sign in. Choose a simulated person:</p>\n` +
    `<ul>${people}</ul>\n` +
    `<form method="post" action="/authorize/continue"><input type="hidden" name="txn" value="${escapeHtml(txn)}">` +
    `<input type="hidden" name="decision" value="decline"><button type="submit">Decline to share information</button></form>\n` +
    `</main></body></html>`
  );
}

export { OAuthError };
