/**
 * The scenarios the service checks observe, each a short piece of driving with the simulator
 * armed for it. Results are cached per context, so several checks share one run.
 *
 * @example
 * ```ts
 * const { journeys, events } = await signIns(ctx)   // three fresh browsers sign in
 * const { journey } = await faultSignIn(ctx, "id-token-nonce-wrong")
 * ```
 */
import type { Browser, Hop, Navigation, ProtectedProbe, SignInJourney } from "../../driver/index.ts";
import { FOREIGN_ORIGIN, type CrossOriginProbe } from "./script-exposure.ts";
import { findSignOutEntry, isEndpoint, type PageEntry, readPage } from "../../driver/index.ts";
import type { SimulatorEvent } from "../../simulator/state.ts";
import type { AuthorizeErrorCode, FaultId } from "../../simulator/faults.ts";
import type { ScenarioTools, ServiceContext } from "./service-context.ts";
import { SignedInUnknownError } from "../../errors/index.ts";

/** How many separate sign-ins the uniqueness checks compare. */
export const SIGN_IN_COUNT = 3;

export interface JourneyResult {
  journey: SignInJourney;
  events: SimulatorEvent[];
  /** Set when the service stopped answering after this scenario: why, naming it. */
  serviceDown?: string;
}

/** Several fresh browsers sign in one after another (no faults). The first is the happy path. */
export function signIns(ctx: ServiceContext): Promise<{ journeys: SignInJourney[]; events: SimulatorEvent[] }> {
  return ctx.scenario("sign-ins", async (s) => {
    const journeys: SignInJourney[] = [];
    for (let i = 0; i < SIGN_IN_COUNT; i++) journeys.push(await s.signIn(s.browser()));
    return { journeys, events: await s.events() };
  });
}

/** One sign-in with a simulator fault armed. */
export function faultSignIn(ctx: ServiceContext, fault: FaultId): Promise<JourneyResult> {
  return ctx.scenario(`fault:${fault}`, async (s) => {
    await s.arm({ faults: [fault] });
    const journey = await s.signIn(s.browser());
    return { journey, events: await s.events() };
  });
}

/** Authorization responses the error checks send the service. */
export type AuthorizationErrorKind = AuthorizeErrorCode | "unknown-error" | "state-missing" | "state-wrong";

/** An error code no specification defines, and markup a careless page would run. */
export const UNKNOWN_ERROR = "x_harness_unknown_error";
export const HOSTILE_DESCRIPTION = '<script>alert("nhslogin-conformance")</script>';

export function authorizationError(ctx: ServiceContext, kind: AuthorizationErrorKind): Promise<JourneyResult> {
  return ctx.scenario(`error:${kind}`, async (s) => {
    if (kind === "state-missing" || kind === "state-wrong") await s.arm({ faults: [`authorize-${kind}`] });
    else if (kind !== "unknown-error") await s.arm({ faults: [`authorize-error:${kind}`] });
    const journey = await s.signIn(s.browser(), kind === "unknown-error" ? { rewriteCallback: unknownError } : {});
    return { journey, events: await s.events() };
  });
}

/** Replace NHS login's successful response with an undefined error code (the state is kept). */
function unknownError(url: URL): URL {
  const out = new URL(url);
  const state = url.searchParams.get("state");
  out.search = "";
  out.searchParams.set("error", UNKNOWN_ERROR);
  out.searchParams.set("error_description", HOSTILE_DESCRIPTION);
  if (state !== null) out.searchParams.set("state", state);
  return out;
}

/** The name a forged identity carries, so a page that shows it gives the forgery away. */
export const FORGED_FAMILY_NAME = "FORGEDIDENTITY";

/**
 * A sign-in whose callback an attacker extended with front-channel tokens (FED-ARESP-14): an
 * `id_token` for another person (a JWT whose signature no key verifies) and an `access_token`,
 * beside NHS login's real code and state.
 */
export function forgedCallback(ctx: ServiceContext): Promise<JourneyResult> {
  return ctx.scenario("forged-callback", async (s) => {
    const journey = await s.signIn(s.browser(), { rewriteCallback: addForgedTokens });
    return { journey, events: await s.events() };
  });
}

