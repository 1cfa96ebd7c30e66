/**
 * Drive one sign-in through a service as a browser would, and decide its outcome.
 *
 * GET the service's start URL and follow every redirect (through NHS login's `/authorize` and
 * back to the service's redirect URI), then GET the protected URL with the same cookies.
 * Signed in means the protected URL answers 2xx without sending the browser back to sign in;
 * the probe never follows a redirect to `/authorize`, so it cannot sign in again by itself.
 *
 * @example
 * ```ts
 * const journey = await signIn(browser, { startUrl, protectedUrl, authorizationEndpoint })
 * journey.signedIn            // true
 * journey.authorization?.params.state
 * ```
 */
import type { Browser, Hop, Navigation } from "./browser.ts";

export interface SignInTarget {
  startUrl: string;
  protectedUrl: string;
  /** NHS login's (the simulator's) authorization endpoint. */
  authorizationEndpoint: string;
}

/** The authorization request as the browser carried it to NHS login. */
export interface CapturedAuthorization {
  method: "GET" | "POST";
  url: string;
  /** Parameters (query for GET, form for POST); a repeated name keeps its first value. */
  params: Record<string, string>;
  /** Names that appeared more than once. */
  repeated: string[];
}

export interface ProtectedProbe {
  signedIn: boolean;
  navigation: Navigation;
  /** The authorization request the service sent the browser to instead, if any. */
  sentToSignIn?: URL;
}

export interface SignInJourney {
  navigation: Navigation;
  authorization?: CapturedAuthorization;
  /** The request to the service's redirect URI with NHS login's response, and its answer. */
  callback?: Hop;
  /** The last response of the sign-in navigation. */
  landing?: Hop;
  probe: ProtectedProbe;
  signedIn: boolean;
}

export interface SignInOptions {
  /** Change NHS login's redirect back to the service before following it. */
  rewriteCallback?: (url: URL) => URL;
}

/** True when `url` is `endpoint` (same origin and path, any query). */
export function isEndpoint(url: URL | string, endpoint: string): boolean {
  const u = new URL(url);
  const e = new URL(endpoint);
  return u.origin === e.origin && u.pathname === e.pathname;
}

export async function signIn(browser: Browser, target: SignInTarget, options: SignInOptions = {}): Promise<SignInJourney> {
  let fromAuthorize = false;
  const navigation = await browser.navigate(target.startUrl, {
    submitForms: (action) => isEndpoint(action, target.authorizationEndpoint),
    rewrite: (url) => (fromAuthorize && options.rewriteCallback ? options.rewriteCallback(url) : url),
    // Not a stop: just note when the next redirect comes from NHS login.
    stopBefore: (url) => {
      fromAuthorize = isEndpoint(url, target.authorizationEndpoint);
      return false;
    },
  });
  const i = navigation.hops.findIndex((h) => isEndpoint(h.url, target.authorizationEndpoint));
  const authorization = i >= 0 ? capture(navigation.hops[i]!) : undefined;
  const callback = i >= 0 && navigation.hops[i]!.location ? navigation.hops[i + 1] : undefined;
  const probe = await probeProtected(browser, target);
  return {
    navigation,
    ...(authorization ? { authorization } : {}),
    ...(callback ? { callback } : {}),
    ...(navigation.final ? { landing: navigation.final } : {}),
    probe,
    signedIn: probe.signedIn,
  };
}

/** GET the protected URL; signed in when it answers 2xx without a detour to `/authorize`. */
export async function probeProtected(
  browser: Browser,
  target: Pick<SignInTarget, "protectedUrl" | "authorizationEndpoint">,
): Promise<ProtectedProbe> {
  const navigation = await browser.navigate(target.protectedUrl, { stopBefore: (url) => isEndpoint(url, target.authorizationEndpoint) });
  const status = navigation.final?.status ?? 0;
  const signedIn = !navigation.stoppedBefore && !navigation.error && status >= 200 && status < 300;
  return { signedIn, navigation, ...(navigation.stoppedBefore ? { sentToSignIn: navigation.stoppedBefore } : {}) };
}

function capture(hop: Hop): CapturedAuthorization {
  const entries = hop.method === "POST" && hop.form ? Object.entries(hop.form) : [...new URL(hop.url).searchParams.entries()];
  const params: Record<string, string> = {};
  const repeated = new Set<string>();
  for (const [k, v] of entries) {
    if (Object.hasOwn(params, k)) repeated.add(k);
    else params[k] = v;
  }
  return { method: hop.method, url: hop.url, params, repeated: [...repeated] };
}
