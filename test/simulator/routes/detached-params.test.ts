import { describe, expect, it } from "vitest";
import { parse } from "fast-querystring";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { parseDetached } from "../../../lib/simulator/routes/detached-params.ts";
import { makeClientKey, startTestSimulator } from "../_helpers.ts";

describe("parseDetached", () => {
  it("reads exactly as fast-querystring does: decoding, + as a space, repeats as arrays, lone surrogates kept", () => {
    for (const input of [
      "state=abc&scope=openid%20profile+email",
      "a=1&a=2&b=",
      `nonce=${"n".repeat(300)}&x=%F0%9F%98%80`,
      "weird=%ZZ&empty&=v",
      `s=${encodeURIComponent("\u00e9")}${"%ED%A0%80".repeat(2)}`,
    ]) {
      expect({ ...parseDetached(input) }, input).toEqual({ ...(parse(input) as object) });
    }
  });

  it("gives an object without a prototype, so a parameter named __proto__ is only a parameter", () => {
    const out = parseDetached("__proto__=x&constructor=y");
    expect(Object.getPrototypeOf(out)).toBeNull();
    expect(Object.keys(out)).toEqual(["__proto__", "constructor"]);
  });
});

describe("the simulator's parameters share no memory with the request", () => {
  it("300 sign-ins, each posted with a 240 kB junk field, retain little once collected", async () => {
    setFlagsFromString("--expose_gc");
    const gc = runInNewContext("gc") as () => void;
    const { publicPem } = makeClientKey();
    const sim = await startTestSimulator([
      { clientId: "c1", redirectUris: ["https://svc.example/cb"], publicKey: publicPem, scopes: ["profile"] },
    ]);
    try {
      gc();
      const before = process.memoryUsage().heapUsed;
      const junk = "j".repeat(240_000);
      for (let i = 0; i < 300; i++) {
        const body = new URLSearchParams({
          client_id: "c1",
          redirect_uri: "https://svc.example/cb",
          response_type: "code",
          scope: "openid profile",
          state: `state-value-number-${i}`,
          nonce: `nonce-value-number-${i}`,
          junk,
        });
        const res = await fetch(`${sim.url}/authorize`, { method: "POST", body, redirect: "manual" });
        expect(res.status).toBe(302);
        await res.arrayBuffer();
      }
      gc();
      // Each code record keeps its state and nonce: as slices of their bodies they held 73 MiB.
      expect(sim.state.codes.size).toBe(300);
      expect((process.memoryUsage().heapUsed - before) / 1024 / 1024).toBeLessThan(20);
    } finally {
      await sim.stop();
    }
  });
});
