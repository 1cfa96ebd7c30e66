/**
 * Findings about how the service calls /token (EIS §3.5.1 Table 6, RFC 7523; FED-TOKEN-*,
 * FED-REG-07, KEY-01, FED-ARESP-04), from the token requests the simulator recorded: parameters,
 * and the client assertion's header and claims (decoded; the simulator verified the signature).
 *
 * @example
 * ```ts
 * const events = tokenEvents(result.events)
 * assertionLifetimeFindings(events[0]!)
 * jtiFindings(events)
 * ```
 */
import { keySizeFindings } from "../rules/public-key.ts";
import type { KeyObject } from "node:crypto";
import { deviationStatus, finding, type Finding } from "../../requirements/index.ts";
import type { SimulatorEvent } from "../../simulator/state.ts";
import { CLIENT_ASSERTION_TYPE } from "../../nhs/constants.ts";
import { Findings } from "../findings.ts";

/** Harness policy: an assertion should expire within 5 minutes of use (FED-TOKEN-9 "short-lived"). */
export const MAX_ASSERTION_SECONDS = 300;

/** A token request as the simulator recorded it. */
export interface TokenRequest {
  at: number;
  method?: string;
  contentType?: string;
  params: Record<string, string>;
  hasAuthorizationHeader: boolean;
  assertion?: { header?: Record<string, unknown>; payload?: Record<string, unknown>; error?: string };
  /** `issued`, or the error the simulator answered. */
  outcome?: string;
  /** The simulator's error_description when it refused the request (its actual reason). */
  reason?: string;
  /** True once the simulator had verified the client assertion (a later refusal is for another reason). */
  clientAuthenticated?: boolean;
  /** Its place among all the events it was read from (orders it against other kinds of request). */
  seq?: number;
  /** Users V2 consumer faults the simulator applied to it. */
  faults?: string[];
}

/** The token requests among the simulator's events, oldest first. */
export function tokenEvents(events: readonly SimulatorEvent[]): TokenRequest[] {
  return events
    .map((e, seq) => ({ e, seq }))
    .filter(({ e }) => e.type === "token")
    .map(({ e, seq }) => {
      const d = e.detail as Record<string, unknown>;
      return {
        at: e.at,
        seq,
        ...(Array.isArray(d.faults) ? { faults: d.faults.map(String) } : {}),
        ...(typeof d.method === "string" ? { method: d.method } : {}),
        ...(typeof d.contentType === "string" ? { contentType: d.contentType } : {}),
        params: (d.params ?? {}) as Record<string, string>,
        hasAuthorizationHeader: d.hasAuthorizationHeader === true,
        ...(d.assertion ? { assertion: d.assertion as TokenRequest["assertion"] } : {}),
        ...(typeof d.outcome === "string" ? { outcome: d.outcome } : {}),
        ...(typeof d.reason === "string" ? { reason: d.reason } : {}),
        ...(d.clientAuthenticated === true ? { clientAuthenticated: true } : {}),
      };
    });
}

/** No token request: nothing to judge, every ID inconclusive with the reason. */
function none(...ids: [string, ...string[]]): Finding[] {
  const why = "the service made no token request: it never redeemed the authorization code";
  return ids.map((i) => finding(i, "inconclusive", why));
}

/** The token request a finding rests on, for its evidence. */
function exchangeOf(req: TokenRequest): string {
  return `${req.method ?? "?"} /token (the first sign-in's code exchange)`;
}

