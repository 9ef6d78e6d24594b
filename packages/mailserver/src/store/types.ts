import type { Envelope, Topic } from '@status-ts/waku';

/**
 * What a history page asks for: envelopes whose sent time (`expiry - ttl`) is in [lower, upper], matching
 * `topics` when given (exact topic), else `bloom` (the envelope's topic bloom inside it), else everything;
 * strictly after `cursor`, oldest first (then by hash), at most `limit`.
 */
export interface HistoryQuery {
  lower: number;
  upper: number;
  topics?: readonly Topic[];
  bloom?: Uint8Array;
  /** 36-byte cursor (sent time || hash) of the last envelope of the previous page. */
  cursor?: Uint8Array;
  limit: number;
}

export interface HistoryPage {
  envelopes: Envelope[];
  /** The 36-byte cursor of the last envelope, set whenever the page is full (`limit` reached). */
  cursor?: Uint8Array;
}

/**
 * Where a mailserver keeps envelopes. Keys are status-go's 40-byte DB keys; `put` is idempotent by hash and
 * transactional: when it resolves, every envelope of the call is durable (or already was).
 */
export interface EnvelopeStore {
  /** Stores envelopes (arrival time in ms); resolves with how many were new. */
  put(envelopes: readonly Envelope[], arrivedAtMs?: number): Promise<number>;
  query(query: HistoryQuery): Promise<HistoryPage>;
  /** Deletes envelopes sent before `sentBefore` (unix seconds); resolves with how many. */
  deleteOlderThan(sentBefore: number): Promise<number>;
  count(): Promise<number>;
  close(): Promise<void>;
}
