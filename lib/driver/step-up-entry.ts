/**
 * Where a page offers a signed-in user the verification step-up to P9 (docs: step-up-p5-p9): a
 * link or form that starts a sign-in (findSignInEntry: one to NHS login's `/authorize`, or saying
 * "NHS login", "sign in", "log in"), else a link or button saying "verify", "step up", or "prove"
 * or "confirm" your identity.
 *
 * @example
 * ```ts
 * const entry = findStepUpEntry(readPage(html, url), { authorizationEndpoint: "http://127.0.0.1:9000/authorize" })
 * entry?.how // 'followed the link "Verify your identity" to /login'
 * ```
 */
import type { HtmlPage } from "./html-page.ts";
import { fromForm, fromLink, type PageEntry } from "./page-entry.ts";
import { findSignInEntry, type SignInEntryOptions } from "./sign-in-entry.ts";

/** Words of a control that starts a step-up. */
const STEP_UP_WORDS = /\bverif(y|ication)\b|\bstep[\s-]?up\b|\bprove\b.*\bidentity\b|\bconfirm\b.*\bidentity\b/i;

export function findStepUpEntry(page: HtmlPage, options: SignInEntryOptions): PageEntry | undefined {
  const signIn = findSignInEntry(page, options);
  if (signIn) return signIn;
  const link = page.links.find((l) => STEP_UP_WORDS.test(l.text));
  if (link) return fromLink(link, "followed");
  const form = page.forms.find((f) => f.buttons.some((b) => STEP_UP_WORDS.test(b)));
  return form ? fromForm(form, "submitted") : undefined;
}
