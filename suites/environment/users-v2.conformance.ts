/**
 * Environment: Users Endpoint V2 (UEV2-TOKEN-*, UEV2-AT-*, UEV2-RESP-*, UEV2-FILTER-*, UEV2-SCOPE-*, UEV2-ERR-*, UEV2-GEN-02).
 */
import { environmentSuite } from "../_support/environment.ts";
import { USERS_V2_CHECKS } from "../../lib/checks/users-v2/checks.ts";

environmentSuite("Users Endpoint V2", USERS_V2_CHECKS);
