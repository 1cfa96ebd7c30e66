/**
 * The pure helpers of lib/checks/code-flow/authorize-errors.ts.
 */
import { describe, expect, it } from "vitest";
import { redirectUriVariants } from "../../../lib/checks/code-flow/authorize-errors.ts";
import { REDIRECT } from "./_fixtures.ts";

describe("authorization responses", () => {
  it("makes redirect URI variants that differ in slash, path, query and scheme", () => {
    const v = redirectUriVariants(REDIRECT).map((x) => x.uri);
    expect(v).toEqual([`${REDIRECT}/`, `${REDIRECT}/extra`, `${REDIRECT}?x=1`, "http://svc.example/callback"]);
    expect(redirectUriVariants("http://127.0.0.1:8765/cb/").map((x) => x.uri)).toEqual([
      "http://127.0.0.1:8765/cb",
      "http://127.0.0.1:8765/cb/extra",
      "http://127.0.0.1:8765/cb/?x=1",
      "https://127.0.0.1:8765/cb/",
    ]);
  });
});
