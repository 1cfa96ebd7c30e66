/**
 * `check()` declares one conformance check: a vitest test named after the requirement IDs it
 * verifies, whose body returns findings. A failed finding fails the test; warnings pass but are
 * labelled and listed in the summary; all-skipped findings skip the test with the reason.
 *
 * @example
 * ```ts
 * check({ ids: ["FED-DISC-01"], title: "discovery document", epic: "Environment", feature: "Discovery" },
 *   async () => discoveryDocumentFindings(await fetchJson(url), { expectedIssuer }))
 * ```
 */
import { test } from "vitest";
import * as allure from "allure-js-commons";
import { requirement, type Finding, type FindingStatus } from "../../lib/requirements/index.ts";

export type Epic = "Environment" | "Service" | "Artefacts";

export interface CheckSpec {
  /** Requirement IDs this check verifies (the first is the primary one). */
  ids: string[];
  title: string;
  epic: Epic;
  /** Area, e.g. "Discovery", "Token endpoint", "ID token". */
  feature: string;
}

/** What a check leaves on its test for the summary reporter. */
export interface CheckRecord {
  ids: string[];
  title: string;
  epic: Epic;
  feature: string;
  status: FindingStatus;
  findings: Finding[];
}

declare module "vitest" {
  interface TaskMeta {
    check?: CheckRecord;
  }
}

const SEVERITY: Record<string, string> = { MUST: "critical", COND: "normal", "N/S": "normal", SHOULD: "normal", MAY: "minor", DERIVED: "minor", INFO: "trivial" };

/** The overall status of a list of findings: failed beats warning beats passed; all skipped is skipped. */
export function overallStatus(findings: readonly Finding[]): FindingStatus {
  if (findings.some((f) => f.status === "failed")) return "failed";
  if (findings.length > 0 && findings.every((f) => f.status === "skipped")) return "skipped";
  if (findings.some((f) => f.status === "warning")) return "warning";
  return findings.length === 0 ? "failed" : "passed";
}

export function check(spec: CheckSpec, run: () => Promise<Finding[]> | Finding[]): void {
  spec.ids.forEach(requirement);
  test(`${spec.ids.join(" ")}: ${spec.title}`, async (ctx) => {
    const primary = requirement(spec.ids[0]!);
    await allure.epic(spec.epic);
    await allure.feature(spec.feature);
    for (const id of spec.ids) await allure.story(`${id} ${requirement(id).title}`);
    await allure.severity(SEVERITY[primary.level] ?? "normal");
    const findings = await run();
    const status = overallStatus(findings);
    ctx.task.meta.check = { ...spec, status, findings };
    if (findings.length === 0) throw new Error("the check produced no findings (a defect in the check)");
    const describe = (s: FindingStatus) => findings.filter((f) => f.status === s).map((f) => `${f.requirement}: ${f.message}`);
    if (status === "failed") throw new Error(describe("failed").join("\n"));
    if (status === "warning") {
      await allure.label("tag", "warning");
      await allure.description(`Warning:\n${describe("warning").join("\n")}`);
    }
    if (status === "skipped") ctx.skip(describe("skipped").join("; "));
  });
}
