import { variantSuite } from "./_run-variants.ts";

variantSuite([
  "authorize-params-in-fragment",
  "repeated-parameter",
  "vtr-not-json",
  "unsupported-vtr",
  "no-client-assertion",
  "logout-keeps-session",
  "nhs-number-as-number",
]);
