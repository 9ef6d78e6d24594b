import { bytesToHex, hexToBytes } from '@status-ts/core';
import type { Topic } from '@status-ts/waku';

/**
 * Per topic, the upper bound (unix s) up to which history has been fetched without a gap (MAIL-12): the
 * next request for that topic starts there. Plain data so a client can persist it (`toJSON`) and hand it
 * back on the next start.
 */
export class HistorySyncState {
  readonly #until = new Map<string, number>();

  constructor(initial: Readonly<Record<string, number>> = {}) {
    for (const [topic, until] of Object.entries(initial)) {
      if (/^(0x)?[0-9a-f]{8}$/i.test(topic) && Number.isInteger(until) && until >= 0) {
        this.#until.set(bytesToHex(hexToBytes(topic)), until);
      }
    }
  }

  /** Where `topic` is fetched up to, if it ever was. */
  fetchedUntil(topic: Topic): number | undefined {
    return this.#until.get(bytesToHex(topic));
  }

  /** The earliest bound over `topics`; undefined when one of them was never fetched. */
  earliest(topics: readonly Topic[]): number | undefined {
    let earliest: number | undefined;
    for (const topic of topics) {
      const until = this.fetchedUntil(topic);
      if (until === undefined) return undefined;
      earliest = earliest === undefined ? until : Math.min(earliest, until);
    }
    return earliest;
  }

  /**
   * Records that [from, until] was fetched for `topics`. A topic moves forward only when the range joins
   * what it already had (or it had nothing): a range past a gap leaves the gap to be fetched later.
   */
  record(topics: readonly Topic[], from: number, until: number): void {
    for (const topic of topics) {
      const key = bytesToHex(topic);
      const current = this.#until.get(key);
      if (current === undefined || (from <= current + 1 && until > current)) this.#until.set(key, until);
    }
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries(this.#until);
  }
}
