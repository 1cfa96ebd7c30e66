import { variantSuite } from "./_run-variants.ts";

variantSuite(["other-client-id", "unregistered-redirect-uri", "unregistered-vtr"]);
