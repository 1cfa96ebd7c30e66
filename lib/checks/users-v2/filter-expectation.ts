/**
 * What a Users V2 filter must return, worked out from the results of its single terms
 * (UEV2-FILTER-03, -07, -08): `and` is intersection, `or` is union, and `and` binds tighter
 * than `or`. The wrong reading (`or` first) is given too, so a check can say which one an
 * environment applied.
 *
 * @example
 * ```ts
 * const single = (attribute, value) => new Set(lookups.get(`${attribute} ${value}`))
 * filterExpectation('email eq "e1" and nhsnumber eq "n2" or email eq "e2"', single)
 * // { expected: Set{U2}, orFirst: Set{} }
 * ```
 */
import { parseFilter, type FilterAttribute, type FilterTerm } from "../../nhs/scim-filter/index.ts";

export interface FilterExpectation {
  /** IDs the filter must return (`and` before `or`). */
  expected: Set<string>;
  /** IDs the filter would return if `or` bound tighter than `and`. */
  orFirst: Set<string>;
}

export function filterExpectation(
  filter: string,
  single: (attribute: FilterAttribute, value: string) => ReadonlySet<string>,
): FilterExpectation {
  const parsed = parseFilter(filter);
  const of = (t: FilterTerm) => single(t.attribute, t.value);
  const union = (sets: ReadonlySet<string>[]) => new Set(sets.flatMap((s) => [...s]));
  const intersection = (sets: ReadonlySet<string>[]) => new Set([...sets[0]!].filter((x) => sets.every((s) => s.has(x))));
  const expected = union(parsed.clauses.map((clause) => intersection(clause.map(of))));
  const groups: FilterTerm[][] = [[parsed.terms[0]!]];
  parsed.logicalOperators.forEach((op, i) => {
    if (op.toLowerCase() === "and") groups.push([]);
    groups[groups.length - 1]!.push(parsed.terms[i + 1]!);
  });
  const orFirst = intersection(groups.map((g) => union(g.map(of))));
  return { expected, orFirst };
}

/** The distinct `attribute value` terms of a filter, for the single-term lookups it needs. */
export function filterTerms(filter: string): { attribute: FilterAttribute; value: string }[] {
  const seen = new Map<string, { attribute: FilterAttribute; value: string }>();
  for (const t of parseFilter(filter).terms) seen.set(`${t.attribute} ${t.value}`, { attribute: t.attribute, value: t.value });
  return [...seen.values()];
}

/** True when two sets hold the same members. */
export function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}
