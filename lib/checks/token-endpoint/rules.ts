/**
 * Checks of token endpoint answers (FED-TOKEN-*, FED-TRESP-*, FED-REG-07, UEV2-TOKEN-12), as pure
 * functions of the replies the probes in `token-endpoint/probes.ts` collected, so each can be
 * tested on crafted input.
 *
 * Most probes carry an unknown ("bogus") authorization code: a request that gets past client
 * authentication is then refused with `invalid_grant`, which is how a probe tells "the endpoint
 * accepted my bad assertion" from "the endpoint refused it" without ever being issued a token.
 *
 * @example
 * ```ts
 * const reply = tokenReplyOf(await env.http.request({ method: "POST", url: tokenEndpoint, form }))
 * refusalFindings({ id: "FED-TOKEN-09", expected: ["invalid_client"] }, [{ label: "an expired assertion", reply }])
 * ```
 */
import { deviationStatus, finding, type Finding, type FindingStatus } from "../../requirements/index.ts";
import { TOKEN_ERROR_CODES } from "../../nhs/error-codes.ts";
import { gradedSchemaFindings } from "../../validate/index.ts";
import { noStoreHeaderProblems } from "../rules/no-store-headers.ts";

/** What the token endpoint answered, reduced to what the checks look at. */
export interface TokenReply {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  body: unknown;
}

/** One probe: what was sent (in words, for messages) and what came back. */
export interface TokenProbe {
  label: string;
  reply: TokenReply;
}

/** Reduce an HTTP response to a {@link TokenReply} (never throws on a non-JSON body). */
export function tokenReplyOf(res: { status: number; headers: Record<string, string>; text: string }): TokenReply {
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text: res.text, body };
}

/** The `error` member of a JSON error body, when there is one and it is a string. */
export function errorCodeOf(reply: TokenReply): string | undefined {
  const b = reply.body;
  if (b === null || typeof b !== "object" || Array.isArray(b)) return undefined;
  const e = (b as Record<string, unknown>).error;
  return typeof e === "string" ? e : undefined;
}

/** "HTTP 400 error=invalid_client", or what was there instead of a JSON error. */
export function describeReply(reply: TokenReply): string {
  const code = errorCodeOf(reply);
  if (code !== undefined) return `HTTP ${reply.status} error=${code}`;
  const ct = reply.headers["content-type"] ?? "no Content-Type";
  const text = reply.text.length > 60 ? `${reply.text.slice(0, 60)}...` : reply.text;
  return `HTTP ${reply.status} (${ct}) without a JSON error member: ${JSON.stringify(text)}`;
}

export interface RefusalRule {
  /** The requirement the probes test. */
  id: string;
  /** Error codes that refuse the request the way the specification says. */
  expected: readonly string[];
  /** Codes that refuse the request but not as the specification says: a warning. */
  tolerated?: readonly string[];
  /**
   * How to grade a request that got past the rule under test (a 2xx answer, or `pastRuleCode`):
   * default {@link deviationStatus} of `id`; `"warning"` where the catalogue only records it (A39).
   */
  whenAccepted?: FindingStatus;
  /**
   * The error that shows the endpoint let the request past the rule and judged something else:
   * by default `invalid_grant` (it went on to refuse the bogus code); `null` for none.
   */
  pastRuleCode?: string | null;
  /** Appended to the message when the request got past the rule, e.g. "(A39: recorded)". */
  note?: string;
}

/**
 * Grade each probe of a rule: refused with an expected code passes, with a tolerated code warns,
 * let through (2xx, or the bogus code judged) deviates, any other answer fails.
 */
export function refusalFindings(rule: RefusalRule, probes: readonly TokenProbe[]): Finding[] {
  const expected = rule.expected.join(" or ");
  const pastRuleCode = rule.pastRuleCode === undefined ? "invalid_grant" : rule.pastRuleCode;
  const note = rule.note ? ` ${rule.note}` : "";
  return probes.map(({ label, reply }) => {
    const code = errorCodeOf(reply);
    if (reply.status >= 200 && reply.status < 300) {
      return finding(
        rule.id,
        rule.whenAccepted ?? deviationStatus(rule.id),
        `${label} was accepted (HTTP ${reply.status}), expected ${expected}${note}`,
      );
    }
    if (code !== undefined && rule.expected.includes(code))
      return finding(rule.id, "passed", `${label} was refused: ${describeReply(reply)}`);
    if (code !== undefined && rule.tolerated?.includes(code)) {
      return finding(rule.id, "warning", `${label} was refused with ${code}, but the specification names ${expected}`);
    }
    if (code !== undefined && code === pastRuleCode) {
      return finding(
        rule.id,
        rule.whenAccepted ?? deviationStatus(rule.id),
        `${label} got past this rule: the endpoint went on to judge the rest of the request ` +
          `(${describeReply(reply)}), expected ${expected}${note}`,
      );
    }
    return finding(rule.id, "failed", `${label}: ${describeReply(reply)}, expected ${expected}`);
  });
}

