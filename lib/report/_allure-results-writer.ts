/**
 * The Allure results writer of a conformance run. Every result, container and attachment is
 * kept in memory (the HTML report is generated from there, without reading the files back) and
 * written to the results folder in the background, once each: no temporary file, fsync or
 * rename per file, and no disk wait on the run's critical path. `flush()` waits for the files.
 * At most two files are written at a time: Node's file system work shares a pool of four
 * threads, and the JUnit reporter, writing its file piece by piece at the same moment, must not
 * queue behind a thousand attachments (measured: that added about a second to the run).
 */
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringifyEnvInfo, type Writer } from "allure-js-commons/sdk/reporter";
import type { Globals, TestResult, TestResultContainer } from "allure-js-commons";
import type { Category, EnvironmentInfo } from "allure-js-commons/sdk";
import { withConformanceStatus } from "./_allure-status.ts";

/** What the HTML report needs from a writer: the files of the run, and a way to wait for the disk. */
export interface AllureResultsSource {
  /** The files written so far, by name, in the order they were written. */
  entries(): Iterable<[string, Uint8Array]>;
  /** Resolves once every file is on disk; rejects naming the files that could not be written. */
  flush(): Promise<void>;
}

/** Files written to disk at the same time. */
const CONCURRENT_WRITES = 2;

export class AllureResultsWriter implements Writer, AllureResultsSource {
  private readonly files = new Map<string, Buffer>();
  private readonly queue: [string, Buffer][] = [];
  private readonly failures: string[] = [];
  private readonly uuids = new Map<string, string>();
  private writing = 0;
  private idle: (() => void)[] = [];

  constructor(private readonly resultsDir: string) {}

  /** The uuid of the result written for a test case ID (the latest, if a check ran twice). */
  uuidOf(testCaseId: string): string | undefined {
    return this.uuids.get(testCaseId);
  }

  writeResult(result: TestResult): void {
    if (result.testCaseId) this.uuids.set(result.testCaseId, result.uuid);
    this.put(`${result.uuid}-result.json`, JSON.stringify(withConformanceStatus(result)));
  }

  writeGroup(result: TestResultContainer): void {
    this.put(`${result.uuid}-container.json`, JSON.stringify(result));
  }

  writeAttachment(distFileName: string, content: Buffer): void {
    this.put(distFileName, content);
  }

  writeAttachmentFromPath(distFileName: string, from: string): void {
    this.put(distFileName, readFileSync(from));
  }

  writeEnvironmentInfo(info: EnvironmentInfo): void {
    this.put("environment.properties", stringifyEnvInfo(info));
  }

  writeCategoriesDefinitions(categories: Category[]): void {
    this.put("categories.json", JSON.stringify(categories));
  }

  writeGlobals(distFileName: string, info: Globals): void {
    this.put(distFileName, JSON.stringify(info));
  }

  entries(): Iterable<[string, Uint8Array]> {
    return this.files.entries();
  }

  async flush(): Promise<void> {
    if (this.writing > 0 || this.queue.length > 0) await new Promise<void>((res) => this.idle.push(res));
    if (this.failures.length > 0) {
      throw new Error(
        `Allure results not written to ${this.resultsDir}: ${this.failures.slice(0, 3).join("; ")}` +
          `${this.failures.length > 3 ? ` (and ${this.failures.length - 3} more)` : ""}`,
      );
    }
  }

  private put(name: string, data: string | Buffer): void {
    const content = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    this.files.set(name, content);
    this.queue.push([name, content]);
    while (this.writing < CONCURRENT_WRITES && this.queue.length > 0) void this.drain();
  }

  /** One writing lane: takes files off the queue until it is empty. */
  private async drain(): Promise<void> {
    this.writing += 1;
    try {
      await mkdir(this.resultsDir, { recursive: true });
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        const [name, content] = next;
        await writeFile(join(this.resultsDir, name), content).catch(
          (err: unknown) => void this.failures.push(`${name}: ${(err as Error).message}`),
        );
      }
    } catch (err) {
      // The folder itself could not be made: nothing queued can be written.
      for (const [name] of this.queue.splice(0)) this.failures.push(`${name}: ${(err as Error).message}`);
      this.failures.unshift(`${this.resultsDir}: ${(err as Error).message}`);
    } finally {
      this.writing -= 1;
      if (this.writing === 0 && this.queue.length === 0) for (const res of this.idle.splice(0)) res();
    }
  }
}
