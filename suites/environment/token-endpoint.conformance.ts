/**
 * Environment: the token endpoint's refusals and headers (FED-TOKEN-*, FED-TRESP-*, FED-REG-07, UEV2-TOKEN-12).
 */
import { environmentSuite } from "../_support/environment.ts";
import { TOKEN_ENDPOINT_CHECKS } from "../../lib/checks/token-endpoint/checks.ts";

environmentSuite("Token endpoint", TOKEN_ENDPOINT_CHECKS);
