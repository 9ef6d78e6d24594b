import { hexToBytes } from '@status-ts/core';
import type { Envelope } from '../envelope/envelope.js';
import { isWakuError } from '../errors.js';
import { type OpenContext, openEnvelope, type ReceivedMessage } from '../payload/message.js';
import type { WakuCounters } from './counters.js';
import type { Filter } from './filter.js';

/** The installed filters, indexed by topic; opens each candidate envelope once per distinct key. */
export class FilterSet {
  readonly #byTopic = new Map<string, Set<Filter>>();
  readonly #all = new Set<Filter>();

  get size(): number {
    return this.#all.size;
  }

  values(): IterableIterator<Filter> {
    return this.#all.values();
  }

  add(filter: Filter): void {
    this.#all.add(filter);
    for (const t of filter.topicHexes) {
      const set = this.#byTopic.get(t);
      if (set) set.add(filter);
      else this.#byTopic.set(t, new Set([filter]));
    }
  }

  remove(filter: Filter): boolean {
    if (!this.#all.delete(filter)) return false;
    for (const t of filter.topicHexes) {
      const set = this.#byTopic.get(t);
      set?.delete(filter);
      if (set?.size === 0) this.#byTopic.delete(t);
    }
    return true;
  }

  /** Every topic some filter wants. */
  topics(): Uint8Array[] {
    return [...this.#byTopic.keys()].map((t) => hexToBytes(t));
  }

  hasTopic(topicHex: string): boolean {
    return this.#byTopic.has(topicHex);
  }

  /**
   * Offers an envelope to the filters of its topic (status-go NotifyWatchers): P2P envelopes only to filters
   * that allow them, PoW at least the filter's minimum, decryption with the filter's key, then the signer
   * restriction. Returns how many filters took it.
   */
  deliver(envelope: Envelope, context: OpenContext & { pow: number }, counters: WakuCounters): number {
    const candidates = this.#byTopic.get(envelope.topicHex);
    if (!candidates) return 0;
    const opened = new Map<string, ReceivedMessage | null>();
    let delivered = 0;
    for (const filter of [...candidates]) {
      if (context.p2p && !filter.allowP2P) continue;
      if (filter.minPow > 0 && context.pow < filter.minPow) continue;
      let message = opened.get(filter.keyId);
      if (message === undefined) {
        try {
          message = openEnvelope(envelope, filter.key, context);
        } catch (err) {
          if (!isWakuError(err)) throw err;
          counters.decryptFailures++;
          message = null;
        }
        opened.set(filter.keyId, message);
      }
      if (message === null || !filter.acceptsSigner(message.signer)) continue;
      const overflowed = filter.overflowed;
      if (filter.deliver(message)) {
        delivered++;
        counters.messagesDelivered++;
        if (filter.overflowed > overflowed) counters.drop('filterOverflow');
      }
    }
    return delivered;
  }
}
