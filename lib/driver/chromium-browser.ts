/**
 * Browser mode (SERVICE_DRIVER=browser): the same {@link Browser} contract as the HTTP driver,
 * played by Debian's chromium through playwright-core, headless, for services whose sign-in runs
 * JavaScript. One chromium serves the whole run; every `newBrowser()` is a fresh browser context.
 *
 * Every response the page receives is recorded as a hop, in order: navigations, each redirect of
 * a redirect chain, and the requests the page's scripts make (fetch and XHR), with their bodies.
 * Requests are paused through the Chrome DevTools Protocol (Fetch domain), because Playwright's
 * own routing never sees redirects: that is where `stopBefore` aborts a request and `rewrite`
 * changes the URL a redirect leads to. After each navigation or click the page is left to settle
 * (no request for a moment, the URL unchanged), and the final hop's body is the rendered page.
 *
 * @example
 * ```ts
 * const chromium = await launchChromium({ executablePath: "/usr/bin/chromium", timeoutMs: 10_000 })
 * const browser = chromium.newBrowser({ isolate: ["http://127.0.0.1:9000"] })
 * const nav = await browser.navigate("http://127.0.0.1:8080/")
 * const clicked = await browser.clickSignIn?.()
 * await browser.close()
 * await chromium.close()
 * ```
 */
import type { BrowserContext, CDPSession, Frame, Page, Request, Response } from "playwright-core";
import { Cookie } from "tough-cookie";
import type { Browser, Hop, NavigateOptions, Navigation, ScriptState } from "./browser.ts";
import { urlMatcher, type BrowserSteps, type StepTarget } from "./browser-steps.ts";
import { BrowserStepError } from "../errors/index.ts";
import { EXCHANGE_BODY_LIMIT, type Exchange } from "../http/exchange.ts";

export interface ChromiumOptions {
  /** CHROMIUM_PATH (default /usr/bin/chromium). */
  executablePath: string;
  /** Longest wait for one navigation, click or settle, in ms. */
  timeoutMs: number;
  /** Trust these CA certificates' issuer (a simulator over https): chromium is told to ignore certificate errors. */
  ignoreHttpsErrors?: boolean;
}

export interface ChromiumBrowserOptions {
  /** Origins whose cookies are never counted as another origin's (the simulator's; see BrowserOptions.isolate). */
  isolate?: readonly string[];
  /** Told of every hop as an HTTP exchange (request and answer, bodies capped), for the reports. */
  onExchange?: (exchange: Exchange) => void;
}

export interface Chromium {
  newBrowser(options?: ChromiumBrowserOptions): Browser;
  close(): Promise<void>;
}

/** Flags for a headless chromium on a machine with no network but loopback (see the env notes). */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A browser step's actions wait this long by default, in ms. */
const STEP_TIMEOUT_MS = 5_000;

/** Quiet time after the last request before a page counts as settled, in ms. */
const QUIET_MS = 120;
/** How long a response's body is waited for after its headers (a streamed body the page never reads never completes). */
const BODY_WAIT_MS = 2_000;

export async function launchChromium(options: ChromiumOptions): Promise<Chromium> {
  // Loaded on first launch: a run in HTTP mode never pays for playwright-core (some 0.6 s of import).
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: options.executablePath, headless: true, args: [...CHROMIUM_ARGS] });
  return {
    newBrowser: (b = {}) => chromiumBrowser(browser, options, b, undefined, new Set(), new Map()),
    close: () => browser.close(),
  };
}

type PlaywrightBrowser = import("playwright-core").Browser;
type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;

/** A request paused by the DevTools protocol's Fetch domain (the fields the driver reads). */
interface Paused {
  requestId: string;
  request: { url: string };
  resourceType: string;
  frameId: string;
  responseStatusCode?: number;
  responseHeaders?: { name: string; value: string }[];
}

/** `promise`, or `fallback` once `ms` have passed without it settling. */
function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<F>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Every request pauses at the request stage (for stopBefore). */
const REQUESTS = [{ urlPattern: "*", requestStage: "Request" as const }];
/** And, for documents, at the response stage while a navigation rewrites redirects. */
const RESPONSES = [{ urlPattern: "*", resourceType: "Document" as const, requestStage: "Response" as const }];

