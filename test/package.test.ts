/**
 * The harness as a partner installs it: `npm pack`, then an empty project outside the repository
 * installs the tarball (dependencies from the registry or the local cache), runs the CLI there
 * (reports/ written in that project), and uses the simulator as a library in a vitest file of its
 * own, its types checked with tsc.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const work = mkdtempSync(join(tmpdir(), "nhslogin-package-"));
const project = join(work, "team-service");
let packed: { filename: string; files: { path: string }[] };

/** Run a command in the project; the output on failure. */
function run(command: string, args: string[], cwd = project, timeout = 180_000) {
  const r = spawnSync(command, args, { cwd, encoding: "utf8", timeout, env: { ...process.env, NO_COLOR: "1", CI: "true" } });
  return { code: r.status, out: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
}

beforeAll(() => {
  // prepack builds dist/ (compiled JavaScript and declarations) first.
  const json = execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: ROOT, encoding: "utf8", timeout: 180_000 });
  packed = (JSON.parse(json.slice(json.indexOf("["))) as (typeof packed)[])[0]!;
  execFileSync("mkdir", ["-p", project]);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "team-service", version: "1.0.0", private: true, type: "module" }));
  const install = run("npm", [
    "install",
    "--prefer-offline",
    "--no-audit",
    "--no-fund",
    join(work, packed.filename),
    "typescript@5.9.3",
    "@types/node@20.19.43",
  ]);
  if (install.code !== 0) throw new Error(`npm install failed:\n${install.out}`);
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the packed package", () => {
  it("holds what runs: no tests, fixtures, reports, keys or TypeScript sources", () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["package.json", "dist/bin/conformance.js", "dist/lib/simulator/index.d.ts"]));
    expect(paths).toContain("dist/schemas/id-token-payload.schema.json");
    const unwanted = paths.filter(
      (p) => /^(test|scratch|reports|bench|suites|lib|bin|examples)\//.test(p) || /\.(pem|key|log)$|(^|\/)\.env$/.test(p),
    );
    expect(unwanted).toEqual([]);
    expect(paths.filter((p) => p.startsWith("dist/") && /\.ts$/.test(p) && !p.endsWith(".d.ts"))).toEqual([]);
  });

  it("npx nhslogin-conformance --help, and --suite environment against its embedded simulator, reports/ in the project", () => {
    const help = run("npx", ["nhslogin-conformance", "--help"]);
    expect(help.code, help.out).toBe(0);
    expect(help.out).toMatch(/--suite <name\.\.\.>/);
    const env = run("npx", ["nhslogin-conformance", "--suite", "environment"]);
    expect(env.code, env.out).toBe(0);
    expect(env.out).toMatch(/Result: PASS/);
    expect(existsSync(join(project, "reports", "summary.json"))).toBe(true);
    expect(existsSync(join(project, "reports", "conformance-statement.html"))).toBe(true);
    // Each check links to its Allure test: the ids are computed as allure-vitest names the suite files here.
    const statement = JSON.parse(readFileSync(join(project, "reports", "summary.json"), "utf8")) as { checks: { allureId?: string }[] };
    expect(statement.checks.filter((c) => c.allureId).length).toBeGreaterThan(0);
  }, 180_000);

  it("nhslogin-conformance/simulator and /schemas in the team's own vitest test: openid-client sees an armed fault; types check", () => {
    copyFileSync(join(ROOT, "test/_support/package-project/team-simulator.ts"), join(project, "simulator.test.ts"));
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          types: ["node"],
        },
        include: ["simulator.test.ts"],
      }),
    );
    const tests = run("npx", ["vitest", "run", "simulator.test.ts"]);
    expect(tests.code, tests.out).toBe(0);
    const types = run("npx", ["tsc", "--noEmit"]);
    expect(types.code, types.out).toBe(0);
  }, 180_000);
});
