import { variantSuite } from "./_run-variants.ts";

// The Users V2 consumer variants (targeted: only the consumer checks run).
variantSuite([
  "users-scim-request",
  "users-unquoted-filter",
  "users-upper-case-operators",
  "users-retry-on-4xx",
  "users-no-retry-on-500",
  "users-unbounded-retries",
  "users-errors-as-not-found",
  "users-first-resource-only",
  "users-strict-attributes",
  "users-nhs-number-as-number",
  "users-no-input-validation",
  "users-scim-filter",
  "users-no-match-as-error",
  "users-decodes-token",
]);
