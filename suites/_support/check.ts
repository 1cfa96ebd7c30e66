/**
 * `check()` declares one conformance check: a vitest test named after the requirement IDs it
 * verifies, whose body returns findings. Outcomes are graded:
 *
 * - a failed finding (a MUST violation) fails the test, with the requirement and reason;
 * - a warning (a SHOULD or DERIVED deviation, or a lenient reading of an ambiguity) passes the
 *   test, tags it "warning" in Allure and lists it in the summary;
 * - all-skipped findings skip the test with the reason (e.g. missing configuration);
 * - an inconclusive check (nothing observed, or the check crashed) skips the test, tagged
 *   "inconclusive" in Allure, with the reason; the run then exits 3 unless something failed.
 *
 * Grading is `overallStatus` of lib/checks/grade.ts, the same function the project's tests use.
 *
 * In Allure each check carries epic (target kind), feature (area), one story per requirement,
 * severity from the requirement's level, links to the spec sections, the target as parameters,
 * and one step per HTTP exchange made while it ran, with redacted request and response.
 *
 * `manual()` declares one skipped "manual" entry per scenario a person has to walk through.
 *
 * @example
 * ```ts
 * check({ ids: ["FED-DISC-01"], title: "discovery document", epic: "Environment", area: "Discovery",
 *   exchanges: () => http.exchanges },
 *   async () => discoveryDocumentFindings(await fetchJson(url), { expectedIssuer }))
 * ```
 */
import { inject, test } from "vitest";
import * as allure from "allure-js-commons";
import { finding, requirement, type Finding, type FindingStatus } from "../../lib/requirements/index.ts";
import { overallStatus } from "../../lib/checks/grade.ts";
import type { ManualScenario } from "../../lib/requirements/manual-scenarios.ts";
import { redactExchange, redactText, type Exchange } from "../../lib/http/index.ts";
import { loadConfig } from "../../lib/config/index.ts";
import { exchangeAttachments, exchangeStepName } from "../../lib/report/exchange-attachments.ts";
import { specLinks } from "../../lib/report/spec-links.ts";
import { allureTestCaseId } from "../../lib/report/allure-ids.ts";

export type Epic = "Environment" | "Service" | "Artefacts";

export interface CheckSpec {
  /** Requirement IDs this check verifies (the first is the primary one). */
  ids: readonly string[];
  title: string;
  epic: Epic;
  /** Area (Allure feature), e.g. "Discovery", "Token endpoint", "ID token". */
  area: string;
  /**
   * Where the HTTP exchanges of this check accumulate (e.g. `() => env.http.exchanges`); those
   * added while the check runs are attached to it. Defaults to the source registered for the epic.
   */
  exchanges?: () => readonly Exchange[];
  /** Target URLs and the like, shown as Allure parameters. Defaults to the epic's registered source. */
  parameters?: Record<string, string>;
}

/** What a suite support module registers once for all checks of an epic. */
export interface CheckSource {
  exchanges?: () => readonly Exchange[];
  parameters?: () => Record<string, string>;
}

export type CheckStatus = FindingStatus | "manual";

/** What a check leaves on its test for the summary reporter. */
export interface CheckRecord {
  ids: string[];
  title: string;
  epic: Epic;
  feature: string;
  status: CheckStatus;
  findings: Finding[];
  /** Set for manual scenarios: what the tester does, and the requirements it gives evidence for. */
  manual?: { instructions: string; requirements: string[] };
}

declare module "vitest" {
  interface TaskMeta {
    check?: CheckRecord;
  }
}

const SOURCES = new Map<Epic, CheckSource>();

/**
 * Register where the checks of an epic find their HTTP exchanges and target parameters, for
 * suites whose support code does not pass them per check. A later registration replaces it.
 */
export function registerCheckSource(epic: Epic, source: CheckSource): void {
  SOURCES.set(epic, source);
}

