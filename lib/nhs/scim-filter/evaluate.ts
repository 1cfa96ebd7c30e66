/**
 * Decide whether a user record matches a parsed Users V2 filter (UEV2 T7; UEV2-FILTER-07/08).
 * `eq` is exact string equality for both attributes: e-mail addresses are compared as given, with
 * no case folding (the spec says "identical"; catalogue UEV2-FILTER-08 leaves real behaviour to be
 * recorded). A record without the attribute never matches a term on it (P0 users have no NHS number).
 *
 * @example
 * ```ts
 * const f = parseFilter('email eq "a@b.c" or nhsnumber eq "9990010005"')
 * matchesFilter(f, { email: "a@b.c" })           // true
 * matchesFilter(f, { email: "A@b.c" })           // false
 * matchesFilter(f, { nhsNumber: "9990010005" })  // true
 * ```
 */
import type { FilterTerm, ParsedFilter } from "./parse.ts";

export interface FilterableRecord {
  nhsNumber?: string | undefined;
  email?: string | undefined;
}

export function matchesFilter(filter: ParsedFilter, record: FilterableRecord): boolean {
  return filter.clauses.some((clause) => clause.every((term) => termMatches(term, record)));
}

function termMatches(term: FilterTerm, record: FilterableRecord): boolean {
  const actual = term.attribute === "nhsnumber" ? record.nhsNumber : record.email;
  return actual !== undefined && actual === term.value;
}
