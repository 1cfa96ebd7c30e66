/**
 * Service: every service check, in one fixed order on one service context: the authorization
 * request (three sign-ins), client authentication at /token, ID token handling (one sign-in per
 * ID-token fault), tolerance of additions (one sign-in each), authorization errors (one per error), UserInfo usage, the session,
 * the step-up from P5 to P9, what the service shows of a person, then the
 * service as a Users V2 consumer (one lookup per consumer fault) and as a Provision Account consumer
 * (one provisioning per consumer fault). One
 * file, so that the scenarios run in this order in every run, and a service that stops answering
 * after one of them is charged the same way each time (docs/checking-your-service.md).
 */
import { serviceSuites } from "../_support/service.ts";
import { JOURNAL_CHECKS, SERVICE_CHECK_AREAS } from "../../lib/checks/service/index.ts";

serviceSuites(SERVICE_CHECK_AREAS, [["Recorded traffic (journal)", JOURNAL_CHECKS]]);
