/**
 * Checks of Provision Account answers (PA-03, PA-11, PA-12, PA-14..20 on the provider's side,
 * TTL-06), as pure functions of the replies the checks collected, so each can be tested on crafted
 * input. Token replies are read as the token-endpoint rules read them (token-endpoint/rules.ts).
 *
 * @example
 * ```ts
 * paTokenResponseFindings({ label: "the token request", reply }, { issuer, clientId })
 * paRefusedFindings({ label: "date_of_birth 1993-17-12", reply }, { code: "11010", id: "PA-08" })
 * ```
 */
import { decodeJwt } from "jose";
import { finding, type Finding } from "../../requirements/index.ts";
import { Findings } from "../findings.ts";
import { PA_ACCESS_TOKEN_SECONDS, PA_ERRORS, PA_SUCCESS, paErrorCode, type PaErrorCode } from "../../nhs/provision-account/codes.ts";
import { describeReply, tokenSuccessHeaderFindings, type TokenProbe, type TokenReply } from "../token-endpoint/rules.ts";

/** The body as a JSON object, or undefined. */
function objectOf(reply: TokenReply): Record<string, unknown> | undefined {
  const b = reply.body;
  return b !== null && typeof b === "object" && !Array.isArray(b) ? (b as Record<string, unknown>) : undefined;
}

/** How an answer reads in a message: its status and code, or what came instead. */
export function describePaAnswer(reply: TokenReply): string {
  const code = paErrorCode(reply.body);
  if (code !== undefined) return `HTTP ${reply.status} code ${JSON.stringify(code)}`;
  const text = reply.text.length > 80 ? `${reply.text.slice(0, 80)}...` : reply.text;
  return `HTTP ${reply.status} without a code: ${JSON.stringify(text)}`;
}

/**
 * PA-03 and TTL-06: the client_credentials token response is HTTP 200 JSON with Cache-Control:
 * no-store and Pragma: no-cache, `token_type` Bearer, `expires_in`; the access token is a JWT with
 * `iss` the issuer, `sub` and `aud` the client id, `iat`, and `exp` 300 s after `iat` (T14).
 */
export function paTokenResponseFindings(probe: TokenProbe, ctx: { issuer: string; clientId: string }): Finding[] {
  const out = new Findings().addAll(tokenSuccessHeaderFindings(["PA-03"], probe).filter((f) => f.status !== "passed"));
  const { label, reply } = probe;
  const body = objectOf(reply);
  if (reply.status !== 200 || !body) {
    out.inconclusive("TTL-06", `${label}: no token was issued (${describeReply(reply)}), so its lifetime was not seen`);
    return out.list();
  }
  if (body.token_type !== "Bearer")
    out.fail("PA-03", `${label}: token_type ${JSON.stringify(body.token_type ?? null)}; expected "Bearer"`, {
      expected: "Bearer",
      actual: JSON.stringify(body.token_type ?? null),
    });
  if (typeof body.expires_in !== "number" || body.expires_in <= 0)
    out.fail("PA-03", `${label}: expires_in ${JSON.stringify(body.expires_in ?? null)}; expected the lifetime in seconds`);
  let claims: Record<string, unknown> | undefined;
  try {
    claims = decodeJwt(String(body.access_token));
  } catch {
    out.fail("PA-03", `${label}: the access token is not a JWT; T14 lists the claims it carries (iss, sub, aud, iat, exp)`);
    // Its lifetime can still be read from expires_in.
    if (body.expires_in === PA_ACCESS_TOKEN_SECONDS) out.pass("TTL-06", `${label}: expires_in says ${PA_ACCESS_TOKEN_SECONDS} s`);
    else out.fail("TTL-06", `${label}: expires_in ${JSON.stringify(body.expires_in ?? null)}; expected ${PA_ACCESS_TOKEN_SECONDS} s`);
  }
  if (claims) {
    const evidence = { actual: JSON.stringify({ iss: claims.iss, sub: claims.sub, aud: claims.aud, iat: claims.iat, exp: claims.exp }) };
    // T14's example iss ends in a slash where discovery's issuer may not: compared without one.
    const bare = (v: unknown) => (typeof v === "string" ? v.replace(/\/$/, "") : v);
    if (bare(claims.iss) !== bare(ctx.issuer))
      out.fail("PA-03", `${label}: the access token's iss ${JSON.stringify(claims.iss ?? null)} is not ${ctx.issuer}`, evidence);
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (claims.sub !== ctx.clientId || !aud.includes(ctx.clientId))
      out.fail("PA-03", `${label}: the access token's sub and aud must be the client id ${ctx.clientId}`, evidence);
    if (typeof claims.iat !== "number" || typeof claims.exp !== "number") {
      out.fail("PA-03", `${label}: the access token lacks a numeric iat or exp`, evidence);
      out.fail("TTL-06", `${label}: the access token lacks a numeric iat or exp, so its lifetime cannot be read`, evidence);
    } else {
      const lifetime = claims.exp - claims.iat;
      if (lifetime !== PA_ACCESS_TOKEN_SECONDS)
        out.fail("TTL-06", `${label}: the access token lives ${lifetime} s (exp - iat); expected ${PA_ACCESS_TOKEN_SECONDS} s`, evidence);
      if (typeof body.expires_in === "number" && body.expires_in !== PA_ACCESS_TOKEN_SECONDS)
        out.fail("TTL-06", `${label}: expires_in ${body.expires_in}; expected ${PA_ACCESS_TOKEN_SECONDS} s`, evidence);
      out.pass(
        "TTL-06",
        `${label}: the access token lives ${lifetime} s (exp - iat) and expires_in says ${String(body.expires_in)}`,
        evidence,
      );
    }
  }
  out.pass("PA-03", `${label}: HTTP 200, no-store, token_type Bearer, a JWT access token for ${ctx.clientId} from ${ctx.issuer}`);
  return out.list();
}

