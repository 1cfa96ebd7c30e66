/**
 * A minimal browser over the harness HTTP client: a cookie jar (tough-cookie), redirects followed
 * one hop at a time with every hop recorded, auto-submitting sign-in forms, and hard bounds
 * (hops per navigation, the client's per-request deadline and size cap). It assumes nothing about
 * the service behind the URLs: not its language, not that it runs in this process.
 *
 * @example
 * ```ts
 * const browser = createBrowser({ timeoutMs: 5000 })
 * const nav = await browser.navigate("http://127.0.0.1:8080/login", { stopBefore: (u) => u.pathname === "/authorize" })
 * nav.hops.map((h) => `${h.status} ${h.url}`)
 * await browser.close()
 * ```
 */
import { CookieJar, type Cookie } from "tough-cookie";
import { createHttpClient, type HttpClient, type HttpResponse } from "../http/index.ts";
import { findAutoSubmitForm } from "./forms.ts";
import type { BrowserSteps } from "./browser-steps.ts";

/** One request the browser made and what came back. */
export interface Hop {
  method: "GET" | "POST";
  /** The URL as the browser sees it (before any `resolve` mapping). */
  url: string;
  status: number;
  /** Resolved `Location` of a redirect. */
  location?: string;
  contentType?: string;
  /** The raw `Set-Cookie` header values. */
  setCookies: string[];
  /** The response body (as far as the size cap allows). */
  body: string;
  /** Form fields sent, for a POST. */
  form?: Record<string, string>;
  /** Browser mode: a request a page script made (fetch or XHR), not a navigation. */
  script?: boolean;
  /** Browser mode: why a script's request got no answer the page could read (CORS, a network error); `status` is then 0. */
  failure?: string;
  /** Browser mode: the body had not finished loading 2 s after the headers (a stream the page left unread); `body` is then empty. */
  bodyUnread?: boolean;
}

/** What a page's scripts can read once the page has settled (browser mode only). */
export interface ScriptState {
  url: string;
  /** The page's visible text. */
  text: string;
  localStorage: Record<string, string>;
  sessionStorage: Record<string, string>;
  /** `document.cookie`: the cookies a script can read (none that are HttpOnly). */
  cookies: string;
}

/** An answer to a request made with the browser's cookies and chosen headers (browser mode only). */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Navigation {
  hops: Hop[];
  /** The last response received (undefined when even the first request failed). */
  final?: Hop;
  /** Set when the navigation stopped before requesting this URL (see `stopBefore`). */
  stoppedBefore?: URL;
  /** Why the navigation ended early: a network failure or the hop limit. */
  error?: string;
}

export interface NavigateOptions {
  method?: "GET" | "POST";
  form?: Record<string, string>;
  /** Do not request a URL for which this returns true; the navigation ends with `stoppedBefore`. */
  stopBefore?: (url: URL) => boolean;
  /** Change a redirect target before following it (the harness tampering with a response). */
  rewrite?: (url: URL) => URL;
  /** Submit an auto-submitting POST form whose action passes this test (default: none). */
  submitForms?: (action: URL) => boolean;
}

export interface BrowserOptions {
  timeoutMs?: number;
  maxResponseBytes?: number;
  ca?: string | readonly string[];
  /** Redirects and form submissions followed per navigation (default 20). */
  maxHops?: number;
  /**
   * Host names to send to another address, like curl's `--resolve`: `{ "rp.example.test": "127.0.0.1" }`.
   * Plain http only (the `Host` header keeps the name; TLS would need the name for SNI).
   */
  resolve?: Readonly<Record<string, string>>;
  /** Share an HTTP client between browsers (it is then not closed by `close()`). */
  http?: HttpClient;
  /**
   * Origins whose cookies live in a jar of their own: they are never sent to, nor counted as those
   * of, any other origin, even on the same host (cookies ignore ports). The harness isolates the
   * simulator, so that its cookies are never taken for the service's.
   */
  isolate?: readonly string[];
}

export interface Browser {
  navigate(url: string | URL, options?: NavigateOptions): Promise<Navigation>;
  /** Cookies the browser would send to `url` (from the jar of its origin when that is isolated). */
  cookies(url: string | URL): Promise<Cookie[]>;
  /**
   * A new browser with a copy of this one's cookies, optionally without some of them. It shares
   * this browser's HTTP client (or chromium): close it before this one.
   */
  fork(options?: { without?: (cookie: { key: string; domain: string; path: string }) => boolean }): Promise<Browser>;
  /**
   * Browser mode: start the sign-in on the current page as a person would, and follow what
   * happens: the browser steps when given (SERVICE_BROWSER_STEPS; a step that cannot be done
   * throws BrowserStepError), else a click on SERVICE_SIGN_IN_LINK (a CSS selector or text) or on
   * the first button or link named like "sign in". Undefined when there is no such control.
   */
  clickSignIn?(
    how: { signInLink?: string; steps?: BrowserSteps },
    options?: NavigateOptions,
  ): Promise<{ navigation: Navigation; clicked: string } | undefined>;
  /** Browser mode: what the current page's scripts can read. */
  scriptState?(): Promise<ScriptState>;
  /** Browser mode: a GET (or OPTIONS) of `url` with this browser's cookies and `headers` (no redirect followed). */
  requestAs?(url: string, request: { method?: "GET" | "OPTIONS"; headers: Record<string, string> }): Promise<RawAnswer>;
  close(): Promise<void>;
}

