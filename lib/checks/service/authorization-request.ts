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
import { isLoopbackHost } from "../../http/is-loopback-host.ts";
import { Findings } from "../findings.ts";
import { pathOf } from "./page.ts";

/** The service's registration, as NHS login would hold it. */
export interface Registration {
  clientId: string;
  redirectUris: readonly string[];
  /** Approved scopes (openid included). */
  scopes: readonly string[];
  vtr: readonly string[];
}

/** Each sign-in's authorization request, or why the browser never carried one to NHS login. */
export type Captures = readonly (CapturedAuthorization | { notReached: string })[];

/**
 * When not every sign-in reached /authorize: `ids[0]` failed (the service did not redirect the
 * browser), the other IDs inconclusive for the same reason (nothing to judge them on). Undefined
 * when every sign-in was captured.
 */
function missing(ids: readonly [string, ...string[]], captures: Captures): Finding[] | undefined {
  if (captures.length === 0) return ids.map((i) => finding(i, "inconclusive", "no sign-in was made, so no authorization request was seen"));
  const unseen = captures.filter((c): c is { notReached: string } => "notReached" in c);
  if (unseen.length === 0) return undefined;
  // Nothing reached NHS login, so nothing can be judged: inconclusive, with what the browser saw instead.
  const why = `${unseen.length} of ${captures.length} sign-ins never reached NHS login's /authorize (${unseen[0]!.notReached})`;
  return ids.map((i) => finding(i, "inconclusive", why));
}

/** Where an authorization request was seen, for a finding's evidence. */
function exchangeOf(captures: readonly CapturedAuthorization[], index?: number): string {
  if (index !== undefined) return `${captures[index]!.method} ${pathOf(captures[index]!.url)} (sign-in ${index + 1} of ${captures.length})`;
  const methods = [...new Set(captures.map((c) => c.method))].join(" and ");
  return `${methods} ${pathOf(captures[0]!.url)} (${captures.length} authorization request${captures.length === 1 ? "" : "s"})`;
}

/** FED-AUTHZ-01, FED-AUTHZ-05, FED-GEN-02, FED-AUTHZ-22: GET query or form POST, response_type=code, no repeats. */
export function requestShapeFindings(captures: Captures): Finding[] {
  const none = missing(["FED-AUTHZ-01", "FED-AUTHZ-05", "FED-GEN-02", "FED-AUTHZ-22"], captures);
  if (none) return none;
  const all = captures as CapturedAuthorization[];
  const out = new Findings();
  all.forEach((c, i) => {
    const exchange = exchangeOf(all, i);
    if (Object.keys(c.params).length === 0) {
      // Nothing serialized where NHS login reads it: not a GET query, not a form body.
      const hash = safeHash(c.url);
      out.fail(
        "FED-AUTHZ-01",
        `${c.method} /authorize carried no parameters` +
          `${hash ? ` (they were in the URL fragment, which the browser never sends)` : ""}; ` +
          "expected a GET with the parameters in the query or a POST with a form-urlencoded body",
        {
          expected: "parameters in the query (GET) or the form body (POST)",
          actual: hash ? `fragment ${hash.slice(0, 80)}` : "none",
          exchange,
        },
      );
    }
    if (c.repeated.length > 0)
      out.fail(
        "FED-AUTHZ-22",
        `parameters sent more than once: ${c.repeated.join(", ")}; NHS login rejects repeated parameters with invalid_request`,
        { expected: "each parameter once", actual: c.repeated.join(", "), exchange },
      );
    const rt = c.params.response_type;
    if (rt !== "code") {
      const evidence = { expected: "code", actual: rt ?? "(absent)", exchange };
      out.fail(
        "FED-AUTHZ-05",
        `response_type is ${JSON.stringify(rt ?? null)}; expected exactly "code" (authorization code flow only, FED-GEN-02)`,
        evidence,
      );
      out.fail(
        "FED-GEN-02",
        `response_type is ${JSON.stringify(rt ?? null)}: not the authorization code flow (response_type=code), ` +
          "the only flow NHS login supports (no implicit or hybrid flow)",
        evidence,
      );
    }
  });
  const exchange = exchangeOf(all);
  const methods = [...new Set(all.map((c) => c.method))].join(" and ");
  // How the browser got there, when the start page did not send it by itself (a link followed, a control clicked).
  const entry = all.find((c) => c.entry)?.entry;
  out.pass(
    "FED-AUTHZ-01",
    `the authorization request reached /authorize by ${methods}${entry ? ` (${entry})` : ""}, its parameters serialized`,
    {
      exchange,
    },
  );
  out.pass("FED-AUTHZ-05", "response_type=code", { expected: "code", actual: "code", exchange });
  out.pass("FED-GEN-02", "every authorization request asks for the authorization code flow (response_type=code)", {
    expected: "code",
    actual: "code",
    exchange,
  });
  out.pass("FED-AUTHZ-22", `no parameter was sent more than once in ${all.length} authorization request(s)`, { exchange });
  return out.list();
}

