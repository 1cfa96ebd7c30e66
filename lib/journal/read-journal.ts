/**
 * Read a journal written by {@link openJournal}: its header and every event, oldest first. A
 * file that is not a journal, or a line that is not an event, is refused with a
 * {@link JournalError} naming the line, rather than judged in part.
 *
 * @example
 * ```ts
 * const { header, events } = readJournal("traffic.jsonl")
 * header.tokenEndpoint // "http://127.0.0.1:9000/token"
 * ```
 */
import { readFileSync } from "node:fs";
import { JournalError } from "../errors/index.ts";
import type { SimulatorEvent } from "../simulator/state.ts";
import { JOURNAL_FORMAT, type JournalHeader } from "./journal-header.ts";

export interface RecordedTraffic {
  /** The header of the last run in the file (a journal appended to by several runs keeps each header). */
  header: JournalHeader;
  events: SimulatorEvent[];
}

const TYPES = new Set(["authorize", "token", "userinfo", "users-v2", "attacker-fetch", "trustmark"]);

export function readJournal(file: string): RecordedTraffic {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new JournalError(file, 0, `cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let header: JournalHeader | undefined;
  const events: SimulatorEvent[] = [];
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new JournalError(file, i + 1, "is not JSON");
    }
    const v = value as Record<string, unknown>;
    if (v?.format === JOURNAL_FORMAT) {
      if (typeof v.issuer !== "string" || typeof v.tokenEndpoint !== "string" || typeof v.usersScope !== "string")
        throw new JournalError(file, i + 1, "is a journal header without issuer, tokenEndpoint and usersScope");
      header = v as unknown as JournalHeader;
      return;
    }
    if (!header) throw new JournalError(file, i + 1, `comes before any header: the file is not a journal (${JOURNAL_FORMAT})`);
    if (typeof v?.type !== "string" || !TYPES.has(v.type) || typeof v.at !== "number" || typeof v.detail !== "object" || !v.detail)
      throw new JournalError(file, i + 1, "is not a simulator event ({type, at, detail})");
    events.push(v as unknown as SimulatorEvent);
  });
  if (!header) throw new JournalError(file, 0, `holds no journal header (${JOURNAL_FORMAT}): it is empty or not a journal`);
  return { header, events };
}