/** FED-TOKEN-01..04, FED-TOKEN-15: a form POST with grant_type, code and the authorize redirect_uri. */
export function tokenRequestFindings(req: TokenRequest | undefined, authorizeRedirectUri: string | undefined): Finding[] {
  if (!req) return none("FED-TOKEN-01", "FED-TOKEN-02", "FED-TOKEN-03", "FED-TOKEN-04", "FED-TOKEN-15");
  const out: Finding[] = [];
  const formOk = req.method === "POST" && req.contentType === "application/x-www-form-urlencoded";
  out.push(
    formOk
      ? finding("FED-TOKEN-01", "passed", "POST application/x-www-form-urlencoded")
      : finding(
          "FED-TOKEN-01",
          "failed",
          `${req.method ?? "?"} with content type ${JSON.stringify(req.contentType ?? null)}; ` +
            `expected POST application/x-www-form-urlencoded`,
        ),
  );
  const grant = req.params.grant_type;
  out.push(
    grant === "authorization_code"
      ? finding("FED-TOKEN-02", "passed", "grant_type=authorization_code")
      : finding("FED-TOKEN-02", "failed", `grant_type=${JSON.stringify(grant ?? null)}; expected authorization_code for the code exchange`),
  );
  out.push(
    req.params.code ? finding("FED-TOKEN-03", "passed", "code present") : finding("FED-TOKEN-03", "failed", "no code in the token request"),
  );
  const uri = req.params.redirect_uri;
  if (uri === undefined) out.push(finding("FED-TOKEN-04", "failed", "no redirect_uri in the token request"));
  else if (authorizeRedirectUri === undefined)
    out.push(finding("FED-TOKEN-04", "inconclusive", `redirect_uri ${uri} sent; no authorization request was seen to compare it with`));
  else if (authorizeRedirectUri !== undefined && uri !== authorizeRedirectUri)
    out.push(finding("FED-TOKEN-04", "failed", `redirect_uri ${uri} differs from the authorization request's ${authorizeRedirectUri}`));
  else out.push(finding("FED-TOKEN-04", "passed", `redirect_uri ${uri} matches the authorization request`));
  const exchange = exchangeOf(req);
  out.push(
    req.params.scope !== undefined
      ? finding("FED-TOKEN-15", "warning", "scope sent on the authorization_code exchange; it applies to refresh_token only", {
          expected: "no scope",
          actual: req.params.scope,
          exchange,
        })
      : finding("FED-TOKEN-15", "passed", "no scope on the authorization_code exchange (scope applies to refresh_token only)", {
          expected: "no scope",
          actual: "(absent)",
          exchange,
        }),
  );
  return out;
}

/** FED-REG-07, FED-TOKEN-06, FED-TOKEN-14, FED-TOKEN-05: private_key_jwt and nothing else; client_id, if sent, the client's. */
export function clientAuthMethodFindings(req: TokenRequest | undefined, clientId: string): Finding[] {
  if (!req) return none("FED-REG-07", "FED-TOKEN-06", "FED-TOKEN-14", "FED-TOKEN-05");
  const out = new Findings();
  const exchange = exchangeOf(req);
  const hasAssertion = req.params.client_assertion !== undefined;
  if (hasAssertion) out.add("FED-REG-07", "passed", "the client authenticates with a client_assertion (private_key_jwt)", { exchange });
  else out.fail("FED-REG-07", "no client_assertion: the token request is not authenticated with private_key_jwt", { exchange });
  const type = req.params.client_assertion_type;
  if (hasAssertion || type !== undefined) {
    const evidence = { expected: CLIENT_ASSERTION_TYPE, actual: type ?? "(absent)", exchange };
    if (type === CLIENT_ASSERTION_TYPE) out.add("FED-TOKEN-06", "passed", "client_assertion_type is jwt-bearer", evidence);
    else out.fail("FED-TOKEN-06", `client_assertion_type ${JSON.stringify(type ?? null)}; expected ${CLIENT_ASSERTION_TYPE}`, evidence);
  } else out.inconclusive("FED-TOKEN-06", "no client_assertion and no client_assertion_type were sent, so the type could not be judged");
  if (req.hasAuthorizationHeader)
    out.fail("FED-TOKEN-14", "the token request also carries an Authorization header: use exactly one client authentication method", {
      exchange,
    });
  if (req.params.client_secret !== undefined) out.fail("FED-TOKEN-14", "the token request also carries client_secret", { exchange });
  out.pass(
    "FED-TOKEN-14",
    `one client authentication method${hasAssertion ? " (client_assertion)" : ""}: no Authorization header and no client_secret`,
    { exchange },
  );
  const id = req.params.client_id;
  if (id === undefined) out.skip("FED-TOKEN-05", "not applicable: no client_id sent (optional for a private_key_jwt client)");
  else {
    const payload = req.assertion?.payload;
    if (id !== clientId)
      out.fail("FED-TOKEN-05", `client_id ${JSON.stringify(id)} differs from the registered ${JSON.stringify(clientId)}`, {
        expected: clientId,
        actual: id,
        exchange,
      });
    for (const claim of ["iss", "sub"] as const) {
      const value = payload?.[claim];
      if (value !== undefined && value !== id)
        out.fail("FED-TOKEN-05", `client_id ${JSON.stringify(id)} differs from the client assertion's ${claim} ${JSON.stringify(value)}`, {
          expected: String(value),
          actual: id,
          exchange,
        });
    }
    const compared = (["iss", "sub"] as const).filter((c) => payload?.[c] !== undefined);
    const also = compared.length > 0 ? ` and the client assertion's ${compared.join(" and ")}` : "";
    out.pass("FED-TOKEN-05", `client_id ${JSON.stringify(id)} is the registered client_id${also}`, {
      expected: clientId,
      actual: id,
      exchange,
    });
  }
  return out.list();
}

