/**
 * The scenarios NHS login expects a partner to walk through by hand (catalogue section 3,
 * from the docs "testing scenarios" page and related pages), as data. The conformance run lists
 * each one as a skipped "manual" entry with instructions, so a reviewer sees the automated checks
 * and the manual checklist side by side.
 *
 * @example
 * ```ts
 * for (const s of MANUAL_SCENARIOS) console.log(s.id, s.title, s.requirements.join(" "))
 * manualScenario("M-G2").steps // what the tester does
 * ```
 */

export interface ManualScenario {
  /** Stable scenario ID from the catalogue, e.g. "M-G2". */
  id: string;
  title: string;
  /** Proofing levels of the services the scenario applies to. */
  levels: readonly ("P0" | "P5" | "P9")[];
  /** Whether NHS login requires it before go-live (false: optional or for awareness). */
  mandatory: boolean;
  /** Why a harness cannot do it alone. */
  whyManual: string;
  /** What the tester does and what they look for, in order. */
  steps: readonly string[];
  /** What this harness (or a simulator-driven test) covers of it automatically. */
  automated: string;
  /** Catalogue requirement IDs the scenario gives evidence for. */
  requirements: readonly string[];
  /** Where the scenario is described: catalogue source notation (docs:<page>). */
  source: string;
}

const ALL = ["P0", "P5", "P9"] as const;

/** Expand "SSO-04..08" style ranges into IDs (two-digit numbers, same prefix). */
function range(prefix: string, from: number, to: number): string[] {
  const ids: string[] = [];
  for (let n = from; n <= to; n += 1) ids.push(`${prefix}-${String(n).padStart(2, "0")}`);
  return ids;
}

