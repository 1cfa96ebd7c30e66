/**
 * Service: Authorization errors (FED-ARESP-*, FED-AUTHZ-04, CONSENT-*).
 */
import { serviceSuite } from "../_support/service.ts";
import { ERROR_HANDLING_CHECKS } from "../../lib/checks/service/index.ts";

serviceSuite("Authorization errors", ERROR_HANDLING_CHECKS);
