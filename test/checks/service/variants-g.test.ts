import { variantSuite } from "./_run-variants.ts";

variantSuite(["registration-without-openid", "wildcard-redirect-uri", "many-redirect-uris", "rsa-4096-key", "redirect-uri-query"]);
