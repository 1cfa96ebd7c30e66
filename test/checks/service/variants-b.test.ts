import { variantSuite } from "./_run-variants.ts";

variantSuite(["exp-check", "vot-check", "userinfo-sub-check", "fresh-state", "fresh-nonce", "rs512-assertion", "short-assertion"]);