function addForgedTokens(url: URL): URL {
  const out = new URL(url);
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: "https://auth.login.nhs.uk",
    sub: "forged-subject-0001",
    aud: "forged-audience",
    iat: now,
    exp: now + 3600,
    vot: "P9.Cp.Cd",
    family_name: FORGED_FAMILY_NAME,
    given_name: "Mallory",
    nhs_number: "9999999999",
  };
  out.searchParams.set("id_token", `${part({ alg: "RS512", typ: "JWT", kid: "forged" })}.${part(claims)}.${"A".repeat(342)}`);
  out.searchParams.set("access_token", "forged-access-token");
  out.searchParams.set("token_type", "Bearer");
  return out;
}

export interface ReplayResult {
  /** Set when the service stopped answering after this scenario. */
  serviceDown?: string;
  first: SignInJourney;
  /** The same callback URL opened again in the same browser, and in another browser. */
  again: { navigation: Navigation; probe: ProtectedProbe };
  elsewhere: { navigation: Navigation; probe: ProtectedProbe };
  callbackUrl?: string;
  events: SimulatorEvent[];
}

/** Sign in, then open NHS login's redirect (code and state) again: same browser, then a fresh one. */
export function codeReplay(ctx: ServiceContext): Promise<ReplayResult> {
  return ctx.scenario("code-replay", async (s) => {
    const browser = s.browser();
    const first = await s.signIn(browser);
    const callbackUrl = first.callback?.url;
    const replay = async (b: Browser) => {
      if (!callbackUrl)
        return {
          navigation: { hops: [], error: "no callback to replay" },
          probe: { signedIn: false, evidence: "no callback to replay", navigation: { hops: [] } },
        };
      const navigation = await b.navigate(callbackUrl, { stopBefore: (u) => isEndpoint(u, s.endpoints.authorizationEndpoint) });
      return { navigation, probe: await s.judge(b, navigation.stoppedBefore ? undefined : navigation.final) };
    };
    const again = await replay(browser);
    const elsewhere = await replay(s.browser());
    return { first, again, elsewhere, ...(callbackUrl ? { callbackUrl } : {}), events: await s.events() };
  });
}

/** A cookie of the service, and whether the protected page still works without it. */
export interface ObservedCookie {
  key: string;
  httpOnly: boolean;
  secure: boolean;
  sameSite?: string;
  /** True when the protected URL stops answering 2xx without this cookie (a session cookie). */
  needed: boolean;
}

export interface SessionCookiesResult {
  journey: SignInJourney;
  /** The service's cookies, or why they could not be told apart (no page to revisit, oracle unusable). */
  cookies: ObservedCookie[] | { unknown: string };
  events: SimulatorEvent[];
}

/** Sign in, then find which of the service's cookies carry the session by leaving each out. */
export function sessionCookies(ctx: ServiceContext): Promise<SessionCookiesResult> {
  return ctx.scenario("session-cookies", async (s) => {
    const browser = s.browser();
    const journey = await s.signIn(browser);
    let cookies: SessionCookiesResult["cookies"] = [];
    try {
      if (journey.signedIn) {
        const found: ObservedCookie[] = [];
        for (const c of (await serviceCookies(browser, s)).slice(0, 20)) {
          const without = await browser.fork({ without: (x) => x.key === c.key && x.domain === c.domain && x.path === c.path });
          const probe = await s.revisit(without);
          await without.close();
          found.push({
            key: c.key,
            httpOnly: c.httpOnly,
            secure: c.secure,
            ...(c.sameSite ? { sameSite: c.sameSite } : {}),
            needed: !probe.signedIn,
          });
        }
        cookies = found;
      }
    } catch (err) {
      if (!(err instanceof SignedInUnknownError)) throw err;
      cookies = { unknown: err.message };
    }
    return { journey, cookies, events: await s.events() };
  });
}

/**
 * The cookies the browser holds for the service (its start page, protected page and redirect
 * URIs). The simulator's own cookies are in a jar of their own (the context's browsers isolate
 * its origin), so none of them is counted here even when both run on 127.0.0.1.
 */
async function serviceCookies(browser: Browser, s: ScenarioTools) {
  const urls = serviceUrls(s.target);
  const seen = new Map<string, Awaited<ReturnType<Browser["cookies"]>>[number]>();
  for (const url of urls) for (const c of await browser.cookies(url)) seen.set(`${c.key};${c.domain};${c.path}`, c);
  return [...seen.values()];
}

