/**
 * The contract of a service check: a small named rule, citing the requirement IDs it verifies,
 * that drives the service under test through the simulator (via the scenarios) and returns
 * findings. Suites list these as data; the project's tests run the same list against the
 * reference service (everything passes) and against its unsafe variants (the matching check fails).
 *
 * @example
 * ```ts
 * export const CHECKS: ServiceCheck[] = [
 *   { ids: ["FED-AUTHZ-05"], title: "response_type is code", feature: "Authorization request",
 *     run: async (ctx) => responseTypeFindings((await signIns(ctx)).journeys) },
 * ]
 * ```
 */
import { finding, type Finding } from "../../requirements/index.ts";
import type { ServiceContext } from "./service-context.ts";

/** What a check may need beyond the service itself; without it the check is skipped with the reason. */
export type ServiceCapability = "userinfo" | "test-clock";

export interface ServiceCheck {
  /** A short stable name, unique among service checks (tests and tables refer to checks by it). */
  key: string;
  ids: string[];
  title: string;
  /** Allure feature / report area, e.g. "Authorization request". */
  feature: string;
  needs?: ServiceCapability[];
  /** What a person does instead when a needed capability is missing (manual check). */
  manual?: string;
  run(ctx: ServiceContext): Promise<Finding[]>;
}

const WHY: Record<ServiceCapability, string> = {
  userinfo: "SERVICE_USES_USERINFO=false: the service does not call the UserInfo endpoint",
  "test-clock": "the service has no test-clock hook (SERVICE_TEST_CLOCK_URL)",
};

/** Run a check, skip it when a capability is missing, fail it when the target is unusable; a crash is a failure. */
export async function runServiceCheck(check: ServiceCheck, ctx: ServiceContext): Promise<Finding[]> {
  if (ctx.target.unavailable)
    return check.ids.map((id) => finding(id, "failed", `the service could not be checked: ${ctx.target.unavailable}`));
  const missing = (check.needs ?? []).filter((c) => (c === "userinfo" ? !ctx.target.usesUserinfo : !ctx.target.testClockUrl));
  if (missing.length > 0) {
    const reason = missing.map((c) => WHY[c]).join("; ");
    return check.ids.map((id) => finding(id, "skipped", check.manual ? `manual check: ${reason}. ${check.manual}` : reason));
  }
  try {
    return await check.run(ctx);
  } catch (err) {
    return [finding(check.ids[0]!, "failed", `the check could not complete: ${(err as Error).message}`)];
  }
}
