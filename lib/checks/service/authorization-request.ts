/**
 * Findings about the authorization requests a service sends (EIS §3.4.1 Table 1; FED-AUTHZ-*,
 * FED-REG-*, VOT-04), taken from the redirect the browser followed to NHS login. Pure functions
 * of what was captured, testable on crafted input.
 *
 * @example
 * ```ts
 * responseTypeFindings([capture])                     // FED-AUTHZ-05 passed or failed
 * opaqueValueFindings(["FED-AUTHZ-09", "FED-AUTHZ-27"], "state", states)
 * ```
 */
import type { CapturedAuthorization } from "../../driver/index.ts";
import { deviationStatus, finding, type Finding } from "../../requirements/index.ts";
import { DEFAULT_VTR, DOCS_PROFILES, EIS_PROFILES, parseVtr } from "../../nhs/vot.ts";
import { isFederationScope, splitScope } from "../../nhs/scopes.ts";

/** The service's registration, as NHS login would hold it. */
export interface Registration {
  clientId: string;
  redirectUris: readonly string[];
  /** Approved scopes (openid included). */
  scopes: readonly string[];
  vtr: readonly string[];
}

type Captures = readonly (CapturedAuthorization | undefined)[];

/** A failed finding when no authorization request was captured, else undefined. */
function missing(id: string, captures: Captures): Finding | undefined {
  const n = captures.filter((c) => c === undefined).length;
  return n > 0
    ? finding(
        id,
        "failed",
        `${n} of ${captures.length} sign-ins never reached NHS login's /authorize: the service did not redirect the browser there`,
      )
    : undefined;
}

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

/** FED-AUTHZ-01, FED-AUTHZ-05, FED-GEN-02, FED-AUTHZ-22: GET query or form POST, response_type=code, no repeats. */
export function requestShapeFindings(captures: Captures): Finding[] {
  const none = missing("FED-AUTHZ-01", captures);
  if (none) return [none];
  const out: Finding[] = [];
  for (const c of captures as CapturedAuthorization[]) {
    if (c.repeated.length > 0)
      out.push(
        finding(
          "FED-AUTHZ-22",
          "failed",
          `parameters sent more than once: ${c.repeated.join(", ")}; NHS login rejects repeated parameters with invalid_request`,
        ),
      );
    const rt = c.params.response_type;
    if (rt !== "code")
      out.push(
        finding(
          "FED-AUTHZ-05",
          "failed",
          `response_type is ${JSON.stringify(rt ?? null)}; expected exactly "code" (authorization code flow only, FED-GEN-02)`,
        ),
      );
  }
  out.push(
    finding(
      "FED-AUTHZ-01",
      "passed",
      `the authorization request reached /authorize by ${[...new Set(captures.map((c) => c!.method))].join(" and ")}`,
    ),
  );
  if (!out.some((f) => f.requirement === "FED-AUTHZ-05")) out.push(finding("FED-AUTHZ-05", "passed", "response_type=code"));
  return out;
}

/** FED-AUTHZ-02, FED-REG-08, FED-AUTHZ-23, FED-AUTHZ-24: openid present, approved scopes only. */
export function scopeFindings(captures: Captures, approved: readonly string[]): Finding[] {
  const none = missing("FED-AUTHZ-02", captures);
  if (none) return [none];
  const out: Finding[] = [];
  for (const c of captures as CapturedAuthorization[]) {
    const scopes = splitScope(c.params.scope);
    if (!scopes.includes("openid"))
      out.push(finding("FED-AUTHZ-02", "failed", `scope ${JSON.stringify(c.params.scope ?? null)} lacks openid`));
    const unapproved = scopes.filter((s) => s !== "openid" && !approved.includes(s));
    if (unapproved.length > 0) {
      const documented = unapproved.filter(isFederationScope);
      out.push(
        finding(
          "FED-REG-08",
          "failed",
          `scopes not in the approved list (${approved.join(" ")}): ${unapproved.join(" ")}${documented.length > 0 ? " (NHS login answers invalid_scope)" : ""}`,
        ),
      );
    }
    if (scopes.includes("profile") && scopes.includes("basic_demographics"))
      out.push(finding("FED-AUTHZ-23", "failed", "profile and basic_demographics are requested together"));
    if (scopes.includes("gp_registration_details") && scopes.includes("gp_integration_credentials")) {
      out.push(finding("FED-AUTHZ-24", "warning", "gp_registration_details is unnecessary alongside gp_integration_credentials"));
    }
  }
  if (out.length === 0)
    out.push(
      finding(
        "FED-AUTHZ-02",
        "passed",
        `scope "${(captures[0] as CapturedAuthorization).params.scope}" includes openid and only approved scopes`,
      ),
    );
  return out;
}

