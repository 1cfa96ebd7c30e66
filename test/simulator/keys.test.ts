import { describe, expect, it } from "vitest";
import { generateKeyPairSync } from "node:crypto";
import { keysForDefects, simulatorKeys } from "../../lib/simulator/keys.ts";
import type { DefectId } from "../../lib/simulator/faults.ts";

const bits = (k: { publicKey: import("node:crypto").KeyObject }) => k.publicKey.asymmetricKeyDetails?.modulusLength;

describe("keysForDefects", () => {
  it("keeps the keys unless the change alters the signing key's size, and keeps a fixed signing key always", async () => {
    const none = new Set<DefectId>();
    const weak = new Set<DefectId>(["weak-signing-key"]);
    const keys = await simulatorKeys(undefined, none);
    expect(await keysForDefects(keys, none, new Set<DefectId>(["rs256-signing"]), undefined)).toBe(keys);
    const changed = await keysForDefects(keys, none, weak, undefined);
    expect(changed).not.toBe(keys);
    expect(bits(changed.signing)).toBe(1024);
    expect(bits((await keysForDefects(changed, weak, none, undefined)).signing)).toBe(2048);
    const fixed = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    expect(await keysForDefects(keys, none, weak, fixed)).toBe(keys);
  });
});
