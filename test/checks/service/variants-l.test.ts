import { variantSuite } from "./_run-variants.ts";

// The Provision Account consumer variants, first half (targeted: only the checks they break run).
variantSuite([
  "pa-hs256-assertion",
  "pa-iss-not-sub",
  "pa-no-assertion-type",
  "pa-reused-jti",
  "pa-token-per-call",
  "pa-form-body",
  "pa-no-input-validation",
  "pa-non-iso-date",
]);
