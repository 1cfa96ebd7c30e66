/**
 * Drive one sign-in through a service as a browser would, and decide its outcome.
 *
 * GET the service's start URL and follow every redirect and auto-submitting form (through NHS
 * login's `/authorize` and back to the service's redirect URI). A start page that does not go
 * to NHS login by itself is read for its sign-in link or form (sign-in-entry.ts), which is then
 * followed the same way. Whether the browser ended signed in is the oracle's verdict
 * (signed-in-oracle.ts), with its evidence; with no usable oracle, reading `signedIn` throws
 * {@link SignedInUnknownError}, so no check can take "unknown" for "not signed in".
 *
 * @example
 * ```ts
 * const journey = await signIn(browser, { startUrl, authorizationEndpoint, oracle })
 * journey.signedIn            // true
 * journey.probe.evidence      // "GET /account answered HTTP 200"
 * journey.authorization?.params.state
 * ```
 */
import { SignedInUnknownError } from "../errors/index.ts";
import type { Browser, Hop, Navigation, NavigateOptions, ScriptState } from "./browser.ts";
import type { BrowserSteps } from "./browser-steps.ts";
import { readPage } from "./html-page.ts";
import { type CapturedAuthorization, captureAuthorization } from "./capture-authorization.ts";
import { isEndpoint } from "./is-endpoint.ts";
import { describePage, findSignInEntry } from "./sign-in-entry.ts";
import type { SignedInOracle, SignedInVerdict } from "./signed-in-oracle.ts";

/** A verdict on a browser (kept under its old name: the protected page was the only oracle). */
export type ProtectedProbe = SignedInVerdict;

export interface SignInTarget {
  startUrl: string;
  /** NHS login's (the simulator's) authorization endpoint. */
  authorizationEndpoint: string;
  /** SERVICE_SIGN_IN_LINK: which link or form of the start page starts the sign-in. */
  signInLink?: string;
  /** How to tell the browser is signed in, or why that cannot be told. */
  oracle: SignedInOracle | { unusable: string };
  /** Browser mode: SERVICE_BROWSER_STEPS, run on the start page instead of one click. */
  browserSteps?: BrowserSteps;
}

export interface SignInJourney {
  navigation: Navigation;
  /** The link or form of the start page that was followed, when the start URL did not go to NHS login by itself. */
  entry?: string;
  /** Why the browser never reached NHS login's /authorize, naming what it saw instead. */
  notReached?: string;
  authorization?: CapturedAuthorization;
  /** The request to the service's redirect URI with NHS login's response, and its answer. */
  callback?: Hop;
  /** The last response of the sign-in navigation. */
  landing?: Hop;
  /** Browser mode: what the landing page's scripts could read once it settled. */
  script?: ScriptState;
  /** The oracle's verdict (reading it throws SignedInUnknownError when no oracle is usable). */
  probe: ProtectedProbe;
  /** `probe.signedIn` (the same rule on reading). */
  signedIn: boolean;
}

export interface SignInOptions {
  /** Change NHS login's redirect back to the service before following it. */
  rewriteCallback?: (url: URL) => URL;
}

