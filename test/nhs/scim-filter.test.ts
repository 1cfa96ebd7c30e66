import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  FILTER_ERROR_TEXTS,
  matchesFilter,
  parseFilter,
  scopeRequiredDescription,
  scopesNotApprovedDescription,
  USERS_V2_ERRORS,
  type ParsedFilter,
} from "../../lib/nhs/scim-filter/index.ts";
import { FilterError } from "../../lib/errors/index.ts";

const N1 = "9990010005";
const N2 = "9990010013";
const E1 = "u1@example.org";
const E2 = "u2@example.org";

/** The Table 10 description `parseFilter` throws for `text`, or "ok". */
function outcome(text: string, maxExpressions?: number): string {
  try {
    parseFilter(text, maxExpressions === undefined ? {} : { maxExpressions });
    return "ok";
  } catch (err) {
    expect(err).toBeInstanceOf(FilterError);
    expect((err as FilterError).code).toBe("ERR_FILTER_INVALID");
    return (err as FilterError).description;
  }
}

const terms = (f: ParsedFilter) => f.clauses.map((c) => c.map((t) => `${t.attribute}=${t.value}`));

describe("Table 10 texts", () => {
  it("are exactly the printed ones", () => {
    expect(Object.fromEntries(Object.entries(USERS_V2_ERRORS).map(([k, v]) => [k, [v.status, v.description]]))).toEqual({
      invalidSyntax: [400, "Invalid syntax"],
      invalidAttribute: [400, "Invalid attribute"],
      invalidOperator: [400, "Invalid operator"],
      tooManyExpressions: [400, "More than 5 expressions provided"],
      invalidNhsNumber: [400, "Invalid NHS number"],
      invalidEmail: [400, "Invalid email"],
      unexpectedAttribute: [400, 'Either one of "nhsnumber" or "email" must be used for each query'],
      filterMissing: [400, 'Query string "filter" not present'],
      noScope: [403, "No scope was present in the request"],
      scopeRequired: [403, 'Scope "<scope name>" required for access was not present in request'],
      scopesNotApproved: [403, "Requested scopes: <scope names> did not match the clients approved scopes: <clients approved scopes>"],
      internal: [500, "Internal server error"],
    });
  });

  it("fills the two templates and their patterns match only the filled form", () => {
    const s = scopeRequiredDescription("profile");
    expect(s).toBe('Scope "profile" required for access was not present in request');
    expect(USERS_V2_ERRORS.scopeRequired.pattern.exec(s)?.[1]).toBe("profile");
    expect(USERS_V2_ERRORS.scopeRequired.pattern.test("Scope profile required for access was not present in request")).toBe(false);
    const n = scopesNotApprovedDescription(["email", "phone"], ["https://x/Users.retrieve", "profile"]);
    expect(n).toBe("Requested scopes: email phone did not match the clients approved scopes: https://x/Users.retrieve profile");
    expect(USERS_V2_ERRORS.scopesNotApproved.pattern.exec(n)?.slice(1)).toEqual(["email phone", "https://x/Users.retrieve profile"]);
    expect(USERS_V2_ERRORS.invalidSyntax.pattern.test("Invalid syntax")).toBe(true);
    expect(USERS_V2_ERRORS.invalidSyntax.pattern.test("INVALID SYNTAX")).toBe(false);
  });
});

