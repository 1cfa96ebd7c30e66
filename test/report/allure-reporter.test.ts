/**
 * The conformance run's Allure reporter and writer: results kept in memory for the HTML report
 * and written to disk in the background, once each.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { TestResult } from "allure-js-commons";
import { AllureReporter } from "../../lib/report/allure-reporter.ts";
import { AllureResultsWriter } from "../../lib/report/_allure-results-writer.ts";
import { generateAllureReport } from "../../lib/report/allure-html.ts";
import { searchableTexts } from "./_run.ts";

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "allure-writer-"));
  dirs.push(d);
  return d;
};
/** Writers write in the background: each is waited for before its folder goes, even after a failed assertion. */
const writers: AllureResultsWriter[] = [];
const track = <W extends AllureResultsWriter>(w: W): W => {
  writers.push(w);
  return w;
};
afterEach(async () => {
  await Promise.allSettled(writers.splice(0).map((w) => w.flush()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true, maxRetries: 3 });
});

const result = (uuid: string, name: string): TestResult =>
  ({
    uuid,
    name,
    fullName: `suites/x.conformance.ts#${name}`,
    historyId: uuid,
    status: "passed",
    stage: "finished",
    steps: [],
    attachments: [{ name: "POST /token request", source: `${uuid}-attachment.txt`, type: "text/plain" }],
    parameters: [],
    labels: [{ name: "epic", value: "Environment" }],
    links: [],
    start: 1,
    stop: 2,
  }) as unknown as TestResult;

describe("AllureReporter", () => {
  it("replaces allure-vitest's writer with the run's writer, and writes the categories and environment through it", () => {
    const reporter = new AllureReporter({
      resultsDir: join(tmp(), "allure-results"),
      categories: [{ name: "Conformance failures", matchedStatuses: ["failed"] }] as never,
      environmentInfo: { target: "simulator" },
    });
    reporter.onInit({ projects: [] } as never);
    track(reporter.writer);
    const runtime = (reporter as unknown as { allureReporterRuntime: { writer: unknown } }).allureReporterRuntime;
    expect(runtime.writer).toBe(reporter.writer);
    const names = [...reporter.writer.entries()].map(([n]) => n);
    expect(names).toEqual(expect.arrayContaining(["categories.json", "environment.properties"]));
  });
});

describe("AllureResultsWriter", () => {
  it("keeps each file in memory and writes it to disk once flushed, byte for byte", async () => {
    const dir = join(tmp(), "allure-results");
    const writer = track(new AllureResultsWriter(dir));
    writer.writeResult(result("r-1", "FED-DISC-01: discovery"));
    writer.writeAttachment("r-1-attachment.txt", Buffer.from("POST /token\n\ngrant_type=authorization_code"));
    writer.writeGlobals("g-globals.json", { attachments: [], errors: [] } as never);
    const inMemory = new Map(writer.entries());
    expect([...inMemory.keys()]).toEqual(["r-1-result.json", "r-1-attachment.txt", "g-globals.json"]);
    await writer.flush();
    for (const [name, content] of inMemory) expect(readFileSync(join(dir, name))).toEqual(Buffer.from(content));
    expect(JSON.parse(readFileSync(join(dir, "r-1-result.json"), "utf8")).name).toBe("FED-DISC-01: discovery");
  });

  it("makes flush fail, naming the file, when the results cannot be written", async () => {
    const parent = tmp();
    writeFileSync(join(parent, "not-a-folder"), "x");
    const writer = track(new AllureResultsWriter(join(parent, "not-a-folder", "allure-results")));
    writer.writeResult(result("r-2", "x"));
    await expect(writer.flush()).rejects.toThrow(/Allure results not written to .*not-a-folder.*r-2-result\.json/);
  });

  it("feeds the HTML report from memory: a result never written to disk is in the report", async () => {
    const root = tmp();
    const writer = track(new AllureResultsWriter(join(root, "never-created")));
    writer.writeResult(result("r-3", "FED-TOKEN-05: only the memory copy exists"));
    writer.writeAttachment("r-3-attachment.txt", Buffer.from("this attachment exists only in memory, never on disk"));
    // Stand-in for the disk never catching up: flush() is what the CLI fallback would wait for.
    const report = await generateAllureReport({
      resultsDir: join(root, "never-created"),
      results: { entries: () => writer.entries(), flush: async () => {} },
      outputDir: join(root, "allure-report"),
      historyPath: join(root, "history.jsonl"),
    });
    const texts = searchableTexts(report.indexHtml).join("\n");
    expect(texts.includes("FED-TOKEN-05: only the memory copy exists"), "the result is in the report").toBe(true);
    expect(texts.includes("this attachment exists only in memory, never on disk"), "the attachment is in the report").toBe(true);
  }, 60_000);

  it("shows a conformance status Allure lacks: inconclusive as broken, manual as unknown, a warning with its deviations", () => {
    const writer = track(new AllureResultsWriter(join(tmp(), "allure-results")));
    const labelled = (uuid: string, conformance: string, extra: { name: string; value: string }[] = [], details = {}) => ({
      ...result(uuid, uuid),
      status: conformance === "inconclusive" || conformance === "manual" ? "skipped" : "passed",
      statusDetails: details,
      labels: [{ name: "conformance", value: conformance }, ...extra],
      testCaseId: `case-${uuid}`,
    });
    writer.writeResult(labelled("i", "inconclusive", [], { message: "inconclusive: FED-UI-01: no answer within 300 ms" }) as never);
    writer.writeResult(labelled("m", "manual") as never);
    writer.writeResult(labelled("w", "warning", [{ name: "warning", value: "FED-DISC-01: plain http" }]) as never);
    writer.writeResult(labelled("p", "passed") as never);
    const written = Object.fromEntries(
      [...writer.entries()].map(([name, content]) => [name, JSON.parse(Buffer.from(content).toString("utf8")) as TestResult]),
    );
    expect(written["i-result.json"]).toMatchObject({
      status: "broken",
      statusDetails: { message: "inconclusive: FED-UI-01: no answer within 300 ms" },
    });
    expect(written["m-result.json"]).toMatchObject({
      status: "unknown",
      statusDetails: { message: expect.stringMatching(/^manual scenario/) },
    });
    expect(written["w-result.json"]).toMatchObject({ status: "passed", statusDetails: { message: "warning: FED-DISC-01: plain http" } });
    expect(written["p-result.json"]).toMatchObject({ status: "passed", statusDetails: {} });
    expect(writer.uuidOf("case-w")).toBe("w");
  });
});
