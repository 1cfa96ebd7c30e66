/**
 * The wrong reading of a Users V2 filter, for the `uev2-or-binds-first` defect: `or` binds tighter
 * than `and`, so `A and B or C` is evaluated as `A and (B or C)` (UEV2-FILTER-07 says the
 * opposite). The filter is an AND of OR-groups here.
 *
 * @example
 * ```ts
 * const f = parseFilter('email eq "e1" and nhsnumber eq "n2" or email eq "e2"')
 * matchesWithOrFirst(f, { email: "e2", nhsNumber: "n2" }) // false (the correct reading says true)
 * ```
 */
import { matchesFilter, type FilterableRecord, type FilterTerm, type ParsedFilter } from "../../nhs/scim-filter/index.ts";

export function matchesWithOrFirst(filter: ParsedFilter, record: FilterableRecord): boolean {
  const groups: FilterTerm[][] = [[filter.terms[0]!]];
  filter.logicalOperators.forEach((op, i) => {
    if (op.toLowerCase() === "and") groups.push([]);
    groups[groups.length - 1]!.push(filter.terms[i + 1]!);
  });
  return groups.every((group) => group.some((term) => matchesFilter({ clauses: [[term]], terms: [term], logicalOperators: [] }, record)));
}
