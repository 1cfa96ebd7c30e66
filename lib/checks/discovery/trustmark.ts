/**
 * VOT-08 (INFO, so deviations warn): the trust mark the `vtm` claim names is a JSON document with
 * `idp`, `trustmark_provider`, `P` (the proofing levels, at least P0, P5 and P9) and `C` (the
 * credential types, at least Cp, Cd and Cm; Ck optional). Other values are allowed: the EIS
 * example lists P3, P6 and P7 too.
 *
 * @example
 * ```ts
 * const findings = trustmarkFindings(await env.fetchJson(vtm), vtm)
 * ```
 */
import { isObject } from "../../json/is-object.ts";
import { deviationStatus, finding, type Finding } from "../../requirements/index.ts";
import type { FetchedJson } from "./rules.ts";

const NEEDED = { P: ["P0", "P5", "P9"], C: ["Cp", "Cd", "Cm"] } as const;

export function trustmarkFindings(res: FetchedJson, url: string): Finding[] {
  const id = "VOT-08";
  const bad = (why: string) => [finding(id, deviationStatus(id), `the trust mark at ${url} ${why}`)];
  if (res.error)
    return [
      finding(id, res.unanswered ? "inconclusive" : deviationStatus(id), `the trust mark at ${url} could not be fetched: ${res.error}`),
    ];
  if (res.status !== 200) return bad(`answered HTTP ${res.status}, expected 200`);
  if (!isObject(res.body)) return bad("is not a JSON object");
  const doc = res.body;
  const problems: string[] = [];
  for (const member of ["idp", "trustmark_provider"] as const)
    if (typeof doc[member] !== "string" || doc[member] === "")
      problems.push(`${member} is ${JSON.stringify(doc[member])}, expected a string`);
  for (const [member, needed] of Object.entries(NEEDED)) {
    const list = doc[member];
    if (!Array.isArray(list)) problems.push(`${member} is ${JSON.stringify(list)}, expected an array`);
    else {
      const missing = needed.filter((v) => !list.includes(v));
      if (missing.length > 0) problems.push(`${member} lacks ${missing.join(", ")}`);
    }
  }
  if (problems.length > 0) return problems.map((p) => finding(id, deviationStatus(id), `the trust mark at ${url}: ${p}`));
  return [
    finding(
      id,
      "passed",
      `the trust mark at ${url} names idp, trustmark_provider, P ${JSON.stringify(doc.P)} and C ${JSON.stringify(doc.C)}`,
    ),
  ];
}
