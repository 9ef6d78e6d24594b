import type { Enr } from '@status-ts/enr';
import { DEFAULT_CACHE_LIMIT } from '../constants.js';
import { CacheTable } from './cache-table.js';
import { type CachedPeer, cachedRecords, type PeerCache } from './peer-cache.js';

/** A `PeerCache` in memory (tests, or a process that never restarts). */
export class MemoryPeerCache implements PeerCache {
  readonly name = 'cache';
  readonly #table: CacheTable;

  constructor(options: { limit?: number } = {}) {
    this.#table = new CacheTable(options.limit ?? DEFAULT_CACHE_LIMIT);
  }

  async add(topic: string, enr: Enr, at: number): Promise<void> {
    this.#table.add(topic, enr, at);
  }

  async remove(topic: string, id: string): Promise<void> {
    this.#table.remove(topic, id);
  }

  async list(topic: string, limit?: number): Promise<CachedPeer[]> {
    return this.#table.list(topic, limit);
  }

  find(topic: string, signal?: AbortSignal): AsyncIterable<Enr> {
    return cachedRecords(this, topic, signal);
  }

  async close(): Promise<void> {}
}
