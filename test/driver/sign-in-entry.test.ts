/**
 * findSignInEntry: which link or form of a start page starts the sign-in, and how it is told;
 * describePage: what a page was, for messages.
 */
import { describe, expect, it } from "vitest";
import type { Hop } from "../../lib/driver/browser.ts";
import { readPage } from "../../lib/driver/html-page.ts";
import { describePage, findSignInEntry, type SignInEntryOptions } from "../../lib/driver/sign-in-entry.ts";

const service = "http://127.0.0.1:8080";
const authorizationEndpoint = "http://127.0.0.1:9000/authorize";
const endpoint: SignInEntryOptions = { authorizationEndpoint };

const find = (html: string, options: Partial<SignInEntryOptions> = {}) =>
  findSignInEntry(readPage(html, new URL(`${service}/start`)), { ...endpoint, ...options });

describe("findSignInEntry without SERVICE_SIGN_IN_LINK", () => {
  it("prefers a direct link to the authorization endpoint over a sign-in link before it", () => {
    const entry = find(
      `<a href="/login">Sign in</a><a href="/authorize">Help</a>` +
        `<a href="${authorizationEndpoint}?client_id=c&amp;state=s">Continue to NHS login</a>`,
    );
    expect(entry).toEqual({
      method: "GET",
      url: new URL(`${authorizationEndpoint}?client_id=c&state=s`),
      how: 'followed the link "Continue to NHS login" to /authorize?client_id=c&state=s',
    });
  });

  it("turns a GET form to the authorization endpoint into a URL with its fields as the query", () => {
    const entry = find(
      `<a href="/login">Sign in</a>` +
        `<form action="${authorizationEndpoint}?stale=1"><input type="hidden" name="client_id" value="c">` +
        `<input type="hidden" name="scope" value="openid profile"><button>Continue</button></form>`,
    );
    expect(entry?.method).toBe("GET");
    expect(entry?.url.href).toBe(`${authorizationEndpoint}?client_id=c&scope=openid+profile`);
    expect(entry?.form).toBeUndefined();
    expect(entry?.how).toBe('submitted the GET form (button "Continue") to /authorize');
  });

  it("keeps the body of a POST form to the authorization endpoint", () => {
    const entry = find(
      `<form method="post" action="${authorizationEndpoint}"><input type="hidden" name="client_id" value="c">` +
        `<input type="hidden" name="state" value="s&amp;1"></form>`,
    );
    expect(entry).toEqual({
      method: "POST",
      url: new URL(authorizationEndpoint),
      form: { client_id: "c", state: "s&1" },
      how: "submitted the POST form to /authorize",
    });
  });

  it("does not take /authorize on another origin for the authorization endpoint", () => {
    expect(find(`<a href="/authorize">Help</a><form action="/authorize"><button>Go</button></form>`)).toBeUndefined();
  });

  it.each([
    ["Log in", "/a"],
    ["Sign in", "/b"],
    ["Sign-in to your account", "/c"],
    ["signin", "/d"],
    ["Continue with NHS login", "/e"],
    ["Use NHSlogin", "/f"],
  ])("falls back to a link saying %j", (text, path) => {
    const entry = find(`<a href="/about">About us</a><a href="${path}">${text}</a>`);
    expect(entry?.url.href).toBe(`${service}${path}`);
    expect(entry?.how).toBe(`followed the link ${JSON.stringify(text)} to ${path}`);
  });

  it("falls back to a form whose button says sign in, after the links", () => {
    const entry = find(
      `<form action="/search"><input name="q"><button>Search</button></form>` +
        `<form method="post" action="/session"><input type="hidden" name="csrf" value="t"><button>Sign in</button></form>`,
    );
    expect(entry).toEqual({
      method: "POST",
      url: new URL(`${service}/session`),
      form: { csrf: "t" },
      how: 'submitted the POST form (button "Sign in") to /session',
    });
  });

  it("takes a worded link before a worded button", () => {
    const entry = find(`<form action="/session"><button>Log in</button></form><a href="/login">Log in</a>`);
    expect(entry?.how).toBe('followed the link "Log in" to /login');
  });

  it("does not take words that only look like signing in", () => {
    expect(find(`<a href="/blog">Blog index</a><a href="/out">Sign out</a><a href="/x">Signing up</a><a href="/y">Logins</a>`)).toBe(
      undefined,
    );
  });

  it("finds nothing on a page with no link or form to follow", () => {
    expect(find("<h1>Welcome</h1><p>Nothing here.</p>")).toBeUndefined();
  });

  it("shortens a long query in how", () => {
    const query = `?${"x".repeat(70)}`;
    const entry = find(`<a href="${authorizationEndpoint}${query}">NHS login</a>`);
    expect(entry?.url.search).toBe(query);
    expect(entry?.how).toBe(`followed the link "NHS login" to /authorize${query.slice(0, 60)}…`);
  });
});

