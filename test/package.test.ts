/**
 * The harness as a partner installs it: `npm pack`, then an empty project outside the repository
 * installs the tarball (dependencies from the registry or the local cache), runs the CLI there
 * (reports/ written in that project; the service suite with the compiled reference service), and
 * uses the simulator as a library in a vitest file of its own, its types checked with tsc.
 * Commands run asynchronously, so that the test worker keeps answering vitest while they do.
 */
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const work = mkdtempSync(join(tmpdir(), "nhslogin-package-"));
const project = join(work, "team-service");
let packed: { filename: string; files: { path: string }[] };
let installOutput = "";

/**
 * Only what npm and node need: no NHSLOGIN_*, SERVICE_*, SIMULATOR_* or REPORTS_DIR from the
 * developer's shell or the CI reaches the project's runs (it would point them elsewhere).
 */
const ENV: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries({
    PATH: process.env.PATH,
    HOME: process.env.HOME ?? homedir(),
    npm_config_cache: process.env.npm_config_cache,
    npm_config_registry: process.env.npm_config_registry,
    NO_COLOR: "1",
    CI: "true",
  }).filter(([, v]) => v !== undefined),
);

/** Run a command; resolves with its exit code and output (never rejects, killed after `timeoutMs`). */
function run(command: string, args: string[], cwd = project, timeoutMs = 150_000): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd, env: ENV, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", (err) => {
      clearTimeout(timer);
      done({ code: null, out: `${out}${String(err)}` });
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      done({ code, out });
    });
  });
}

beforeAll(async () => {
  // What prepack does, then the pack itself without scripts: its --json output stays clean.
  const build = await run(process.execPath, [join(ROOT, "bin/build.mjs")], ROOT, 180_000);
  if (build.code !== 0) throw new Error(`build failed:\n${build.out}`);
  const pack = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], ROOT, 120_000);
  if (pack.code !== 0) throw new Error(`npm pack failed:\n${pack.out}`);
  packed = (JSON.parse(pack.out.slice(pack.out.indexOf("["))) as (typeof packed)[])[0]!;
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "team-service", version: "1.0.0", private: true, type: "module" }));
  // As a team would: the harness, and what its own test uses, declared.
  const install = await run(
    "npm",
    [
      "install",
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      join(work, packed.filename),
      "vitest@4.1.12",
      "openid-client@6.9.0",
      "typescript@5.9.3",
      "@types/node@20.19.43",
    ],
    project,
    240_000,
  );
  installOutput = install.out;
  if (install.code !== 0) throw new Error(`npm install failed:\n${install.out}`);
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the packed package", () => {
  it("holds what runs: no tests, fixtures, reports, keys or TypeScript sources", () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["package.json", "dist/bin/conformance.js", "dist/lib/simulator/index.d.ts"]));
    expect(paths).toContain("dist/schemas/id-token-payload.schema.json");
    const unwanted = paths.filter(
      (p) =>
        /^(test|scratch|reports|bench|suites|lib|bin|examples)\//.test(p) ||
        /(^|\/)(test|__tests__|fixtures?|fixture-services)\//.test(p) ||
        /\.test\.[cm]?[jt]s$/.test(p) ||
        /\.(pem|key|log)$|(^|\/)\.env$/.test(p),
    );
    expect(unwanted).toEqual([]);
    expect(paths.filter((p) => p.startsWith("dist/") && /\.ts$/.test(p) && !p.endsWith(".d.ts"))).toEqual([]);
    const installed = join(project, "node_modules", "nhslogin-conformance");
    // A PEM private key block with its base64 body (code that names the PEM markers is not one).
    const pem = /-----BEGIN [A-Z ]*PRIVATE KEY-----\s+[A-Za-z0-9+/=\s]{200,}-----END/;
    const withKeys = paths.filter((p) => existsSync(join(installed, p)) && pem.test(readFileSync(join(installed, p), "utf8")));
    expect(withKeys).toEqual([]);
  });

  it("installs with no dependency that needs a newer Node (light-my-request stays on 6.6.0)", async () => {
    expect(installOutput).not.toMatch(/EBADENGINE/);
    const tree = await run("npm", ["ls", "light-my-request", "--all"]);
    expect(tree.out).toMatch(/light-my-request@6\.6\.0/);
    expect(tree.out).not.toMatch(/light-my-request@6\.(?!6\.0)/);
  }, 60_000);

  it("npx nhslogin-conformance --help, and --suite environment against its embedded simulator, reports/ in the project", async () => {
    const help = await run("npx", ["nhslogin-conformance", "--help"]);
    expect(help.code, help.out).toBe(0);
    expect(help.out).toMatch(/Usage: nhslogin-conformance/);
    expect((await run("npx", ["nhslogin-simulator", "--help"])).out).toMatch(/Usage: nhslogin-simulator/);
    const env = await run("npx", ["nhslogin-conformance", "--suite", "environment"]);
    expect(env.code, env.out).toBe(0);
    expect(env.out).toMatch(/Result: PASS/);
    expect(existsSync(join(project, "reports", "conformance-statement.html"))).toBe(true);
    // Each check links to its Allure test: the ids are computed as allure-vitest names the suite files here.
    const summary = JSON.parse(readFileSync(join(project, "reports", "summary.json"), "utf8")) as { checks: { allureId?: string }[] };
    expect(summary.checks.filter((c) => c.allureId).length).toBeGreaterThan(0);
  }, 200_000);

  it("nhslogin-simulator --workers 2 runs its compiled workers, both answering", async () => {
    const child = spawn(join(project, "node_modules", ".bin", "nhslogin-simulator"), ["--port", "0", "--workers", "2"], {
      cwd: project,
      env: ENV,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    try {
      await new Promise<void>((ready, fail) => {
        const timer = setTimeout(() => fail(new Error(`no banner in time:\n${out}`)), 30_000);
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          if (out.includes("Press Ctrl+C")) {
            clearTimeout(timer);
            ready();
          }
        });
        child.once("exit", () => fail(new Error(`stopped before its banner:\n${out}`)));
      });
      const issuer = /issuer\s+(\S+)/.exec(out)![1]!;
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => fetch(`${issuer}/.well-known/openid-configuration`, { headers: { connection: "close" } })),
      );
      expect(answers.every((a) => a.status === 200)).toBe(true);
      expect(new Set(answers.map((a) => a.headers.get("x-simulator-worker"))).size).toBe(2);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  }, 60_000);

  it("npx nhslogin-conformance --suite service drives the compiled reference service", async () => {
    const service = await run("npx", ["nhslogin-conformance", "--suite", "service", "--grep", "FED-AUTHZ-05", "--no-html"]);
    expect(service.code, service.out).toBe(0);
    expect(service.out).toMatch(/bundled reference service/);
  }, 200_000);

  it("nhslogin-conformance/simulator and /schemas in a team's own vitest test: openid-client sees a fault; types check", async () => {
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
    const tests = await run("npx", ["vitest", "run", "simulator.test.ts"]);
    expect(tests.code, tests.out).toBe(0);
    const types = await run("npx", ["tsc", "--noEmit"]);
    expect(types.code, types.out).toBe(0);
  }, 200_000);
});
