/**
 * Tests mirror the code file for file (as panva's jose does): `test/<p>.test.ts` holds the tests
 * of the exported functions of `lib/<p>.ts`, or of the folder `lib/<p>/` when the module is one
 * (test/nhs/scim-filter.test.ts, lib/nhs/scim-filter/). The other code roots keep their own name
 * under test/: `test/bin/<p>.test.ts` for `bin/<p>.ts`, `test/examples/<p>.test.ts` for
 * `examples/<p>.ts` or the folder `examples/<p>/`, and `test/suites/<p>.test.ts` for
 * `suites/<p>.ts`, `suites/<p>.conformance.ts` or the folder `suites/<p>/`
 * (test/suites/_support/bundle-entry.test.ts). Nothing else matches: test/simulator/authorize.test.ts would not mirror
 * lib/simulator/routes/authorize.ts (its tests are test/simulator/routes/authorize.test.ts).
 *
 * Outside the rule: test/_support/, and helpers whose name starts with `_` (private fixtures of
 * the folder they sit in). A test file that does not mirror a file is listed in NOT_MIRRORED with
 * the reason: that list is the known debt, and it must stay true (each entry exists, is a test
 * file the rule applies to, and still does not mirror anything).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Test files that mirror no file of lib/, bin/, examples/ or suites/, each with why. */
const NOT_MIRRORED: Readonly<Record<string, string>> = {
  "test/artefacts/breakers.test.ts": "runs every artefact breaker of test/breakers.ts over tampered captures",
  "test/artefacts/parsers.test.ts":
    "the artefact readers of several lib/artefacts/ files (parse-*, read-capped-file, bare-transport) together",
  "test/artefacts/runner.test.ts": "runs `npm run conformance -- --suite artefacts` end to end in a child process",
  "test/breakers-coverage.test.ts": "holds the breaker table test/breakers.ts to the check lists of every target kind",
  "test/checks/environment/breakers.test.ts": "runs every environment breaker of test/breakers.ts against the simulator",
  "test/checks/environment/hostile-targets.test.ts": "the environment checks against hostile servers: a scenario across modules",
  "test/checks/service/browser-mode.test.ts":
    "the service checks in browser mode against the single-page fixture, its faulty variants and the reference service",
  "test/checks/service/external-service.test.ts":
    "the service suite run through bin/conformance.ts against a reference service it did not start",
  "test/checks/service/fixture-services.test.ts":
    "every service check against fixture services shaped like real examples (test/_support/fixture-services/)",
  "test/checks/service/outcome-findings.test.ts":
    "finding functions of several lib/checks/service/ files (id-token-handling, error-handling, page...)",
  "test/checks/service/provision-fixture.test.ts":
    "the Provision Account consumer checks against a quickly written consumer (not the reference service), in process",
  "test/checks/service/variant-table.test.ts":
    "holds the test-side variant table (_variants.ts) to the service checks and the unsafe switches",
  "test/checks/service/variants-a.test.ts":
    "one shard of the reference-service variants run against every service check (_run-variants.ts)",
  "test/checks/service/variants-b.test.ts":
    "one shard of the reference-service variants run against every service check (_run-variants.ts)",
  "test/checks/service/variants-c.test.ts":
    "one shard of the reference-service variants run against every service check (_run-variants.ts)",
  "test/checks/service/variants-d.test.ts":
    "one shard of the reference-service variants run against every service check (_run-variants.ts)",
  "test/checks/service/variants-e.test.ts":
    "one shard of the reference-service variants run against every service check (_run-variants.ts)",
  "test/checks/service/variants-f.test.ts":
    "one shard of the reference-service variants run against every service check (_run-variants.ts)",
  "test/checks/service/variants-g.test.ts":
    "one shard of the reference-service variants run against every service check (_run-variants.ts)",
  "test/checks/service/variants-h.test.ts":
    "one shard of the reference-service variants run against every service check (_run-variants.ts)",
  "test/checks/service/variants-i.test.ts":
    "one shard of the reference-service variants run against every service check (_run-variants.ts)",
  "test/checks/service/variants-j.test.ts":
    "one shard of the reference-service variants run against every service check (_run-variants.ts)",
  "test/checks/service/variants-k.test.ts":
    "one shard of the reference-service variants run against every service check (_run-variants.ts)",
  "test/checks/service/variants-l.test.ts":
    "one shard of the reference-service variants run against every service check (_run-variants.ts)",
  "test/checks/service/variants-m.test.ts":
    "one shard of the reference-service variants run against every service check (_run-variants.ts)",
  "test/checks/service/variants-n.test.ts":
    "one shard of the reference-service variants run against every service check (_run-variants.ts)",
  "test/package.test.ts": "packs the package, installs it in an empty project and runs the CLI and the simulator library there",
  "test/lint/line-length.test.ts": "a lint of the whole repository, not the tests of one file",
  "test/lint/tests-mirror-lib.test.ts": "a lint of the whole repository, not the tests of one file",
  "test/report/conformance-reports.test.ts": "a whole conformance run against a defective simulator, and the reports it writes",
  "test/report/load-failure.test.ts": "runs real vitest in a scratch project to see a suite file that crashes at import reported",
  "test/report/report-parts.test.ts": "the pieces of several lib/report/ files (spec-links, exchange-attachments, allure-html) together",
  "test/report/secret-scan.test.ts": "a full default run, with every report and the log scanned for secrets",
  "test/requirements/catalogue.test.ts": "the catalogue data (lib/requirements/catalogue.json) through index.ts and parse-catalogue.ts",
  "test/simulator/authorize-limits.test.ts": "the /authorize route (lib/simulator/routes/authorize.ts) over HTTP: its size limits",
  "test/simulator/environment-defects.test.ts":
    "the simulator's environment defects (lib/simulator/faults.ts) across its routes, over HTTP",
  "test/simulator/fuzz.test.ts": "property-based fuzzing of every public endpoint of the simulator",
  "test/simulator/id-token-faults.test.ts": "the ID-token faults (lib/simulator/faults.ts) in the tokens the simulator mints, over HTTP",
  "test/simulator/openid-client.e2e.test.ts": "openid-client as an independent relying party against the simulator, end to end",
  "test/validate/schema-examples.test.ts": "positive and negative examples for every schema of schemas/, through lib/validate/index.ts",
  "test/validate/schema-files.test.ts": "the files of schemas/ themselves",
  "test/validate/simulator-output.test.ts": "the simulator's output against the strict schemas: a scenario across modules",
};