/** PA-11: a provisioning answered 200 `{code: "create" | "uplift", description?}`. */
export function paSuccessFindings(probe: TokenProbe): Finding[] {
  const { label, reply } = probe;
  const body = objectOf(reply);
  const code = paErrorCode(body);
  if (reply.status !== 200) {
    if (code === "11003")
      return [
        finding(
          "PA-11",
          "inconclusive",
          `${label}: answered 11003 (a request for this patient in the last 7 days, perhaps an earlier run's), so success was not seen`,
        ),
      ];
    return [finding("PA-11", "failed", `${label}: ${describePaAnswer(reply)}; expected HTTP 200 with code create or uplift`)];
  }
  const out = new Findings();
  if (!body)
    return [
      finding("PA-11", "failed", `${label}: HTTP 200 with a body that is not a JSON object: ${JSON.stringify(reply.text.slice(0, 80))}`),
    ];
  // Codes are compared trimmed (A38).
  const success = typeof body.code === "string" ? body.code.trim() : body.code;
  if (success !== "create" && success !== "uplift")
    out.fail("PA-11", `${label}: code ${JSON.stringify(body.code ?? null)}; T9 has only create and uplift`, {
      expected: Object.keys(PA_SUCCESS).join(" or "),
      actual: JSON.stringify(body.code ?? null),
    });
  if (body.description !== undefined && typeof body.description !== "string")
    out.fail("PA-11", `${label}: description ${JSON.stringify(body.description)} is not a string`);
  out.pass("PA-11", `${label}: HTTP 200, code ${String(body.code)}`);
  return out.list();
}

/**
 * A request the environment must refuse with `code` (T11): passes when it does, fails when it was
 * provisioned (200) or answered another code; the finding is cited under `id` (the row of the
 * rule the request breaks, e.g. PA-08 for a date that is not real, or the code's own row).
 */
export function paRefusedFindings(probe: TokenProbe, expected: { code: PaErrorCode; id: string }): Finding[] {
  const { label, reply } = probe;
  const code = paErrorCode(reply.body);
  const evidence = { expected: `HTTP 400 code ${expected.code}`, actual: describePaAnswer(reply) };
  if (reply.status >= 200 && reply.status < 300)
    return [finding(expected.id, "failed", `${label} was provisioned (${describePaAnswer(reply)}); expected ${expected.code}`, evidence)];
  if (code === expected.code) return [finding(expected.id, "passed", `${label} was refused: ${describePaAnswer(reply)}`, evidence)];
  return [
    finding(
      expected.id,
      "failed",
      `${label}: ${describePaAnswer(reply)}; expected ${expected.code} (${PA_ERRORS[expected.code].description})`,
      evidence,
    ),
  ];
}

/** PA-12: every error answer is `{code (a string), description? (a string)}`; 400 as the spec's example. */
export function paErrorShapeFindings(probes: readonly TokenProbe[]): Finding[] {
  const out = new Findings();
  for (const { label, reply } of probes) {
    const body = objectOf(reply);
    if (!body) {
      out.fail("PA-12", `${label}: the error body is not a JSON object: ${JSON.stringify(reply.text.slice(0, 80))}`);
      continue;
    }
    if (typeof body.code !== "string")
      out.fail("PA-12", `${label}: code is ${JSON.stringify(body.code ?? null)}, not a string; T10 makes it mandatory`, {
        expected: '{"code": "<T11 code>", "description"?}',
        actual: reply.text.slice(0, 120),
      });
    else if (body.code !== body.code.trim())
      out.warn("PA-12", `${label}: code ${JSON.stringify(body.code)} has surrounding spaces (as the spec's example; A38): read trimmed`);
    if (body.description !== undefined && typeof body.description !== "string")
      out.fail("PA-12", `${label}: description ${JSON.stringify(body.description)} is not a string`);
    if (reply.status !== 400) out.warn("PA-12", `${label}: HTTP ${reply.status}; the spec's error example is 400`);
  }
  if (probes.length === 0) return [finding("PA-12", "inconclusive", "no error answer was received")];
  out.pass("PA-12", `${probes.length} error answer(s), each {code, description} with a string code`);
  return out.list();
}
