/**
 * How the service answered the browser: a page (any status below 500, no redirect left to
 * follow, no stack trace), or a failure. Shared by the checks of refused sign-ins.
 *
 * @example
 * ```ts
 * pageFindings("FED-ARESP-09", journey.navigation) // [] when a proper page was shown
 * ```
 */
import type { Hop, Navigation } from "../../driver/index.ts";
import { type Evidence, finding, type Finding } from "../../requirements/index.ts";

/** Text that gives a stack trace or an exception dump away (Node, Java, Python, .NET, PHP). */
const STACK_TRACE = new RegExp(
  [
    String.raw`(\n\s+at [\w.<>$]+ \(.*:\d+:\d+\))`,
    String.raw`Traceback \(most recent call last\)`,
    String.raw`\bat [\w.$]+\([\w]+\.java:\d+\)`,
    String.raw`System\.[\w.]+Exception:`,
    "Fatal error: Uncaught",
  ].join("|"),
);

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

/** The page a finding rests on, as evidence: the request that answered it and its status. */
export function pageEvidence(page: Hop | undefined): Evidence | undefined {
  return page ? { actual: `HTTP ${page.status}`, exchange: `${page.method} ${pathOf(page.url)}` } : undefined;
}

export function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url;
  }
}
