import { variantSuite } from "./_run-variants.ts";

variantSuite([
  "generic-no-consent-page",
  "no-consent-links",
  "unescaped-error-description",
  "replayed-callback-session",
  "reauth-without-prompt",
  "strict-id-token",
  "strict-access-token",
  "strict-userinfo",
  "requires-refresh-token",
  "no-userinfo",
  "front-channel-id-token",
  "vtr-without-level",
  "gp-credentials-weak-vtr",
  "first-jwks-key",
  "unagreed-client-metadata",
  "capitalised-scope",
]);
