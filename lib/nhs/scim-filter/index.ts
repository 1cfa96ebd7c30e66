/**
 * Users Endpoint V2 filters (UEV2 §3.3.1, Table 10): parse, evaluate, and the error texts.
 *
 * @example
 * ```ts
 * import { parseFilter, matchesFilter, USERS_V2_ERRORS } from "./index.ts"
 * const f = parseFilter('nhsnumber eq "9990010005"')
 * matchesFilter(f, { nhsNumber: "9990010005" }) // true
 * ```
 */
export {
  parseFilter,
  MAX_FILTER_EXPRESSIONS,
  FILTER_ATTRIBUTES,
  type FilterAttribute,
  type FilterTerm,
  type ParsedFilter,
  type ParseFilterOptions,
} from "./parse.ts";
export { matchesFilter, type FilterableRecord } from "./evaluate.ts";
export {
  USERS_V2_ERRORS,
  FILTER_ERROR_TEXTS,
  scopeRequiredDescription,
  scopesNotApprovedDescription,
  type UsersV2ErrorRow,
  type UsersV2ErrorName,
} from "./table-10.ts";
