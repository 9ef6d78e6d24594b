import { bytesToHex, compareBytes } from '@status-ts/core';
import type { Envelope } from '@status-ts/waku';
import { afterCursorKey, cursorOf, dbKeyOf, lowerKey, sentTime, upperKey } from '../key.js';
import { checkQuery, topicMatcher } from './matching.js';
import type { EnvelopeStore, HistoryPage, HistoryQuery } from './types.js';

interface Entry {
  key: Uint8Array;
  envelope: Envelope;
  arrivedAtMs: number;
}

/** Keeps envelopes sorted by DB key in memory: for tests and short-lived nodes. */
export class MemoryEnvelopeStore implements EnvelopeStore {
  readonly #entries: Entry[] = [];
  readonly #hashes = new Set<string>();

  #search(key: Uint8Array): number {
    let lo = 0;
    let hi = this.#entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes(this.#entries[mid]!.key, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  async put(envelopes: readonly Envelope[], arrivedAtMs = Date.now()): Promise<number> {
    let added = 0;
    for (const envelope of envelopes) {
      if (this.#hashes.has(envelope.hashHex)) continue;
      const key = dbKeyOf(envelope);
      this.#entries.splice(this.#search(key), 0, { key, envelope, arrivedAtMs });
      this.#hashes.add(envelope.hashHex);
      added++;
    }
    return added;
  }

  async query(query: HistoryQuery): Promise<HistoryPage> {
    checkQuery(query);
    const matches = topicMatcher(query);
    const end = upperKey(query.upper);
    let start = this.#search(lowerKey(query.lower));
    if (query.cursor && query.cursor.length > 0) {
      const after = afterCursorKey(query.cursor);
      start = Math.max(start, this.#search(after));
      if (start < this.#entries.length && compareBytes(this.#entries[start]!.key, after) === 0) start++;
    }
    const envelopes: Envelope[] = [];
    let lastKey: Uint8Array | undefined;
    for (let i = start; i < this.#entries.length && envelopes.length < query.limit; i++) {
      const entry = this.#entries[i]!;
      if (compareBytes(entry.key, end) > 0) break;
      if (!matches(entry.envelope.topic)) continue;
      envelopes.push(entry.envelope);
      lastKey = entry.key;
    }
    return envelopes.length === query.limit && lastKey
      ? { envelopes, cursor: cursorOf(lastKey) }
      : { envelopes };
  }

  async deleteOlderThan(sentBefore: number): Promise<number> {
    const cut = this.#search(lowerKey(sentBefore));
    const removed = this.#entries.splice(0, cut);
    for (const e of removed) this.#hashes.delete(bytesToHex(e.envelope.hash));
    return removed.length;
  }

  async count(): Promise<number> {
    return this.#entries.length;
  }

  async close(): Promise<void> {}

  /** Sent time of the oldest envelope kept (for tests and metrics). */
  oldestSentTime(): number | undefined {
    const first = this.#entries[0];
    return first ? sentTime(first.envelope) : undefined;
  }
}
