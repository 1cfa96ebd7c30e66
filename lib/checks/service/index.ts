/**
 * Every service check, by area, in the order the service suite runs them (suites/service/service.conformance.ts).
 */
import { AUTHORIZATION_REQUEST_CHECKS } from "./authorization-request-checks.ts";
import { CLIENT_AUTHENTICATION_CHECKS } from "./client-authentication-checks.ts";
import { ID_TOKEN_HANDLING_CHECKS } from "./id-token-handling-checks.ts";
import { TOLERANCE_CHECKS } from "./tolerance-checks.ts";
import { ERROR_HANDLING_CHECKS } from "./error-handling-checks.ts";
import { USERINFO_USAGE_CHECKS } from "./userinfo-usage-checks.ts";
import { SESSION_CHECKS } from "./session-checks.ts";
import { STEP_UP_CHECKS } from "./step-up-checks.ts";
import { PEOPLE_CHECKS } from "./people-checks.ts";
import { USERS_V2_CONSUMER_CHECKS } from "./users-v2-consumer-checks.ts";
import { PROVISION_ACCOUNT_CONSUMER_CHECKS } from "./provision-account-consumer-checks.ts";
import { JOURNAL_CHECKS } from "./journal-checks.ts";
import type { ServiceCheck } from "./service-check.ts";

export {
  AUTHORIZATION_REQUEST_CHECKS,
  CLIENT_AUTHENTICATION_CHECKS,
  ID_TOKEN_HANDLING_CHECKS,
  TOLERANCE_CHECKS,
  ERROR_HANDLING_CHECKS,
  USERINFO_USAGE_CHECKS,
  SESSION_CHECKS,
  STEP_UP_CHECKS,
  PEOPLE_CHECKS,
  USERS_V2_CONSUMER_CHECKS,
  PROVISION_ACCOUNT_CONSUMER_CHECKS,
  JOURNAL_CHECKS,
};
export { serviceGate, type ServiceCheck, type ServiceCapability } from "./service-check.ts";
export { createServiceContext, type ServiceContext } from "./service-context.ts";
export type { ServiceTarget } from "./service-target.ts";

/**
 * The checks that drive the service, by area, in the order the service suite runs them; the
 * journal checks, which judge recorded traffic afterwards, are apart (JOURNAL_CHECKS).
 */
export const SERVICE_CHECK_AREAS: readonly (readonly [string, readonly ServiceCheck[]])[] = [
  ["Authorization request", AUTHORIZATION_REQUEST_CHECKS],
  ["Client authentication at /token", CLIENT_AUTHENTICATION_CHECKS],
  ["ID token handling, one check per ID-token fault", ID_TOKEN_HANDLING_CHECKS],
  ["Tolerance of additions NHS login may make", TOLERANCE_CHECKS],
  ["Authorization errors", ERROR_HANDLING_CHECKS],
  ["UserInfo usage", USERINFO_USAGE_CHECKS],
  ["Session", SESSION_CHECKS],
  ["Step-up from P5 to P9", STEP_UP_CHECKS],
  ["What the service shows of a person", PEOPLE_CHECKS],
  ["Users V2 consumer", USERS_V2_CONSUMER_CHECKS],
  ["Provision Account consumer", PROVISION_ACCOUNT_CONSUMER_CHECKS],
];

export const SERVICE_CHECKS: readonly ServiceCheck[] = [...SERVICE_CHECK_AREAS.flatMap(([, checks]) => checks), ...JOURNAL_CHECKS];
