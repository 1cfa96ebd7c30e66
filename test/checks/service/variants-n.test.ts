import { variantSuite } from "./_run-variants.ts";

// The step-up variants (targeted: only the step-up check each breaks runs).
variantSuite(["p9-feature-for-p5", "step-up-upgrades-other-person", "step-up-trusts-request", "step-up-keeps-level"]);