/** Allure severity per requirement level: MUST-like rules are critical, SHOULD normal, DERIVED minor. */
export const SEVERITY: Record<string, string> = {
  MUST: "critical",
  COND: "critical",
  "N/S": "critical",
  SHOULD: "normal",
  MAY: "minor",
  DERIVED: "minor",
  INFO: "trivial",
};

/** Test failures Allure must show as "failed" (a product defect), not "broken" (a test defect). */
export class ConformanceFailure extends Error {
  override name = "AssertionError";
}

declare module "vitest" {
  interface ProvidedContext {
    /** REPORT_INCLUDE_TOKENS as the runner read it (lib/config → report.includeTokens). */
    reportIncludeTokens: boolean;
  }
}

let includeTokensCache: boolean | undefined;
/** REPORT_INCLUDE_TOKENS: from the runner when it provided it, else read from the harness configuration. */
function includeTokens(): boolean {
  if (includeTokensCache === undefined) {
    let provided: boolean | undefined;
    try {
      provided = inject("reportIncludeTokens");
    } catch {
      provided = undefined;
    }
    if (typeof provided === "boolean") includeTokensCache = provided;
    else {
      try {
        includeTokensCache = loadConfig().report.includeTokens;
      } catch {
        includeTokensCache = false; // the runner or the global setup already reported the configuration error
      }
    }
  }
  return includeTokensCache;
}

const ICON: Record<FindingStatus, string> = { passed: "✔", failed: "✘", warning: "⚠", skipped: "–", inconclusive: "?" };

function describeCheck(ids: readonly string[], findings: readonly Finding[]): string {
  const lines = ["**Requirements**", ""];
  for (const id of ids) {
    const r = requirement(id);
    lines.push(`- **${id}** [${r.level}] (${r.source}): ${r.rule}`);
  }
  if (findings.length > 0) {
    lines.push("", "**Findings**", "");
    for (const f of findings) lines.push(`- ${ICON[f.status]} ${f.status.toUpperCase()} ${f.requirement}: ${f.message}`);
  }
  return lines.join("\n");
}

