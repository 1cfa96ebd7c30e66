import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readBrowserSteps, urlMatcher } from "../../lib/driver/browser-steps.ts";

const dir = mkdtempSync(join(tmpdir(), "steps-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe("readBrowserSteps", () => {
  it("reads steps with every action and target form", () => {
    const steps = {
      steps: [
        { name: "cookies", actions: [{ click: { role: "button", name: "Accept" } }] },
        {
          url: "/start",
          timeoutMs: 2000,
          actions: [
            { fill: { css: "#email", value: "a@b.c" } },
            { click: { text: "Continue" } },
            { "wait-for-url": "/authorize" },
            { "wait-for-text": "Signed in" },
          ],
        },
      ],
    };
    expect(readBrowserSteps(file("ok.json", JSON.stringify(steps)))).toEqual(steps);
  });

  it("says what is wrong and where", () => {
    expect(() => readBrowserSteps(file("bad.json", "{"))).toThrow(/^not a JSON file/);
    expect(() => readBrowserSteps(file("empty.json", '{"steps":[]}'))).toThrow(/^\/steps must NOT have fewer than 1 items/);
    expect(() => readBrowserSteps(file("verb.json", '{"steps":[{"actions":[{"hover":{"css":"a"}}]}]}'))).toThrow(
      /^\/steps\/0\/actions\/0 must NOT have additional properties/,
    );
    expect(() => readBrowserSteps(file("two.json", '{"steps":[{"actions":[{"click":{"css":"a","text":"b"}}]}]}'))).toThrow(
      /^\/steps\/0\/actions\/0\/click must match exactly one schema in oneOf/,
    );
    expect(() => readBrowserSteps(file("none.json", '{"steps":[{"name":"x"}]}'))).toThrow(
      /^\/steps\/0 must have required property 'actions'/,
    );
  });
});

describe("urlMatcher", () => {
  it("matches text the URL contains, or a /regular expression/", () => {
    const u = new URL("http://127.0.0.1:1/authorize?client_id=x");
    expect(urlMatcher("/authorize")(u)).toBe(true);
    expect(urlMatcher("/callback")(u)).toBe(false);
    expect(urlMatcher("/client_id=[a-z]$/")(u)).toBe(true);
    expect(urlMatcher("/CLIENT_ID/i")(u)).toBe(true);
  });
});