function chromiumBrowser(
  pw: PlaywrightBrowser,
  options: ChromiumOptions,
  b: ChromiumBrowserOptions,
  storageState: StorageState | undefined,
  /** Cookie names the isolated origins set (the simulator's), never counted as the service's; shared with forks. */
  isolatedNames: Set<string>,
  /** The SameSite attribute each cookie name was last set with (Playwright reports a missing one as Lax); shared with forks. */
  sameSiteOf: Map<string, string | undefined>,
): Browser {
  let ready: Promise<{ context: BrowserContext; page: Page; cdp: CDPSession }> | undefined;
  /** What the current navigation records, and how it steers requests. */
  let current: { hops: Hop[]; nav: NavigateOptions; stoppedBefore?: URL; pending: Promise<unknown>[]; page?: Frame } = {
    hops: [],
    nav: {},
    pending: [],
  };
  /** The page's main frame (DevTools id): only its navigations are steered and recorded as documents. */
  let mainFrameId = "";

  /**
   * Requests sent and not yet answered. A request counts as answered when its body has loaded, or
   * at most BODY_WAIT_MS after its response headers: a body the page never reads may never finish
   * loading, and must not hold the page open.
   */
  const inflight = new Set<Request>();
  let lastActivity = Date.now();
  const isolated = new Set(b.isolate ?? []);

  const open = () =>
    (ready ??= (async () => {
      const context = await pw.newContext({
        ignoreHTTPSErrors: options.ignoreHttpsErrors ?? false,
        ...(storageState ? { storageState } : {}),
      });
      const page = await context.newPage();
      page.setDefaultTimeout(options.timeoutMs);
      const cdp = await context.newCDPSession(page);
      cdp.on("Fetch.requestPaused", (e: Paused) => {
        void steer(cdp, e).catch(() => cdp.send("Fetch.continueRequest", { requestId: e.requestId }).catch(() => undefined));
      });
      mainFrameId = ((await cdp.send("Page.getFrameTree")) as { frameTree: { frame: { id: string } } }).frameTree.frame.id;
      await cdp.send("Fetch.enable", { patterns: REQUESTS });
      page.on("request", (req) => {
        inflight.add(req);
        lastActivity = Date.now();
      });
      const done = (req: Request) => {
        if (inflight.delete(req)) lastActivity = Date.now();
      };
      page.on("requestfinished", done);
      page.on("requestfailed", (req) => {
        done(req);
        recordFailed(req);
      });
      page.on("response", (r) => {
        lastActivity = Date.now();
        const req = r.request();
        setTimeout(() => done(req), Math.min(options.timeoutMs, BODY_WAIT_MS)).unref();
        record(r);
      });
      return { context, page, cdp };
    })());

  /**
   * A paused request of the main frame's navigation: at the request stage `stopBefore` may abort it;
   * at the response stage (enabled only while a navigation has `rewrite`) a redirect's Location is
   * rewritten, so the browser, the page and the server all see the rewritten URL, as over HTTP.
   */
  async function steer(cdp: CDPSession, e: Paused) {
    const navigation = e.resourceType === "Document" && e.frameId === mainFrameId;
    const status = e.responseStatusCode;
    if (status !== undefined) {
      const location = e.responseHeaders?.find((h) => h.name.toLowerCase() === "location");
      if (navigation && current.nav.rewrite && status >= 300 && status < 400 && location) {
        const target = new URL(location.value, e.request.url);
        const rewritten = current.nav.rewrite(target);
        if (rewritten.href !== target.href) {
          const headers = e.responseHeaders!.map((h) => (h === location ? { name: h.name, value: rewritten.href } : h));
          return cdp.send("Fetch.fulfillRequest", { requestId: e.requestId, responseCode: status, responseHeaders: headers, body: "" });
        }
      }
      return cdp.send("Fetch.continueResponse", { requestId: e.requestId });
    }
    const url = new URL(e.request.url);
    if (navigation && current.nav.stopBefore?.(url)) {
      current.stoppedBefore = url;
      return cdp.send("Fetch.failRequest", { requestId: e.requestId, errorReason: "Aborted" });
    }
    return cdp.send("Fetch.continueRequest", { requestId: e.requestId });
  }

  /**
   * Record a page script's request that got no answer the page could read (refused by CORS, a
   * network error) as a hop with status 0: the browser did send it, which is what some checks judge.
   */
  function recordFailed(req: Request): void {
    const type = req.resourceType();
    if (type !== "fetch" && type !== "xhr") return;
    const method = req.method() === "POST" ? "POST" : "GET";
    const failure = req.failure()?.errorText ?? "failed";
    current.hops.push({ method, url: req.url(), status: 0, setCookies: [], body: "", script: true, failure });
  }

  /** Record `r` as a hop of the current navigation, in the order responses arrive (details filled in as they are read). */
  function record(r: Response): void {
    const req = r.request();
    const type = req.resourceType();
    if (type !== "document" && type !== "fetch" && type !== "xhr") return;
    let mainFrame = false;
    try {
      mainFrame = req.frame() === current.page;
    } catch {
      // a request with no frame (a service worker's): not the page's
    }
    if (type === "document" && !mainFrame) return;
    const method = req.method() === "POST" ? "POST" : "GET";
    const form = method === "POST" ? formOf(req.postData(), req.headers()["content-type"]) : undefined;
    const hop: Hop = {
      method,
      url: r.url(),
      status: r.status(),
      setCookies: [],
      body: "",
      ...(form ? { form } : {}),
      ...(type !== "document" ? { script: true } : {}),
    };
    current.hops.push(hop);
    current.pending.push(
      (async () => {
        const headers = await r.headersArray().catch(() => []);
        const named = (n: string) => headers.filter((h) => h.name.toLowerCase() === n).map((h) => h.value);
        hop.setCookies = named("set-cookie");
        const location = named("location")[0];
        const contentType = named("content-type")[0];
        if (location) hop.location = new URL(location, r.url()).href;
        if (contentType) hop.contentType = contentType;
        const origin = new URL(r.url()).origin;
        for (const c of hop.setCookies) {
          const parsed = Cookie.parse(c);
          if (!parsed) continue;
          if (isolated.has(origin)) isolatedNames.add(parsed.key);
          else sameSiteOf.set(parsed.key, parsed.sameSite === undefined ? undefined : String(parsed.sameSite).toLowerCase());
        }
        // A streamed body the page never reads never finishes loading in chromium: it is waited for only so long.
        const wait = Math.min(options.timeoutMs, BODY_WAIT_MS);
        if (r.status() < 300 || r.status() >= 400) {
          const body = await within(r.text(), wait, undefined).catch(() => "");
          if (body === undefined) hop.bodyUnread = true;
          else hop.body = body;
        }
        if (b.onExchange) b.onExchange(await exchangeOf(r, headers, hop.body));
      })(),
    );
  }

  /** Wait until no request has been in flight for a moment, or the timeout. */
  async function settle(page: Page): Promise<void> {
    const deadline = Date.now() + options.timeoutMs;
    // Quiet is counted from now: an action whose first request comes a moment later is waited for.
    lastActivity = Date.now();
    let url = page.url();
    while (Date.now() < deadline) {
      await page.waitForTimeout(20);
      if (page.url() !== url) {
        url = page.url();
        lastActivity = Date.now();
        continue;
      }
      if (inflight.size === 0 && Date.now() - lastActivity >= QUIET_MS) break;
    }
    await page.waitForLoadState("load", { timeout: Math.max(1, deadline - Date.now()) }).catch(() => undefined);
  }

  /** The navigation's result: the hops, the last document (its body the rendered page), why it ended early. */
  async function finish(page: Page, error?: string): Promise<Navigation> {
    const { hops, stoppedBefore, pending } = current;
    await within(Promise.all(pending), options.timeoutMs, undefined);
    const documents = hops.filter((h) => !h.script);
    const last = documents.at(-1);
    if (last && !stoppedBefore && last.status >= 200 && last.status < 300) {
      const rendered = await page.content().catch(() => undefined);
      if (rendered !== undefined) last.body = rendered;
    }
    const nav: Navigation = { hops, ...(last ? { final: last } : {}) };
    if (stoppedBefore) nav.stoppedBefore = stoppedBefore;
    else if (error && !last) nav.error = error;
    return nav;
  }

  async function run(nav: NavigateOptions, act: (page: Page) => Promise<unknown>): Promise<Navigation> {
    const { page, cdp } = await open();
    current = { hops: [], nav, pending: [], page: page.mainFrame() };
    // Redirects are rewritten at the response stage, paused only while this navigation rewrites.
    if (nav.rewrite) await cdp.send("Fetch.enable", { patterns: [...REQUESTS, ...RESPONSES] });
    let error: string | undefined;
    try {
      await act(page);
    } catch (err) {
      // An aborted request (stopBefore) or a failed load still leaves hops to report.
      error = (err as Error).message.split("\n")[0];
    }
    await settle(page);
    const result = await finish(page, error);
    if (nav.rewrite) await cdp.send("Fetch.enable", { patterns: REQUESTS });
    current = { hops: [], nav: {}, pending: [], page: page.mainFrame() };
    return result;
  }

  const browser: Browser = {
    navigate: (url, nav = {}) =>
      run(nav, async (page) => {
        if ((nav.method ?? "GET") === "GET") return page.goto(new URL(url).href, { waitUntil: "load" });
        // A POST navigation: a form submitted as a person would, from the page on screen when it is of the
        // action's origin (so same-site cookies go with it, as with the page's own form), else from a blank page.
        const here = URL.canParse(page.url()) ? new URL(page.url()).origin : "null";
        if (here !== new URL(url).origin) await page.goto("about:blank");
        return page.evaluate(
          ({ action, fields }) => {
            const form = document.createElement("form");
            form.method = "POST";
            form.action = action;
            for (const [k, v] of Object.entries(fields)) {
              const input = document.createElement("input");
              input.type = "hidden";
              input.name = k;
              input.value = v;
              form.append(input);
            }
            document.body.append(form);
            form.submit();
          },
          { action: new URL(url).href, fields: nav.form ?? {} },
        );
      }),
    clickSignIn: async ({ signInLink, steps }, nav = {}) => {
      const { page } = await open();
      if (steps) {
        let failed: unknown;
        const navigation = await run(nav, async () => {
          try {
            await runSteps(page, steps);
          } catch (err) {
            failed = err;
          }
        });
        if (failed) throw failed;
        return { navigation, clicked: `the ${steps.steps.length} browser step(s) of SERVICE_BROWSER_STEPS` };
      }
      const target = await findControl(page, signInLink);
      if (!target) return undefined;
      const navigation = await run(nav, () => target.locator.click());
      return { navigation, clicked: target.describe };
    },
    scriptState: async () => {
      const { page } = await open();
      return page.evaluate(() => {
        const entries = (s: Storage) => Array.from({ length: s.length }, (_, i) => [s.key(i) ?? "", s.getItem(s.key(i) ?? "") ?? ""]);
        return {
          url: location.href,
          text: document.body?.innerText ?? "",
          localStorage: Object.fromEntries(entries(localStorage)),
          sessionStorage: Object.fromEntries(entries(sessionStorage)),
          cookies: document.cookie,
        };
      }) as Promise<ScriptState>;
    },
    cookies: async (url) => {
      const { context } = await open();
      return (await context.cookies(new URL(url).href))
        .filter((c) => !isolatedNames.has(c.name))
        .map(
          (c) =>
            new Cookie({
              key: c.name,
              value: c.value,
              domain: c.domain,
              path: c.path,
              httpOnly: c.httpOnly,
              secure: c.secure,
              // As the service set it (Playwright reports a missing SameSite as Lax).
              ...(sameSiteOf.get(c.name) !== undefined ? { sameSite: sameSiteOf.get(c.name)! } : {}),
            }),
        );
    },
    fork: async ({ without } = {}) => {
      const { context } = await open();
      // Cookies (less those left out) and each origin's localStorage: a copy of this browser, as the HTTP driver's fork.
      const state = await context.storageState();
      const kept = state.cookies.filter((c) => !without?.({ key: c.name, domain: c.domain, path: c.path }));
      return chromiumBrowser(pw, options, b, { ...state, cookies: kept }, isolatedNames, sameSiteOf);
    },
    requestAs: async (url, { method = "GET", headers }) => {
      const { context } = await open();
      const res = await context.request.fetch(new URL(url).href, { method, headers, maxRedirects: 0, timeout: options.timeoutMs });
      return { status: res.status(), headers: res.headers(), body: await res.text().catch(() => "") };
    },
    close: async () => {
      if (!ready) return;
      const { context } = await ready;
      await context.close().catch(() => undefined);
    },
  };
  return browser;
}

