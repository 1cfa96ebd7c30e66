import { variantSuite } from "./_run-variants.ts";

variantSuite([undefined, "state-check", "nonce-check", "alg-pinning", "signature-check", "iss-check", "aud-check"]);
