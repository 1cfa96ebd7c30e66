import { variantSuite } from "./_run-variants.ts";

// The Provision Account consumer variants, second half (targeted: only the checks they break run).
variantSuite([
  "pa-other-ods-code",
  "pa-local-mobile",
  "pa-uplift-as-created",
  "pa-no-retry-on-unavailable",
  "pa-retry-11010",
  "pa-tight-retry-11011",
  "pa-errors-all-unavailable",
  "pa-raw-description",
  "pa-ignores-expires-in",
]);
