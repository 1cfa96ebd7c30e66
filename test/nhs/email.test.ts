import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isEmailShaped } from "../../lib/nhs/email.ts";

const REFERENCE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

describe("isEmailShaped", () => {
  it("accepts and refuses the catalogue's examples", () => {
    expect(isEmailShaped("a@b.c")).toBe(true);
    expect(isEmailShaped("first.last+tag@nhs.example.org")).toBe(true);
    for (const bad of ["a", "a@b", "@b.c", "a@.c", "a@b.", "a@@b.c", "a b@c.d", "a@b.c\n"]) expect(isEmailShaped(bad), bad).toBe(false);
  });

  it("decides exactly as the reference regex on arbitrary strings", () => {
    const alphabet = fc.constantFrom("a", "b", "@", ".", " ", "\t", "x", "-");
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 12 }).map((cs) => cs.join("")),
        (s) => isEmailShaped(s) === REFERENCE.test(s),
      ),
      { numRuns: 3000 },
    );
  });

  it("stays linear on a crafted long value", () => {
    expect(isEmailShaped(`a@${".".repeat(200_000)}@`)).toBe(false);
  });
});
