/**
 * NHS number rules (NHSNO-01, NHSNO-02): ten digits, the last a modulus 11 check digit.
 *
 * @example
 * ```ts
 * isValidNhsNumber("9990000018") // true
 * nhsNumberCheckDigit("999000001") // 8
 * ```
 */

/** Weights 10..2 applied to the first nine digits. */
const WEIGHTS = [10, 9, 8, 7, 6, 5, 4, 3, 2] as const;

/**
 * The check digit for the first nine digits, or `undefined` when no digit works (remainder gives 10).
 */
export function nhsNumberCheckDigit(firstNine: string): number | undefined {
  if (!/^\d{9}$/.test(firstNine)) return undefined;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * WEIGHTS[i]!;
  const check = 11 - (sum % 11);
  if (check === 10) return undefined;
  return check === 11 ? 0 : check;
}

/** True when `value` is a string of exactly ten digits whose last digit is the modulus 11 check digit. */
export function isValidNhsNumber(value: unknown): value is string {
  if (typeof value !== "string" || !/^\d{10}$/.test(value)) return false;
  return nhsNumberCheckDigit(value.slice(0, 9)) === Number(value[9]);
}

/**
 * The NHS number in the 999 test range (NHS England's range for test data) whose first nine
 * digits are 999 and `serial` (0 to 999999, zero-padded), or undefined when no check digit exists.
 *
 * @example
 * ```ts
 * testRangeNhsNumber(200000) // "9992000007"
 * testRangeNhsNumber(1)      // "9990000018"
 * ```
 */
export function testRangeNhsNumber(serial: number): string | undefined {
  const first = `999${String(serial).padStart(6, "0")}`;
  const check = nhsNumberCheckDigit(first);
  return check === undefined ? undefined : `${first}${check}`;
}

/**
 * A pattern finding `digits` (an NHS number, or what is left of one) as a page may show them:
 * grouped by single spaces or hyphens ("012 345 6789"), not part of a longer run of digits.
 */
export function nhsNumberShownAs(digits: string): RegExp {
  return new RegExp(`(?<!\\d[ -]?)${[...digits].join("[ -]?")}(?![ -]?\\d)`);
}