/** The fragment of `url` (without #), or "" when it has none or is not a URL. */
function safeHash(url: string): string {
  try {
    return new URL(url).hash.slice(1);
  } catch {
    return "";
  }
}

/** FED-AUTHZ-02, FED-REG-08, FED-AUTHZ-23, FED-AUTHZ-24: openid present, approved scopes only, no redundant pairs. */
export function scopeFindings(captures: Captures, approved: readonly string[]): Finding[] {
  const none = missing(["FED-AUTHZ-02", "FED-REG-08", "FED-AUTHZ-23", "FED-AUTHZ-24", "FED-AUTHZ-26", "SCOPE-15"], captures);
  if (none) return none;
  const all = captures as CapturedAuthorization[];
  const out = new Findings();
  all.forEach((c, i) => {
    const scopes = splitScope(c.params.scope);
    const evidence = { actual: c.params.scope ?? "(absent)", exchange: exchangeOf(all, i) };
    if (!scopes.includes("openid"))
      out.fail("FED-AUTHZ-02", `scope ${JSON.stringify(c.params.scope ?? null)} lacks openid`, { expected: "openid", ...evidence });
    const unapproved = scopes.filter((s) => s !== "openid" && !approved.includes(s));
    if (unapproved.length > 0) {
      const documented = unapproved.filter(isFederationScope);
      out.fail(
        "FED-REG-08",
        `scopes not in the approved list (${approved.join(" ")}): ${unapproved.join(" ")}` +
          `${documented.length > 0 ? " (NHS login answers invalid_scope)" : ""}`,
        { expected: approved.join(" "), ...evidence },
      );
    }
    if (scopes.includes("profile") && scopes.includes("basic_demographics"))
      out.fail("FED-AUTHZ-23", "profile and basic_demographics are requested together", evidence);
    if (scopes.includes("gp_registration_details") && scopes.includes("gp_integration_credentials")) {
      out.warn("FED-AUTHZ-24", "gp_registration_details is unnecessary alongside gp_integration_credentials", evidence);
    }
    // SCOPE-15: documented scopes are lower case exactly as listed (a capital makes another, unknown scope).
    const miscased = scopes.filter((s) => !isFederationScope(s) && isFederationScope(s.toLowerCase()));
    if (miscased.length > 0)
      out.deviation(
        "SCOPE-15",
        `scope tokens ${miscased.join(" ")} differ in case from the documented ${miscased.map((s) => s.toLowerCase()).join(" ")}`,
        evidence,
      );
    if (scopes.includes("client_metadata") && !approved.includes("client_metadata"))
      out.deviation(
        "FED-AUTHZ-26",
        "client_metadata is requested, but it is a bespoke scope NHS login has not agreed for this service " +
          `(approved: ${approved.join(" ")})`,
        evidence,
      );
  });
  const requested = [...new Set(all.flatMap((c) => splitScope(c.params.scope)))].join(" ");
  const evidence = { actual: requested, exchange: exchangeOf(all) };
  out.pass("FED-AUTHZ-02", `scope "${all[0]!.params.scope}" includes openid`, { expected: "openid", ...evidence });
  out.pass("FED-REG-08", `only approved scopes are requested (${requested}; approved: ${approved.join(" ")})`, {
    expected: approved.join(" "),
    ...evidence,
  });
  out.pass("FED-AUTHZ-23", "profile and basic_demographics are never requested together", evidence);
  out.pass("SCOPE-15", "every documented scope is written in lower case, exactly as listed", evidence);
  if (all.some((c) => splitScope(c.params.scope).includes("client_metadata")))
    out.pass("FED-AUTHZ-26", "client_metadata is requested, and it is among the scopes agreed for this service", evidence);
  else out.skip("FED-AUTHZ-26", "not applicable: client_metadata is not requested");
  if (all.some((c) => splitScope(c.params.scope).includes("gp_integration_credentials")))
    out.pass("FED-AUTHZ-24", "gp_registration_details is not requested alongside gp_integration_credentials", evidence);
  else if (!out.flagged("FED-AUTHZ-24")) out.skip("FED-AUTHZ-24", "not applicable: gp_integration_credentials is not requested");
  return out.list();
}

