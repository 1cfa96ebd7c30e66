/**
 * Environment: Provision Account (PA-01..04, PA-06, PA-08, PA-11, PA-12, PA-14, PA-15, PA-18..20, TTL-06).
 */
import { environmentSuite } from "../_support/environment.ts";
import { PROVISION_ACCOUNT_CHECKS } from "../../lib/checks/provision-account/checks.ts";

environmentSuite("Provision Account", PROVISION_ACCOUNT_CHECKS);