describe("parseFilter: grammar", () => {
  it("reads single terms on each attribute", () => {
    expect(terms(parseFilter(`nhsnumber eq "${N1}"`))).toEqual([[`nhsnumber=${N1}`]]);
    expect(terms(parseFilter(`email eq "${E1}"`))).toEqual([[`email=${E1}`]]);
  });

  it("groups and before or: A and B or C and D is (A and B) or (C and D)", () => {
    const f = parseFilter(`email eq "${E1}" and nhsnumber eq "${N1}" or email eq "${E2}" and nhsnumber eq "${N2}"`);
    expect(terms(f)).toEqual([
      [`email=${E1}`, `nhsnumber=${N1}`],
      [`email=${E2}`, `nhsnumber=${N2}`],
    ]);
    expect(f.logicalOperators).toEqual(["and", "or", "and"]);
    expect(f.terms).toHaveLength(4);
  });

  it("keeps spaces and the words and/or inside quoted values", () => {
    const f = parseFilter('email eq "and@or.and" or email eq "or@and.or" and nhsnumber eq "9990010005"');
    expect(terms(f)).toEqual([["email=and@or.and"], ["email=or@and.or", `nhsnumber=${N1}`]]);
    // A naive split on " and " / " or " would see two terms (or a broken quote) in each of these;
    // they are one term whose value is not an e-mail address.
    expect(outcome('email eq "a and b@c.d"')).toBe("Invalid email");
    expect(outcome('email eq "x@y.z or nhsnumber eq 9990010005"')).toBe("Invalid email");
    expect(outcome('nhsnumber eq "999 and 0010005"')).toBe("Invalid NHS number");
    expect(outcome('email eq "x@y.z" and email eq " and "')).toBe("Invalid email");
  });

  it("accepts operators and attribute names in any letter case, keeping the spelling", () => {
    const f = parseFilter(`EMAIL EQ "${E1}" OR NhsNumber Eq "${N1}" AND email eq "${E2}"`);
    expect(terms(f)).toEqual([[`email=${E1}`], [`nhsnumber=${N1}`, `email=${E2}`]]);
    expect(f.logicalOperators).toEqual(["OR", "AND"]);
    expect(f.terms[0]!.source).toEqual({ attribute: "EMAIL", operator: "EQ", start: 0 });
  });

  it.each([
    ["empty", ""],
    ["a space", " "],
    ["missing value", "email eq"],
    ["missing operator", 'email "a@b.c"'],
    ["missing attribute", 'eq "a@b.c"'],
    ["unquoted value", "nhsnumber eq 9990010005"],
    ["single quotes", "email eq 'a@b.c'"],
    ["curly quotes", "email eq “a@b.c”"],
    ["mixed quotes", 'email eq "a@b.c”'],
    ["unbalanced quote", 'email eq "a@b.c'],
    ["stray quote after value", 'email eq "a@b.c""'],
    ["trailing and", 'email eq "a@b.c" and'],
    ["trailing or and space", 'email eq "a@b.c" or '],
    ["leading and", 'and email eq "a@b.c"'],
    ["double logical", 'email eq "a@b.c" and or email eq "d@e.f"'],
    ["unknown logical word", 'email eq "a@b.c" xor email eq "d@e.f"'],
    ["symbolic logical", 'email eq "a@b.c" && email eq "d@e.f"'],
    ["no logical operator", 'email eq "a@b.c" email eq "d@e.f"'],
    ["not prefix", 'not email eq "a@b.c"'],
    ["not with brackets", 'not (email eq "a@b.c")'],
    ["and not", 'email eq "a@b.c" and not email eq "d@e.f"'],
    ["grouping brackets", '(email eq "a@b.c")'],
    ["brackets around or", 'email eq "a@b.c" and (email eq "d@e.f" or email eq "g@h.i")'],
    ["value path", 'emails[value eq "a@b.c"]'],
    ["tab separators", 'email\teq\t"a@b.c"'],
    ["tab inside the value", 'email eq "a@b.c\t"'],
    ["newline", 'email eq "a@b.c"\nor email eq "d@e.f"'],
    ["double space", 'email  eq "a@b.c"'],
    ["double space before or", 'email eq "a@b.c"  or email eq "d@e.f"'],
    ["leading space", ' email eq "a@b.c"'],
    ["trailing space", 'email eq "a@b.c" '],
    ["no space before or", 'email eq "a@b.c"or nhsnumber eq "9990010005"'],
    ["no space before value", 'email eq"a@b.c"'],
    ["non-breaking space", 'email\u00a0eq "a@b.c"'],
    ["pr with a value", 'email pr "a@b.c"'],
    ["operator as attribute keyword", 'email and "a@b.c"'],
    ["comma separated", 'email eq "a@b.c", email eq "d@e.f"'],
  ])("Invalid syntax: %s", (_name, text) => {
    expect(outcome(text)).toBe("Invalid syntax");
  });

  it("treats a backslash as an ordinary character (no escapes)", () => {
    expect(parseFilter('email eq "a\\b@c.d"').terms[0]!.value).toBe("a\\b@c.d");
    expect(outcome('email eq "a\\"b@c.d"')).toBe("Invalid syntax");
  });

  it("never throws anything but a FilterError, whatever the input", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        try {
          parseFilter(text);
        } catch (err) {
          expect(err).toBeInstanceOf(FilterError);
          expect(Object.values(FILTER_ERROR_TEXTS)).toContain((err as FilterError).description);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("parseFilter: expression limit", () => {
  const join = (n: number, op = "or") => Array.from({ length: n }, (_, i) => `email eq "u${i}@example.org"`).join(` ${op} `);

  it("accepts exactly 5 expressions and refuses 6, with either logical operator", () => {
    expect(outcome(join(5))).toBe("ok");
    expect(outcome(join(5, "and"))).toBe("ok");
    expect(outcome(join(6))).toBe("More than 5 expressions provided");
    expect(outcome(join(6, "and"))).toBe("More than 5 expressions provided");
    expect(outcome(join(12))).toBe("More than 5 expressions provided");
  });

  it("checks the grammar before the count, and the count before each term", () => {
    expect(outcome(`${join(6)} and`)).toBe("Invalid syntax");
    expect(outcome(`${join(5)} or email co "x@y.z"`)).toBe("More than 5 expressions provided");
    expect(outcome(`${join(5)} or nhsnumber eq "1"`)).toBe("More than 5 expressions provided");
  });

  it("can be lifted (the simulator's uev2-six-expressions-accepted defect)", () => {
    expect(outcome(join(6), Number.POSITIVE_INFINITY)).toBe("ok");
    expect(parseFilter(join(9), { maxExpressions: Infinity }).clauses).toHaveLength(9);
  });
});

describe("parseFilter: term errors", () => {
  it.each(["ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "eqq", "equals", "EQUAL"])("Invalid operator: %s", (op) => {
    expect(outcome(`email ${op} "a@b.c"`)).toBe("Invalid operator");
    expect(outcome(`nhsnumber ${op} "${N1}"`)).toBe("Invalid operator");
  });

  it("Invalid operator: pr (presence, no value)", () => {
    expect(outcome("email pr")).toBe("Invalid operator");
    expect(outcome(`nhsnumber pr or email eq "${E1}"`)).toBe("Invalid operator");
  });

  it.each([
    "userName",
    "username",
    "name",
    "name.familyName",
    "emails",
    "emails.value",
    "id",
    "externalId",
    "active",
    "phoneNumbers",
    "nhsNumber.value",
    "birthdate",
    "gpOdsCode",
    "urn:ietf:params:scim:schemas:core:2.0:User:userName",
    "uk:nhs:login:auth:1.0:User:nhsNumber",
  ])("Invalid attribute for a known SCIM or NHS login attribute: %s", (attribute) => {
    expect(outcome(`${attribute} eq "a@b.c"`)).toBe("Invalid attribute");
  });

  it.each(["mail", "e-mail", "nhs_number", "nhsno", "phone", "foo", "emailaddress", "email.value"])(
    'Either one of "nhsnumber" or "email" for any other word: %s',
    (attribute) => {
      expect(outcome(`${attribute} eq "a@b.c"`)).toBe('Either one of "nhsnumber" or "email" must be used for each query');
    },
  );

  it.each(["123456789", "12345678901", "96863689A3", "968 636 8973", "", " 9990010005", "９９９００１０００５", "+999001000"])(
    "Invalid NHS number: %j",
    (value) => {
      expect(outcome(`nhsnumber eq "${value}"`)).toBe("Invalid NHS number");
    },
  );

  it("does not apply the modulus 11 check (catalogue A36)", () => {
    expect(outcome('nhsnumber eq "9990010006"')).toBe("ok");
  });

  it.each(["a", "a@b", "@b.c", "a@.c", "a@b.", "a b@c.d", "a@@b.c", "", "a@b c.d"])("Invalid email: %j", (value) => {
    expect(outcome(`email eq "${value}"`)).toBe("Invalid email");
  });

  it.each(["a@b.c", "first.last+tag@example.co.uk", "UPPER@EXAMPLE.ORG", "x@y.z.w"])("valid email: %s", (value) => {
    expect(outcome(`email eq "${value}"`)).toBe("ok");
  });

  it("reports the first failing term, checking operator, then attribute, then value", () => {
    expect(outcome('nhsnumber eq "1" or email co "a"')).toBe("Invalid NHS number");
    expect(outcome('email co "a" or nhsnumber eq "1"')).toBe("Invalid operator");
    expect(outcome('userName co "x"')).toBe("Invalid operator");
    expect(outcome('userName eq "x"')).toBe("Invalid attribute");
    expect(outcome('foo eq "x" or userName eq "x"')).toBe('Either one of "nhsnumber" or "email" must be used for each query');
    expect(outcome(`email eq "${E1}" and nhsnumber eq "12"`)).toBe("Invalid NHS number");
  });
});

describe("matchesFilter", () => {
  const u1 = { nhsNumber: N1, email: E1 };
  const u2 = { nhsNumber: N2, email: E2 };
  const p0 = { email: "p0@example.org" };

  it("matches eq exactly, case-sensitively for e-mail", () => {
    const f = parseFilter(`email eq "${E1}"`);
    expect(matchesFilter(f, u1)).toBe(true);
    expect(matchesFilter(f, u2)).toBe(false);
    expect(matchesFilter(parseFilter(`email eq "${E1.toUpperCase()}"`), u1)).toBe(false);
    expect(matchesFilter(parseFilter('nhsnumber eq "9990010006"'), u1)).toBe(false);
  });

  it("never matches a term on an attribute the record lacks", () => {
    expect(matchesFilter(parseFilter(`nhsnumber eq "${N1}"`), p0)).toBe(false);
    expect(matchesFilter(parseFilter(`nhsnumber eq "${N1}" or email eq "p0@example.org"`), p0)).toBe(true);
  });

  it("and needs both, or needs either", () => {
    expect(matchesFilter(parseFilter(`email eq "${E1}" and nhsnumber eq "${N1}"`), u1)).toBe(true);
    expect(matchesFilter(parseFilter(`email eq "${E1}" and nhsnumber eq "${N2}"`), u1)).toBe(false);
    expect(matchesFilter(parseFilter(`email eq "${E1}" or nhsnumber eq "${N2}"`), u1)).toBe(true);
    expect(matchesFilter(parseFilter(`email eq "${E1}" or nhsnumber eq "${N2}"`), u2)).toBe(true);
  });

  it("applies and before or (catalogue UEV2-FILTER-07: only one reading matches)", () => {
    // (e1 and n2) or e2 matches U2 only; the other reading, e1 and (n2 or e2), would match nobody.
    const f = parseFilter(`email eq "${E1}" and nhsnumber eq "${N2}" or email eq "${E2}"`);
    expect([u1, u2].map((u) => matchesFilter(f, u))).toEqual([false, true]);
    // A or B and C: and-first gives e1 or (e2 and n2), matching both; left to right would give
    // (e1 or e2) and n2, matching U2 only.
    const g = parseFilter(`email eq "${E1}" or email eq "${E2}" and nhsnumber eq "${N2}"`);
    expect([u1, u2].map((u) => matchesFilter(g, u))).toEqual([true, true]);
  });

  it("agrees with a reference evaluation of random and/or chains", () => {
    const termArb = fc.record({ attribute: fc.constantFrom("email", "nhsnumber"), pick: fc.constantFrom(0, 1, 2) });
    fc.assert(
      fc.property(
        fc.array(termArb, { minLength: 1, maxLength: 5 }),
        fc.array(fc.constantFrom("and", "or"), { minLength: 4, maxLength: 4 }),
        (ts, ops) => {
          const values = { email: [E1, E2, "z@z.z"], nhsnumber: [N1, N2, "9990000018"] } as const;
          const text = ts
            .map((t, i) => `${i > 0 ? `${ops[i - 1]} ` : ""}${t.attribute} eq "${values[t.attribute as "email" | "nhsnumber"][t.pick]}"`)
            .join(" ");
          const f = parseFilter(text);
          for (const u of [u1, u2, p0]) {
            const truth = ts.map(
              (t) =>
                (t.attribute === "email" ? u.email : (u as { nhsNumber?: string }).nhsNumber) ===
                values[t.attribute as "email" | "nhsnumber"][t.pick],
            );
            // Reference: fold the and-runs first, then or them.
            const groups: boolean[][] = [[truth[0]!]];
            truth.slice(1).forEach((v, i) => (ops[i] === "or" ? groups.push([v]) : groups[groups.length - 1]!.push(v)));
            expect(matchesFilter(f, u)).toBe(groups.some((g) => g.every(Boolean)));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
