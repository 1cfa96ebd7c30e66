/**
 * The pure helpers of lib/checks/code-flow/sessions.ts.
 */
import { describe, expect, it } from "vitest";
import { probeNonce, probeState } from "../../../lib/checks/code-flow/sessions.ts";

describe("authorization responses", () => {
  it("probe state and nonce are fresh and carry reserved characters", () => {
    expect(probeState()).not.toBe(probeState());
    expect(probeState()).toMatch(/\+.*\/.*=.*~$/);
    expect(probeNonce()).toMatch(/[A-Z].*[a-z]|[a-z].*[A-Z]/);
  });
});