const isFile = (path: string) => existsSync(join(ROOT, path)) && statSync(join(ROOT, path)).isFile();
const isDirectory = (path: string) => existsSync(join(ROOT, path)) && statSync(join(ROOT, path)).isDirectory();

/** Whether the rule applies to `file` (a path from the repository root). */
function isRuled(file: string): boolean {
  return file.startsWith("test/") && file.endsWith(".test.ts") && !file.startsWith("test/_support/") && !basename(file).startsWith("_");
}

/** The files and folders `file` may mirror, of which one must exist. */
function mirrorsOf(file: string): { files: string[]; folders: string[] } {
  const p = file.slice("test/".length, -".test.ts".length);
  const root = p.split("/")[0];
  const files = [`lib/${p}.ts`];
  const folders = [`lib/${p}`];
  if (root === "bin" || root === "examples" || root === "suites") {
    files.push(`${p}.ts`);
    folders.push(p);
  }
  if (root === "suites") files.push(`${p}.conformance.ts`);
  return { files, folders };
}

function mirrors(file: string): boolean {
  const { files, folders } = mirrorsOf(file);
  return files.some(isFile) || folders.some(isDirectory);
}

const testFiles = readdirSync(join(ROOT, "test"), { recursive: true, encoding: "utf8" })
  .map((f) => `test/${f.split("\\").join("/")}`)
  .filter(isRuled)
  .sort();

describe("tests mirror lib/ file for file", () => {
  it("every test file mirrors a file or folder of lib/, bin/, examples/ or suites/, or is listed with the reason", () => {
    expect(testFiles.length).toBeGreaterThan(50);
    const stray = testFiles.filter((f) => !mirrors(f) && NOT_MIRRORED[f] === undefined);
    const candidates = (f: string) => [...mirrorsOf(f).files, ...mirrorsOf(f).folders.map((d) => `${d}/`)].join(", ");
    expect(stray.map((f) => `${f}: none of ${candidates(f)}`)).toEqual([]);
  });

  it("the list of test files that mirror nothing is true: each exists, is ruled, still mirrors nothing, with a one-line reason", () => {
    const problems = Object.entries(NOT_MIRRORED).flatMap(([f, why]) => [
      ...(isFile(f) ? [] : [`${f} does not exist`]),
      ...(isRuled(f) ? [] : [`${f} is outside the rule`]),
      ...(mirrors(f) ? [`${f} now mirrors a file: take it off the list`] : []),
      ...(why.trim() === "" || why.includes("\n") ? [`${f} needs a one-line reason`] : []),
    ]);
    expect(problems).toEqual([]);
  });

  it("knows what mirrors and what does not", () => {
    for (const f of [
      "test/checks/grade.test.ts",
      "test/checks/code-flow/rules.test.ts",
      "test/nhs/scim-filter.test.ts",
      "test/bin/conformance.test.ts",
      "test/examples/reference-service.test.ts",
      "test/simulator/routes/authorize.test.ts",
      "test/suites/environment/code-flow.test.ts",
    ])
      expect(mirrors(f), f).toBe(true);
    for (const f of ["test/simulator/authorize.test.ts", "test/checks/users-v2/rules.test.ts", "test/bin/launch.test.ts"])
      expect(mirrors(f), f).toBe(false);
    expect(["test/_support/x.test.ts", "test/checks/users-v2/_fixtures.ts", "test/x/_y.test.ts"].filter(isRuled)).toEqual([]);
  });
});
