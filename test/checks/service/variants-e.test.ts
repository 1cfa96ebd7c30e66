import { variantSuite } from "./_run-variants.ts";

variantSuite([
  "hybrid-response-type",
  "scope-without-openid",
  "scope-combinations",
  "unsupported-parameters",
  "invalid-optional-parameters",
  "token-request-json",
  "token-request-mangled",
  "client-auth-mixed",
  "assertion-wrong-claims",
  "assertion-iat-future",
]);