/** The same findings reported under each of `ids` (for a probe that verifies several rules at once). */
export function underEachId(ids: readonly string[], findings: readonly Finding[]): Finding[] {
  return ids.flatMap((id) => findings.map((f) => finding(id, f.status === "failed" ? deviationStatus(id) : f.status, f.message)));
}

/**
 * FED-TOKEN-14: an assertion plus an HTTP Basic `Authorization` header is two authentication
 * methods: 400 `invalid_request` (EIS Table 10), or 401 `invalid_client` with `WWW-Authenticate`
 * (catalogue A41; RFC 6749 §5.2 requires 401 when the Authorization header was used).
 */
export function multipleAuthFindings(probe: TokenProbe): Finding[] {
  const id = "FED-TOKEN-14";
  const { label, reply } = probe;
  const code = errorCodeOf(reply);
  if (code === "invalid_client") {
    if (reply.status === 401 && reply.headers["www-authenticate"])
      return [finding(id, "passed", `${label} was refused: HTTP 401 invalid_client with WWW-Authenticate (A41)`)];
    return [
      finding(
        id,
        "warning",
        `${label} was refused with invalid_client but HTTP ${reply.status}` +
          `${reply.headers["www-authenticate"] ? "" : " and no WWW-Authenticate"}: ` +
          "with the Authorization header used, expected 400 invalid_request or 401 invalid_client with WWW-Authenticate",
      ),
    ];
  }
  return refusalFindings({ id, expected: ["invalid_request"] }, [probe]);
}

/**
 * FED-TOKEN-10 (replay): the first use of a fresh assertion with a bogus code must reach the code
 * check (`invalid_grant`); the second use of the same assertion must be refused as
 * `invalid_client`. A replay that gets through is recorded as a warning (catalogue A39).
 */
export function replayFindings(first: TokenReply, second: TokenReply): Finding[] {
  const id = "FED-TOKEN-10";
  if (errorCodeOf(first) !== "invalid_grant") {
    return [
      finding(
        id,
        "inconclusive",
        `the first use of a fresh, valid assertion with an unknown code answered ${describeReply(first)}, ` +
          "expected invalid_grant, so the replay could not be judged",
      ),
    ];
  }
  return refusalFindings(
    {
      id,
      expected: ["invalid_client"],
      whenAccepted: "warning",
      note: "(A39: replay accepted, recorded; an endpoint that only burns a jti on success also shows this)",
    },
    [{ label: "the same assertion (same jti) sent a second time", reply: second }],
  );
}

/**
 * FED-TRESP-09 and FED-TRESP-10 for each error reply: HTTP 400 (401 only for `invalid_client`, then
 * with `WWW-Authenticate`, A41), `application/json`, a body valid against the token-error schema,
 * and an `error` from Table 10.
 */
