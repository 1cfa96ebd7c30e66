/**
 * Choose how to tell that the browser is signed in to the service, and prove it before trusting
 * it. Candidates, in order: SERVICE_PROTECTED_URL (a page that answers 2xx only when signed in),
 * SERVICE_SIGNED_IN_TEXT (text or a pattern on the page sign-in lands on, or on the protected
 * page), and, by default, data only NHS login gave (a simulated person's NHS number, family name
 * or email) on that page. A candidate is proven when a browser that never signed in does not
 * pass it and a browser that just signed in (no fault armed) does; the first proven one is used.
 * When none is, every verdict that needs it is inconclusive with the reasons.
 *
 * @example
 * ```ts
 * const choice = await chooseSignedInOracle(tools)
 * "unusable" in choice.oracle ? choice.oracle.unusable : choice.oracle.describe
 * ```
 */
import { SignedInUnknownError } from "../../errors/index.ts";
import { isEndpoint, judge, pageTextOracle, protectedUrlOracle, type SignedInOracle, type SignInTarget } from "../../driver/index.ts";
import { PERSONAS } from "../../simulator/personas.ts";
import type { ScenarioTools } from "./service-context.ts";

export interface OracleChoice {
  oracle: SignInTarget["oracle"];
  /** Why earlier candidates were not used, one line each. */
  rejected: string[];
}

/** Values only the simulator gives: each simulated person's NHS number (also spaced 3-3-4), family name and email. */
const MARKERS: readonly { label: string; test: (text: string) => boolean }[] = PERSONAS.flatMap((p) => [
  ...(p.nhsNumber
    ? [
        {
          label: `the NHS number ${p.nhsNumber} of the simulated person ${p.id}`,
          test: (t: string) => t.replace(/[\s-]/g, "").includes(p.nhsNumber!),
        },
      ]
    : []),
  ...(p.familyName
    ? [
        {
          label: `the family name ${p.familyName} of the simulated person ${p.id}`,
          test: (t: string) => t.toUpperCase().includes(p.familyName!),
        },
      ]
    : []),
  { label: `the email ${p.email} of the simulated person ${p.id}`, test: (t: string) => t.toLowerCase().includes(p.email) },
]);

/** Which simulated person's data `text` holds (their NHS number, family name or email), named for messages. */
export const findPersonData = (text: string) => MARKERS.find((m) => m.test(text))?.label;

function findText(wanted: string | RegExp): (text: string) => string | undefined {
  return (text) => {
    if (typeof wanted === "string") return text.includes(wanted) ? `the text ${JSON.stringify(wanted)}` : undefined;
    const m = wanted.exec(text);
    return m ? `${JSON.stringify(m[0].slice(0, 80))} (matching ${wanted})` : undefined;
  };
}

interface Candidate {
  name: string;
  /** The oracle, revisiting `revisitUrl` when it has one (a page oracle) or its own page (the protected URL). */
  make(revisitUrl: string | undefined): SignedInOracle;
  /** A page oracle: it may revisit the protected page, or the page the sign-in landed on, once each is proven. */
  page: boolean;
}

export async function chooseSignedInOracle(tools: ScenarioTools): Promise<OracleChoice> {
  const { target, endpoints } = tools;
  const authorizationEndpoint = endpoints.authorizationEndpoint;
  const candidates: Candidate[] = [];
  if (target.protectedUrl) {
    const url = target.protectedUrl;
    candidates.push({
      name: `SERVICE_PROTECTED_URL (${url})`,
      make: () => protectedUrlOracle(url, authorizationEndpoint),
      page: false,
    });
  }
  const pageCandidate = (name: string, describe: string, find: (t: string) => string | undefined): Candidate => ({
    name,
    page: true,
    make: (revisitUrl) => pageTextOracle(describe, find, { authorizationEndpoint, ...(revisitUrl ? { revisitUrl } : {}) }),
  });
  if (target.signedInText !== undefined)
    candidates.push(
      pageCandidate("SERVICE_SIGNED_IN_TEXT", `the signed-in text ${String(target.signedInText)}`, findText(target.signedInText)),
    );
  candidates.push(pageCandidate("page markers", "data only NHS login gave (a simulated NHS number, family name or email)", findPersonData));

  const rejected: string[] = [];
  for (const c of candidates) {
    const outcome = await prove(tools, c, target.protectedUrl);
    if (typeof outcome === "string") rejected.push(`${c.name}: ${outcome}`);
    else return { oracle: outcome, rejected };
  }
  return { oracle: { unusable: `no way of telling a signed-in browser was proven on this service (${rejected.join("; ")})` }, rejected };
}

/** The proven oracle of `c`, or why it cannot be trusted. */
async function prove(tools: ScenarioTools, c: Candidate, protectedUrl: string | undefined): Promise<SignedInOracle | string> {
  const base = c.make(protectedUrl);
  const signedIn = tools.browser();
  const journey = await tools.signIn(signedIn, {}, base);
  if (journey.notReached) return journey.notReached;
  if (!journey.callback) return "NHS login's answer never reached the service's redirect URI";
  // Only a sign-in NHS login completed (a code, no error) can prove anything.
  const answer = new URL(journey.callback.url).searchParams;
  if (!answer.has("code"))
    return (
      `NHS login (the simulator) answered the sign-in with error=${answer.get("error") ?? "(none)"}, not a code: ` +
      (answer.get("error_description") ?? "no description")
    );
  if (!journey.signedIn) return `after a sign-in NHS login completed without fault, ${journey.probe.evidence}`;
  const atStart = async (oracle: SignedInOracle) => {
    const fresh = tools.browser();
    const start = await fresh.navigate(tools.target.startUrl, { stopBefore: (u) => isEndpoint(u, tools.endpoints.authorizationEndpoint) });
    return judge(oracle, fresh, start.stoppedBefore ? undefined : start.final);
  };
  let oracle = base;
  if (c.page) {
    // A page to come back to (for the checks that ask again later): the protected page, else the page
    // the sign-in landed on unless that is the callback itself (revisiting it would replay the code).
    // Each is kept only if it shows the marker to the signed-in browser and not to a fresh one.
    const landing = journey.landing?.url;
    const options = [protectedUrl, landing !== journey.callback.url ? landing : undefined].filter((u): u is string => u !== undefined);
    let kept: SignedInOracle | undefined;
    for (const url of [...new Set(options)]) {
      const candidate = c.make(url);
      const now = await candidate.revisit!(signedIn);
      const fresh = await candidate.revisit!(tools.browser());
      if (now.signedIn && !fresh.signedIn) {
        kept = candidate;
        break;
      }
    }
    oracle = kept ?? c.make(undefined);
  }
  // A browser that never signed in must not pass: its start page, and the page revisited.
  const before = await atStart(oracle);
  if ("unusable" in before) return before.unusable;
  if (before.signedIn) return `a browser that never signed in already passes it: ${before.evidence}`;
  return oracle;
}

/**
 * Whether a journey ended signed in, or why no proven oracle can tell (reading `signedIn` throws
 * SignedInUnknownError then): the one way a rule turns that into an inconclusive finding.
 */
export function signedInVerdict(journey: { readonly signedIn: boolean }): { signedIn: boolean } | { unknown: string } {
  try {
    return { signedIn: journey.signedIn };
  } catch (err) {
    if (err instanceof SignedInUnknownError) return { unknown: err.message };
    throw err;
  }
}
