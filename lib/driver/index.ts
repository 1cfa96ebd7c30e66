/**
 * The browser driver: acts as a user's browser towards a service under test.
 */
export { createBrowser, type Browser, type BrowserOptions, type Hop, type NavigateOptions, type Navigation } from "./browser.ts";
export { findAutoSubmitForm, type AutoSubmitForm } from "./forms.ts";
export {
  isEndpoint,
  probeProtected,
  signIn,
  type CapturedAuthorization,
  type ProtectedProbe,
  type SignInJourney,
  type SignInOptions,
  type SignInTarget,
} from "./sign-in.ts";
