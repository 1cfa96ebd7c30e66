/**
 * Service: every service check, in one fixed order on one service context: the authorization
 * request (three sign-ins), client authentication at /token, ID token handling (one sign-in per
 * ID-token fault), tolerance of additions (one sign-in each), authorization errors (one per error), UserInfo usage, the session, then the
 * service as a Users V2 consumer (one lookup per consumer fault) and as a Provision Account consumer
 * (one provisioning per consumer fault). One
 * file, so that the scenarios run in this order in every run, and a service that stops answering
 * after one of them is charged the same way each time (docs/checking-your-service.md).
 */
import { serviceSuites } from "../_support/service.ts";
import {
  AUTHORIZATION_REQUEST_CHECKS,
  CLIENT_AUTHENTICATION_CHECKS,
  ERROR_HANDLING_CHECKS,
  ID_TOKEN_HANDLING_CHECKS,
  SESSION_CHECKS,
  TOLERANCE_CHECKS,
  USERINFO_USAGE_CHECKS,
  USERS_V2_CONSUMER_CHECKS,
  PROVISION_ACCOUNT_CONSUMER_CHECKS,
  JOURNAL_CHECKS,
} from "../../lib/checks/service/index.ts";

serviceSuites(
  [
    ["Authorization request", AUTHORIZATION_REQUEST_CHECKS],
    ["Client authentication at /token", CLIENT_AUTHENTICATION_CHECKS],
    ["ID token handling, one check per ID-token fault", ID_TOKEN_HANDLING_CHECKS],
    ["Tolerance of additions NHS login may make", TOLERANCE_CHECKS],
    ["Authorization errors", ERROR_HANDLING_CHECKS],
    ["UserInfo usage", USERINFO_USAGE_CHECKS],
    ["Session", SESSION_CHECKS],
    ["Users V2 consumer", USERS_V2_CONSUMER_CHECKS],
    ["Provision Account consumer", PROVISION_ACCOUNT_CONSUMER_CHECKS],
  ],
  [["Recorded traffic (journal)", JOURNAL_CHECKS]],
);
