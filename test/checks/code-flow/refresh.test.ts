/**
 * The pure helpers of lib/checks/code-flow/refresh.ts.
 */
import { describe, expect, it } from "vitest";
import { wideningScope } from "../../../lib/checks/code-flow/refresh.ts";

describe("token responses", () => {
  it("widens with a documented scope not yet granted", () => {
    expect(wideningScope(["openid", "profile", "email", "phone"])).toBe("profile_extended");
    expect(wideningScope(["openid", "email"])).toBe("profile");
  });
});