/**
 * FED-TOKEN-11, KEY-01: the assertion is RS512 with typ JWT, the simulator verified its signature
 * with the registered key, and that key is RSA of 2048 bits.
 */
export function assertionSignatureFindings(req: TokenRequest | undefined, publicKey: KeyObject): Finding[] {
  const out: Finding[] = keySizeFindings(publicKey, "the registered key");
  if (!req) return [...out, ...none("FED-TOKEN-11")];
  const header = assertionHeaderFindings(req, "FED-TOKEN-11");
  if (!req.assertion?.header) return [...out, ...header];
  const verified = assertionVerifiedFindings(req, "FED-TOKEN-11");
  const headerOk = header.length === 0;
  const verifiedOk = verified.every((f) => f.status === "passed");
  if (headerOk && verifiedOk && req.outcome === "issued")
    return [...out, finding("FED-TOKEN-11", "passed", "RS512, typ JWT, signature verified with the registered public key")];
  return [...out, ...header, ...(headerOk || !verifiedOk ? verified : [])];
}

/** `id`: the assertion's header says RS512 and typ JWT (no finding when it does; failed when it does not or does not decode). */
export function assertionHeaderFindings(req: TokenRequest, id: string): Finding[] {
  const header = req.assertion?.header;
  if (!header)
    return [finding(id, "failed", `the client_assertion is not a decodable JWT${req.assertion?.error ? ` (${req.assertion.error})` : ""}`)];
  const out: Finding[] = [];
  if (header.alg !== "RS512") out.push(finding(id, "failed", `client assertion alg ${JSON.stringify(header.alg ?? null)}; expected RS512`));
  if (header.typ !== "JWT") out.push(finding(id, "failed", `client assertion typ ${JSON.stringify(header.typ ?? null)}; expected "JWT"`));
  return out;
}

/** `id`: the simulator verified the assertion's signature with the registered key, by its own record of the request. */
export function assertionVerifiedFindings(req: TokenRequest, id: string): Finding[] {
  const said = `${req.outcome ?? "no answer"}${req.reason ? `: ${req.reason}` : ""}`;
  const exchange = exchangeOf(req);
  if (req.outcome === "issued") return [finding(id, "passed", "the simulator verified the signature with the registered public key")];
  if (req.clientAuthenticated)
    return [finding(id, "passed", `the simulator verified the client assertion, then refused the request for another reason (${said})`)];
  // The simulator checks the signature before the claims (jwtVerify): a refusal of the claims means the signature verified.
  if (req.outcome === "invalid_client" && /claim check failed|has expired|exp must be|jti/.test(req.reason ?? ""))
    return [finding(id, "passed", `the signature verified with the registered key; the simulator then refused the claims (${said})`)];
  if (req.outcome === "invalid_client" && /unknown client|must be signed with|not a signed JWT|has no iss/.test(req.reason ?? ""))
    return [
      finding(id, "inconclusive", `the simulator refused the client assertion before checking its signature (${said})`, { exchange }),
    ];
  if (req.outcome === "invalid_client")
    return [finding(id, "failed", `the simulator refused the client assertion (${said})`, { exchange })];
  return [finding(id, "inconclusive", `the token request was refused before the client assertion was verified (${said})`, { exchange })];
}

/** FED-TOKEN-07, FED-TOKEN-08: iss = sub = client_id, aud the token endpoint. */
export function assertionClaimFindings(req: TokenRequest | undefined, clientId: string, tokenEndpoint: string): Finding[] {
  if (!req) return none("FED-TOKEN-07", "FED-TOKEN-08");
  const p = req.assertion?.payload;
  if (!p)
    return [
      finding("FED-TOKEN-07", "failed", "the client_assertion has no decodable claims"),
      finding("FED-TOKEN-08", "inconclusive", "not judged: the client_assertion has no decodable claims"),
    ];
  const out: Finding[] = [];
  out.push(
    p.iss === clientId && p.sub === clientId
      ? finding("FED-TOKEN-07", "passed", "iss = sub = client_id")
      : finding(
          "FED-TOKEN-07",
          "failed",
          `iss ${JSON.stringify(p.iss ?? null)} and sub ${JSON.stringify(p.sub ?? null)}; ` +
            `both must be the client_id ${JSON.stringify(clientId)}`,
        ),
  );
  const aud = Array.isArray(p.aud) ? p.aud : [p.aud];
  out.push(
    aud.includes(tokenEndpoint)
      ? finding("FED-TOKEN-08", "passed", `aud is the token endpoint ${tokenEndpoint}`)
      : finding(
          "FED-TOKEN-08",
          "failed",
          `aud ${JSON.stringify(p.aud ?? null)}; expected the token endpoint ${tokenEndpoint} (not the issuer)`,
        ),
  );
  return out;
}

