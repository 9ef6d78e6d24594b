import { bytesToHex } from '@status-ts/core';
import type { Enr } from '@status-ts/enr';
import type { CachedPeer } from './peer-cache.js';

/** The per-topic table the memory and JSON-file caches share: newest first, bounded per topic. */
export class CacheTable {
  readonly #topics = new Map<string, Map<string, CachedPeer>>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  add(topic: string, enr: Enr, at: number): void {
    const id = bytesToHex(enr.rawPublicKey);
    let peers = this.#topics.get(topic);
    if (!peers) {
      peers = new Map();
      this.#topics.set(topic, peers);
    }
    peers.delete(id);
    peers.set(id, { topic, id, enr, lastConnectedAt: at });
    if (peers.size > this.#limit) {
      const oldest = [...peers.values()].sort((a, b) => a.lastConnectedAt - b.lastConnectedAt);
      for (const p of oldest.slice(0, peers.size - this.#limit)) peers.delete(p.id);
    }
  }

  remove(topic: string, id: string): boolean {
    return this.#topics.get(topic)?.delete(id) ?? false;
  }

  list(topic: string, limit = Number.POSITIVE_INFINITY): CachedPeer[] {
    const peers = [...(this.#topics.get(topic)?.values() ?? [])];
    // Newest first; among equal times the one added last wins (Map keeps insertion order).
    return peers
      .map((p, i) => ({ p, i }))
      .sort((a, b) => b.p.lastConnectedAt - a.p.lastConnectedAt || b.i - a.i)
      .slice(0, limit)
      .map(({ p }) => p);
  }

  topics(): string[] {
    return [...this.#topics.keys()];
  }
}
