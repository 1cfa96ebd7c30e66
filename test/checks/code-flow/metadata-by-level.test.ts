/**
 * The SCOPE-11 rule of lib/checks/code-flow/metadata-by-level.ts on crafted observations; the
 * probe runs against the simulator in the environment suite and its breakers (metadata-p9-only).
 */
import { describe, expect, it } from "vitest";
import { metadataByLevelFindings } from "../../../lib/checks/code-flow/metadata-by-level.ts";

describe("metadataByLevelFindings", () => {
  it("passes each level whose stored value came back, one finding per level", () => {
    const f = metadataByLevelFindings([
      { level: "P0", stored: "a", patched: 204, got: "a" },
      { level: "P9", stored: "b", patched: 204, got: "b" },
    ]);
    expect(f.map((x) => [x.requirement, x.status, x.message])).toEqual([
      ["SCOPE-11", "passed", "a P0 person signed in with openid client_metadata: UserInfo gave back the client_user_metadata stored"],
      ["SCOPE-11", "passed", "a P9 person signed in with openid client_metadata: UserInfo gave back the client_user_metadata stored"],
    ]);
  });

  it("fails a refused PATCH or a value UserInfo does not give back; a sign-in that went wrong is inconclusive", () => {
    const f = metadataByLevelFindings([
      { level: "P0", stored: "a", patched: 403, got: undefined },
      { level: "P5", stored: "a", patched: 204, got: "other" },
      { level: "P9", problem: "the sign-in gave no code (error=access_denied)" },
    ]);
    expect(f.map((x) => [x.status, x.message])).toEqual([
      ["failed", "a P0 person signed in with openid client_metadata: storing client_user_metadata answered HTTP 403, expected 204"],
      ["failed", 'a P5 person signed in with openid client_metadata: after storing "a", UserInfo gave client_user_metadata "other"'],
      ["inconclusive", "a P9 person signed in with openid client_metadata: the sign-in gave no code (error=access_denied)"],
    ]);
  });
});
