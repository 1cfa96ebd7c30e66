/**
 * How the harness tells that a browser is signed in to the service: a *signed-in oracle*. Three
 * kinds, each naming its evidence in the verdict:
 *
 * - `protectedUrlOracle`: a page that answers 2xx only to a signed-in browser (SERVICE_PROTECTED_URL);
 * - `pageTextOracle`: a marker on the page the sign-in lands on (or on a page revisited), e.g. the
 *   text of SERVICE_SIGNED_IN_TEXT, or data only NHS login gave (the person's NHS number).
 *
 * An oracle is trusted only once proven on the service (lib/checks/service/signed-in-oracle.ts).
 *
 * @example
 * ```ts
 * const oracle = protectedUrlOracle("http://127.0.0.1:8080/account", authorizationEndpoint)
 * const verdict = await oracle.judge(browser, journey.landing)
 * verdict.evidence // "GET /account answered HTTP 200"
 * ```
 */
import type { Browser, Hop, Navigation } from "./browser.ts";
import { readPage } from "./html-page.ts";
import { isEndpoint } from "./is-endpoint.ts";

/** Whether a browser is signed in, and what shows it. */
export interface SignedInVerdict {
  signedIn: boolean;
  /** What the verdict rests on: which page, which marker, which answer. */
  evidence: string;
  /** The revisit made for it, if any (empty when the verdict rests on the landing page alone). */
  navigation: Navigation;
  /** The authorization request the service sent the browser to instead, if any. */
  sentToSignIn?: URL;
}

export interface SignedInOracle {
  /** What it looks at, for messages, e.g. "GET /account answers 2xx". */
  describe: string;
  /** Judge a browser that just ended a sign-in on `landing`. */
  judge(browser: Browser, landing: Hop | undefined): Promise<SignedInVerdict>;
  /** Judge a browser later (a page to revisit); undefined when the oracle has none. */
  revisit?(browser: Browser): Promise<SignedInVerdict>;
}

const pathOf = (url: string) => new URL(url).pathname;

/** GET `url` without following a redirect to `/authorize`: signed in when it answers 2xx. */
export function protectedUrlOracle(url: string, authorizationEndpoint: string): SignedInOracle {
  const revisit = async (browser: Browser): Promise<SignedInVerdict> => {
    const navigation = await browser.navigate(url, { stopBefore: (u) => isEndpoint(u, authorizationEndpoint) });
    const last = navigation.final;
    const where = `GET ${pathOf(url)}`;
    if (navigation.stoppedBefore)
      return {
        signedIn: false,
        evidence: `${where} sent the browser to NHS login's /authorize`,
        navigation,
        sentToSignIn: navigation.stoppedBefore,
      };
    if (navigation.error) return { signedIn: false, evidence: `${where} did not answer: ${navigation.error}`, navigation };
    const status = last?.status ?? 0;
    const via = navigation.hops.length > 1 ? ` (after ${navigation.hops.length - 1} redirect(s), at ${pathOf(last!.url)})` : "";
    return { signedIn: status >= 200 && status < 300, evidence: `${where} answered HTTP ${status}${via}`, navigation };
  };
  return { describe: `GET ${pathOf(url)} answers 2xx`, judge: (browser) => revisit(browser), revisit };
}

/**
 * Signed in when the visible text of the landing page (or of `revisitUrl`) passes `find`, which
 * returns the marker it saw.
 */
export function pageTextOracle(
  describe: string,
  find: (text: string) => string | undefined,
  options: { revisitUrl?: string; authorizationEndpoint: string },
): SignedInOracle {
  const onPage = (hop: Hop | undefined) => {
    if (!hop || !/html|text\/plain/i.test(hop.contentType ?? "") || hop.status >= 400) return undefined;
    return find(/html/i.test(hop.contentType ?? "") ? readPage(hop.body, new URL(hop.url)).text : hop.body);
  };
  const revisit = options.revisitUrl
    ? async (browser: Browser): Promise<SignedInVerdict> => {
        const url = options.revisitUrl!;
        const navigation = await browser.navigate(url, { stopBefore: (u) => isEndpoint(u, options.authorizationEndpoint) });
        const seen = navigation.stoppedBefore || navigation.error ? undefined : onPage(navigation.final);
        const at = `GET ${pathOf(url)}`;
        if (seen) return { signedIn: true, evidence: `${at} shows ${seen}`, navigation };
        const what = navigation.stoppedBefore
          ? "sent the browser to NHS login's /authorize"
          : navigation.error
            ? `did not answer: ${navigation.error}`
            : `answered HTTP ${navigation.final?.status ?? 0} without ${describe}`;
        return {
          signedIn: false,
          evidence: `${at} ${what}`,
          navigation,
          ...(navigation.stoppedBefore ? { sentToSignIn: navigation.stoppedBefore } : {}),
        };
      }
    : undefined;
  return {
    describe,
    ...(revisit ? { revisit } : {}),
    judge: async (browser, landing) => {
      const seen = onPage(landing);
      if (seen) return { signedIn: true, evidence: `the page at ${pathOf(landing!.url)} shows ${seen}`, navigation: { hops: [] } };
      if (revisit) return revisit(browser);
      const evidence = landing
        ? `the page at ${pathOf(landing.url)} (HTTP ${landing.status}) does not show ${describe}`
        : `no page to look for ${describe} on`;
      return { signedIn: false, evidence, navigation: { hops: [] } };
    },
  };
}
