/**
 * What service checks run with: the target, an HTTP client, the simulator's control channel,
 * fresh browsers, and `scenario()`, which runs a piece of driving exclusively (one browser at a
 * time), after resetting the simulator, and caches its result so checks that need the same
 * observations share one run.
 *
 * @example
 * ```ts
 * const ctx = createServiceContext(target)
 * const result = await ctx.scenario("happy", async (s) => s.signIn(s.browser()))
 * await ctx.close()
 * ```
 */
import { SignedInUnknownError } from "../../errors/index.ts";
import { createHttpClient, type HttpClient } from "../../http/index.ts";
import {
  createBrowser,
  judge,
  revisit,
  signIn,
  type Browser,
  type Hop,
  type ProtectedProbe,
  type SignInJourney,
  type SignInOptions,
  type SignInTarget,
} from "../../driver/index.ts";
import type { SimulatorEvent } from "../../simulator/state.ts";
import { launchChromium, type Chromium } from "../../driver/chromium-browser.ts";
import { createControlClient, type ControlArm, type ControlClient } from "./control-client.ts";
import { createScenarioLock } from "./scenario-lock.ts";
import type { ServiceTarget } from "./service-target.ts";
import { chooseSignedInOracle, type OracleChoice } from "./signed-in-oracle.ts";
import { createServiceHealth } from "./service-health.ts";

export interface ServerEndpoints {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userinfoEndpoint: string;
  jwksUri: string;
  /** The discovery document's own URL. */
  discovery: string;
}

/** Tools a scenario drives with. Browsers it opens are closed when it ends. */
export interface ScenarioTools {
  target: ServiceTarget;
  endpoints: ServerEndpoints;
  /** Arm the simulator for the service's next sign-in(s). */
  arm(request: Omit<ControlArm, "clientId">): Promise<void>;
  /** Everything the simulator saw since the scenario started. */
  events(): Promise<SimulatorEvent[]>;
  /** A new browser with an empty cookie jar. */
  browser(): Browser;
  /** One sign-in journey in `browser`, judged by the proven signed-in oracle (or by `oracle`). */
  signIn(browser: Browser, options?: SignInOptions, oracle?: SignInTarget["oracle"]): Promise<SignInJourney>;
  /** Whether `browser` is still signed in, by the proven oracle (throws SignedInUnknownError when it cannot tell). */
  revisit(browser: Browser): Promise<ProtectedProbe>;
  /** Whether `browser`, whose last navigation ended on `landing`, is signed in (the same rule on an unusable oracle). */
  judge(browser: Browser, landing: Hop | undefined): Promise<ProtectedProbe>;
  /** The oracle the verdicts use (how "signed in" is told, or why it cannot be). */
  oracle: SignInTarget["oracle"];
  /** Move the service's session clock forward through its test-clock hook (throws without one). */
  advanceServiceClock(seconds: number): Promise<void>;
  /** Ask the service's Users V2 lookup hook for a lookup (throws without one). */
  usersLookup(query: { nhsNumber?: string; email?: string }): Promise<LookupAnswer>;
  /** Ask the service's Provision Account hook to provision a patient (throws without one). */
  provision(request: ProvisionHookRequest): Promise<ProvisionAnswer>;
}

/** What the harness posts to the Provision Account hook: the patient's details as staff would type them. */
export interface ProvisionHookRequest {
  nhsNumber?: string;
  email?: string;
  dateOfBirth?: string;
  phoneNumber?: string;
}

/** What the Provision Account hook answered, as received. */
export interface ProvisionAnswer extends Omit<LookupAnswer, "query"> {
  /** The JSON the harness posted. */
  request: ProvisionHookRequest;
}

/** What the Users V2 lookup hook answered, as received (the verdict on it is the checks'). */
export interface LookupAnswer {
  /** The JSON the harness posted. */
  query: { nhsNumber?: string; email?: string };
  status?: number;
  /** The parsed JSON body, when it was JSON. */
  body?: unknown;
  /** The body's first characters when it was not JSON. */
  text?: string;
  /** Why nothing was received (unreachable, timed out). */
  error?: string;
  ms: number;
}

export interface ServiceContext {
  target: ServiceTarget;
  http: HttpClient;
  control: ControlClient;
  endpoints(): Promise<ServerEndpoints>;
  /**
   * Run `run` exclusively after a simulator reset; the result is cached under `key`. A scenario
   * that signs nobody in (`{ signIn: false }`, e.g. a Users V2 lookup) does not wait for the
   * signed-in oracle to be proven.
   */
  scenario<T>(key: string, run: (tools: ScenarioTools) => Promise<T>, options?: { signIn?: boolean }): Promise<T>;
  /** How "signed in" is told on this service: chosen and proven once, before the first scenario. */
  signedInOracle(): Promise<OracleChoice>;
  close(): Promise<void>;
}

