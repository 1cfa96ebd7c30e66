/**
 * Environment: the code flow (authorization responses and errors, ID token, token response,
 * access token, UserInfo, refresh).
 */
import { environmentSuite } from "../_support/environment.ts";
import { CODE_FLOW_CHECKS } from "../../lib/checks/code-flow/checks.ts";

environmentSuite("Code flow", CODE_FLOW_CHECKS);