/** FED-AUTHZ-06: client_id is the registered one. */
export function clientIdFindings(captures: Captures, clientId: string): Finding[] {
  const none = missing(["FED-AUTHZ-06"], captures);
  if (none) return none;
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

/**
 * FED-AUTHZ-08, FED-REG-02: redirect_uri is https; plain http is tolerated (as a warning) on
 * loopback only. The redirect_uri sent is the registered URI in use (FED-AUTHZ-07), so the same
 * verdict stands for the registration rule FED-REG-02 (no http redirect URI).
 */
export function redirectUriSchemeFindings(captures: Captures): Finding[] {
  const none = missing(["FED-AUTHZ-08", "FED-REG-02"], captures);
  if (none) return none;
  const all = captures as CapturedAuthorization[];
  const out: Finding[] = [];
  for (const uri of new Set(all.map((c) => c.params.redirect_uri))) {
    const exchange = exchangeOf(all.filter((c) => c.params.redirect_uri === uri));
    out.push(schemeFinding("FED-AUTHZ-08", "redirect_uri", uri, exchange));
    out.push(
      uri === undefined
        ? finding("FED-REG-02", "inconclusive", "no redirect_uri was sent, so the scheme of the redirect URI in use is unknown", {
            exchange,
          })
        : schemeFinding("FED-REG-02", "the redirect URI in use (redirect_uri)", uri, exchange),
    );
  }
  return out;
}

function schemeFinding(id: string, what: string, uri: string | undefined, exchange?: string): Finding {
  const evidence = { expected: "https", actual: uri ?? "(absent)", ...(exchange ? { exchange } : {}) };
  let u: URL;
  try {
    u = new URL(uri ?? "");
  } catch {
    return finding(id, "failed", `${what} ${JSON.stringify(uri ?? null)} is not an absolute URL`, evidence);
  }
  if (u.protocol === "https:") return finding(id, "passed", `${what} ${uri} uses https`, evidence);
  if (u.protocol === "http:" && isLoopbackHost(u.hostname)) {
    return finding(
      id,
      "warning",
      `${what} ${uri} uses plain http; tolerated on loopback for local testing only, NHS login accepts https only`,
      evidence,
    );
  }
  return finding(id, "failed", `${what} ${uri} uses ${u.protocol.replace(":", "")}; NHS login accepts https redirect URIs only`, evidence);
}

/** FED-AUTHZ-07, FED-REG-04: redirect_uri exactly equals a registered URI and has no query. */
export function redirectUriRegisteredFindings(captures: Captures, registered: readonly string[]): Finding[] {
  const none = missing(["FED-AUTHZ-07", "FED-REG-04"], captures);
  if (none) return none;
  const all = captures as CapturedAuthorization[];
  const out = new Findings();
  for (const uri of new Set(all.map((c) => c.params.redirect_uri))) {
    const exchange = exchangeOf(all.filter((c) => c.params.redirect_uri === uri));
    const evidence = { expected: registered.join(", "), actual: uri ?? "(absent)", exchange };
    if (uri === undefined) {
      out.fail("FED-AUTHZ-07", "no redirect_uri was sent", evidence);
      out.inconclusive("FED-REG-04", "no redirect_uri was sent, so its query string could not be examined", { exchange });
      continue;
    }
    if (!registered.includes(uri))
      out.fail(
        "FED-AUTHZ-07",
        `redirect_uri ${uri} is not character-for-character one of the registered ${registered.join(", ")}`,
        evidence,
      );
    else out.add("FED-AUTHZ-07", "passed", `redirect_uri ${uri} is registered`, evidence);
    if (uri.includes("?"))
      out.fail("FED-REG-04", `redirect_uri ${uri} carries a query string; put dynamic content in state`, {
        expected: "no query string",
        actual: uri,
        exchange,
      });
    else out.pass("FED-REG-04", `redirect_uri ${uri} carries no query string`, { expected: "no query string", actual: uri, exchange });
  }
  return out.list();
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
  const none = missing(ids, captures);
  if (none) return none;
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
        `${name} ${JSON.stringify(weak[0]!.v.slice(0, 40))} has about ${weak[0]!.bits} bits of entropy; ` +
          `at least ${MIN_ENTROPY_BITS} expected`,
      ),
    );
  const distinct = new Set(present).size;
  if (present.length > 1 && distinct < present.length) {
    out.push(
      finding(
        id,
        "failed",
        `${name} repeats across ${present.length} separate sign-ins (${distinct} distinct value${distinct === 1 ? "" : "s"}); ` +
          `every sign-in needs a fresh one`,
      ),
    );
    out.push(finding(freshId, deviationStatus(freshId), `${name} is reused across sign-ins`));
  }
  if (out.length === 0) {
    out.push(
      finding(
        id,
        "passed",
        `${name} present, ${Math.min(...present.map(estimateEntropyBits))}+ bits by estimate, ` +
          `different in each of ${present.length} sign-ins`,
      ),
    );
    out.push(finding(freshId, "passed", `each sign-in used a fresh ${name}`));
  }
  return out;
}

