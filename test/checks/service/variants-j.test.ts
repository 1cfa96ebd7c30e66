import { variantSuite } from "./_run-variants.ts";

// The Users V2 consumer variants (targeted: only the consumer checks run).
variantSuite([
  "users-rs256-assertion",
  "users-reused-jti",
  "users-wrong-aud",
  "users-assertion-identity",
  "users-foreign-key",
  "users-grant-type-typo",
  "users-token-request-json",
  "users-scope-altered",
  "users-token-per-search",
  "users-ignores-expires-in",
  "users-no-renewal-on-401",
  "users-unencoded-filter",
]);
