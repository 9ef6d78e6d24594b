import type { MvdsMessage } from '../message.js';
import type { MvdsPayload } from '../payload.js';
import { byteKey } from '../stores/keys.js';

interface PeerDraft {
  readonly peer: Uint8Array;
  readonly acks: Map<string, Uint8Array>;
  readonly offers: Uint8Array[];
  readonly requests: Uint8Array[];
  readonly messages: MvdsMessage[];
}

/**
 * Records collected for each peer until the next epoch, when they leave together in one payload
 * (split only if too large). Acks are deduplicated: one per message id per epoch.
 */
export class Outbox {
  readonly #drafts = new Map<string, PeerDraft>();

  #draft(peer: Uint8Array): PeerDraft {
    const key = byteKey(peer);
    let d = this.#drafts.get(key);
    if (!d) {
      d = { peer, acks: new Map(), offers: [], requests: [], messages: [] };
      this.#drafts.set(key, d);
    }
    return d;
  }

  addAck(peer: Uint8Array, id: Uint8Array): void {
    this.#draft(peer).acks.set(byteKey(id), id);
  }

  addOffer(peer: Uint8Array, id: Uint8Array): void {
    this.#draft(peer).offers.push(id);
  }

  addRequest(peer: Uint8Array, id: Uint8Array): void {
    this.#draft(peer).requests.push(id);
  }

  addMessage(peer: Uint8Array, message: MvdsMessage): void {
    this.#draft(peer).messages.push(message);
  }

  get size(): number {
    return this.#drafts.size;
  }

  /** Hands out every peer's payload and empties the outbox. */
  drain(): Array<{ peer: Uint8Array; payload: MvdsPayload }> {
    const out = [...this.#drafts.values()].map((d) => ({
      peer: d.peer,
      payload: { acks: [...d.acks.values()], offers: d.offers, requests: d.requests, messages: d.messages },
    }));
    this.#drafts.clear();
    return out;
  }
}
