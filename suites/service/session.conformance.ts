/**
 * Service: Session (SESSION-02/04/05/07, FED-GEN-04).
 */
import { serviceSuite } from "../_support/service.ts";
import { SESSION_CHECKS } from "../../lib/checks/service/index.ts";

serviceSuite("Session", SESSION_CHECKS);
