/**
 * Where a signed-in user signs out of a service (FED-GEN-05, SESSION-01: the service offers its
 * own sign-out): a link, or a form's button, saying "sign out" or "log out", else a link whose
 * path says so (`/logout`, `/sign-out`). A link outside the service's origins (NHS login's pages,
 * say) is not the service's sign-out, nor is a link back to the page itself (a form may post to it).
 *
 * @example
 * ```ts
 * const entry = findSignOutEntry(readPage(html, new URL("http://127.0.0.1:8080/account")))
 * entry?.how // 'submitted the POST form (button "Sign out") to /logout'
 * ```
 */
import type { HtmlPage } from "./html-page.ts";
import { fromForm, fromLink, type PageEntry } from "./page-entry.ts";

/** Words of a link or button that signs out. */
const SIGN_OUT_WORDS = /\bsign[\s-]?out\b|\blog[\s-]?out\b|\blog[\s-]?off\b/i;
/** A path that signs out. */
const SIGN_OUT_PATH = /\/(sign[-_]?out|log[-_]?out|log[-_]?off|end[-_]?session)\/?$/i;

/**
 * The sign-out control of `page` (whose URL is `base`), or undefined when it has none the harness
 * can tell. `origins` are the service's own (default: the page's).
 */
export function findSignOutEntry(page: HtmlPage, base: URL, origins: readonly string[] = [base.origin]): PageEntry | undefined {
  const self = (u: URL) => u.origin === base.origin && u.pathname === base.pathname && u.search === base.search;
  const own = (u: URL) => origins.includes(u.origin) && !self(u);
  const worded = page.links.find((l) => own(l.url) && SIGN_OUT_WORDS.test(l.text));
  if (worded) return fromLink(worded, "followed");
  const ours = (u: URL) => origins.includes(u.origin);
  const button = page.forms.find((f) => ours(f.action) && f.buttons.some((b) => SIGN_OUT_WORDS.test(b)));
  if (button) return fromForm(button, "submitted");
  const path = page.links.find((l) => own(l.url) && SIGN_OUT_PATH.test(l.url.pathname));
  if (path) return fromLink(path, "followed");
  const action = page.forms.find((f) => ours(f.action) && SIGN_OUT_PATH.test(f.action.pathname));
  return action ? fromForm(action, "submitted") : undefined;
}
