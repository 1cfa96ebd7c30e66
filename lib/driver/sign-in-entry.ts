/**
 * Where a sign-in starts on a page that does not send the browser to NHS login by itself: a link
 * or a form whose target is NHS login's `/authorize`, or the one named by `SERVICE_SIGN_IN_LINK`
 * (a CSS selector, or the text of a link or button), or a link or button saying "NHS login",
 * "sign in" or "log in". Pages are read by the HTML parser of html-page.ts.
 *
 * @example
 * ```ts
 * const entry = findSignInEntry(readPage(html, url), { authorizationEndpoint: "http://127.0.0.1:9000/authorize" })
 * entry?.how // 'the link "Continue to NHS login" to /authorize'
 * ```
 */
import type { Hop } from "./browser.ts";
import { isEndpoint } from "./is-endpoint.ts";
import { type HtmlPage, readPage } from "./html-page.ts";
import { fromForm, fromLink, type PageEntry, shortUrl } from "./page-entry.ts";

/** A link or form of a page to follow, and how it was told (page-entry.ts). */
export type SignInEntry = PageEntry;

export interface SignInEntryOptions {
  authorizationEndpoint: string;
  /** SERVICE_SIGN_IN_LINK: a CSS selector, or the text of the link or button to use. */
  signInLink?: string;
}

/** Words of a link or button that starts an NHS login sign-in. */
const SIGN_IN_WORDS = /\bNHS\s*login\b|\bsign[\s-]?in\b|\blog[\s-]?in\b/i;

export function findSignInEntry(page: HtmlPage, x: SignInEntryOptions): SignInEntry | undefined {
  if (x.signInLink !== undefined) {
    const selected = page.select(x.signInLink);
    const named = `SERVICE_SIGN_IN_LINK=${JSON.stringify(x.signInLink)}:`;
    if (selected?.links[0]) return fromLink(selected.links[0], named);
    if (selected?.forms[0]) return fromForm(selected.forms[0], named);
    const wanted = x.signInLink.toLowerCase();
    const link = page.links.find((l) => l.text.toLowerCase().includes(wanted));
    if (link) return fromLink(link, named);
    const form = page.forms.find((f) => f.buttons.some((b) => b.toLowerCase().includes(wanted)));
    return form ? fromForm(form, named) : undefined;
  }
  const direct = page.links.find((l) => isEndpoint(l.url, x.authorizationEndpoint));
  if (direct) return fromLink(direct, "followed");
  const form = page.forms.find((f) => isEndpoint(f.action, x.authorizationEndpoint));
  if (form) return fromForm(form, "submitted");
  const worded = page.links.find((l) => SIGN_IN_WORDS.test(l.text));
  if (worded) return fromLink(worded, "followed");
  const button = page.forms.find((f) => f.buttons.some((b) => SIGN_IN_WORDS.test(b)));
  return button ? fromForm(button, "submitted") : undefined;
}

/** What a page was, for a message: status, path, title and the first links on it. */
export function describePage(hop: Hop): string {
  const where = `HTTP ${hop.status} at ${new URL(hop.url).pathname}`;
  if (!/html/i.test(hop.contentType ?? "")) return `${where} (${hop.contentType ?? "no Content-Type"}, not an HTML page)`;
  const page = readPage(hop.body, new URL(hop.url));
  const links = page.links.slice(0, 6).map((l) => `${JSON.stringify(l.text || "(no text)")} → ${shortUrl(l.url)}`);
  const forms = page.forms.slice(0, 3).map((f) => `${f.method} form → ${f.action.pathname}`);
  const seen = [...links, ...forms];
  return (
    `${where}${page.title ? `, titled ${JSON.stringify(page.title)}` : ""}; ` +
    (seen.length > 0 ? `links and forms seen: ${seen.join(", ")}${page.links.length > 6 ? ", …" : ""}` : "no link or form on it")
  );
}
