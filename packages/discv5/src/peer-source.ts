import type { Enr, PeerSource } from '@status-ts/enr';
import { hasRole } from '@status-ts/enr';
import { type DiscoverOptions, discoverRecords } from './node/discover.js';
import type { Discv5Node } from './node/discv5-node.js';

export interface Discv5PeerSourceOptions {
  /** Pause between random walks while a `find` runs; default the node's `randomWalkIntervalMs`. */
  walkIntervalMs?: number;
  /** Records waiting for the consumer, at most. */
  maxQueued?: number;
}

/**
 * Discv5 as a `PeerSource`: for a topic (`whisper`, `whispermail`), yields the records found by lookups and
 * random walks whose `status` entry lists that role, each node once per `find`, starting with matching
 * nodes already in the table. Walks run only while a `find` is being iterated.
 */
export class Discv5PeerSource implements PeerSource {
  readonly name = 'discv5';
  readonly #node: Discv5Node;
  readonly #options: Discv5PeerSourceOptions;

  constructor(node: Discv5Node, options: Discv5PeerSourceOptions = {}) {
    this.#node = node;
    this.#options = options;
  }

  find(topic: string, signal?: AbortSignal): AsyncIterable<Enr> {
    const options: DiscoverOptions = {
      filter: (enr) => hasRole(enr, topic),
      ...(signal ? { signal } : {}),
      ...(this.#options.walkIntervalMs !== undefined ? { intervalMs: this.#options.walkIntervalMs } : {}),
      ...(this.#options.maxQueued !== undefined ? { maxQueued: this.#options.maxQueued } : {}),
    };
    return discoverRecords(this.#node, options);
  }
}
