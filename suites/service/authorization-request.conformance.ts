/**
 * Service: Authorization request (FED-AUTHZ-*, FED-REG-*, VOT-04).
 */
import { serviceSuite } from "../_support/service.ts";
import { AUTHORIZATION_REQUEST_CHECKS } from "../../lib/checks/service/index.ts";

serviceSuite("Authorization request", AUTHORIZATION_REQUEST_CHECKS);
