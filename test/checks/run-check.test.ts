import { describe, expect, it } from "vitest";
import type { Check, GateFunction } from "../../lib/checks/check.ts";
import { runCheck } from "../../lib/checks/run-check.ts";
import { finding } from "../../lib/requirements/index.ts";

type Ctx = { unusable?: string; missing?: string };
const gate: GateFunction<Ctx, "thing"> = (check, ctx) => {
  if (ctx.unusable) return { status: "inconclusive", reasons: [ctx.unusable] };
  if (check.needs?.includes("thing") && ctx.missing) return { status: "skipped", reasons: [ctx.missing] };
  return undefined;
};
const check = (run: Check<Ctx, "thing">["run"], needs?: "thing"[]): Check<Ctx, "thing"> => ({
  key: "k",
  ids: ["FED-JWT-01", "FED-JWT-02"],
  title: "t",
  area: "a",
  ...(needs ? { needs } : {}),
  run,
});

describe("runCheck, the one runner", () => {
  it("returns what the check found when it judged every ID", async () => {
    const f = [finding("FED-JWT-01", "passed", "RS512"), finding("FED-JWT-02", "failed", "kid unknown")];
    expect(
      await runCheck(
        check(() => f),
        {},
        gate,
      ),
    ).toEqual(f);
  });

  it("turns a crash into inconclusive for every ID, never failed or passed", async () => {
    const out = await runCheck(
      check(() => {
        throw new Error("socket hang up");
      }),
      {},
      gate,
    );
    expect(out.map((f) => [f.requirement, f.status, f.message])).toEqual([
      ["FED-JWT-01", "inconclusive", "could not complete: socket hang up"],
      ["FED-JWT-02", "inconclusive", "could not complete: socket hang up"],
    ]);
  });

  it("makes a check that returned nothing inconclusive (no pass on zero observations)", async () => {
    const out = await runCheck(
      check(() => []),
      {},
      gate,
    );
    expect(out.map((f) => f.status)).toEqual(["inconclusive", "inconclusive"]);
    expect(out[0]!.message).toMatch(/observed nothing/);
  });

  it("makes an ID the check did not judge inconclusive, naming it", async () => {
    const out = await runCheck(
      check(() => [finding("FED-JWT-01", "passed", "RS512")]),
      {},
      gate,
    );
    expect(out[1]).toEqual(finding("FED-JWT-02", "inconclusive", "the check returned no finding for FED-JWT-02"));
  });

  it("skips the unmentioned IDs for the same reason when the check skipped itself", async () => {
    const out = await runCheck(
      check(() => [finding("FED-JWT-01", "skipped", "no test account")]),
      {},
      gate,
    );
    expect(out[1]).toEqual(finding("FED-JWT-02", "skipped", "no test account"));
  });

  it("joins several skip reasons, once each, for the IDs a self-skipping check did not mention", async () => {
    const c: Check<Ctx, "thing"> = {
      ...check(() => [finding("FED-JWT-01", "skipped", "no account"), finding("FED-JWT-01", "skipped", "no scope")]),
      ids: ["FED-JWT-01", "FED-JWT-02", "FED-JWT-03"],
    };
    const out = await runCheck(c, {}, gate);
    expect(out.slice(2).map((f) => [f.requirement, f.status, f.message])).toEqual([
      ["FED-JWT-02", "skipped", "no account; no scope"],
      ["FED-JWT-03", "skipped", "no account; no scope"],
    ]);
  });

  it("keeps an unmentioned ID inconclusive when the check judged another one (a skip beside a pass is not a skip)", async () => {
    const c: Check<Ctx, "thing"> = {
      ...check(() => [finding("FED-JWT-01", "skipped", "no account"), finding("FED-JWT-02", "passed", "RS512")]),
      ids: ["FED-JWT-01", "FED-JWT-02", "FED-JWT-03"],
    };
    const out = await runCheck(c, {}, gate);
    expect(out[2]).toEqual(finding("FED-JWT-03", "inconclusive", "the check returned no finding for FED-JWT-03"));
  });

  it("joins the gate's reasons for every ID", async () => {
    const two: GateFunction<Ctx, "thing"> = () => ({ status: "skipped", reasons: ["NHSLOGIN_CLIENT_ID is not set", "no redirect URI"] });
    const out = await runCheck(
      check(() => []),
      {},
      two,
    );
    expect(out.map((f) => f.message)).toEqual([
      "NHSLOGIN_CLIENT_ID is not set; no redirect URI",
      "NHSLOGIN_CLIENT_ID is not set; no redirect URI",
    ]);
  });

  it("asks the gate first: skipped with the reason when a need is missing, without running", async () => {
    let ran = false;
    const c = check(() => {
      ran = true;
      return [];
    }, ["thing"]);
    const out = await runCheck(c, { missing: "THING_URL is not set" }, gate);
    expect(ran).toBe(false);
    expect(out.map((f) => [f.requirement, f.status, f.message])).toEqual([
      ["FED-JWT-01", "skipped", "THING_URL is not set"],
      ["FED-JWT-02", "skipped", "THING_URL is not set"],
    ]);
  });

  it("asks the gate first: inconclusive for every ID when the target is unusable", async () => {
    const out = await runCheck(
      check(() => [finding("FED-JWT-01", "passed", "x")]),
      { unusable: "the service did not start" },
      gate,
    );
    expect(out.map((f) => f.status)).toEqual(["inconclusive", "inconclusive"]);
  });

  it("fails the primary ID once per reason when the gate says an input is broken", async () => {
    const broken: GateFunction<Ctx, "thing"> = () => ({ status: "failed", reasons: ["unusable artefact: a", "unusable artefact: b"] });
    const out = await runCheck(
      check(() => []),
      {},
      broken,
    );
    expect(out.map((f) => [f.requirement, f.status, f.message])).toEqual([
      ["FED-JWT-01", "failed", "unusable artefact: a"],
      ["FED-JWT-01", "failed", "unusable artefact: b"],
    ]);
  });
});