export function tokenErrorFormatFindings(probes: readonly TokenProbe[]): Finding[] {
  const out: Finding[] = [];
  for (const { label, reply } of probes) {
    const code = errorCodeOf(reply);
    if (code === "invalid_client" && reply.status === 401) {
      if (!reply.headers["www-authenticate"])
        out.push(
          finding("FED-TRESP-09", "failed", `${label}: HTTP 401 invalid_client without WWW-Authenticate (A41 allows 401 only with it)`),
        );
    } else if (reply.status !== 400) {
      out.push(
        finding(
          "FED-TRESP-09",
          "failed",
          `${label}: HTTP ${reply.status}, expected 400${code === "invalid_client" ? " (or 401 with WWW-Authenticate)" : ""}`,
        ),
      );
    }
    const ct = reply.headers["content-type"];
    if (!ct?.toLowerCase().startsWith("application/json")) {
      out.push(finding("FED-TRESP-09", "failed", `${label}: Content-Type is ${ct ?? "absent"}, expected application/json`));
    }
    if (reply.body === undefined) {
      out.push(finding("FED-TRESP-09", "failed", `${label}: the body is not JSON: ${JSON.stringify(reply.text.slice(0, 60))}`));
    } else {
      for (const f of gradedSchemaFindings("FED-TRESP-09", "token-error", reply.body))
        if (f.status !== "passed") out.push({ ...f, message: `${label}: ${f.message}` });
    }
    if (code === undefined) out.push(finding("FED-TRESP-10", "failed", `${label}: no error code to judge (${describeReply(reply)})`));
    else if (!(TOKEN_ERROR_CODES as readonly string[]).includes(code))
      out.push(finding("FED-TRESP-10", "failed", `${label}: error=${JSON.stringify(code)} is not in Table 10`));
  }
  const labels = probes.map((p) => p.label).join("; ");
  for (const id of ["FED-TRESP-09", "FED-TRESP-10"]) {
    if (!out.some((f) => f.requirement === id)) {
      out.push(
        finding(
          id,
          "passed",
          id === "FED-TRESP-09"
            ? "every error was HTTP 400 (or 401 with WWW-Authenticate for invalid_client), " +
                `application/json and valid against the token-error schema (${labels})`
            : `every error code was in Table 10 (${probes.map((p) => errorCodeOf(p.reply)).join(", ")})`,
        ),
      );
    }
  }
  return out;
}

/**
 * FED-TRESP-02 on errors: the EIS error example carries `Cache-Control: no-store` and
 * `Pragma: no-cache`; the catalogue grades their absence on an error as a warning.
 */
export function tokenErrorCacheFindings(probes: readonly TokenProbe[]): Finding[] {
  const id = "FED-TRESP-02";
  const out: Finding[] = [];
  for (const { label, reply } of probes) {
    const missing = noStoreHeaderProblems(reply.headers).map((p) => p.message);
    if (missing.length > 0)
      out.push(finding(id, "warning", `${label} (${describeReply(reply)}): ${missing.join(" and ")}, as the EIS error example has`));
  }
  if (out.length === 0)
    out.push(finding(id, "passed", `every error reply carried Cache-Control: no-store and Pragma: no-cache (${probes.length} replies)`));
  return out;
}

/**
 * A successful token response (FED-TRESP-01/02, UEV2-TOKEN-12): HTTP 200, `application/json`,
 * a JSON object with `access_token`, `Cache-Control: no-store` and `Pragma: no-cache`. Findings
 * are reported under each of `ids`.
 */
export function tokenSuccessHeaderFindings(ids: readonly string[], probe: TokenProbe): Finding[] {
  const { label, reply } = probe;
  if (reply.status !== 200)
    return ids.map((id) => finding(id, deviationStatus(id), `${label}: ${describeReply(reply)}, expected HTTP 200 with a token`));
  const problems: string[] = [];
  const ct = reply.headers["content-type"];
  if (!ct?.toLowerCase().startsWith("application/json")) problems.push(`Content-Type is ${ct ?? "absent"}, expected application/json`);
  const b = reply.body;
  if (b === null || typeof b !== "object" || Array.isArray(b) || typeof (b as Record<string, unknown>).access_token !== "string") {
    problems.push("the body is not a JSON object with an access_token");
  }
  problems.push(...noStoreHeaderProblems(reply.headers).map((p) => p.message));
  if (problems.length === 0)
    return ids.map((id) => finding(id, "passed", `${label}: HTTP 200, application/json, Cache-Control: no-store, Pragma: no-cache`));
  return ids.flatMap((id) => problems.map((p) => finding(id, deviationStatus(id), `${label}: ${p}`)));
}

/**
 * A request the endpoint must honour (e.g. a grant still inside its lifetime): a 2xx answer with a
 * JSON `access_token` passes under each of `ids`; anything else deviates, naming the answer.
 */
export function honouredFindings(ids: readonly string[], probe: TokenProbe): Finding[] {
  const { label, reply } = probe;
  const b = reply.body;
  const token = b !== null && typeof b === "object" && !Array.isArray(b) && typeof (b as Record<string, unknown>).access_token === "string";
  if (reply.status >= 200 && reply.status < 300 && token)
    return ids.map((id) => finding(id, "passed", `${label} was honoured (HTTP ${reply.status}, an access_token issued)`));
  const answer = reply.status >= 200 && reply.status < 300 ? `HTTP ${reply.status} without an access_token` : describeReply(reply);
  return ids.map((id) => finding(id, deviationStatus(id), `${label} was not honoured: ${answer}, expected HTTP 200 with a token`));
}