export function createServiceContext(target: ServiceTarget): ServiceContext {
  const http = createHttpClient({
    timeoutMs: target.http.timeoutMs,
    maxResponseBytes: target.http.maxResponseBytes,
    ...(target.http.ca ? { ca: target.http.ca } : {}),
  });
  const control = createControlClient(target.simulator, http);
  const lock = createScenarioLock(target.lockDir);
  const cache = new Map<string, Promise<unknown>>();
  let endpointsPromise: Promise<ServerEndpoints> | undefined;

  const endpoints = () =>
    (endpointsPromise ??= (async () => {
      const url = `${target.simulator.url.replace(/\/$/, "")}/.well-known/openid-configuration`;
      const res = await http.request({ method: "GET", url });
      if (res.status !== 200) throw new Error(`the simulator's discovery document answered ${res.status}`);
      const d = res.json<Record<string, unknown>>();
      return {
        issuer: String(d.issuer),
        authorizationEndpoint: String(d.authorization_endpoint),
        tokenEndpoint: String(d.token_endpoint),
        userinfoEndpoint: String(d.userinfo_endpoint),
        jwksUri: String(d.jwks_uri),
        discovery: url,
      };
    })());

  /** Before a proof, nothing is trusted yet: only an oracle passed explicitly can judge. */
  const UNPROVEN: SignInTarget["oracle"] = { unusable: "the signed-in oracle is still being proven" };

  const health = createServiceHealth(target);

  /** Browser mode: one chromium for the whole context, launched on first use. */
  let chromiumPromise: Promise<Chromium> | undefined;
  const launch = (path: string) =>
    (chromiumPromise ??= launchChromium({ executablePath: path, timeoutMs: target.http.timeoutMs, ignoreHttpsErrors: !!target.http.ca }));

  async function runScenario<T>(key: string, run: (tools: ScenarioTools) => Promise<T>, oracle: SignInTarget["oracle"]): Promise<T> {
    const ep = await endpoints();
    const chromium = target.browser ? await launch(target.browser.chromiumPath) : undefined;
    const browsers: Browser[] = [];
    await control.reset();
    const tools: ScenarioTools = {
      target,
      endpoints: ep,
      arm: (request) => control.arm({ ...request, clientId: target.clientId }),
      events: () => control.events(),
      browser: () => {
        const isolate = [new URL(ep.authorizationEndpoint).origin];
        const b = chromium
          ? chromium.newBrowser({ isolate, onExchange: (x) => http.recordExchange(x) })
          : createBrowser({ http, maxHops: 20, isolate, ...(target.resolve ? { resolve: target.resolve } : {}) });
        browsers.push(b);
        return b;
      },
      signIn: (browser, options, override) =>
        signIn(
          browser,
          {
            startUrl: target.startUrl,
            authorizationEndpoint: ep.authorizationEndpoint,
            ...(target.signInLink !== undefined ? { signInLink: target.signInLink } : {}),
            ...(target.browser?.steps ? { browserSteps: target.browser.steps } : {}),
            oracle: override ?? oracle,
          },
          options,
        ),
      revisit: (browser) => revisit(oracle, browser),
      judge: async (browser, landing) => {
        const verdict = await judge(oracle, browser, landing);
        if ("unusable" in verdict) throw new SignedInUnknownError(verdict.unusable);
        return verdict;
      },
      oracle,
      advanceServiceClock: async (seconds) => {
        if (!target.testClockUrl) throw new Error("the service has no test-clock hook");
        const res = await http.request({ method: "POST", url: target.testClockUrl, json: { advanceSeconds: seconds } });
        if (res.status < 200 || res.status >= 300) throw new Error(`the test-clock hook answered ${res.status}`);
      },
      usersLookup: async (query) => {
        if (!target.usersLookupUrl) throw new Error("the service has no Users V2 lookup hook");
        return { query, ...(await postHook(http, target.usersLookupUrl, query)) };
      },
      provision: async (request) => {
        if (!target.provisionUrl) throw new Error("the service has no Provision Account hook");
        return { request, ...(await postHook(http, target.provisionUrl, request)) };
      },
    };
    await health.before(key);
    let result: T;
    try {
      result = await run(tools);
    } finally {
      await Promise.all(browsers.map((b) => b.close()));
    }
    // A service that stopped answering is charged to this scenario, in its result, for its checks to say.
    const down = await health.after(key);
    if (down && typeof result === "object" && result !== null) Object.assign(result, { serviceDown: down });
    return result;
  }

  let oraclePromise: Promise<OracleChoice> | undefined;
  const signedInOracle = () =>
    (oraclePromise ??= lock.run(() => runScenario("signed-in-oracle", (tools) => chooseSignedInOracle(tools), UNPROVEN)));

  return {
    target,
    http,
    control,
    endpoints,
    scenario<T>(key: string, run: (tools: ScenarioTools) => Promise<T>, options: { signIn?: boolean } = {}): Promise<T> {
      let p = cache.get(key) as Promise<T> | undefined;
      if (!p) {
        p = (async () => {
          if (options.signIn === false) return lock.run(() => runScenario(key, run, UNPROVEN));
          const { oracle } = await signedInOracle();
          return lock.run(() => runScenario(key, run, oracle));
        })();
        cache.set(key, p);
      }
      return p;
    },
    signedInOracle,
    close: async () => {
      await health.close();
      await http.close();
      if (chromiumPromise) await (await chromiumPromise.catch(() => undefined))?.close();
    },
  };
}

/** POST `json` to a hook of the service and keep what came back, as received (never throws). */
async function postHook(http: HttpClient, url: string, json: unknown): Promise<Omit<LookupAnswer, "query">> {
  const started = Date.now();
  let res: Awaited<ReturnType<HttpClient["request"]>>;
  try {
    res = await http.request({ method: "POST", url, json });
  } catch (err) {
    return { error: (err as Error).message, ms: Date.now() - started };
  }
  const ms = Date.now() - started;
  try {
    return { status: res.status, body: JSON.parse(res.text) as unknown, ms };
  } catch {
    return { status: res.status, text: res.text.slice(0, 200), ms };
  }
}