/** FED-AUTHZ-15, VOT-04, FED-REG-06: vtr a JSON array of supported vectors equal to the registered one. */
export function vtrFindings(captures: Captures, registered: readonly string[]): Finding[] {
  const none = missing(["FED-AUTHZ-15", "VOT-04", "FED-REG-06"], captures);
  if (none) return none;
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
        const why = `vtr ${JSON.stringify(raw)} is not a JSON array of vectors: ${(err as Error).message}`;
        out.push(finding("FED-AUTHZ-15", "failed", why));
        for (const id of ["VOT-04", "FED-REG-06"]) out.push(finding(id, "inconclusive", `not judged: ${why}`));
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
  const none = missing(["FED-AUTHZ-14", "FED-AUTHZ-11"], captures);
  if (none) return none;
  const all = captures as CapturedAuthorization[];
  const out = new Findings();
  const exchange = exchangeOf(all);
  const modes = [...new Set(all.map((c) => c.params.response_mode).filter((m) => m !== undefined && m !== "query"))];
  if (modes.length > 0)
    out.warn("FED-AUTHZ-11", `response_mode=${modes.join(", ")} sent; NHS login supports only the default query`, {
      expected: "query (or absent)",
      actual: modes.join(", "),
      exchange,
    });
  const sent = UNSUPPORTED_PARAMETERS.filter((p) => all.some((c) => c.params[p] !== undefined));
  if (sent.length > 0)
    out.warn(
      "FED-AUTHZ-14",
      `unsupported parameters sent: ${sent.join(", ")} (NHS login ignores or refuses them; often a client library default)`,
      { actual: sent.join(", "), exchange },
    );
  out.pass("FED-AUTHZ-14", `none of ${UNSUPPORTED_PARAMETERS.join(", ")} sent`, { exchange });
  const query = all.some((c) => c.params.response_mode === "query");
  out.pass("FED-AUTHZ-11", query ? "response_mode=query, the supported default" : "no response_mode sent: the default query applies", {
    expected: "query (or absent)",
    actual: query ? "query" : "(absent)",
    exchange,
  });
  return out.list();
}

/**
 * FED-AUTHZ-13, FED-AUTHZ-12, FED-AUTHZ-20: optional parameters, when sent, have allowed values;
 * display and allow_registration are not applicable when never sent.
 */
