/**
 * The one caching rule of token answers (FED-TRESP-02, UEV2-TOKEN-12, UEV2-TOKEN-17): the
 * `Cache-Control` header holds the directive `no-store` and the `Pragma` header the directive
 * `no-cache`. Directives are the comma-separated items of the header, compared whole and without
 * regard to letter case (RFC 9111 §5.2), so `no-store-ish` is not `no-store`, and
 * `Pragma: no-cache, x` still holds `no-cache`. Every check that judges these headers calls this
 * and grades the problems under its own requirement.
 *
 * @example
 * ```ts
 * noStoreHeaderProblems({ "cache-control": "private, no-store-ish" })
 * // [{ header: "Cache-Control", expected: "no-store", actual: "private, no-store-ish", message: "Cache-Control is ..." },
 * //  { header: "Pragma", expected: "no-cache", actual: undefined, message: "Pragma is absent, expected no-cache" }]
 * ```
 */

export interface NoStoreProblem {
  header: "Cache-Control" | "Pragma";
  /** The directive that must be there. */
  expected: "no-store" | "no-cache";
  /** The header as received, undefined when absent. */
  actual: string | undefined;
  /** In words, for a finding's message. */
  message: string;
}

const RULES = [
  { header: "Cache-Control", expected: "no-store" },
  { header: "Pragma", expected: "no-cache" },
] as const;

/** What is wrong with an answer's caching headers (empty when both are right); header names in any case. */
export function noStoreHeaderProblems(headers: Readonly<Record<string, string | undefined>>): NoStoreProblem[] {
  const problems: NoStoreProblem[] = [];
  for (const { header, expected } of RULES) {
    const actual = headerValue(headers, header);
    const directives = (actual ?? "").split(",").map((d) => d.trim().toLowerCase());
    if (directives.includes(expected)) continue;
    const shown = actual === undefined ? "absent" : JSON.stringify(actual);
    problems.push({ header, expected, actual, message: `${header} is ${shown}, expected ${expected}` });
  }
  return problems;
}

function headerValue(headers: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}