async function labelCheck(spec: CheckSpec, name: string, file: string | undefined): Promise<void> {
  const primary = requirement(spec.ids[0]!);
  await allure.epic(spec.epic);
  await allure.feature(spec.area);
  for (const id of spec.ids) await allure.story(`${id} ${requirement(id).title}`);
  await allure.severity(SEVERITY[primary.level] ?? "normal");
  await allure.label("requirement", spec.ids.join(" "));
  await allure.label("level", primary.level);
  const id = allureTestCaseId(file, name);
  await allure.historyId(id);
  await allure.testCaseId(id);
  const seen = new Set<string>();
  for (const l of spec.ids.flatMap((i) => specLinks(requirement(i).source))) {
    const key = `${l.url} ${l.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    await allure.link(l.url, l.name);
  }
  const parameters = spec.parameters ?? SOURCES.get(spec.epic)?.parameters?.() ?? {};
  // Excluded from the history identity: a simulator's port changes from run to run.
  for (const [k, v] of Object.entries(parameters)) await allure.parameter(k, v, { excluded: true });
}

async function attachExchanges(exchanges: readonly Exchange[], tokens: boolean): Promise<void> {
  for (const raw of exchanges) {
    const x = redactExchange(raw, { includeTokens: tokens });
    await allure.step(exchangeStepName(x), async () => {
      for (const a of exchangeAttachments(x)) {
        await allure.attachment(a.name, a.content, a.contentType);
      }
    });
  }
}

export function check(spec: CheckSpec, run: () => Promise<Finding[]> | Finding[]): void {
  spec.ids.forEach(requirement);
  const name = `${spec.ids.join(" ")}: ${spec.title}`;
  test(name, async (ctx) => {
    const tokens = includeTokens();
    const redact = (s: string) => redactText(s, { includeTokens: tokens });
    await labelCheck(spec, name, ctx.task.file?.filepath);
    const source = spec.exchanges ?? SOURCES.get(spec.epic)?.exchanges;
    const before = source?.().length ?? 0;
    let findings: Finding[];
    try {
      findings = await run();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      findings = spec.ids.map((id) => finding(id, "inconclusive", `could not complete: ${message}`));
    }
    if (findings.length === 0)
      findings = spec.ids.map((id) => finding(id, "inconclusive", "the check observed nothing (it returned no finding)"));
    // Messages and evidence alike may quote what the target sent (a token, an assertion): redact both.
    findings = findings.map(({ evidence, ...f }) => ({
      ...f,
      message: redact(f.message),
      ...(evidence ? { evidence: Object.fromEntries(Object.entries(evidence).map(([k, v]) => [k, redact(v)])) } : {}),
    }));
    const status = overallStatus(findings);
    ctx.task.meta.check = { ids: [...spec.ids], title: spec.title, epic: spec.epic, feature: spec.area, status, findings };
    await allure.label("conformance", status);
    if (source) await attachExchanges(source().slice(before), tokens);
    // What every finding rests on, even when the exchanges were made before the check (a shared sign-in).
    await allure.attachment("findings.json", JSON.stringify(findings, null, 2), "application/json");
    await allure.description(describeCheck(spec.ids, findings));
    const listed = (s: FindingStatus) => findings.filter((f) => f.status === s).map((f) => `${f.requirement}: ${f.message}`);
    if (status === "failed") {
      const warnings = listed("warning");
      throw new ConformanceFailure([...listed("failed"), ...(warnings.length ? ["also warned:", ...warnings] : [])].join("\n"));
    }
    if (status === "inconclusive") {
      await allure.tag("inconclusive");
      ctx.skip(`inconclusive: ${listed("inconclusive").join("; ")}`);
    }
    if (status === "warning") {
      await allure.tag("warning");
      for (const w of listed("warning")) {
        await allure.label("warning", w);
        await allure.logStep(`⚠ warning ${w}`);
      }
    }
    if (status === "skipped") ctx.skip(listed("skipped").join("; "));
  });
}

/** The instructions of a manual scenario as one paragraph (summary message, skip reason). */
export function manualInstructions(s: ManualScenario): string {
  return `${s.steps.map((step, i) => `${i + 1}. ${step}`).join(" ")} Why manual: ${s.whyManual}`;
}

/**
 * Declare a manual scenario: a skipped test labelled "manual" carrying the instructions, so the
 * reviewer sees the whole checklist in one report.
 */
export function manual(scenario: ManualScenario, epic: Epic = "Service"): void {
  scenario.requirements.forEach(requirement);
  const name = `${scenario.id}: ${scenario.title}`;
  const feature = "Manual scenarios";
  test(name, async (ctx) => {
    await allure.epic(epic);
    await allure.feature(feature);
    await allure.story(`${scenario.id} ${scenario.title}`);
    await allure.severity(scenario.mandatory ? "normal" : "trivial");
    await allure.tag("manual");
    await allure.label("conformance", "manual");
    await allure.label("requirement", scenario.requirements.join(" ") || "-");
    const id = allureTestCaseId(ctx.task.file?.filepath, name);
    await allure.historyId(id);
    await allure.testCaseId(id);
    for (const l of specLinks(scenario.source)) await allure.link(l.url, l.name);
    await allure.description(
      [
        `**Manual scenario ${scenario.id}** (${scenario.mandatory ? "mandatory" : "optional"}; levels ${scenario.levels.join(", ")})`,
        "",
        "**Steps**",
        "",
        ...scenario.steps.map((s, i) => `${i + 1}. ${s}`),
        "",
        `**Why manual:** ${scenario.whyManual}`,
        "",
        `**Automated instead:** ${scenario.automated}`,
        "",
        `**Requirements:** ${scenario.requirements.join(", ") || "none in the catalogue"}`,
      ].join("\n"),
    );
    ctx.task.meta.check = {
      ids: [scenario.id],
      title: scenario.title,
      epic,
      feature,
      status: "manual",
      findings: [],
      manual: { instructions: manualInstructions(scenario), requirements: [...scenario.requirements] },
    };
    ctx.skip(`manual: ${manualInstructions(scenario)}`);
  });
}
