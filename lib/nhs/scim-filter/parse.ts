/**
 * Parse a Users Endpoint V2 `filter` (UEV2 §3.3.1; UEV2-FILTER-01..13):
 *
 * ```
 * expression := term *(SP ("and" / "or") SP term)      ; at most 5 terms
 * term       := attribute SP "eq" SP DQUOTE value DQUOTE ; attribute: nhsnumber / email
 * ```
 *
 * `and` binds tighter than `or`, so the result is an OR of AND-clauses:
 * `A and B or C and D` gives `[[A, B], [C, D]]`. Quoted values may hold spaces and the words
 * and/or; the input is tokenized, never split on `" and "`.
 *
 * Errors are {@link FilterError}s whose `description` is the exact Table 10 text. Checks run in
 * this order, and the first failure wins:
 *
 * 1. Grammar ("Invalid syntax"): exactly one ASCII space between tokens and none at either end;
 *    ASCII double quotes only, no escapes, every quote closed; no brackets, `not`, control
 *    characters (tabs included, even inside quotes), empty filter, unquoted value, missing value
 *    or dangling `and`/`or`. At this stage the operator slot takes any word, so that a wrong
 *    operator can be told apart later; `pr` (SCIM "present") is the only operator without a value.
 *    The keywords `and`, `or`, `not` can be neither an attribute nor an operator.
 * 2. Count ("More than 5 expressions provided") when there are more terms than `maxExpressions`.
 * 3. Each term from left to right: operator ("Invalid operator" unless `eq`), then attribute
 *    (see `_attributes.ts` for the "Invalid attribute" / "Either one of ..." split, catalogue A28),
 *    then value ("Invalid NHS number" unless exactly 10 ASCII digits, no modulus 11 check per A36;
 *    "Invalid email" unless it matches `^[^@\s]+@[^@\s]+\.[^@\s]+$`, A37).
 *
 * Logical operators, `eq` and the two attribute names are matched case-insensitively, as in SCIM
 * (RFC 7644 §3.4.2.2; catalogue A25, UEV2-FILTER-13); the spelling used is kept in `source` so a
 * check can warn about upper case.
 *
 * @example
 * ```ts
 * const filter = parseFilter('email eq "a@b.c" and nhsnumber eq "9990010005" or email eq "x@y.z"')
 * filter.clauses.length // 2
 * parseFilter('email co "a@b.c"') // throws FilterError, description "Invalid operator"
 * ```
 */
import { FilterError } from "../../errors/index.ts";
import { FILTER_ERROR_TEXTS } from "./table-10.ts";
import { syntaxError, tokenize, type Token } from "./_tokenize.ts";
import { classifyAttribute } from "./_attributes.ts";
import { isEmailShaped } from "../email.ts";

/** The most expressions a filter may hold (UEV2 v1.1 §3.3.1.3). */
export const MAX_FILTER_EXPRESSIONS = 5;

/** The attributes a filter may use (UEV2 T6). */
export const FILTER_ATTRIBUTES = Object.freeze(["nhsnumber", "email"] as const);
export type FilterAttribute = (typeof FILTER_ATTRIBUTES)[number];

export interface FilterTerm {
  attribute: FilterAttribute;
  operator: "eq";
  value: string;
  /** The spelling in the filter and the term's offset, for findings about case and layout. */
  source: { attribute: string; operator: string; start: number };
}

export interface ParsedFilter {
  /** Disjunction of conjunctions: the filter matches when every term of some clause matches. */
  clauses: FilterTerm[][];
  /** All terms, in source order. */
  terms: FilterTerm[];
  /** Logical operators between the terms, as spelled (`and`, `OR`, ...). */
  logicalOperators: string[];
}

export interface ParseFilterOptions {
  /** Upper limit of expressions; default {@link MAX_FILTER_EXPRESSIONS}. `Infinity` disables it. */
  maxExpressions?: number;
}

const KEYWORDS = new Set(["and", "or", "not"]);
const NHS_NUMBER = /^[0-9]{10}$/;

interface RawTerm {
  attribute: string;
  operator: string;
  value: string | undefined;
  start: number;
}

export function parseFilter(text: string, options: ParseFilterOptions = {}): ParsedFilter {
  if (typeof text !== "string") throw syntaxError();
  const { terms: raw, logicalOperators } = readGrammar(tokenize(text));
  const max = options.maxExpressions ?? MAX_FILTER_EXPRESSIONS;
  if (raw.length > max) throw new FilterError(FILTER_ERROR_TEXTS.tooManyExpressions);
  const terms = raw.map(checkTerm);
  const clauses: FilterTerm[][] = [[terms[0]!]];
  logicalOperators.forEach((op, i) => {
    if (op.toLowerCase() === "or") clauses.push([]);
    clauses[clauses.length - 1]!.push(terms[i + 1]!);
  });
  return { clauses, terms, logicalOperators };
}

/** Step 1: the shape `term *(logical term)`, with any word allowed as the operator. */
function readGrammar(tokens: Token[]): { terms: RawTerm[]; logicalOperators: string[] } {
  const terms: RawTerm[] = [];
  const logicalOperators: string[] = [];
  let pos = 0;
  const word = (): Extract<Token, { kind: "word" }> => {
    const t = tokens[pos++];
    if (t?.kind !== "word" || KEYWORDS.has(t.text.toLowerCase())) throw syntaxError();
    return t;
  };
  for (;;) {
    const attribute = word();
    const operator = word();
    let value: string | undefined;
    if (operator.text.toLowerCase() !== "pr") {
      const t = tokens[pos++];
      if (t?.kind !== "string") throw syntaxError();
      value = t.value;
    }
    terms.push({ attribute: attribute.text, operator: operator.text, value, start: attribute.start });
    if (pos === tokens.length) return { terms, logicalOperators };
    const logical = tokens[pos++]!;
    if (logical.kind !== "word" || !["and", "or"].includes(logical.text.toLowerCase())) throw syntaxError();
    logicalOperators.push(logical.text);
  }
}

/** Step 3 for one term: operator, then attribute, then value. */
function checkTerm(raw: RawTerm): FilterTerm {
  if (raw.operator.toLowerCase() !== "eq" || raw.value === undefined) throw new FilterError(FILTER_ERROR_TEXTS.invalidOperator);
  const kind = classifyAttribute(raw.attribute);
  if (kind === "known-unsupported") throw new FilterError(FILTER_ERROR_TEXTS.invalidAttribute);
  if (kind === "unknown") throw new FilterError(FILTER_ERROR_TEXTS.unexpectedAttribute);
  if (kind === "nhsnumber" && !NHS_NUMBER.test(raw.value)) throw new FilterError(FILTER_ERROR_TEXTS.invalidNhsNumber);
  if (kind === "email" && !isEmailShaped(raw.value)) throw new FilterError(FILTER_ERROR_TEXTS.invalidEmail);
  return {
    attribute: kind,
    operator: "eq",
    value: raw.value,
    source: { attribute: raw.attribute, operator: raw.operator, start: raw.start },
  };
}
