/**
 * `npm run where <requirement ID>`: everything the harness has about one requirement: its
 * catalogue row, every check that cites it (environment, service and artefacts, with their keys:
 * service checks generated from the fault catalogue are listed too, which `grep` cannot find),
 * the rule functions whose source names it, the simulator faults and defects that exercise it,
 * the breakers that prove its checks can fail (test/breakers.ts), and the tests that name it.
 *
 *   npm run where FED-IDT-08
 *   npm run where -- --json UEV2-ERR-05
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { findRequirement } from "../lib/requirements/find-requirement.ts";
import { whereIs } from "../lib/requirements/where-is.ts";

const root = join(fileURLToPath(import.meta.url), "..", "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

const program = new Command("where")
  .description("every check, rule, simulator fault or defect and breaker for a requirement ID")
  .argument("<id>", "a requirement ID of the catalogue, e.g. FED-IDT-08")
  .option("--json", "print JSON instead of text")
  .action(async (id: string, opts: { json?: boolean }) => {
    const found = findRequirement(id);
    if (!found.requirement) {
      process.stderr.write(
        `where: ${JSON.stringify(id)} is not a requirement ID of the catalogue` +
          `${found.suggestion ? ` (did you mean ${found.suggestion}?)` : ""}\n`,
      );
      process.exitCode = 2;
      return;
    }
    const { BREAKERS, UNBREAKABLE } = await import("../test/breakers.ts");
    const read = (file: string) => ({ file, text: readFileSync(join(root, file), "utf8") });
    const report = await whereIs(found.requirement.id, {
      sources: sourceFiles("lib").map(read),
      tests: sourceFiles("test").map(read),
      breakers: BREAKERS,
      unbreakable: UNBREAKABLE,
    });
    process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : report.text);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`where: ${(err as Error).message}\n`);
  process.exit(2);
});
