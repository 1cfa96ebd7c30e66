/**
 * How the service answered the browser: a page (any status below 500, no redirect left to
 * follow, no stack trace), or a failure. Shared by the checks of refused sign-ins.
 *
 * @example
 * ```ts
 * pageFindings("FED-ARESP-09", journey.navigation) // [] when a proper page was shown
 * ```
 */
import type { Navigation } from "../../driver/index.ts";
import { finding, type Finding } from "../../requirements/index.ts";

/** Text that gives a stack trace or an exception dump away (Node, Java, Python, .NET, PHP). */
const STACK_TRACE =
  /(\n\s+at [\w.<>$]+ \(.*:\d+:\d+\))|Traceback \(most recent call last\)|\bat [\w.$]+\([\w]+\.java:\d+\)|System\.[\w.]+Exception:|Fatal error: Uncaught/;

/** Findings (only failures) about the page that ended `navigation`; empty when it is a proper page. */
export function pageFindings(requirementId: string, navigation: Navigation, what = "the service"): Finding[] {
  const last = navigation.final;
  if (navigation.error) return [finding(requirementId, "failed", `${what} did not answer the browser with a page: ${navigation.error}`)];
  if (!last) return [finding(requirementId, "failed", `${what} did not answer the browser at all`)];
  if (last.status >= 500)
    return [
      finding(
        requirementId,
        "failed",
        `${what} answered ${last.status} at ${pathOf(last.url)}; expected a page explaining the problem (a status below 500)`,
      ),
    ];
  if (STACK_TRACE.test(last.body)) return [finding(requirementId, "failed", `the page at ${pathOf(last.url)} shows a stack trace`)];
  return [];
}

export function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url;
  }
}