export async function signIn(browser: Browser, target: SignInTarget, options: SignInOptions = {}): Promise<SignInJourney> {
  let fromAuthorize = false;
  const follow: NavigateOptions = {
    submitForms: (action) => isEndpoint(action, target.authorizationEndpoint),
    rewrite: (url) => (fromAuthorize && options.rewriteCallback ? options.rewriteCallback(url) : url),
    // Not a stop: just note when the next redirect comes from NHS login.
    stopBefore: (url) => {
      fromAuthorize = isEndpoint(url, target.authorizationEndpoint);
      return false;
    },
  };
  const reached = (n: Navigation) => n.hops.some((h) => isEndpoint(h.url, target.authorizationEndpoint));
  let navigation = await browser.navigate(target.startUrl, follow);
  let entry: string | undefined;
  let notReached: string | undefined;
  if (!reached(navigation)) {
    const start = navigation.final;
    // Browser mode clicks the control a person would (its handler may build the URL); the HTTP driver reads the page.
    const how = {
      ...(target.signInLink !== undefined ? { signInLink: target.signInLink } : {}),
      ...(target.browserSteps ? { steps: target.browserSteps } : {}),
    };
    const clicked = start && browser.clickSignIn ? await browser.clickSignIn(how, follow) : undefined;
    const found =
      !clicked && start && start.status < 400 && /html/i.test(start.contentType ?? "")
        ? findSignInEntry(readPage(start.body, new URL(start.url)), target)
        : undefined;
    if (clicked) {
      entry = `clicked ${clicked.clicked} on ${new URL(start!.url).pathname}`;
      navigation = { ...clicked.navigation, hops: [...navigation.hops, ...clicked.navigation.hops] };
    } else if (found) {
      entry = `${found.how} on ${new URL(start!.url).pathname}`;
      const more = await browser.navigate(found.url, { ...follow, method: found.method, ...(found.form ? { form: found.form } : {}) });
      navigation = { ...more, hops: [...navigation.hops, ...more.hops] };
    }
    if (!reached(navigation)) notReached = notReachedReason(navigation, start, entry, target, browser.clickSignIn !== undefined);
  }
  const i = navigation.hops.findIndex((h) => isEndpoint(h.url, target.authorizationEndpoint));
  const authorization = i >= 0 ? { ...captureAuthorization(navigation.hops[i]!), ...(entry ? { entry } : {}) } : undefined;
  // The request NHS login's redirect led to (in browser mode, script requests may come between).
  const back = i >= 0 ? navigation.hops[i]!.location : undefined;
  const callback = back ? (navigation.hops.slice(i + 1).find((h) => h.url === back && !h.script) ?? navigation.hops[i + 1]) : undefined;
  const script = browser.scriptState ? await browser.scriptState().catch(() => undefined) : undefined;
  const journey = {
    navigation,
    ...(entry ? { entry } : {}),
    ...(notReached ? { notReached } : {}),
    ...(authorization ? { authorization } : {}),
    ...(callback ? { callback } : {}),
    ...(navigation.final ? { landing: navigation.final } : {}),
    ...(script ? { script } : {}),
  };
  return withVerdict(journey, await judge(target.oracle, browser, navigation.final));
}

/** The oracle's verdict on `browser`, or the reason none can be given. */
export async function judge(
  oracle: SignInTarget["oracle"],
  browser: Browser,
  landing: Hop | undefined,
): Promise<SignedInVerdict | { unusable: string }> {
  return "unusable" in oracle ? oracle : oracle.judge(browser, landing);
}

/** Ask the oracle again, later, whether `browser` is still signed in (it throws when it cannot tell). */
export async function revisit(oracle: SignInTarget["oracle"], browser: Browser): Promise<ProtectedProbe> {
  if ("unusable" in oracle) throw new SignedInUnknownError(oracle.unusable);
  if (!oracle.revisit)
    throw new SignedInUnknownError(
      `the signed-in oracle (${oracle.describe}) has no page to revisit; set SERVICE_PROTECTED_URL to a page only a signed-in user sees`,
    );
  return oracle.revisit(browser);
}

/** A journey whose `probe` and `signedIn` are the verdict, or throw its reason when there is none. */
function withVerdict<J extends object>(
  journey: J,
  verdict: SignedInVerdict | { unusable: string },
): J & Pick<SignInJourney, "probe" | "signedIn"> {
  if (!("unusable" in verdict)) return { ...journey, probe: verdict, signedIn: verdict.signedIn };
  const fail = () => {
    throw new SignedInUnknownError(verdict.unusable);
  };
  return Object.defineProperties(
    { ...journey },
    { probe: { get: fail, enumerable: false }, signedIn: { get: fail, enumerable: false } },
  ) as J & Pick<SignInJourney, "probe" | "signedIn">;
}

function notReachedReason(
  navigation: Navigation,
  start: Hop | undefined,
  entry: string | undefined,
  target: SignInTarget,
  /** Browser mode (it clicks): the message then does not suggest it. */
  browserMode: boolean,
): string {
  const head = "the browser never reached NHS login's /authorize";
  if (!start) return `${head}: ${navigation.error ?? "the start URL did not answer"}`;
  const page = describePage(start);
  if (entry) {
    const end = navigation.final;
    const where = navigation.error ?? (end ? `it ended at ${new URL(end.url).pathname} (HTTP ${end.status})` : "no answer");
    return `${head}: ${entry}, but ${where}; the start page was ${page}`;
  }
  const hint =
    target.signInLink !== undefined
      ? `nothing on it matches SERVICE_SIGN_IN_LINK=${JSON.stringify(target.signInLink)}`
      : "no link or form on it leads there (name one with SERVICE_SIGN_IN_LINK)";
  const js = browserMode
    ? "no button or link named like sign in was there to click either"
    : "a sign-in started by JavaScript needs a real browser: set SERVICE_DRIVER=browser";
  return `${head}: the start page was ${page}; ${hint}; ${js}`;
}
