/**
 * Service: ID token handling, one check per ID-token fault (FED-IDT-*, FED-JWT-*, VOT-06).
 */
import { serviceSuite } from "../_support/service.ts";
import { ID_TOKEN_HANDLING_CHECKS } from "../../lib/checks/service/index.ts";

serviceSuite("ID token handling, one check per ID-token fault", ID_TOKEN_HANDLING_CHECKS);
