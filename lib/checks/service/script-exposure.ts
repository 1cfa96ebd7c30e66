/**
 * FED-GEN-04 as only a browser can judge it (SERVICE_DRIVER=browser): after sign-in, can the
 * service's page scripts read a token or the authorization code, and can a foreign site's
 * scripts read what the service's API answers? Tokens and codes must stay on the service's
 * backend (FED-GEN-03, FED-GEN-04, FED-GEN-06: only /authorize goes through the user agent).
 *
 * @example
 * ```ts
 * scriptReadableFindings(journey, ["http://127.0.0.1:8080"])
 * // [{ requirement: "FED-GEN-04", status: "failed", message: "a token is in localStorage (key \"id_token\") ..." }]
 * ```
 */
import { finding, type Finding } from "../../requirements/index.ts";
import type { RawAnswer, SignInJourney } from "../../driver/index.ts";
import { JWT } from "./session.ts";

/** A token's first characters, for evidence (never the whole token). */
const shortened = (token: string) => `${token.slice(0, 24)}…`;

/** The authorization code NHS login sent back, from the callback URL (undefined when none). */
function codeOf(journey: SignInJourney): string | undefined {
  if (!journey.callback) return undefined;
  return new URL(journey.callback.url).searchParams.get("code") ?? undefined;
}

/** Where a secret can be read by script: the places, each with a label for messages. */
function readable(journey: SignInJourney, serviceOrigins: readonly string[]): { where: string; text: string; answer?: true }[] {
  const s = journey.script;
  if (!s) return [];
  const page = new URL(s.url).pathname;
  return [
    { where: `the text of the page at ${page}`, text: s.text },
    ...Object.entries(s.localStorage).map(([k, v]) => ({ where: `localStorage (key ${JSON.stringify(k)})`, text: v })),
    ...Object.entries(s.sessionStorage).map(([k, v]) => ({ where: `sessionStorage (key ${JSON.stringify(k)})`, text: v })),
    { where: "a cookie scripts can read (document.cookie)", text: s.cookies },
    ...journey.navigation.hops
      .filter((h) => h.script && serviceOrigins.includes(new URL(h.url).origin))
      .map((h) => ({
        where: `the answer to the page script's ${h.method} ${new URL(h.url).pathname}`,
        text: h.body,
        answer: true as const,
      })),
  ];
}

/** FED-GEN-04: no token and no authorization code where the service's page scripts can read them. */
export function scriptReadableFindings(journey: SignInJourney, serviceOrigins: readonly string[]): Finding[] {
  if (!journey.callback)
    return [
      finding("FED-GEN-04", "inconclusive", "no sign-in reached the service's redirect URI, so nothing was issued that scripts could read"),
    ];
  if (!journey.script) return [finding("FED-GEN-04", "inconclusive", "the page's script state could not be read after sign-in")];
  const code = codeOf(journey);
  const places = readable(journey, serviceOrigins);
  const out: Finding[] = [];
  for (const p of places) {
    const token = JWT.exec(p.text)?.[0];
    if (token)
      out.push(finding("FED-GEN-04", "failed", `a token is in ${p.where}, readable by page scripts`, { actual: shortened(token) }));
    else if (code && code.length >= 16 && p.text.includes(code))
      out.push(finding("FED-GEN-04", "failed", `the authorization code is in ${p.where}, readable by page scripts`));
  }
  const answers = places.filter((p) => p.answer).length;
  if (out.length === 0)
    out.push(
      finding(
        "FED-GEN-04",
        "passed",
        `no token or code in the page's text, storage, script-readable cookies or ${answers} answers to its scripts`,
      ),
    );
  return out;
}

/** One of the service's script endpoints, asked again from a foreign origin. */
export interface CrossOriginProbe {
  method: "GET" | "POST";
  url: string;
  /** What the page's own script got back (what a foreign site could read if allowed). */
  body: string;
  /** The answer to the foreign origin: the GET itself, or the preflight of a POST. */
  answer?: RawAnswer;
  error?: string;
}

/** The origin the probes pretend to come from. */
export const FOREIGN_ORIGIN = "https://foreign-site.invalid";

/** What a body reveals: a token, or a person's data (`personalData` names what it found, e.g. the signed-in oracle's markers). */
function reveals(body: string, personalData: (text: string) => string | undefined): string | undefined {
  if (JWT.test(body)) return "a token";
  const found = personalData(body);
  return found ? `personal data (${found})` : undefined;
}

/**
 * FED-GEN-04: a foreign origin must not be able to read, with the user's cookies, what the
 * service's API answers its own scripts. Allowed means `Access-Control-Allow-Origin` names the
 * foreign origin with `Access-Control-Allow-Credentials: true` (on the answer, or on the
 * preflight of a POST). A token so exposed fails; personal data alone warns (the catalogue has no
 * rule of its own for it; FED-GEN-04's confidentiality is the nearest).
 */
export function crossOriginFindings(
  probes: readonly CrossOriginProbe[],
  personalData: (text: string) => string | undefined,
  signedIn = true,
): Finding[] {
  if (probes.length === 0 && !signedIn)
    return [finding("FED-GEN-04", "inconclusive", "no sign-in reached the service's redirect URI, so its API was not seen in use")];
  if (probes.length === 0)
    return [
      finding(
        "FED-GEN-04",
        "skipped",
        "not applicable: the service's pages made no script request to the service, so there is no API a foreign site could call",
      ),
    ];
  const out: Finding[] = [];
  for (const p of probes) {
    const where = `${p.method} ${new URL(p.url).pathname}`;
    if (!p.answer) {
      out.push(finding("FED-GEN-04", "inconclusive", `${where} could not be asked from ${FOREIGN_ORIGIN}: ${p.error ?? "no answer"}`));
      continue;
    }
    const h = p.answer.headers;
    const allowed = h["access-control-allow-origin"] === FOREIGN_ORIGIN && h["access-control-allow-credentials"] === "true";
    // A GET is judged on what the foreign origin got back; a POST (asked by its preflight only) on what the endpoint gave the page.
    const what = reveals(p.method === "GET" ? p.answer.body : p.body, personalData);
    const evidence = {
      expected: "no Access-Control-Allow-Origin for a foreign origin with credentials",
      actual: `Access-Control-Allow-Origin: ${h["access-control-allow-origin"] ?? "(none)"}; Access-Control-Allow-Credentials: ${
        h["access-control-allow-credentials"] ?? "(none)"
      }`,
      exchange: `${p.method === "POST" ? "OPTIONS" : "GET"} ${p.url} with Origin: ${FOREIGN_ORIGIN}`,
    };
    if (allowed && what) {
      const how = p.method === "GET" ? "answered it, with the user's cookies," : "allows it, by the preflight,";
      const tail =
        what === "a token"
          ? ""
          : " (no catalogue rule covers personal data; FED-GEN-04, tokens kept confidential, is the nearest, so this only warns)";
      const message =
        `${where} lets ${FOREIGN_ORIGIN} read an answer holding ${what}: ` + `it ${how} naming that origin with credentials${tail}`;
      out.push(finding("FED-GEN-04", what === "a token" ? "failed" : "warning", message, evidence));
    }
  }
  if (out.length === 0)
    out.push(
      finding(
        "FED-GEN-04",
        "passed",
        `${probes.length} API request(s) of the service's scripts refuse a foreign origin, or reveal nothing`,
      ),
    );
  return out;
}
