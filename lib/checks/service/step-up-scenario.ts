/**
 * The step-up scenarios (docs: step-up-p5-p9): a person signs in at P5, opens the service's
 * feature for P9 users (SERVICE_STEP_UP_URL), and NHS login (the simulator) answers the step-up
 * the service starts in one of three ways: the same person verified to P9 (`uplift`), another
 * person (`other-person`), or the same person still at P5 (`vot-below`). The feature is then
 * opened again, without letting the service start another sign-in, to see what the session holds.
 *
 * @example
 * ```ts
 * const r = await stepUp(ctx, "uplift")
 * r.before?.request?.params.vtr // '["P9.Cp.Cd","P9.Cp.Ck","P9.Cm"]'
 * r.after?.sentToSignIn        // false: the P9 feature is served after the step-up
 * ```
 */
import {
  type Browser,
  type CapturedAuthorization,
  captureAuthorization,
  findStepUpEntry,
  type Hop,
  isEndpoint,
  type NavigateOptions,
  readPage,
  type SignInJourney,
} from "../../driver/index.ts";
import { SignedInUnknownError } from "../../errors/index.ts";
import { findPersona } from "../../simulator/personas.ts";
import type { SimulatorEvent } from "../../simulator/state.ts";
import type { ControlArm } from "./control-client.ts";
import type { ScenarioTools, ServiceContext } from "./service-context.ts";

/** How the simulator answers the step-up. */
export type StepUpMode = "uplift" | "other-person" | "vot-below";

/** The person who signs in at P5, and the one who answers the step-up in `other-person` mode. */
export const STEP_UP_PERSONS = { first: "p5", other: "p9" } as const;

/** What the simulator is armed with for the step-up's sign-in. */
const ANSWERS: Record<StepUpMode, Omit<ControlArm, "clientId">> = {
  uplift: { persona: STEP_UP_PERSONS.first, uplift: "P9" },
  "other-person": { persona: STEP_UP_PERSONS.other },
  // The fault answers P5.Cp.Cd where only P9 vectors were asked for: the old level, same person.
  "vot-below": { persona: STEP_UP_PERSONS.first, uplift: "P9", faults: ["id-token-vot-outside-vtr"] },
};

/** The service's answer to the feature, as a person sees it. */
export interface FeatureAnswer {
  /** The URL opened. */
  url: string;
  /** The authorization request the service sent the browser to NHS login with, if it did. */
  request?: CapturedAuthorization;
  /** The page's control that led there, when the feature answered with a page offering the step-up. */
  via?: string;
  /** Where that control leads, to tell the same offer again on a later visit. */
  viaUrl?: string;
  /** What NHS login (the simulator) did with the step-up request: its outcome, and the faults it applied. */
  answer?: { outcome: string; faults: string[] };
  /** The answer to the redirect back from NHS login, when the step-up ran. */
  callback?: { status: number; path: string };
  /** The feature's own answer before any sign-in: a page of the service, when it did not send the browser to NHS login. */
  page?: { status: number; path: string; text: string };
  /** Why there was no answer at all. */
  error?: string;
}

/** Opened again after the step-up, without letting the service start another sign-in. */
export interface FeatureRevisit {
  /** The service sent the browser to NHS login again: the session is not at P9. */
  sentToSignIn: boolean;
  page?: { status: number; path: string; text: string };
  /** Where the page's step-up control leads, if it offers one (a link or button to sign in or verify). */
  offersUrl?: string;
  error?: string;
}

export interface StepUpResult {
  mode: StepUpMode;
  /** The first sign-in, armed with the P5 person. */
  journey: SignInJourney;
  /** Why the first sign-in does not count as a P5 session (not signed in, or that could not be told). */
  notSignedIn?: string;
  /** The feature opened by the P5 session (and the step-up it led to, answered as `mode` says). */
  before?: FeatureAnswer;
  /** The feature opened again after the step-up. */
  after?: FeatureRevisit;
  events: SimulatorEvent[];
}

export function stepUp(ctx: ServiceContext, mode: StepUpMode): Promise<StepUpResult> {
  return ctx.scenario(`step-up:${mode}`, async (s) => {
    const url = s.target.stepUpUrl!;
    await s.arm({ persona: STEP_UP_PERSONS.first });
    const browser = s.browser();
    const journey = await s.signIn(browser);
    const notSignedIn = firstSignIn(journey);
    if (notSignedIn !== undefined) return { mode, journey, notSignedIn, events: await s.events() };
    await s.arm(ANSWERS[mode]);
    const before = await openFeature(s, browser, url);
    const after = before.request ? await revisitFeature(s, browser, url) : undefined;
    const events = await s.events();
    if (before.request) {
      // The simulator's answer to this very request (found by its state): a code, with the armed faults, or what else.
      const state = before.request.params.state;
      // The last one: a service that reuses its state (a defect judged elsewhere) sent the first sign-in with it too.
      const seen = [...events]
        .reverse()
        .find((e) => e.type === "authorize" && (e.detail.params as { state?: unknown } | undefined)?.state === state);
      if (seen)
        before.answer = {
          outcome: String(seen.detail.outcome ?? "unknown"),
          faults: Array.isArray(seen.detail.faults) ? seen.detail.faults.map(String) : [],
        };
    }
    return { mode, journey, before, ...(after ? { after } : {}), events };
  });
}

