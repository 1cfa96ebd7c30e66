import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFECT_IDS, DEFECTS, type DefectId, FAULT_IDS, FAULTS, type FaultEntry } from "../../../lib/simulator/faults.ts";
import { applyHook, isHooked } from "../../../lib/simulator/hooks/apply-hook.ts";
import type { HookPoint } from "../../../lib/simulator/hooks/hook-points.ts";
import { CONFORMANT_SIGNING } from "../../../lib/simulator/tokens/signing-recipe.ts";

const none = { defects: new Set<DefectId>() };
const withDefects = (...ids: DefectId[]) => ({ defects: new Set(ids) });

describe("applyHook", () => {
  it("returns the conformant value when nothing is switched on", () => {
    expect(applyHook(none, "signingAlgorithm", "RS512")).toBe("RS512");
    expect(applyHook(none, "usersV2ErrorDescription", "Invalid syntax")).toBe("Invalid syntax");
    expect(applyHook(none, "idTokenSigning", CONFORMANT_SIGNING)).toEqual(CONFORMANT_SIGNING);
  });

  it("applies the hook of each active defect", () => {
    expect(applyHook(withDefects("rs256-signing"), "signingAlgorithm", "RS512")).toBe("RS256");
    expect(applyHook(withDefects("uev2-wrong-error-text"), "usersV2ErrorDescription", "Invalid syntax")).toBe("INVALID SYNTAX");
    expect(applyHook(withDefects("rs256-signing"), "usersV2ErrorDescription", "x")).toBe("x");
  });

  it("chains every active defect, then the armed faults, so two changes at one point both show", () => {
    const shape = applyHook(withDefects("token-error-not-json", "token-wrong-error-codes"), "tokenErrorShape", {
      codes: "as-raised",
      body: "json",
    });
    expect(shape).toEqual({ codes: "invalid_request", body: "text" });
    const grant = { clientId: "c", vtr: ["P9.Cp.Cd"] } as never;
    const claims = applyHook(
      withDefects("id-token-missing-jti"),
      "idTokenClaims",
      { jti: "j", nonce: "n", sub: "s" },
      { grant, now: 0, ttl: 1 },
      ["id-token-nonce-missing"],
    );
    expect(claims).toEqual({ sub: "s" });
  });

  it("applies a fault's hook only when the fault is armed for the sign-in", () => {
    expect(applyHook(none, "authorizeError", undefined)).toBeUndefined();
    expect(applyHook(none, "authorizeError", undefined, undefined, ["authorize-error:access_denied"])).toBe("access_denied");
    expect(applyHook(none, "codeGrantError", undefined, undefined, ["token-error:invalid_grant"])).toBe("invalid_grant");
    expect(applyHook(none, "authorizeState", "s", undefined, ["authorize-state-missing"])).toBeUndefined();
    expect(applyHook(none, "idTokenSigning", CONFORMANT_SIGNING, undefined, ["id-token-jku"])).toEqual({
      ...CONFORMANT_SIGNING,
      key: "attacker",
      embed: "jku",
    });
  });

  it("isHooked says whether an active entry changes a point", () => {
    expect(isHooked(none, "tokenErrorShape")).toBe(false);
    expect(isHooked(withDefects("token-error-not-json"), "tokenErrorShape")).toBe(true);
    expect(isHooked(withDefects("token-error-not-json"), "tokenResponseHeaders")).toBe(false);
    expect(isHooked(none, "userinfoSub", ["userinfo-other-sub"])).toBe(true);
  });
});

describe("the fault table is the one mechanism", () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
  const routeCode = files("lib/simulator")
    .filter((f) => f.endsWith(".ts") && !f.startsWith(join("lib/simulator", "hooks")) && f !== join("lib/simulator", "faults.ts"))
    .filter((f) => !f.endsWith("response-defects.ts"))
    .map((f) => ({ file: f, text: readFileSync(f, "utf8") }));

  it("no route asks whether a named defect or fault is on: they apply hooks", () => {
    const asking = routeCode.filter(({ text }) => /defects\.has\(|faults\.(includes|find|some|has)\(/.test(text)).map(({ file }) => file);
    expect(asking).toEqual([]);
  });

  it("every entry has a hook, and every hook point an entry uses is applied by some route", () => {
    const entries: [string, FaultEntry][] = [
      ...DEFECT_IDS.map((id) => [id, DEFECTS[id]] as [string, FaultEntry]),
      ...FAULT_IDS.map((id) => [id, FAULTS[id]] as [string, FaultEntry]),
    ];
    expect(entries.filter(([, e]) => Object.keys(e.hooks).length === 0).map(([id]) => id)).toEqual([]);
    const used = new Set(entries.flatMap(([, e]) => Object.keys(e.hooks) as HookPoint[]));
    const unapplied = [...used].filter((point) => !routeCode.some(({ text }) => text.includes(`"${point}"`)));
    expect(unapplied).toEqual([]);
  });
});