/** FED-AUTHZ-06: client_id is the registered one. */
export function clientIdFindings(captures: Captures, clientId: string): Finding[] {
  const none = missing("FED-AUTHZ-06", captures);
  if (none) return [none];
  const wrong = (captures as CapturedAuthorization[]).map((c) => c.params.client_id).filter((v) => v !== clientId);
  return wrong.length > 0
    ? [
        finding(
          "FED-AUTHZ-06",
          "failed",
          `client_id ${JSON.stringify(wrong[0] ?? null)}; expected the registered ${JSON.stringify(clientId)}`,
        ),
      ]
    : [finding("FED-AUTHZ-06", "passed", `client_id ${JSON.stringify(clientId)}`)];
}

/** FED-AUTHZ-08: redirect_uri is https; plain http is tolerated (as a warning) on loopback only. */
export function redirectUriSchemeFindings(captures: Captures): Finding[] {
  const none = missing("FED-AUTHZ-08", captures);
  if (none) return [none];
  const out: Finding[] = [];
  for (const uri of new Set((captures as CapturedAuthorization[]).map((c) => c.params.redirect_uri))) {
    out.push(schemeFinding("FED-AUTHZ-08", "redirect_uri", uri));
  }
  return out;
}

function schemeFinding(id: string, what: string, uri: string | undefined): Finding {
  let u: URL;
  try {
    u = new URL(uri ?? "");
  } catch {
    return finding(id, "failed", `${what} ${JSON.stringify(uri ?? null)} is not an absolute URL`);
  }
  if (u.protocol === "https:") return finding(id, "passed", `${what} ${uri} uses https`);
  if (u.protocol === "http:" && isLoopbackHost(u.hostname)) {
    return finding(
      id,
      "warning",
      `${what} ${uri} uses plain http; tolerated on loopback for local testing only, NHS login accepts https only`,
    );
  }
  return finding(id, "failed", `${what} ${uri} uses ${u.protocol.replace(":", "")}; NHS login accepts https redirect URIs only`);
}

/** FED-AUTHZ-07, FED-REG-04: redirect_uri exactly equals a registered URI and has no query. */
export function redirectUriRegisteredFindings(captures: Captures, registered: readonly string[]): Finding[] {
  const none = missing("FED-AUTHZ-07", captures);
  if (none) return [none];
  const out: Finding[] = [];
  for (const uri of new Set((captures as CapturedAuthorization[]).map((c) => c.params.redirect_uri))) {
    if (uri === undefined) out.push(finding("FED-AUTHZ-07", "failed", "no redirect_uri was sent"));
    else if (!registered.includes(uri))
      out.push(
        finding(
          "FED-AUTHZ-07",
          "failed",
          `redirect_uri ${uri} is not character-for-character one of the registered ${registered.join(", ")}`,
        ),
      );
    else out.push(finding("FED-AUTHZ-07", "passed", `redirect_uri ${uri} is registered`));
    if (uri?.includes("?"))
      out.push(finding("FED-REG-04", "failed", `redirect_uri ${uri} carries a query string; put dynamic content in state`));
  }
  return out;
}

/**
 * An estimate of the entropy of an opaque value, in bits: its length (separators removed) times
 * the bits per character of the smallest usual alphabet it fits (digits, hex, base64url, printable).
 */
export function estimateEntropyBits(value: string): number {
  // Dashes in a hex value (a UUID) are layout, not entropy.
  const compact = /^[0-9a-fA-F-]+$/.test(value) ? value.replace(/-/g, "") : value;
  if (compact.length === 0) return 0;
  const alphabet = /^[0-9]+$/.test(compact)
    ? 10
    : /^[0-9a-f]+$/.test(compact) || /^[0-9A-F]+$/.test(compact)
      ? 16
      : /^[A-Za-z0-9_-]+$/.test(compact)
        ? 64
        : /^[A-Za-z0-9+/=]+$/.test(compact)
          ? 64
          : 95;
  // A value made of one repeated character carries nothing whatever its length.
  if (new Set(compact).size === 1) return 0;
  return Math.floor(compact.length * Math.log2(alphabet));
}

