/**
 * The one contract of a check, for every target kind (environment, service, artefacts): a small
 * named condition, in the manner of the OpenID Foundation conformance suite, citing the
 * requirement IDs it verifies and returning findings tagged with them. Suites list checks as
 * data; {@link runCheck} runs any of them, and {@link overallStatus} grades what they return.
 *
 * @example
 * ```ts
 * export const DISCOVERY_CHECKS: EnvironmentCheck[] = [
 *   { key: "discovery-document", ids: ["FED-DISC-01"], title: "discovery document", area: "Discovery",
 *     run: async (env) => discoveryDocumentFindings(await env.fetchJson(env.discoveryUrl), { expectedIssuer: env.issuer }) },
 * ]
 * ```
 */
import type { Finding } from "../requirements/index.ts";

export type TargetKind = "environment" | "service" | "artefacts";

export interface Check<Ctx, Need extends string = string> {
  /** A short stable name, unique among the checks of its target kind (tests, tables and `npm run where` use it). */
  key: string;
  /** Requirement IDs this check verifies (the first is the primary one). */
  ids: readonly string[];
  title: string;
  /** Report area (Allure feature), e.g. "Token endpoint". */
  area: string;
  /** What the check needs beyond the target itself; without it the check is skipped with the reason. */
  needs?: readonly Need[];
  /** What a person does instead when a needed capability is missing (a manual check). */
  manual?: string;
  run(ctx: Ctx): Promise<Finding[]> | Finding[];
}

/**
 * Why a check cannot run against this context: `skipped` (a capability is not configured, or the
 * part is not applicable), `inconclusive` (the target is unusable, so nothing can be observed) or
 * `failed` (an input the check reads breaks its rule before the check starts, e.g. an unreadable
 * artefact). Each target kind has one gate function.
 */
export interface Gate {
  status: "skipped" | "inconclusive" | "failed";
  reasons: readonly string[];
}

export type GateFunction<Ctx, Need extends string> = (check: Check<Ctx, Need>, ctx: Ctx) => Gate | undefined;
