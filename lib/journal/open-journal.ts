/**
 * Write the simulator's journal: one JSON line per event it records, after a header line naming
 * the simulator (issuer, token endpoint, Users.retrieve scope), so that recorded traffic can be
 * judged later by `npm run conformance -- --suite service --journal <file>`. Events are kept as
 * the simulator records them: tokens and assertions decoded or fingerprinted, never raw.
 *
 * @example
 * ```ts
 * const journal = openJournal("traffic.jsonl", { issuer, tokenEndpoint, usersScope })
 * const sim = await startSimulator({ ...options, onEvent: journal.write })
 * // ... the team exercises its service ...
 * await journal.close()
 * ```
 */
import { closeSync, openSync, writeSync } from "node:fs";
import type { SimulatorEvent } from "../simulator/state.ts";
import { JOURNAL_FORMAT, type JournalHeader } from "./journal-header.ts";

export interface Journal {
  /** Append one event (synchronously: a crash loses nothing already recorded). */
  write(event: SimulatorEvent): void;
  close(): void;
}

export type OpenJournalOptions = Omit<JournalHeader, "format" | "startedAt">;

export function openJournal(file: string, options: OpenJournalOptions): Journal {
  const fd = openSync(file, "a", 0o600);
  const header: JournalHeader = { format: JOURNAL_FORMAT, startedAt: new Date().toISOString(), ...options };
  writeSync(fd, `${JSON.stringify(header)}\n`);
  let open = true;
  return {
    write: (event) => {
      if (open) writeSync(fd, `${JSON.stringify(event)}\n`);
    },
    close: () => {
      if (open) closeSync(fd);
      open = false;
    },
  };
}