export function optionalParameterFindings(captures: Captures): Finding[] {
  const none = missing(["FED-AUTHZ-13", "FED-AUTHZ-12", "FED-AUTHZ-20"], captures);
  if (none) return none;
  const all = captures as CapturedAuthorization[];
  const out = new Findings();
  all.forEach((c, i) => {
    const { prompt, display, allow_registration: allowRegistration } = c.params;
    const exchange = exchangeOf(all, i);
    if (prompt !== undefined && !["", "none", "login"].includes(prompt))
      out.fail("FED-AUTHZ-13", `prompt=${JSON.stringify(prompt)}; allowed: blank, none, login (NHS login answers invalid_request)`, {
        expected: "blank, none or login",
        actual: prompt,
        exchange,
      });
    if (display !== undefined && !["page", "touch"].includes(display))
      out.warn("FED-AUTHZ-12", `display=${JSON.stringify(display)}; allowed: page, touch`, {
        expected: "page or touch",
        actual: display,
        exchange,
      });
    if (allowRegistration !== undefined && allowRegistration !== "false")
      out.warn(
        "FED-AUTHZ-20",
        `allow_registration=${JSON.stringify(allowRegistration)} has no effect; only the exact value false hides registration`,
        { expected: "false", actual: allowRegistration, exchange },
      );
  });
  const exchange = exchangeOf(all);
  const values = (name: string) => [...new Set(all.map((c) => c.params[name]).filter((v): v is string => v !== undefined))];
  const prompts = values("prompt");
  out.pass(
    "FED-AUTHZ-13",
    prompts.length > 0
      ? `prompt=${prompts.map((p) => JSON.stringify(p)).join(", ")}: allowed values`
      : "no prompt sent (allowed: prompt is optional)",
    { expected: "absent, blank, none or login", actual: prompts.join(", ") || "(absent)", exchange },
  );
  const displays = values("display");
  if (displays.length === 0) out.skip("FED-AUTHZ-12", "not applicable: display was not sent (the default, page, applies)");
  else
    out.pass("FED-AUTHZ-12", `display=${displays.join(", ")}: allowed`, {
      expected: "page or touch",
      actual: displays.join(", "),
      exchange,
    });
  const registrations = values("allow_registration");
  if (registrations.length === 0)
    out.skip("FED-AUTHZ-20", "not applicable: allow_registration was not sent (registration options are shown)");
  else
    out.pass("FED-AUTHZ-20", "allow_registration=false hides the registration options", { expected: "false", actual: "false", exchange });
  return out.list();
}

/**
 * FED-REG-01..05: a lint of the service's registration: client_id, 1 to 10 redirect URIs, https,
 * no wildcard, no query, and openid among the scopes.
 */
export function registrationFindings(reg: Registration): Finding[] {
  const out = new Findings();
  const problems: string[] = [];
  if (!reg.clientId) problems.push("no client_id");
  if (reg.redirectUris.length === 0) problems.push("no redirect URI");
  if (!reg.scopes.includes("openid")) problems.push("openid is not among the scopes");
  if (problems.length > 0) out.fail("FED-REG-01", problems.join("; "));
  else
    out.add(
      "FED-REG-01",
      "passed",
      `client ${reg.clientId} with ${reg.redirectUris.length} redirect URI(s) and scopes ${reg.scopes.join(" ")}`,
    );
  for (const uri of reg.redirectUris) {
    out.addAll([schemeFinding("FED-REG-02", "registered redirect URI", uri)]);
    if (uri.includes("*")) out.fail("FED-REG-03", `registered redirect URI ${uri} contains a wildcard`, { actual: uri });
    if (uri.includes("?")) out.fail("FED-REG-04", `registered redirect URI ${uri} has a query string`, { actual: uri });
  }
  const uris = reg.redirectUris.join(", ");
  if (reg.redirectUris.length === 0) {
    for (const id of ["FED-REG-02", "FED-REG-03", "FED-REG-04"])
      out.inconclusive(id, "no redirect URI is registered, so none could be examined");
  } else {
    out.pass("FED-REG-03", `none of the ${reg.redirectUris.length} registered redirect URI(s) contains a wildcard`, {
      expected: "no *",
      actual: uris,
    });
    out.pass("FED-REG-04", `none of the ${reg.redirectUris.length} registered redirect URI(s) has a query string`, {
      expected: "no query string",
      actual: uris,
    });
  }
  if (reg.redirectUris.length > 10)
    out.fail("FED-REG-05", `${reg.redirectUris.length} redirect URIs registered; at most 10 are allowed (route on state instead)`, {
      expected: "at most 10",
      actual: String(reg.redirectUris.length),
    });
  else out.add("FED-REG-05", "passed", `${reg.redirectUris.length} redirect URI(s), at most 10 allowed`);
  return out.list();
}

