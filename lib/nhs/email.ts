/**
 * The email shape NHS login asks for ("a@b.c", UEV2 T6; catalogue A37): the same language as
 * `^[^@\s]+@[^@\s]+\.[^@\s]+$`, checked in linear time (that regex backtracks quadratically on
 * crafted input such as `a@` followed by thousands of dots).
 *
 * @example
 * ```ts
 * isEmailShaped("a@b.c") // true
 * isEmailShaped("a@b")   // false
 * ```
 */
export function isEmailShaped(value: string): boolean {
  if (/\s/.test(value)) return false;
  const at = value.indexOf("@");
  if (at <= 0 || value.indexOf("@", at + 1) !== -1) return false;
  const domain = value.slice(at + 1);
  // A dot with at least one character on each side.
  return domain.length >= 3 && domain.slice(1, -1).includes(".");
}
