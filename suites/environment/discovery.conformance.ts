/**
 * Environment: discovery and JWKS (FED-DISC-01..03, FED-JWT-01).
 */
import { environmentSuite } from "../_support/environment.ts";
import { DISCOVERY_CHECKS } from "../../lib/checks/discovery/checks.ts";

environmentSuite("Discovery and JWKS", DISCOVERY_CHECKS);
