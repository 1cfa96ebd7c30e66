/**
 * The first line of a journal, and of every run appended to the same file: which simulator
 * recorded what follows.
 */
export const JOURNAL_FORMAT = "nhslogin-conformance-journal/1";

export interface JournalHeader {
  format: typeof JOURNAL_FORMAT;
  startedAt: string;
  issuer: string;
  tokenEndpoint: string;
  /** The simulator's Users.retrieve scope. */
  usersScope: string;
}
