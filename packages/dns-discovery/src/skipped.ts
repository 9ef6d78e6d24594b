import { isStatusTsError } from '@status-ts/core';
import { DnsErrorCode } from './errors.js';

/**
 * Errors about one entry's content: the server answered, and what it answered is wrong. `syncTree` skips
 * such an entry (and the subtree below it) and reports it, so one bad leaf does not hide the good ones.
 * Failed lookups (timeout, resolver error) are not here: they may pass on retry, so they fail the sync.
 */
const ENTRY_ERRORS = new Set<string>([
  DnsErrorCode.BadRecord,
  DnsErrorCode.UnknownEntry,
  DnsErrorCode.HashMismatch,
  DnsErrorCode.NoEntry,
  DnsErrorCode.TxtTooLarge,
  DnsErrorCode.WrongSubtree,
]);

export type SkippedEntryCode =
  | typeof DnsErrorCode.BadRecord
  | typeof DnsErrorCode.UnknownEntry
  | typeof DnsErrorCode.HashMismatch
  | typeof DnsErrorCode.NoEntry
  | typeof DnsErrorCode.TxtTooLarge
  | typeof DnsErrorCode.WrongSubtree;

/** An entry `syncTree` left out, and why. */
export interface SkippedEntry {
  /** The child hash it was fetched by. */
  readonly hash: string;
  /** Full DNS name: `<hash>.<domain>`. */
  readonly name: string;
  /** Which subtree it was met in. */
  readonly subtree: 'enr' | 'link';
  /** Why: the typed error's code. */
  readonly code: SkippedEntryCode;
  readonly message: string;
}

/** True for an error that concerns one entry's content (see ENTRY_ERRORS). */
export function isEntryError(err: unknown): err is { code: SkippedEntryCode; message: string } {
  return isStatusTsError(err) && ENTRY_ERRORS.has(err.code);
}
