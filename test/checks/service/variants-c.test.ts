import { variantSuite } from "./_run-variants.ts";

variantSuite(["unique-jti", "https-redirect-uri", "no-consent-page", "session-limits", "httponly-cookies", "single-use-transaction"]);