/** One probe of the protected URL after the service's clock moved on. */
export interface ClockProbe {
  /** Seconds since sign-in, on the service's clock. */
  elapsed: number;
  /** Seconds since the previous request to the service. */
  idle: number;
  probe: ProtectedProbe;
}

export interface SessionTimeResult {
  journey: SignInJourney;
  probes: ClockProbe[];
}

/** Sign in, then probe the protected URL after each step of the service's clock. */
async function clockScenario(ctx: ServiceContext, key: string, steps: readonly number[]): Promise<SessionTimeResult> {
  return ctx.scenario(key, async (s) => {
    const browser = s.browser();
    const journey = await s.signIn(browser);
    const probes: ClockProbe[] = [];
    let elapsed = 0;
    for (const step of steps) {
      if (!journey.signedIn) break;
      await s.advanceServiceClock(step);
      elapsed += step;
      const probe = await s.revisit(browser);
      probes.push({ elapsed, idle: step, probe });
      if (!probe.signedIn) break;
    }
    return { journey, probes };
  });
}

const MINUTE = 60;

/** Idle 29 minutes (still signed in), then idle 31 minutes (signed out). */
export function sessionIdle(ctx: ServiceContext): Promise<SessionTimeResult> {
  return clockScenario(ctx, "session-idle", [29 * MINUTE, 31 * MINUTE]);
}

/** Active every 20 minutes for 11 h 55 min (still signed in), then 10 minutes more (signed out). */
export function sessionAbsolute(ctx: ServiceContext): Promise<SessionTimeResult> {
  const steps = [...Array.from({ length: 35 }, () => 20 * MINUTE), 15 * MINUTE, 10 * MINUTE];
  return clockScenario(ctx, "session-absolute", steps);
}

/** The service's own URLs: its start page, protected page and redirect URIs. */
function serviceUrls(target: ScenarioTools["target"]): string[] {
  return [
    target.startUrl,
    ...(target.protectedUrl ? [target.protectedUrl] : []),
    ...(target.stepUpUrl ? [target.stepUpUrl] : []),
    ...target.redirectUris,
  ];
}

/** The service's origins (those of {@link serviceUrls}); NHS login's pages are never judged as the service's. */
export function serviceOrigins(target: ScenarioTools["target"]): string[] {
  return [...new Set(serviceUrls(target).map((u) => new URL(u).origin))];
}

export interface ApiOriginsResult {
  journey: SignInJourney;
  probes: CrossOriginProbe[];
  events: SimulatorEvent[];
}

/**
 * Browser mode: sign in (and open the protected page, if any), then ask each of the service's
 * endpoints its scripts called again, from a foreign origin with the user's cookies: a GET as it
 * was, a POST by its CORS preflight (the POST itself is not repeated).
 */
export function apiOrigins(ctx: ServiceContext): Promise<ApiOriginsResult> {
  return ctx.scenario("api-origins", async (s) => {
    const browser = s.browser();
    const journey = await s.signIn(browser);
    const hops = [...journey.navigation.hops];
    if (s.target.protectedUrl) hops.push(...(await browser.navigate(s.target.protectedUrl)).hops);
    const origins = serviceOrigins(s.target);
    const seen = new Map<string, Hop>();
    // A request that got no answer (refused by CORS, a network error) has nothing to compare a foreign origin's answer with.
    for (const h of hops) if (h.script && !h.failure && origins.includes(new URL(h.url).origin)) seen.set(`${h.method} ${h.url}`, h);
    const probes: CrossOriginProbe[] = [];
    for (const h of [...seen.values()].slice(0, 20)) {
      const headers: Record<string, string> =
        h.method === "POST"
          ? { origin: FOREIGN_ORIGIN, "access-control-request-method": "POST", "access-control-request-headers": "content-type" }
          : { origin: FOREIGN_ORIGIN };
      try {
        const answer = await browser.requestAs!(h.url, { method: h.method === "POST" ? "OPTIONS" : "GET", headers });
        probes.push({ method: h.method, url: h.url, body: h.body, answer });
      } catch (err) {
        probes.push({ method: h.method, url: h.url, body: h.body, error: (err as Error).message });
      }
    }
    return { journey, probes, events: await s.events() };
  });
}