const newJar = () => new CookieJar(undefined, { allowSecureOnLocal: true });

export function createBrowser(options: BrowserOptions = {}, jar = newJar(), isolated = new Map<string, CookieJar>()): Browser {
  for (const origin of options.isolate ?? []) if (!isolated.has(origin)) isolated.set(origin, newJar());
  const jarFor = (url: URL | string) => isolated.get(new URL(url).origin) ?? jar;
  const ownHttp = options.http === undefined;
  const http =
    options.http ??
    createHttpClient({
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.maxResponseBytes !== undefined ? { maxResponseBytes: options.maxResponseBytes } : {}),
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
    });
  const maxHops = options.maxHops ?? 20;

  async function send(method: "GET" | "POST", url: URL, form?: Record<string, string>): Promise<HttpResponse> {
    const target = new URL(url);
    const headers: Record<string, string> = {
      accept: "text/html,application/xhtml+xml,*/*;q=0.8",
      "user-agent": "nhslogin-conformance-driver",
    };
    const mapped = options.resolve?.[url.hostname];
    if (mapped !== undefined) {
      if (url.protocol !== "http:") throw new TypeError(`resolve applies to http URLs only (${url.origin})`);
      target.hostname = mapped;
      headers.host = url.host;
    }
    const cookieHeader = jarFor(url).getCookieStringSync(url.href);
    if (cookieHeader) headers.cookie = cookieHeader;
    return http.request({ method, url: target, headers, ...(form ? { form } : {}) });
  }

  async function navigate(start: string | URL, nav: NavigateOptions = {}): Promise<Navigation> {
    const hops: Hop[] = [];
    let url = new URL(start);
    let method = nav.method ?? "GET";
    let form = nav.form;
    for (let i = 0; i < maxHops; i++) {
      if (nav.stopBefore?.(url)) return { hops, final: hops.at(-1), stoppedBefore: url };
      let res: HttpResponse;
      try {
        res = await send(method, url, form);
      } catch (err) {
        return { hops, final: hops.at(-1), error: `${method} ${url.href}: ${(err as Error).message}` };
      }
      const setCookies = res.headers["set-cookie"] ? res.headers["set-cookie"].split("\n") : [];
      for (const c of setCookies) {
        try {
          jarFor(url).setCookieSync(c, url.href, { ignoreError: true });
        } catch {
          // a cookie a browser would drop; it stays visible in the hop
        }
      }
      const location = res.status >= 300 && res.status < 400 && res.headers.location ? safeUrl(res.headers.location, url) : undefined;
      const hop: Hop = {
        method,
        url: url.href,
        status: res.status,
        setCookies,
        body: res.text,
        ...(location ? { location: location.href } : {}),
        ...(res.headers["content-type"] ? { contentType: res.headers["content-type"] } : {}),
        ...(form ? { form } : {}),
      };
      hops.push(hop);
      if (location) {
        url = nav.rewrite ? nav.rewrite(location) : location;
        // 307/308 keep the method and body; everything else becomes a GET.
        if (res.status !== 307 && res.status !== 308) {
          method = "GET";
          form = undefined;
        }
        continue;
      }
      const submit =
        nav.submitForms && /html/i.test(hop.contentType ?? "") && res.status === 200 ? findAutoSubmitForm(res.text, url) : undefined;
      if (submit && nav.submitForms!(submit.action)) {
        url = submit.action;
        method = "POST";
        form = submit.fields;
        continue;
      }
      return { hops, final: hop };
    }
    return { hops, final: hops.at(-1), error: `more than ${maxHops} redirects` };
  }

  return {
    navigate,
    cookies: async (url) => jarFor(url).getCookiesSync(new URL(url).href),
    fork: async ({ without } = {}) => {
      const serialized = jar.serializeSync()!;
      const kept = without
        ? serialized.cookies.filter((c) => !without({ key: String(c.key), domain: String(c.domain), path: String(c.path) }))
        : serialized.cookies;
      const copies = new Map([...isolated].map(([origin, j]) => [origin, j.cloneSync()!]));
      return createBrowser({ ...options, http }, CookieJar.deserializeSync({ ...serialized, cookies: kept }), copies);
    },
    close: async () => {
      if (ownHttp) await http.close();
    },
  };
}

function safeUrl(value: string, base: URL): URL | undefined {
  try {
    return new URL(value, base);
  } catch {
    return undefined;
  }
}