/** Why the first sign-in is not a P5 session the step-up can start from, or undefined when it is. */
function firstSignIn(journey: SignInJourney): string | undefined {
  if (!journey.callback)
    return `the sign-in as a P5 person did not reach the service's redirect URI${journey.notReached ? ` (${journey.notReached})` : ""}`;
  if (journey.callback.status >= 400) return `the service answered the P5 person's sign-in with HTTP ${journey.callback.status}`;
  try {
    return journey.signedIn ? undefined : `the P5 person was not signed in after the callback: ${journey.probe.evidence}`;
  } catch (err) {
    if (err instanceof SignedInUnknownError) return `whether the P5 person was signed in could not be told: ${err.message}`;
    throw err;
  }
}

const pageOf = (hop: Hop) => ({
  status: hop.status,
  path: new URL(hop.url).pathname,
  text: /html/i.test(hop.contentType ?? "") ? readPage(hop.body, new URL(hop.url)).text : hop.body.slice(0, 2000),
});

/** Open the feature and follow wherever it leads, through NHS login if the service sends the browser there. */
async function openFeature(s: ScenarioTools, browser: Browser, url: string): Promise<FeatureAnswer> {
  const authorize = s.endpoints.authorizationEndpoint;
  const follow: NavigateOptions = { submitForms: (action) => isEndpoint(action, authorize) };
  const run = async (nav: Awaited<ReturnType<Browser["navigate"]>>, via?: string): Promise<FeatureAnswer | undefined> => {
    const i = nav.hops.findIndex((h) => !h.script && isEndpoint(h.url, authorize));
    if (i < 0) return undefined;
    // The redirect back is the hop NHS login's answer sent the browser to.
    const sent = nav.hops[i]!.location;
    const back = sent === undefined ? undefined : nav.hops.slice(i + 1).find((h) => !h.script && h.url === sent);
    return {
      url,
      request: captureAuthorization(nav.hops[i]!),
      ...(via ? { via } : {}),
      ...(back ? { callback: { status: back.status, path: new URL(back.url).pathname } } : {}),
    };
  };
  const nav = await browser.navigate(url, follow);
  const direct = await run(nav);
  if (direct) return direct;
  if (!nav.final) return { url, error: nav.error ?? "no answer" };
  const page = pageOf(nav.final);
  // A page offering the step-up: a link or button to NHS login, or one saying sign in or verify.
  const entry = /html/i.test(nav.final.contentType ?? "")
    ? findStepUpEntry(readPage(nav.final.body, new URL(nav.final.url)), { authorizationEndpoint: authorize })
    : undefined;
  if (entry) {
    const offered = await run(
      await browser.navigate(entry.url, { ...follow, method: entry.method, ...(entry.form ? { form: entry.form } : {}) }),
      entry.how,
    );
    if (offered) return { ...offered, viaUrl: entry.url.href, page };
  }
  return { url, page };
}

async function revisitFeature(s: ScenarioTools, browser: Browser, url: string): Promise<FeatureRevisit> {
  const nav = await browser.navigate(url, { stopBefore: (u) => isEndpoint(u, s.endpoints.authorizationEndpoint) });
  if (nav.stoppedBefore) return { sentToSignIn: true };
  if (!nav.final) return { sentToSignIn: false, error: nav.error ?? "no answer" };
  const offer = /html/i.test(nav.final.contentType ?? "")
    ? findStepUpEntry(readPage(nav.final.body, new URL(nav.final.url)), { authorizationEndpoint: s.endpoints.authorizationEndpoint })
    : undefined;
  return { sentToSignIn: false, page: pageOf(nav.final), ...(offer ? { offersUrl: offer.url.href } : {}) };
}

/** A simulated person's name and NHS number, as a service may show them. */
export function personMarkers(id: string): { name: string; nhsNumber: string; sub: string } {
  const p = findPersona(id)!;
  return { name: `${p.givenName} ${p.familyName}`, nhsNumber: p.nhsNumber ?? "", sub: p.sub };
}