/** A recorded response as the HTTP client's exchange shape (the reports redact it as they do the client's own). */
async function exchangeOf(r: Response, headers: { name: string; value: string }[], body: string): Promise<Exchange> {
  const req = r.request();
  const requestHeaders = await req.allHeaders().catch(() => req.headers());
  const timing = req.timing();
  const joined: Record<string, string> = {};
  for (const h of headers) {
    const k = h.name.toLowerCase();
    joined[k] = joined[k] === undefined ? h.value : `${joined[k]}${k === "set-cookie" ? "\n" : ", "}${h.value}`;
  }
  const postData = req.postData();
  return {
    request: { method: req.method(), url: req.url(), headers: requestHeaders, ...(postData !== null ? { body: postData } : {}) },
    response: { status: r.status(), headers: joined, ...(body ? { body: body.slice(0, EXCHANGE_BODY_LIMIT) } : {}) },
    startedAt: new Date(timing.startTime > 0 ? timing.startTime : Date.now()).toISOString(),
    durationMs: Math.max(0, Math.round(timing.responseEnd)),
  };
}

/** Run the steps in order on `page`; a step that cannot be done throws BrowserStepError naming it. */
async function runSteps(page: Page, { steps }: BrowserSteps): Promise<void> {
  for (const [i, step] of steps.entries()) {
    const name = step.name ? `step ${i + 1} (${step.name})` : `step ${i + 1}`;
    const timeout = step.timeoutMs ?? STEP_TIMEOUT_MS;
    const attempt = async (what: string, act: () => Promise<unknown>) => {
      try {
        await act();
      } catch (err) {
        const why = (err as Error).message.split("\n")[0] ?? String(err);
        throw new BrowserStepError(`browser ${name} could not ${what} within ${timeout} ms on ${page.url()}: ${why}`);
      }
    };
    if (step.url)
      await attempt(`see a URL matching ${JSON.stringify(step.url)}`, () => page.waitForURL(urlMatcher(step.url!), { timeout }));
    for (const action of step.actions) {
      if ("click" in action) await attempt(`click ${describeTarget(action.click)}`, () => locate(page, action.click).click({ timeout }));
      else if ("fill" in action)
        await attempt(`fill ${describeTarget(action.fill)}`, () => locate(page, action.fill).fill(action.fill.value, { timeout }));
      else if ("wait-for-url" in action) {
        const pattern = action["wait-for-url"];
        await attempt(`see a URL matching ${JSON.stringify(pattern)}`, () => page.waitForURL(urlMatcher(pattern), { timeout }));
      } else {
        const text = action["wait-for-text"];
        await attempt(`see the text ${JSON.stringify(text)}`, () => page.getByText(text).first().waitFor({ timeout }));
      }
    }
  }
}