describe("findSignInEntry with SERVICE_SIGN_IN_LINK", () => {
  const page =
    `<a href="${authorizationEndpoint}?client_id=c">Continue to NHS login</a>` +
    `<a id="partner" href="/partner/start"><span class="label">Use the partner sign-in</span></a>` +
    `<a href="/help">Get help</a>` +
    `<form method="post" action="/begin"><input type="hidden" name="t" value="1"><button class="start">Start now</button></form>`;

  it("uses it as a CSS selector first, even over a direct link to the endpoint", () => {
    expect(find(page, { signInLink: "#partner .label" })).toEqual({
      method: "GET",
      url: new URL(`${service}/partner/start`),
      how: 'SERVICE_SIGN_IN_LINK="#partner .label": the link "Use the partner sign-in" to /partner/start',
    });
  });

  it("uses a selector matching a button as its form", () => {
    expect(find(page, { signInLink: "button.start" })).toEqual({
      method: "POST",
      url: new URL(`${service}/begin`),
      form: { t: "1" },
      how: 'SERVICE_SIGN_IN_LINK="button.start": the POST form (button "Start now") to /begin',
    });
  });

  it("uses it as the text of a link, in any case", () => {
    const entry = find(page, { signInLink: "GET HELP" });
    expect(entry?.url.href).toBe(`${service}/help`);
    expect(entry?.how).toBe('SERVICE_SIGN_IN_LINK="GET HELP": the link "Get help" to /help');
  });

  it("uses it as link text when it is not a valid selector", () => {
    const html = `<a href="/nhs">Log in (NHS)</a>`;
    expect(readPage(html, new URL(service)).select("log in (nhs)")).toBeUndefined();
    const entry = find(html, { signInLink: "log in (nhs)" });
    expect(entry?.how).toBe('SERVICE_SIGN_IN_LINK="log in (nhs)": the link "Log in (NHS)" to /nhs');
  });

  it("uses it as the text of a button", () => {
    const entry = find(page, { signInLink: "start now" });
    expect(entry?.method).toBe("POST");
    expect(entry?.form).toEqual({ t: "1" });
    expect(entry?.how).toBe('SERVICE_SIGN_IN_LINK="start now": the POST form (button "Start now") to /begin');
  });

  it("gives nothing when it matches nothing, without falling back to the endpoint or the wording", () => {
    expect(find(page, { signInLink: "#absent" })).toBeUndefined();
    expect(find(page, { signInLink: "Register" })).toBeUndefined();
    expect(find(`<a href="/login">Sign in</a>`, { signInLink: ".nope" })).toBeUndefined();
  });
});

const hop = (h: Partial<Hop> & Pick<Hop, "url">): Hop => ({ method: "GET", status: 200, setCookies: [], body: "", ...h });

describe("describePage", () => {
  it("gives the status, path, title and the links and forms on an HTML page", () => {
    const body =
      `<title>Welcome  to the service</title><a href="/">Home</a><a href="/login?next=%2Faccount">Sign in</a>` +
      `<a href="/img"><img alt="logo"></a><form method="post" action="/search"></form><form action="/find"></form>`;
    expect(describePage(hop({ url: `${service}/start?x=1`, contentType: "text/html; charset=utf-8", body }))).toBe(
      'HTTP 200 at /start, titled "Welcome to the service"; links and forms seen: "Home" → /, "Sign in" → /login?next=%2Faccount, ' +
        '"(no text)" → /img, POST form → /search, GET form → /find',
    );
  });

  it("shows the first six links and three forms, with … when there are more links", () => {
    const links = Array.from({ length: 7 }, (_, i) => `<a href="/l${i}">L${i}</a>`).join("");
    const forms = Array.from({ length: 4 }, (_, i) => `<form action="/f${i}"></form>`).join("");
    expect(describePage(hop({ url: `${service}/many`, contentType: "text/html", body: links + forms }))).toBe(
      'HTTP 200 at /many; links and forms seen: "L0" → /l0, "L1" → /l1, "L2" → /l2, "L3" → /l3, "L4" → /l4, "L5" → /l5, ' +
        "GET form → /f0, GET form → /f1, GET form → /f2, …",
    );
  });

  it("has no … with exactly six links", () => {
    const links = Array.from({ length: 6 }, (_, i) => `<a href="/l${i}">L${i}</a>`).join("");
    expect(describePage(hop({ url: `${service}/six`, contentType: "text/html", body: links }))).not.toContain("…");
  });

  it("says when there is no link or form on the page", () => {
    expect(describePage(hop({ url: `${service}/empty`, status: 403, contentType: "text/html", body: "<p>Forbidden</p>" }))).toBe(
      "HTTP 403 at /empty; no link or form on it",
    );
  });

  it("says when the answer is not an HTML page, without reading it", () => {
    const json = hop({ url: `${service}/api/me`, contentType: "application/json", body: '{"a":"<a href=/x>x</a>"}' });
    expect(describePage(json)).toBe("HTTP 200 at /api/me (application/json, not an HTML page)");
    expect(describePage(hop({ url: `${service}/nothing`, status: 204 }))).toBe("HTTP 204 at /nothing (no Content-Type, not an HTML page)");
  });
});
