/**
 * Service: Client authentication at /token (FED-TOKEN-*, KEY-01, FED-ARESP-04).
 */
import { serviceSuite } from "../_support/service.ts";
import { CLIENT_AUTHENTICATION_CHECKS } from "../../lib/checks/service/index.ts";

serviceSuite("Client authentication at /token", CLIENT_AUTHENTICATION_CHECKS);