/** The locator of a step's target: an ARIA role with its name, visible text, or a CSS selector. */
function locate(page: Page, t: StepTarget) {
  if (t.css !== undefined) return page.locator(t.css).first();
  if (t.text !== undefined) return page.getByText(t.text).first();
  return page.getByRole(t.role as Parameters<Page["getByRole"]>[0], t.name !== undefined ? { name: t.name } : {}).first();
}

function describeTarget(t: StepTarget): string {
  if (t.css !== undefined) return `the element ${JSON.stringify(t.css)}`;
  if (t.text !== undefined) return `the text ${JSON.stringify(t.text)}`;
  return `the ${t.role}${t.name !== undefined ? ` named ${JSON.stringify(t.name)}` : ""}`;
}

/** Words of a control that starts an NHS login sign-in (as sign-in-entry.ts reads links). */
const SIGN_IN_NAME = /NHS\s*login|sign[\s-]?in|log[\s-]?in/i;

/** The control to click: SERVICE_SIGN_IN_LINK as a CSS selector or as text, else the first sign-in button or link. */
async function findControl(page: Page, signInLink?: string) {
  const candidates: { locator: ReturnType<Page["locator"]>; describe: string }[] = [];
  if (signInLink !== undefined) {
    try {
      candidates.push({ locator: page.locator(signInLink).first(), describe: `the element ${JSON.stringify(signInLink)} (CSS)` });
    } catch {
      // not a selector
    }
    candidates.push({
      locator: page.getByText(signInLink, { exact: false }).first(),
      describe: `the control saying ${JSON.stringify(signInLink)}`,
    });
  } else {
    for (const role of ["button", "link"] as const)
      candidates.push({ locator: page.getByRole(role, { name: SIGN_IN_NAME }).first(), describe: `the first ${role} named like sign in` });
  }
  for (const c of candidates) {
    const count = await c.locator.count().catch(() => 0);
    if (count === 0) continue;
    const name = (await c.locator.innerText().catch(() => "")).trim().replace(/\s+/g, " ").slice(0, 60);
    return { locator: c.locator, describe: name ? `${c.describe}: ${JSON.stringify(name)}` : c.describe };
  }
  return undefined;
}

function formOf(body: string | null, contentType: string | undefined): Record<string, string> | undefined {
  if (body === null || !/application\/x-www-form-urlencoded/i.test(contentType ?? "")) return undefined;
  return Object.fromEntries(new URLSearchParams(body));
}
