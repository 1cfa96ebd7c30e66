/**
 * No line of the project's TypeScript or JavaScript is longer than 140 characters. Biome formats
 * to that width but does not break long string literals, so this holds the rest.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const MAX = 140;

describe("line length", () => {
  it(`no source line is over ${MAX} characters`, () => {
    const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*.ts", "*.mjs"], { encoding: "utf8" })
      .split("\n")
      .filter((f) => f.length > 0);
    expect(files.length).toBeGreaterThan(100);
    const long: string[] = [];
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch {
        continue; // deleted in the working tree
      }
      text.split("\n").forEach((line, i) => {
        const length = [...line].length;
        if (length > MAX) long.push(`${file}:${i + 1} (${length})`);
      });
    }
    expect(long).toEqual([]);
  });
});
