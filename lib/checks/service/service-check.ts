/**
 * The contract of a service check: a small named rule, citing the requirement IDs it verifies,
 * that drives the service under test through the simulator (via the scenarios) and returns
 * findings. Suites list these as data; the project's tests run the same list against the
 * reference service (everything passes) and against its unsafe variants (the matching check fails).
 *
 * @example
 * ```ts
 * export const CHECKS: ServiceCheck[] = [
 *   { key: "response-type", ids: ["FED-AUTHZ-05"], title: "response_type is code", area: "Authorization request",
 *     run: async (ctx) => responseTypeFindings((await signIns(ctx)).journeys) },
 * ]
 * ```
 */
import type { Check, GateFunction } from "../check.ts";
import type { ServiceContext } from "./service-context.ts";

/** What a check may need beyond the service itself; without it the check is skipped with the reason. */
export type ServiceCapability = "userinfo" | "test-clock" | "step-up" | "users-lookup" | "provision" | "journal" | "browser";

/** A service check: the one check contract over a {@link ServiceContext}. */
export type ServiceCheck = Check<ServiceContext, ServiceCapability>;

const WHY: Record<ServiceCapability, string> = {
  userinfo: "SERVICE_USES_USERINFO=false: the service does not call the UserInfo endpoint",
  "test-clock": "the service has no test-clock hook (SERVICE_TEST_CLOCK_URL)",
  "step-up": "the service names no feature for P9 users that P5 users reach by a step-up (SERVICE_STEP_UP_URL)",
  "users-lookup": "the service has no Users V2 lookup hook (SERVICE_USERS_LOOKUP_URL)",
  provision: "the service has no Provision Account hook (SERVICE_PROVISION_URL)",
  journal: "no journal of recorded traffic was given (--journal <file>)",
  browser: "only a browser that runs the service's scripts can observe this (SERVICE_DRIVER=browser)",
};

const HAS: Record<ServiceCapability, (t: ServiceContext["target"]) => boolean> = {
  userinfo: (t) => t.usesUserinfo,
  "test-clock": (t) => t.testClockUrl !== undefined,
  "step-up": (t) => t.stepUpUrl !== undefined,
  "users-lookup": (t) => t.usersLookupUrl !== undefined,
  provision: (t) => t.provisionUrl !== undefined,
  journal: (t) => t.journal !== undefined,
  browser: (t) => t.browser !== undefined,
};

/**
 * The service gate: every check is inconclusive when the service cannot be checked at all (it
 * could not be started or reached: nothing about it was observed), and skipped, with the manual
 * instructions where the check has them, when a capability it needs is missing.
 */
export const serviceGate: GateFunction<ServiceContext, ServiceCapability> = (check, ctx) => {
  if (ctx.target.unavailable) return { status: "inconclusive", reasons: [`the service could not be checked: ${ctx.target.unavailable}`] };
  const needs = check.needs ?? [];
  if (ctx.target.journal && !needs.includes("journal"))
    return {
      status: "skipped",
      reasons: [
        "not judged from a journal: this check drives the service (SERVICE_START_URL, SERVICE_USERS_LOOKUP_URL, SERVICE_PROVISION_URL)",
      ],
    };
  if (ctx.target.signsIn === false && !needs.includes("users-lookup") && !needs.includes("provision") && !needs.includes("journal"))
    return {
      status: "skipped",
      reasons: ["not applicable: SERVICE_START_URL is not set, so the service is checked as a consumer only (Users V2, Provision Account)"],
    };
  const missing = (check.needs ?? []).filter((c) => !HAS[c](ctx.target));
  if (missing.length === 0) return undefined;
  const reason = missing.map((c) => WHY[c]).join("; ");
  return { status: "skipped", reasons: [check.manual ? `manual check: ${reason}. ${check.manual}` : reason] };
};
