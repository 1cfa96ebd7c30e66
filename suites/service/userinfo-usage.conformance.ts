/**
 * Service: UserInfo usage (FED-UI-01, FED-UI-05).
 */
import { serviceSuite } from "../_support/service.ts";
import { USERINFO_USAGE_CHECKS } from "../../lib/checks/service/index.ts";

serviceSuite("UserInfo usage", USERINFO_USAGE_CHECKS);
