import { variantSuite } from "./_run-variants.ts";

variantSuite([
  "code-redeemed-twice",
  "userinfo-token-in-query",
  "tokens-on-page",
  "error-pages-500",
  "nbf-check",
  "iat-check",
  "sub-check",
  "alg-confusion",
  "vtm-check",
]);
