import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { isValidNhsNumber, nhsNumberCheckDigit, nhsNumberShownAs } from "../../lib/nhs/nhs-number.ts";
import { PERSONAS } from "../../lib/simulator/personas.ts";

/** The check digit worked out by hand from the Appendix wording, independently of the library. */
function referenceCheck(firstNine: string): number | "invalid" {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine.charAt(i)) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return "invalid";
  return check;
}

const nineDigits = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }).map((d) => d.join(""));

describe("nhsNumberCheckDigit (NHSNO-02)", () => {
  it("works through a known example step by step", () => {
    // 9,9,9,0,0,0,0,0,1 weighted 10..2: 90+81+72+2 = 245; 245 mod 11 = 3; 11-3 = 8.
    expect(nhsNumberCheckDigit("999000001")).toBe(8);
    // 9,6,8,6,3,6,8,9,7: 90+54+64+42+18+30+32+27+14 = 371; 371 mod 11 = 8; 11-8 = 3.
    expect(nhsNumberCheckDigit("968636897")).toBe(3);
  });

  it("maps a result of 11 to 0", () => {
    // 000000000 sums to 0: 11 - 0 = 11, which becomes 0.
    expect(nhsNumberCheckDigit("000000000")).toBe(0);
    expect(isValidNhsNumber("0000000000")).toBe(true);
  });

  it("has no check digit when the result is 10", () => {
    // Search the first thousand prefixes for one whose check works out to 10.
    const prefix = Array.from({ length: 1000 }, (_, i) => String(i).padStart(9, "0")).find((p) => referenceCheck(p) === "invalid");
    expect(prefix).toBeDefined();
    expect(nhsNumberCheckDigit(prefix!)).toBeUndefined();
    for (let d = 0; d <= 9; d++) expect(isValidNhsNumber(`${prefix}${d}`)).toBe(false);
  });

  it("refuses input that is not exactly nine ASCII digits", () => {
    for (const bad of ["", "12345678", "1234567890", "12345678a", " 99900000", "99900000 ", "９９９０００００１"]) {
      expect(nhsNumberCheckDigit(bad)).toBeUndefined();
    }
  });

  it("agrees with the reference computation for any nine digits", () => {
    fc.assert(
      fc.property(nineDigits, (nine) => {
        const ref = referenceCheck(nine);
        expect(nhsNumberCheckDigit(nine)).toBe(ref === "invalid" ? undefined : ref);
      }),
    );
  });
});

describe("isValidNhsNumber (NHSNO-01, NHSNO-02)", () => {
  it("accepts numbers in the 999 synthetic range", () => {
    for (const n of ["9990000018", "9990010005", "9990010013"]) expect(isValidNhsNumber(n)).toBe(true);
  });

  it("accepts the sandpit and integration test numbers (catalogue section 4)", () => {
    const sandpit = [
      "9686368973",
      "9686368906",
      "9686369120",
      "9686369139",
      "9658218865",
      "9658218873",
      "9658218881",
      "9658218903",
      "9658218989",
      "9658218997",
      "9658219004",
      "9658219012",
      "9658220142",
      "9658220150",
      "9450114080",
      "9466447939",
      "9657933617",
      "9800878378",
      "9661033404",
      "9451019030",
      "9436793375",
      "9661033498",
      "9661034524",
    ];
    for (const n of sandpit) expect(isValidNhsNumber(n), n).toBe(true);
  });

  it("refuses every NHS number printed in the spec examples that fails the check (NHSNO-04)", () => {
    for (const n of ["8527685222", "4447685222", "9658526933", "9434760001", "123456789", "1234567890"]) {
      expect(isValidNhsNumber(n), n).toBe(false);
    }
  });

  it("refuses non-strings, including a numeric NHS number (NHSNO-01, NHSNO-03)", () => {
    for (const v of [9686368973, 9686368973n, null, undefined, {}, ["9686368973"], true, new String("9686368973")]) {
      expect(isValidNhsNumber(v)).toBe(false);
    }
  });

  it("refuses formatted or padded forms of a valid number", () => {
    for (const v of ["968 636 8973", "968-636-8973", " 9686368973", "9686368973 ", "9686368973\n", "96863689730", "968636897"]) {
      expect(isValidNhsNumber(v), JSON.stringify(v)).toBe(false);
    }
  });

  it("keeps leading zeros significant", () => {
    // 012345678: 0+9+16+21+24+25+24+21+16 = 156; 156 mod 11 = 2; 11-2 = 9.
    expect(isValidNhsNumber("0123456789")).toBe(true);
    expect(isValidNhsNumber("123456789")).toBe(false);
  });

  it("detects every single-digit change of a valid number", () => {
    const valid = nineDigits.filter((n) => referenceCheck(n) !== "invalid").map((n) => `${n}${referenceCheck(n)}`);
    fc.assert(
      fc.property(valid, fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 }), (number, pos, delta) => {
        expect(isValidNhsNumber(number)).toBe(true);
        const changed = number.slice(0, pos) + String((Number(number[pos]) + delta) % 10) + number.slice(pos + 1);
        expect(isValidNhsNumber(changed)).toBe(false);
      }),
    );
  });

  it("detects every swap of two different adjacent digits", () => {
    const valid = nineDigits.filter((n) => referenceCheck(n) !== "invalid").map((n) => `${n}${referenceCheck(n)}`);
    fc.assert(
      fc.property(valid, fc.integer({ min: 0, max: 8 }), (number, pos) => {
        fc.pre(number[pos] !== number[pos + 1]);
        const swapped = number.slice(0, pos) + number[pos + 1] + number[pos] + number.slice(pos + 2);
        expect(isValidNhsNumber(swapped)).toBe(false);
      }),
    );
  });

  it("gives every simulator persona with an NHS number a valid one, in the 999 range but for p9-zero's leading zero", () => {
    const withNumbers = PERSONAS.filter((p) => p.nhsNumber !== undefined);
    // Every verified persona has an NHS number; P0 people have none.
    expect(withNumbers.map((p) => p.id).sort()).toEqual(
      PERSONAS.filter((p) => p.proofing !== "P0")
        .map((p) => p.id)
        .sort(),
    );
    for (const p of withNumbers) {
      expect(isValidNhsNumber(p.nhsNumber), p.id).toBe(true);
      // p9-zero's number starts with a zero on purpose (NHSNO-03), so it cannot be in the 999 range.
      expect(p.nhsNumber!.startsWith(p.id === "p9-zero" ? "0" : "999"), p.id).toBe(true);
    }
  });
});

describe("nhsNumberShownAs", () => {
  it("finds the digits grouped by spaces or hyphens, never inside a longer run", () => {
    const nine = nhsNumberShownAs("123456789");
    for (const t of ["123456789", "123 456 789", "123-456-789", "NHS no. 123 456 789."]) expect(nine.test(t), t).toBe(true);
    for (const t of ["0123456789", "0 123 456 789", "1234567890", "123 456 7890", "12345678"]) expect(nine.test(t), t).toBe(false);
    expect(nhsNumberShownAs("0123456789").test("012 345 6789")).toBe(true);
  });
});
