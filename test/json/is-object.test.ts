import { describe, expect, it } from "vitest";
import { isObject } from "../../lib/json/is-object.ts";

describe("isObject", () => {
  it("is true for a JSON object only", () => {
    expect([{}, { a: 1 }, [], null, "x", 1, undefined].map(isObject)).toEqual([true, true, false, false, false, false, false]);
  });
});