/** The harness threshold for state and nonce (FED-AUTHZ-09/10). */
export const MIN_ENTROPY_BITS = 128;

/**
 * FED-AUTHZ-09/10 with FED-AUTHZ-27: `name` (state or nonce) present in every request, at least
 * 128 bits by estimate, and different in every sign-in.
 */
export function opaqueValueFindings(ids: readonly [string, string], name: "state" | "nonce", captures: Captures): Finding[] {
  const [id, freshId] = ids;
  const none = missing(id, captures);
  if (none) return [none];
  const values = (captures as CapturedAuthorization[]).map((c) => c.params[name]);
  const out: Finding[] = [];
  const absent = values.filter((v) => v === undefined || v === "").length;
  if (absent > 0) out.push(finding(id, "failed", `${absent} of ${values.length} authorization requests have no ${name}`));
  const present = values.filter((v): v is string => !!v);
  const weak = present.map((v) => ({ v, bits: estimateEntropyBits(v) })).filter((x) => x.bits < MIN_ENTROPY_BITS);
  if (weak.length > 0)
    out.push(
      finding(
        id,
        "failed",
        `${name} ${JSON.stringify(weak[0]!.v.slice(0, 40))} has about ${weak[0]!.bits} bits of entropy; at least ${MIN_ENTROPY_BITS} expected`,
      ),
    );
  const distinct = new Set(present).size;
  if (present.length > 1 && distinct < present.length) {
    out.push(
      finding(
        id,
        "failed",
        `${name} repeats across ${present.length} separate sign-ins (${distinct} distinct value${distinct === 1 ? "" : "s"}); every sign-in needs a fresh one`,
      ),
    );
    out.push(finding(freshId, deviationStatus(freshId), `${name} is reused across sign-ins`));
  }
  if (out.length === 0) {
    out.push(
      finding(
        id,
        "passed",
        `${name} present, ${Math.min(...present.map(estimateEntropyBits))}+ bits by estimate, different in each of ${present.length} sign-ins`,
      ),
    );
    out.push(finding(freshId, "passed", `each sign-in used a fresh ${name}`));
  }
  return out;
}

/** FED-AUTHZ-15, VOT-04, FED-REG-06: vtr a JSON array of supported vectors equal to the registered one. */
export function vtrFindings(captures: Captures, registered: readonly string[]): Finding[] {
  const none = missing("FED-AUTHZ-15", captures);
  if (none) return [none];
  const out: Finding[] = [];
  for (const raw of new Set((captures as CapturedAuthorization[]).map((c) => c.params.vtr))) {
    let sent: string[];
    if (raw === undefined) {
      sent = [...DEFAULT_VTR];
      out.push(finding("FED-AUTHZ-15", "passed", `no vtr sent: NHS login assumes ${JSON.stringify(DEFAULT_VTR)}`));
    } else {
      try {
        sent = parseVtr(raw).map((v) => v.raw);
      } catch (err) {
        out.push(finding("FED-AUTHZ-15", "failed", `vtr ${JSON.stringify(raw)} is not a JSON array of vectors: ${(err as Error).message}`));
        continue;
      }
      out.push(finding("FED-AUTHZ-15", "passed", `vtr ${raw} is a JSON array of vectors`));
    }
    const unknown = sent.filter((v) => !EIS_PROFILES.includes(v));
    if (unknown.length > 0)
      out.push(finding("VOT-04", "failed", `vectors ${unknown.join(", ")} are not among the twelve profiles of EIS Table 21`));
    const offDocs = sent.filter((v) => EIS_PROFILES.includes(v) && !DOCS_PROFILES.includes(v));
    if (offDocs.length > 0)
      out.push(finding("VOT-04", "warning", `vectors ${offDocs.join(", ")} are not among the profiles the developer docs offer`));
    if (unknown.length === 0 && offDocs.length === 0) out.push(finding("VOT-04", "passed", "every vector is a documented profile"));
    const same =
      sent.length === registered.length && sent.every((v) => registered.includes(v)) && registered.every((v) => sent.includes(v));
    out.push(
      same
        ? finding("FED-REG-06", "passed", `vtr equals the registered ${JSON.stringify(registered)}`)
        : finding(
            "FED-REG-06",
            "failed",
            `vtr ${JSON.stringify(sent)} differs from the registered ${JSON.stringify(registered)}; NHS login rejects a mismatch`,
          ),
    );
  }
  return out;
}