/** The two-factor credential sets of EIS Table 21: a bare password (Cp) is one factor. */
const TWO_FACTOR = (credentials: readonly string[]) => credentials.includes("Cm") || (credentials.includes("Cp") && credentials.length > 1);

/**
 * FED-AUTHZ-17 (SHOULD): every vector names its proofing level (a P value); a single-level
 * service sends one. VOT-12 (SHOULD): a P9 vector asks for two factors, never a bare Cp.
 * FED-AUTHZ-25 (MUST, the service's part): when gp_integration_credentials is asked for, every
 * vector is P9 and two-factor (Cp.Cd, Cp.Ck or Cm; never a bare Cp). A vtr that does not parse is
 * judged by FED-AUTHZ-15, not here.
 */
export function vtrLevelFindings(captures: Captures): Finding[] {
  const none = missing(["FED-AUTHZ-17", "FED-AUTHZ-25", "VOT-12"], captures);
  if (none) return none;
  const all = captures as CapturedAuthorization[];
  const out = new Findings();
  let parsed = 0;
  let gp = 0;
  const levels = new Set<string>();
  all.forEach((c, i) => {
    let vectors: ReturnType<typeof parseVtr>;
    try {
      vectors = c.params.vtr === undefined ? parseVtr(JSON.stringify(DEFAULT_VTR)) : parseVtr(c.params.vtr);
    } catch {
      return;
    }
    parsed += 1;
    const evidence = { actual: c.params.vtr ?? `(absent: ${JSON.stringify(DEFAULT_VTR)})`, exchange: exchangeOf(all, i) };
    const levelless = vectors.filter((v) => v.proofing === undefined).map((v) => v.raw);
    if (levelless.length > 0)
      out.deviation("FED-AUTHZ-17", `vectors ${levelless.join(", ")} name no proofing level (P0, P5 or P9)`, evidence);
    for (const v of vectors) if (v.proofing) levels.add(v.proofing);
    const oneFactorHigh = vectors.filter((v) => v.proofing === "P9" && !TWO_FACTOR(v.credentials)).map((v) => v.raw);
    if (oneFactorHigh.length > 0)
      out.deviation(
        "VOT-12",
        `vectors ${oneFactorHigh.join(", ")} ask for P9 with one factor; high assurance wants Cp.Cd, Cp.Ck or Cm`,
        evidence,
      );
    if (splitScope(c.params.scope).includes("gp_integration_credentials")) {
      gp += 1;
      const weak = vectors.filter((v) => v.proofing !== "P9" || !TWO_FACTOR(v.credentials)).map((v) => v.raw);
      if (weak.length > 0)
        out.deviation(
          "FED-AUTHZ-25",
          `gp_integration_credentials is asked for with vectors ${weak.join(", ")}; it needs P9 and two factors (Cp.Cd, Cp.Ck or Cm)`,
          evidence,
        );
    }
  });
  if (parsed === 0) {
    for (const id of ["FED-AUTHZ-17", "FED-AUTHZ-25", "VOT-12"]) out.skip(id, "not judged: no vtr parsed (FED-AUTHZ-15 says why)");
    return out.list();
  }
  out.pass(
    "FED-AUTHZ-17",
    levels.size === 1
      ? `every vector names the one proofing level ${[...levels][0]}`
      : `every vector names a proofing level (${[...levels].join(", ")}: a multi-level service, STEPUP-01)`,
  );
  if (levels.has("P9")) out.pass("VOT-12", "every P9 vector asks for two factors (Cp.Cd, Cp.Ck or Cm)");
  else out.skip("VOT-12", "not applicable: no vector asks for P9");
  if (gp > 0) out.pass("FED-AUTHZ-25", "gp_integration_credentials is asked for with P9 two-factor vectors only");
  else out.skip("FED-AUTHZ-25", "not applicable: gp_integration_credentials is not requested");
  return out.list();
}
