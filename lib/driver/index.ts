/**
 * The browser driver: acts as a user's browser towards a service under test.
 */
export {
  createBrowser,
  type Browser,
  type BrowserOptions,
  type Hop,
  type NavigateOptions,
  type Navigation,
  type RawAnswer,
  type ScriptState,
} from "./browser.ts";
export { findAutoSubmitForm, type AutoSubmitForm } from "./forms.ts";
export { readPage, type HtmlPage, type PageForm, type PageLink } from "./html-page.ts";
export { describePage, findSignInEntry, type SignInEntry, type SignInEntryOptions } from "./sign-in-entry.ts";
export { findSignOutEntry } from "./sign-out-entry.ts";
export { findStepUpEntry } from "./step-up-entry.ts";
export type { PageEntry } from "./page-entry.ts";
export { pageTextOracle, protectedUrlOracle, type SignedInOracle, type SignedInVerdict } from "./signed-in-oracle.ts";
export { isEndpoint } from "./is-endpoint.ts";
export { captureAuthorization, type CapturedAuthorization } from "./capture-authorization.ts";
export {
  judge,
  revisit,
  signIn,
  type ProtectedProbe,
  type SignInJourney,
  type SignInOptions,
  type SignInTarget,
} from "./sign-in.ts";