/** FED-TOKEN-09, FED-TOKEN-12: exp present, not past, at most 5 minutes ahead (warning above); iat not in the future. */
export function assertionLifetimeFindings(req: TokenRequest | undefined): Finding[] {
  if (!req) return none("FED-TOKEN-09", "FED-TOKEN-12");
  const p = req.assertion?.payload;
  if (!p)
    return [
      finding("FED-TOKEN-09", "failed", "the client_assertion has no decodable claims"),
      finding("FED-TOKEN-12", "inconclusive", "not judged: the client_assertion has no decodable claims"),
    ];
  const out: Finding[] = [];
  if (typeof p.exp !== "number") out.push(finding("FED-TOKEN-09", "failed", "the client assertion has no numeric exp"));
  else if (p.exp <= req.at)
    out.push(finding("FED-TOKEN-09", "failed", `the client assertion had expired when sent (exp ${p.exp}, received ${req.at})`));
  else if (p.exp - req.at > MAX_ASSERTION_SECONDS) {
    out.push(
      finding(
        "FED-TOKEN-09",
        "warning",
        `the client assertion lives ${p.exp - req.at} s after use; expected at most ${MAX_ASSERTION_SECONDS} s (short-lived)`,
      ),
    );
  } else out.push(finding("FED-TOKEN-09", "passed", `exp ${p.exp - req.at} s after use`));
  const exchange = exchangeOf(req);
  const iat = { expected: `at most ${req.at + 60} (received ${req.at}, 60 s leeway)`, actual: JSON.stringify(p.iat ?? null), exchange };
  if (p.iat === undefined) out.push(finding("FED-TOKEN-12", "skipped", "not applicable: the client assertion has no iat (optional)"));
  else if (typeof p.iat !== "number" || p.iat > req.at + 60)
    out.push(finding("FED-TOKEN-12", "failed", `iat ${JSON.stringify(p.iat)} is in the future (received ${req.at})`, iat));
  else out.push(finding("FED-TOKEN-12", "passed", `iat ${p.iat} is not in the future (received ${req.at})`, iat));
  return out;
}

/** FED-TOKEN-10: every assertion has a jti and no jti is used twice. */
export function jtiFindings(reqs: readonly TokenRequest[]): Finding[] {
  if (reqs.length < 2)
    return [
      finding(
        "FED-TOKEN-10",
        "failed",
        `${reqs.length} token request(s) observed across separate sign-ins; need at least 2 to compare jti values`,
      ),
    ];
  const jtis = reqs.map((r) => r.assertion?.payload?.jti);
  const missing = jtis.filter((j) => typeof j !== "string" || j === "").length;
  if (missing > 0) return [finding("FED-TOKEN-10", "failed", `${missing} of ${reqs.length} client assertions have no jti`)];
  const distinct = new Set(jtis).size;
  return distinct < jtis.length
    ? [
        finding(
          "FED-TOKEN-10",
          "failed",
          `${jtis.length} client assertions share ${distinct} jti value(s); NHS login refuses a replayed jti`,
        ),
      ]
    : [finding("FED-TOKEN-10", "passed", `${jtis.length} client assertions, each with its own jti`)];
}

/** FED-ARESP-04: no authorization code is redeemed twice. */
export function codeUseFindings(reqs: readonly TokenRequest[]): Finding[] {
  const counts = new Map<string, number>();
  for (const r of reqs) if (r.params.code) counts.set(r.params.code, (counts.get(r.params.code) ?? 0) + 1);
  const reused = [...counts.values()].filter((n) => n > 1);
  if (counts.size === 0)
    return [finding("FED-ARESP-04", "inconclusive", "no authorization code was sent to /token, so none could be reused")];
  return reused.length > 0
    ? [
        finding(
          "FED-ARESP-04",
          deviationStatus("FED-ARESP-04"),
          `an authorization code was sent to /token ${Math.max(...reused)} times; a code is single-use`,
        ),
      ]
    : [finding("FED-ARESP-04", "passed", `${counts.size} code(s), each redeemed once`)];
}