/** A sign-in, then the service's own sign-out, then the protected URL asked again. */
export interface SignOutResult {
  journey: SignInJourney;
  /** The page the sign-out control was looked for on: the protected page, else where the sign-in landed. */
  page?: { url: string; status: number };
  /** The sign-out control followed; undefined when the page has none the harness can tell. */
  entry?: PageEntry;
  /** The confirmation form submitted, when the sign-out answered with a page asking to confirm. */
  confirmed?: PageEntry;
  /** The service's last answer to the sign-out (before any redirect to NHS login's pages). */
  answer?: { status: number; path: string };
  /** The protected URL asked again, with the browser's cookies, after sign-out. */
  after?: ProtectedProbe;
  /** The same, with a copy of the cookies from before sign-out: a session ended only in the browser still opens it. */
  replayed?: ProtectedProbe;
  /** Why "signed in" could not be told, when it could not. */
  unknown?: string;
}

/**
 * Sign in, follow the service's sign-out (a link or button saying "sign out" or "log out" on the
 * protected page; and its confirmation form, if it answers with one), then revisit the protected
 * URL with the browser's cookies and with a copy of those from before sign-out.
 */
export function signOut(ctx: ServiceContext): Promise<SignOutResult> {
  return ctx.scenario("sign-out", async (s) => {
    const browser = s.browser();
    const journey = await s.signIn(browser);
    const origins = serviceOrigins(s.target);
    const toSignIn = (u: URL) => isEndpoint(u, s.endpoints.authorizationEndpoint);
    const control = (hop: Hop | undefined) => {
      if (!hop || !/html/i.test(hop.contentType ?? "")) return undefined;
      const at = new URL(hop.url);
      return origins.includes(at.origin) ? findSignOutEntry(readPage(hop.body, at), at, origins) : undefined;
    };
    let before: Browser | undefined;
    try {
      if (!journey.signedIn) return { journey };
      const shown = s.target.protectedUrl
        ? (await browser.navigate(s.target.protectedUrl, { stopBefore: toSignIn })).final
        : journey.landing;
      if (!shown) return { journey };
      const page = { url: shown.url, status: shown.status };
      const entry = control(shown);
      if (!entry) return { journey, page };
      before = await browser.fork();
      const follow = (e: PageEntry) =>
        browser.navigate(e.url, { method: e.method, ...(e.form ? { form: e.form } : {}), stopBefore: toSignIn });
      let last = (await follow(entry)).final;
      // A sign-out that asks "are you sure?" answers at its own path with a page holding a sign-out form.
      const asks = last !== undefined && last.status < 300 && new URL(last.url).pathname === entry.url.pathname;
      const confirm = asks ? control(last) : undefined;
      const confirmed = confirm?.method === "POST" ? confirm : undefined;
      if (confirmed) last = (await follow(confirmed)).final;
      const answer = last ? { status: last.status, path: new URL(last.url).pathname } : undefined;
      const after = await s.revisit(browser);
      const replayed = await s.revisit(before);
      return {
        journey,
        page,
        entry,
        ...(confirmed ? { confirmed } : {}),
        ...(answer ? { answer } : {}),
        after,
        replayed,
      };
    } catch (err) {
      if (!(err instanceof SignedInUnknownError)) throw err;
      return { journey, unknown: err.message };
    } finally {
      await before?.close();
    }
  });
}

/** One sign-in as a given simulated person; the pages the service showed afterwards, for what they say about that person. */
export interface PersonSignInResult extends JourneyResult {
  /** The service's pages and the answers to its page scripts, from the callback on, with the protected page revisited. */
  shown: { url: string; body: string; script: boolean }[];
}

export function personSignIn(ctx: ServiceContext, persona: string): Promise<PersonSignInResult> {
  return ctx.scenario(`person:${persona}`, async (s) => {
    await s.arm({ persona });
    const browser = s.browser();
    const journey = await s.signIn(browser);
    const hops = [...journey.navigation.hops];
    try {
      hops.push(...journey.probe.navigation.hops);
    } catch (err) {
      if (!(err instanceof SignedInUnknownError)) throw err;
    }
    const origins = serviceOrigins(s.target);
    const from = journey.callback ? hops.indexOf(journey.callback) : hops.length;
    const shown = hops
      .filter((h, i) => i >= from && origins.includes(new URL(h.url).origin) && h.body !== "")
      .map((h) => ({ url: h.url, body: h.body, script: h.script === true }));
    return { journey, shown, events: await s.events() };
  });
}