export const MANUAL_SCENARIOS: readonly ManualScenario[] = Object.freeze([
  {
    id: "M-G1",
    title: "Signed-in users can reach their NHS login settings page",
    levels: ALL,
    mandatory: true,
    whyManual: "Opening the real settings page without signing in again needs a live NHS login session and NHS login's own pages.",
    steps: [
      "Sign in to the service through NHS login (sandpit or integration test account).",
      "Find the link to the NHS login account settings the service offers to signed-in users.",
      "Follow it: the settings host must belong to the same environment and no password prompt may appear.",
    ],
    automated:
      "A crawler can check the link's host per environment (SSO-12) and validate asserted_login_identity when present (SSO-04..08).",
    requirements: ["SSO-12", ...range("SSO", 4, 8)],
    source: "docs:testing-scenarios; docs:linking-to-settings",
  },
  {
    id: "M-G2",
    title: "A user who declines to share sees a suitable message from the service",
    levels: ALL,
    mandatory: true,
    whyManual: "Declining happens on NHS login's consent screen, and judging the service's message is a human call.",
    steps: [
      "Start sign-in from the service and, on NHS login's consent screen, choose not to share.",
      "Check the service then shows its no-consent screen (or the agreed alternative route), not an error or a blank page.",
      "Compare wording and styling with the no-consent guidance.",
      "In the NHS App's browser, press Back on the no-consent screen: it should reload that screen (NHS login's own error page " +
        "is acceptable), never reach a page of the service as if signed in.",
    ],
    automated:
      "Service suite: the simulator answers with error=access_denied and the harness checks the service refuses sign-in with a page " +
      "(FED-ARESP-11, CONSENT-02).",
    requirements: ["FED-ARESP-11", ...range("CONSENT", 2, 5), "CONSENT-06"],
    source: "docs:testing-scenarios; docs:no-consent-guidance",
  },
  {
    id: "M-G3",
    title: "Asking for a scope the service is not approved for shows the invalid_scope error",
    levels: ALL,
    mandatory: true,
    whyManual: "The service must be reconfigured to request an unapproved scope, and the result is judged on screen.",
    steps: [
      "Configure a test deployment of the service to add a scope it is not approved for.",
      "Start sign-in: NHS login answers with error=invalid_scope, possibly before the login page.",
      "Check the service shows the user an understandable error page.",
    ],
    automated:
      "Against a real environment an authorize request with the extra scope can be checked for error=invalid_scope (FED-AUTHZ-04); " +
      "the simulator can return invalid_scope to the service.",
    requirements: ["FED-AUTHZ-04"],
    source: "docs:testing-scenarios",
  },
  {
    id: "M-G4",
    title: "The vector of trust returned matches the one requested",
    levels: ALL,
    mandatory: true,
    whyManual: "NHS login asks for evidence from a real sign-in for every vector of trust the service supports.",
    steps: [
      "For each vector of trust the service requests, sign in with a test account of that level.",
      "Record the vtr sent and the vot in the ID token; they must match.",
    ],
    automated:
      "With the simulator: the vot is checked against the vtr of each sign-in (VOT-06, including mismatches the service must " +
      "refuse). How NHS login reads a vtr of several vectors (vectors are alternatives, a vector's components all hold: VOT-03) " +
      "is seen only through the vot it returns, so it is judged here, by sending a mixed vtr and comparing.",
    requirements: ["VOT-06", "VOT-03", "FED-REG-06"],
    source: "docs:testing-scenarios; docs:vectors-of-trust",
  },
  {
    id: "M-R1",
    title: "Registration of a new user at P0 (every supported P0 vector)",
    levels: ["P0"],
    mandatory: true,
    whyManual: "Creating an NHS login account needs e-mail confirmation and a one-time code sent to a real phone.",
    steps: [
      "Register a brand-new NHS login account through the service's sign-in button.",
      "Check the service creates its local account keyed on sub and a second sign-in reuses it.",
      "Repeat for every P0 vector of trust the service supports.",
    ],
    automated: "Simulator: a new sub at P0; the service must provision once and cope without nhs_number or family_name.",
    requirements: [],
    source: "docs:testing-scenarios",
  },
  {
    id: "M-R2",
    title: "Registration of a new user at P5",
    levels: ["P5"],
    mandatory: true,
    whyManual: "Also needs a demographic match against PDS, which only the integration environment has.",
    steps: [
      "In integration, register a new account and complete the P5 demographic match.",
      "Check the service grants P5 features only and does not show an NHS number.",
    ],
    automated: "Simulator: a first sign-in at vot P5 with identity_proofing_level P5 (VOT-11, SCOPE-13).",
    requirements: ["VOT-11", "SCOPE-13"],
    source: "docs:testing-scenarios",
  },
  {
    id: "M-R3",
    title: "Registration of a new user at P9",
    levels: ["P9"],
    mandatory: true,
    whyManual: "Needs photo or video ID checks, or GP online credentials; manual ID verification completes only in integration.",
    steps: [
      "In integration, register a new account and complete P9 verification.",
      "Check the P9 features of the service become available.",
    ],
    automated: "Simulator: a new sub at P9 with the full claim set.",
    requirements: [],
    source: "docs:testing-scenarios",
  },
  {
    id: "M-L0",
    title: "P0 service: P0, P5 and P9 users sign in and see the right scopes on the consent screen",
    levels: ["P0"],
    mandatory: true,
    whyManual: "The scopes listed on NHS login's consent screen can only be checked by looking at it.",
    steps: [
      "Sign in with a P0, a P5 and a P9 test user in turn.",
      "Each must land back in the service; check the consent screen lists the scopes the service asked for.",
    ],
    automated:
      "Simulator: sign-ins at P0, P5 and P9 must all be accepted when vot matches vtr; the environment suite's claims-by-level " +
      "check signs in at each level with each scope set and compares the claims with the scope rules.",
    requirements: [],
    source: "docs:testing-scenarios",
  },
  {
    id: "M-L5",
    title: "P5 service: a P0 user is asked to uplift to P5; P5 and P9 users are redirected",
    levels: ["P5"],
    mandatory: true,
    whyManual: "The uplift journey happens in NHS login's own pages.",
    steps: [
      "Sign in with a P0 user: NHS login asks for the P5 uplift, then returns to the service.",
      "Sign in with P5 and P9 users: both return to the service; check the consent screen scopes.",
      "Sign in with a P5 user whose record lacks some requested claims (no GP credentials, no given name): " +
        "the service offers its P5 features without an error.",
    ],
    automated:
      "Simulator: each token's vot is checked against its identity_proofing_level (VOT-09) and each persona's claims against " +
      "its level (SCOPE rows); the uplift itself happens in NHS login's pages.",
    requirements: ["VOT-09", "SCOPE-14"],
    source: "docs:testing-scenarios",
  },
  {
    id: "M-L9",
    title: "P9 service (not IM1): P0 and P5 users uplift to P9; a P9 user is redirected",
    levels: ["P9"],
    mandatory: true,
    whyManual: "The P9 uplift (photo ID, video, or GP-record match) happens in NHS login's own pages.",
    steps: [
      "Sign in with P0 and P5 users: each is taken through the P9 uplift and returned to the service.",
      "Sign in with a P9 user and check the consent screen scopes.",
    ],
    automated: "Simulator: a callback whose vot is below P9 must be refused (VOT-06); the step-up request shape (STEPUP-02).",
    requirements: ["VOT-06", "STEPUP-02"],
    source: "docs:testing-scenarios; docs:step-up-p5-p9",
  },
  {
    id: "M-IM1",
    title: "P9 IM1 service: users are linked to their GP account; invalid IM1 details are refused cleanly",
    levels: ["P9"],
    mandatory: true,
    whyManual: "Needs GP middleware, a GP test system and linkage keys set up with NHS login in integration.",
    steps: [
      "With linkage data agreed with NHS login, sign in as P0/P5 users (uplift to P9) and as a P9 user.",
      "Check each is linked to the GP online account.",
      "Sign in as a user with invalid IM1 details: the service must show a clear error, without a loop.",
    ],
    automated: "Simulator plus a GP mock returning gp_integration_credentials (GPIC-03..05, GPIC-07, GPIC-08).",
    requirements: [...range("GPIC", 3, 5), "GPIC-07", "GPIC-08"],
    source: "docs:testing-scenarios; docs:gp-credentials",
  },
  {
    id: "M-PYI",
    title: "Awareness of the Prove Your Identity journey (optional)",
    levels: ALL,
    mandatory: false,
    whyManual: "Knowledge for support staff, not a test.",
    steps: ["Walk support staff through the Prove Your Identity journey so they can help users."],
    automated: "Nothing to automate.",
    requirements: [],
    source: "docs:testing-scenarios",
  },
  {
    id: "M-TC1",
    title: "IM1 suppliers in integration: GP test records set up with NHS login end in a successful sign-in",
    levels: ["P9"],
    mandatory: true,
    whyManual: "An offline process with NHS login staff: local GP records, linkage keys, account registration and approval.",
    steps: [
      "Create local GP records from NHS login's patient set and share linkage key, account ID and ODS code with NHS login.",
      "Register the NHS login accounts, have them loaded and verified, and notify NHS login for approval.",
      "Sign in: the user lands in the service with the local GP record.",
    ],
    automated: "Only the final sign-in, with a headless browser and the environment's test accounts.",
    requirements: [],
    source: "docs:testing-scenarios",
  },
  {
    id: "M-TC2",
    title: "Non-IM1 suppliers in integration: supplied patient records complete verification and reach the service",
    levels: ["P9"],
    mandatory: true,
    whyManual: "A journey through NHS login's registration and verification pages.",
    steps: [
      "Use the supplied patient records (linkage key, account ID, ODS code) to verify through GP online or online ID checks.",
      "Check the user is then returned to the service.",
    ],
    automated: "Only the final redirect, as for M-TC1.",
    requirements: [],
    source: "docs:testing-scenarios",
  },
  {
    id: "M-FIDO",
    title: "FIDO UAF (biometric) sign-in in the app",
    levels: ALL,
    mandatory: false,
    whyManual: "Needs a real device authenticator and NHS login enabling it for the app.",
    steps: [
      "On a real device, register and use biometric sign-in; deregister it again.",
      "Check the app's authorization request carries fido_auth_response as base64url (no +, / or padding) and the sign-in counts as Cm.",
    ],
    automated: "Message shapes only (FIDO-02..12, FED-AUTHZ-19), with a recorded or mock UAF client.",
    requirements: [...range("FIDO", 2, 12), "FED-AUTHZ-19"],
    source: "docs:fido",
  },
  {
    id: "M-WT",
    title: "What NHS login tests itself: PDS search, photo and video upload",
    levels: ["P5", "P9"],
    mandatory: false,
    whyManual: "These are NHS login's own verification pages.",
    steps: ["Nothing for the service to check beyond the resulting level, which the simulator scenarios cover."],
    automated: "The resulting proofing level is covered by the simulator scenarios.",
    requirements: [],
    source: "docs:testing-scenarios",
  },
  {
    id: "M-SESS",
    title: "Session time-outs on real devices",
    levels: ALL,
    mandatory: true,
    whyManual: "Depends on device lifecycle events (backgrounding, locking, restarts).",
    steps: [
      "On real devices, leave the app idle, background it and lock the device past the time-outs.",
      "Check the session ends as SESSION-08..13 require.",
    ],
    automated: "Possible with mobile UI test frameworks and a simulated clock; not in this harness.",
    requirements: range("SESSION", 8, 13),
    source: "docs:session-management",
  },
  {
    id: "M-BTN",
    title: "NHS login button and wording follow the button guidance",
    levels: ALL,
    mandatory: true,
    whyManual: "Brand review by NHS login; visual rules (padding, placement) need a person.",
    steps: [
      "Check the NHS login button is the first sign-in option and not beside other login forms.",
      'Check the wording ("Continue to NHS login", lower-case "l" in "NHS login") and spacing (padding at least half the button height).',
    ],
    automated: "Partly: DOM checks of the sign-in page can find the button, its text and stray inputs; visual checks stay manual.",
    requirements: [],
    source: "docs:button-guidance",
  },
  // The scenarios below are the harness's own, not the docs' testing scenarios: each holds rows that
  // can be automated but are not yet, with what a tester does meanwhile.
  {
    id: "M-STEPUP",
    title: "Step-up from P5 to P9 through NHS login's own pages",
    levels: ["P5", "P9"],
    mandatory: false,
    whyManual:
      "The verification itself happens in NHS login's pages with a real P5 account; single sign-on across the step-up " +
      "(asserted_login_identity) needs NHS login to configure it for the service.",
    steps: [
      "Sign in to a service registered for P5 and P9 vectors with a P5 account: the first request's vtr is the registered set " +
        "(or P5 vectors only), and the account comes back at P5.",
      "Open a feature that needs P9 and complete NHS login's verification: you return to the feature as the same person.",
      "If the service uses asserted_login_identity for the step-up, check it is sent with prompt, once, and within 60 s.",
    ],
    automated:
      "Service suite, with SERVICE_STEP_UP_URL: a P5 session is not served the P9 feature and is sent to step up with P9 " +
      "vectors only and a fresh state and nonce (VOT-11, STEPUP-02); the same person's step-up moves the session to P9, " +
      "another person's or one answered at P5 raises nothing (STEPUP-05, VOT-13).",
    requirements: ["STEPUP-01", "STEPUP-04", "FED-AUTHZ-18"],
    source: "docs:step-up-p5-p9; EIS §5.1.6.3",
  },
  {
    id: "M-SSO",
    title: "Single sign-on from another service with asserted_login_identity",
    levels: ALL,
    mandatory: false,
    whyManual: "Not automated yet: the service's part needs a second service (RP1) handing it a signed JWT.",
    steps: [
      "Where NHS login has configured single sign-on from RP1 to your service (RP2), start from RP1 signed in and follow its link.",
      "Your service's authorize request carries asserted_login_identity with the JWT RP1 gave it, unchanged, beside every " +
        "mandatory parameter, and the user is signed in without a password prompt.",
    ],
    automated:
      "Environment suite: NHS login honours a valid asserted_login_identity and refuses a reused, long-lived, future-dated or " +
      "unconfigured one (SSO-06, SSO-09, SSO-11, TTL-05).",
    requirements: ["SSO-10", "FED-AUTHZ-21"],
    source: "docs:single-sign-on; EIS §3.4.1 T1",
  },
  {
    id: "M-WEBSESS",
    title: "A web service's session over time: time-out navigation, refresh, UserInfo within the token's life",
    levels: ALL,
    mandatory: false,
    whyManual: "Not automated yet: these need the page left open in a browser while the service's and NHS login's clocks move.",
    steps: [
      "Type A services: sign in and leave the page untouched past the period: the page goes to NHS login by itself, with no input.",
      "Use the service for longer than the 5-minute access token: the service refreshes it (a refresh_token grant) rather than " +
        "sending the user through NHS login again each time.",
      "Where the service calls UserInfo later in the session, it does so within 5 minutes of the access token, or refreshes first.",
      "Where the service keeps a refresh token: shift the clock past 12 hours of continuous use while the refresh token is still " +
        "valid; the service sends the user through a full NHS login instead of refreshing (FED-REFRESH-06).",
    ],
    automated:
      "Service suite, with the test-clock hook: sign-in again after 30 minutes idle and after 12 hours, with prompt=login " +
      "(SESSION-04, SESSION-05, SESSION-07); whether the service held a refresh token then is not seen.",
    requirements: ["SESSION-06", "SESSION-14", "FED-UI-19", "FED-REFRESH-06"],
    source: "docs:session-management; EIS §4.4 T18",
  },
  {
    id: "M-CONFIG",
    title: "The service takes NHS login's endpoints from discovery, per environment",
    levels: ALL,
    mandatory: false,
    whyManual: "Not automated yet: the simulator serves its endpoints at fixed paths, so following discovery cannot be told apart.",
    steps: [
      "Review the service's configuration for sandpit, integration and production: the endpoints come from each environment's " +
        "discovery document, or from per-environment settings that match it.",
      "Check no production URL appears in the sandpit or integration configuration.",
    ],
    automated:
      "Not automated: the service suite sees which of the simulator's endpoints the service calls, not where it took their URLs from.",
    requirements: ["FED-DISC-05"],
    source: "docs:integrating-to-sandpit",
  },
  {
    id: "M-UIP",
    title: "The service's UserInfo update (PATCH) sends valid JSON",
    levels: ALL,
    mandatory: false,
    whyManual: "Not automated yet: the reference service never updates client_user_metadata, so the harness has no PATCH to judge.",
    steps: [
      "If the service updates client_user_metadata, record its PATCH /userinfo against the simulator " +
        "(npm run simulator -- --journal <file>), or with the browser's developer tools against sandpit.",
      "Check the body is JSON with double-quoted strings (the EIS example's single quotes are not JSON), sent as application/json " +
        "with the access token in the Authorization header.",
    ],
    automated: "Environment suite: NHS login's side of the update (FED-UIP-02, FED-UIP-07).",
    requirements: ["FED-UIP-08"],
    source: "EIS §3.6.3",
  },
] satisfies ManualScenario[]);

const BY_ID = new Map(MANUAL_SCENARIOS.map((s) => [s.id, s]));

/** The manual scenario with this ID; throws on an unknown ID. */
export function manualScenario(id: string): ManualScenario {
  const s = BY_ID.get(id);
  if (!s) throw new RangeError(`unknown manual scenario "${id}"`);
  return s;
}
