/**
 * Checks of a jwt-bearer token request the environment must refuse (UEV2 §3.2.3.2 T3, T4;
 * UEV2-TOKEN-08..10 and -17, and the grant-type typo of UEV2-TOKEN-02): no token is issued, and the
 * answer is a 400 (401 allowed for `invalid_client`) JSON `{error, error_description?}` with a
 * Table 4 code and the no-store / no-cache headers.
 *
 * @example
 * ```ts
 * refusedTokenRequestFindings(res, { requirement: "UEV2-TOKEN-10", what: "a replayed assertion" })
 * ```
 */
import type { Finding } from "../../requirements/index.ts";
import { TOKEN_ERROR_CODES } from "../../nhs/error-codes.ts";
import { Findings } from "../findings.ts";
import { noStoreHeaderProblems } from "../rules/no-store-headers.ts";
import { asObject, excerpt, jsonBodyOf, mediaTypeOf, type CapturedResponse } from "./response.ts";

export interface RefusalExpectation {
  /** The requirement the refusal is cited under. */
  requirement: string;
  /** What was sent, for messages ("a replayed assertion"). */
  what: string;
  /**
   * Error codes that count as the expected refusal. Others from Table 4 are still a refusal: they
   * pass (recorded) unless `otherCode` says how to grade them.
   */
  codes?: readonly string[];
  otherCode?: "warning" | "failed";
  /** How a token issued anyway is graded (default failed). */
  onIssued?: "warning" | "failed";
}

export function refusedTokenRequestFindings(res: CapturedResponse, expected: RefusalExpectation): Finding[] {
  const out = new Findings();
  const id = expected.requirement;
  if (res.status >= 200 && res.status < 300) {
    const message = `the token endpoint answered HTTP ${res.status} to ${expected.what}: it must be refused`;
    if (expected.onIssued === "warning") out.warn(id, message);
    else out.fail(id, message);
    return out.list();
  }
  if (res.status >= 500) {
    out.fail(id, `the token endpoint failed with HTTP ${res.status} on ${expected.what}, expected a 400 error response`);
    return out.list();
  }
  const parsed = jsonBodyOf(res);
  const body = parsed.ok ? asObject(parsed.value) : undefined;
  const code = body?.error;
  // T3/T4 format (UEV2-TOKEN-17).
  if (mediaTypeOf(res) !== "application/json")
    out.fail("UEV2-TOKEN-17", `the error Content-Type is ${mediaTypeOf(res) ?? "absent"}, expected application/json`);
  if (!body || typeof code !== "string") out.fail("UEV2-TOKEN-17", `the error body has no error code: ${excerpt(res.text)}`);
  else if (!(TOKEN_ERROR_CODES as readonly string[]).includes(code))
    out.fail("UEV2-TOKEN-17", `error ${JSON.stringify(code)} is not a Table 4 code`);
  const allowed401 = res.status === 401 && code === "invalid_client";
  if (res.status !== 400 && !allowed401)
    out.fail(
      "UEV2-TOKEN-17",
      `HTTP ${res.status}${typeof code === "string" ? ` with ${code}` : ""}, expected 400 (401 only for invalid_client)`,
    );
  for (const p of noStoreHeaderProblems(res.headers)) {
    out.fail("UEV2-TOKEN-17", `the error response: ${p.message}`, { expected: `${p.header}: ${p.expected}`, actual: p.actual ?? "absent" });
  }
  out.pass("UEV2-TOKEN-17", `HTTP ${res.status} application/json error ${JSON.stringify(code)} with no-store and no-cache`);

  if (expected.codes && typeof code === "string" && !expected.codes.includes(code)) {
    const status = expected.otherCode ?? "warning";
    const message = `${expected.what} was refused with ${JSON.stringify(code)}, expected ${expected.codes.join(" or ")}`;
    if (status === "failed") out.fail(id, message);
    else out.warn(id, message);
  } else {
    out.pass(id, `${expected.what} was refused: HTTP ${res.status} ${typeof code === "string" ? code : "(no error code)"}`);
  }
  return out.list();
}
