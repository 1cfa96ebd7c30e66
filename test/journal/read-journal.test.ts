import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openJournal } from "../../lib/journal/open-journal.ts";
import { readJournal } from "../../lib/journal/read-journal.ts";
import { JournalError } from "../../lib/errors/index.ts";

const dir = mkdtempSync(join(tmpdir(), "journal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const header = { issuer: "http://127.0.0.1:9", tokenEndpoint: "http://127.0.0.1:9/token", usersScope: "http://127.0.0.1:9/Users.retrieve" };

describe("readJournal", () => {
  it("reads back what openJournal wrote, across two runs appended to one file", () => {
    const file = join(dir, "two-runs.jsonl");
    for (const at of [1, 2]) {
      const j = openJournal(file, header);
      j.write({ type: "token", at, detail: { outcome: "issued" } });
      j.close();
      j.write({ type: "token", at: 99, detail: {} }); // ignored once closed
    }
    const { header: h, events } = readJournal(file);
    expect(h).toMatchObject({ format: "nhslogin-conformance-journal/1", ...header });
    expect(events.map((e) => e.at)).toEqual([1, 2]);
  });

  it("refuses what is not a journal, naming the line", () => {
    const bad = (name: string, text: string) => {
      const file = join(dir, name);
      writeFileSync(file, text);
      return () => readJournal(file);
    };
    expect(bad("empty", "")).toThrow(/holds no journal header/);
    expect(bad("no-header", '{"type":"token","at":1,"detail":{}}\n')).toThrow(/line 1 comes before any header/);
    const head = JSON.stringify({ format: "nhslogin-conformance-journal/1", startedAt: "x", ...header });
    expect(bad("not-json", `${head}\nnot json\n`)).toThrow(/line 2 is not JSON/);
    expect(bad("not-event", `${head}\n{"type":"nope","at":1,"detail":{}}\n`)).toThrow(/line 2 is not a simulator event/);
    expect(bad("bad-header", '{"format":"nhslogin-conformance-journal/1"}\n')).toThrow(/line 1 is a journal header without/);
    expect(() => readJournal(join(dir, "missing"))).toThrow(JournalError);
    try {
      readJournal(join(dir, "missing"));
    } catch (err) {
      expect((err as JournalError).code).toBe("ERR_JOURNAL_INVALID");
    }
  });
});
