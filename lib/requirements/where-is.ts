/**
 * Everything the harness has about one requirement ID, for `npm run where`: the catalogue row,
 * the checks of every target kind that cite it, the rule functions (and rule data, such as the
 * Users V2 Table 10 rows, or simulator code) whose source names it, the
 * simulator faults and defects that exercise it, its breakers and its known-unbreakable pairs,
 * and the test lines that name it. Pure over the source texts it is given, so it is tested on
 * crafted trees as well as on the real one.
 *
 * @example
 * ```ts
 * const report = await whereIs("FED-IDT-08", { sources, tests, breakers: BREAKERS, unbreakable: UNBREAKABLE })
 * report.checks.map((c) => `${c.kind} ${c.key}`) // ["environment fed-idt-08", "service id-token-nonce-wrong", ...]
 * ```
 */
import { requirement, type Requirement } from "./index.ts";

/** The files of the fault table: listed as faults and defects, not as rules. */
const FAULT_TABLE_FILES = ["lib/simulator/faults.ts", "lib/simulator/users-v2/response-defects.ts"];

export interface SourceText {
  /** Path from the project root, e.g. "lib/checks/tokens/id-token.ts". */
  file: string;
  text: string;
}

/** A breaker as `where` shows it (the registry in test/breakers.ts has more). */
export interface BreakerRow {
  kind: string;
  check: string;
  breaker: Record<string, unknown>;
  expect: Readonly<Record<string, RegExp>>;
}

export interface WhereIsInput {
  sources: readonly SourceText[];
  tests: readonly SourceText[];
  breakers: readonly BreakerRow[];
  /** `kind:key:ID` → why the pair cannot be broken. */
  unbreakable: Readonly<Record<string, string>>;
}

export interface WhereIsReport {
  requirement: Requirement;
  checks: { kind: string; key: string; title: string; area: string }[];
  rules: { file: string; line: number; name: string }[];
  faults: { id: string; title: string }[];
  defects: { id: string; title: string }[];
  breakers: { kind: string; check: string; breaker: string; pattern: string }[];
  unbreakable: { pair: string; why: string }[];
  tests: { file: string; line: number; text: string }[];
  text: string;
}

const DEFINITION = /^(?:export\s+)?(?:async\s+)?(?:function\s+(\w+)|(?:const|let)\s+(\w+)\s*[:=])/;

export async function whereIs(id: string, input: WhereIsInput): Promise<WhereIsReport> {
  const row = requirement(id);
  // Loaded lazily: the tables pull in the whole harness.
  const [{ ENVIRONMENT_CHECKS }, { SERVICE_CHECKS }, { ARTEFACT_CHECKS }, { FAULTS, DEFECTS }] = await Promise.all([
    import("../checks/environment/checks.ts"),
    import("../checks/service/index.ts"),
    import("../artefacts/checks.ts"),
    import("../simulator/faults.ts"),
  ]);
  const checks = [
    ...ENVIRONMENT_CHECKS.map((c) => ({ kind: "environment", c })),
    ...SERVICE_CHECKS.map((c) => ({ kind: "service", c })),
    ...ARTEFACT_CHECKS.map((c) => ({ kind: "artefacts", c })),
  ]
    .filter(({ c }) => c.ids.includes(id))
    .map(({ kind, c }) => ({ kind, key: c.key, title: c.title, area: c.area }));
  const quoted = `"${id}"`;
  const rules: WhereIsReport["rules"] = [];
  for (const { file, text } of input.sources) {
    if (!file.startsWith("lib/") || file.startsWith("lib/requirements/") || FAULT_TABLE_FILES.includes(file)) continue;
    if (/(^|\/|-)checks\.ts$/.test(file)) continue; // the tables: listed as checks above
    const lines = text.split("\n");
    const seen = new Set<string>();
    lines.forEach((line, i) => {
      if (!line.includes(quoted) || /^\s*(\*|\/\/)/.test(line)) return;
      const name = enclosing(lines, i);
      if (seen.has(name)) return;
      seen.add(name);
      rules.push({ file, line: i + 1, name });
    });
  }
  const cites = (r: { requirements: readonly string[] }) => r.requirements.includes(id);
  const faults = Object.entries(FAULTS)
    .filter(([, f]) => cites(f))
    .map(([k, f]) => ({ id: k, title: f.title }));
  const defects = Object.entries(DEFECTS)
    .filter(([, d]) => cites(d))
    .map(([k, d]) => ({ id: k, title: d.title }));
  const breakers = input.breakers
    .filter((b) => b.expect[id] !== undefined)
    .map((b) => ({ kind: b.kind, check: b.check, breaker: JSON.stringify(b.breaker), pattern: String(b.expect[id]) }));
  const unbreakable = Object.entries(input.unbreakable)
    .filter(([pair]) => pair.endsWith(`:${id}`))
    .map(([pair, why]) => ({ pair, why }));
  const tests: WhereIsReport["tests"] = [];
  for (const { file, text } of input.tests) {
    if (file === "test/breakers.ts") continue; // listed above, as breakers
    text.split("\n").forEach((line, i) => {
      if (line.includes(id)) tests.push({ file, line: i + 1, text: line.trim().slice(0, 120) });
    });
  }
  const report = { requirement: row, checks, rules, faults, defects, breakers, unbreakable, tests };
  return { ...report, text: render(report) };
}

/** The name of the function or constant a line belongs to: the nearest definition at the left margin above it. */
function enclosing(lines: readonly string[], index: number): string {
  for (let i = index; i >= 0; i--) {
    const m = DEFINITION.exec(lines[i]!);
    if (m) return m[1] ?? m[2]!;
  }
  return "(module)";
}

function render(r: Omit<WhereIsReport, "text">): string {
  const q = r.requirement;
  const out = [
    `${q.id} [${q.level}] ${q.title}`,
    `  source: ${q.source}; subject: ${q.subject}; section: ${q.section}`,
    `  rule: ${q.rule}`,
    "",
  ];
  const section = (title: string, rows: string[], none: string) => {
    out.push(`${title} (${rows.length})`);
    out.push(...(rows.length > 0 ? rows.map((x) => `  ${x}`) : [`  ${none}`]), "");
  };
  section(
    "Checks",
    r.checks.map((c) => `${c.kind.padEnd(11)} ${c.key}: ${c.title} [${c.area}]`),
    "none: this requirement is not checked automatically",
  );
  section(
    "Rules",
    r.rules.map((x) => `${x.file}:${x.line} ${x.name}`),
    "none",
  );
  section(
    "Simulator faults",
    r.faults.map((f) => `${f.id}: ${f.title}`),
    "none",
  );
  section(
    "Simulator defects",
    r.defects.map((d) => `${d.id}: ${d.title}`),
    "none",
  );
  section(
    "Breakers (each makes this ID fail or warn, with a reason matching the pattern)",
    r.breakers.map((b) => `${b.kind} ${b.check} under ${b.breaker} ~ ${b.pattern}`),
    "none",
  );
  if (r.unbreakable.length > 0)
    section(
      "Known unbreakable pairs",
      r.unbreakable.map((u) => `${u.pair}: ${u.why}`),
      "none",
    );
  section(
    "Tests naming it",
    r.tests.map((t) => `${t.file}:${t.line} ${t.text}`),
    "none",
  );
  return `${out.join("\n")}`;
}