/** Parameters NHS login does not support (FED-AUTHZ-11, FED-AUTHZ-14): each sent one is a warning. */
export const UNSUPPORTED_PARAMETERS = ["max_age", "ui_locales", "id_token_hint", "login_hint", "acr_values"] as const;

/** FED-AUTHZ-11, FED-AUTHZ-14: no unsupported parameters (warnings: often a client library default). */
export function unsupportedParameterFindings(captures: Captures): Finding[] {
  const none = missing("FED-AUTHZ-14", captures);
  if (none) return [none];
  const out: Finding[] = [];
  const all = captures as CapturedAuthorization[];
  const modes = [...new Set(all.map((c) => c.params.response_mode).filter((m) => m !== undefined && m !== "query"))];
  if (modes.length > 0)
    out.push(finding("FED-AUTHZ-11", "warning", `response_mode=${modes.join(", ")} sent; NHS login supports only the default query`));
  const sent = UNSUPPORTED_PARAMETERS.filter((p) => all.some((c) => c.params[p] !== undefined));
  if (sent.length > 0)
    out.push(
      finding(
        "FED-AUTHZ-14",
        "warning",
        `unsupported parameters sent: ${sent.join(", ")} (NHS login ignores or refuses them; often a client library default)`,
      ),
    );
  if (out.length === 0)
    out.push(finding("FED-AUTHZ-14", "passed", `none of response_mode (other than query), ${UNSUPPORTED_PARAMETERS.join(", ")} sent`));
  return out;
}

/** FED-AUTHZ-13, FED-AUTHZ-12, FED-AUTHZ-20: optional parameters, when sent, have allowed values. */
export function optionalParameterFindings(captures: Captures): Finding[] {
  const none = missing("FED-AUTHZ-13", captures);
  if (none) return [none];
  const out: Finding[] = [];
  for (const c of captures as CapturedAuthorization[]) {
    const { prompt, display, allow_registration: allowRegistration } = c.params;
    if (prompt !== undefined && !["", "none", "login"].includes(prompt))
      out.push(
        finding(
          "FED-AUTHZ-13",
          "failed",
          `prompt=${JSON.stringify(prompt)}; allowed: blank, none, login (NHS login answers invalid_request)`,
        ),
      );
    if (display !== undefined && !["page", "touch"].includes(display))
      out.push(finding("FED-AUTHZ-12", "warning", `display=${JSON.stringify(display)}; allowed: page, touch`));
    if (allowRegistration !== undefined && allowRegistration !== "false")
      out.push(
        finding(
          "FED-AUTHZ-20",
          "warning",
          `allow_registration=${JSON.stringify(allowRegistration)} has no effect; only the exact value false hides registration`,
        ),
      );
  }
  if (out.length === 0)
    out.push(finding("FED-AUTHZ-13", "passed", "prompt, display and allow_registration are absent or have allowed values"));
  return out;
}

/**
 * FED-REG-01..05: a lint of the service's registration: client_id, 1 to 10 redirect URIs, https,
 * no wildcard, no query, and openid among the scopes.
 */
export function registrationFindings(reg: Registration): Finding[] {
  const out: Finding[] = [];
  const problems: string[] = [];
  if (!reg.clientId) problems.push("no client_id");
  if (reg.redirectUris.length === 0) problems.push("no redirect URI");
  if (!reg.scopes.includes("openid")) problems.push("openid is not among the scopes");
  out.push(
    problems.length > 0
      ? finding("FED-REG-01", "failed", problems.join("; "))
      : finding(
          "FED-REG-01",
          "passed",
          `client ${reg.clientId} with ${reg.redirectUris.length} redirect URI(s) and scopes ${reg.scopes.join(" ")}`,
        ),
  );
  for (const uri of reg.redirectUris) {
    out.push(schemeFinding("FED-REG-02", "registered redirect URI", uri));
    if (uri.includes("*")) out.push(finding("FED-REG-03", "failed", `registered redirect URI ${uri} contains a wildcard`));
    if (uri.includes("?")) out.push(finding("FED-REG-04", "failed", `registered redirect URI ${uri} has a query string`));
  }
  out.push(
    reg.redirectUris.length > 10
      ? finding(
          "FED-REG-05",
          "failed",
          `${reg.redirectUris.length} redirect URIs registered; at most 10 are allowed (route on state instead)`,
        )
      : finding("FED-REG-05", "passed", `${reg.redirectUris.length} redirect URI(s), at most 10 allowed`),
  );
  return out;
}
