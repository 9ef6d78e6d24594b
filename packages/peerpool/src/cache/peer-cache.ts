import type { Enr, PeerSource } from '@status-ts/enr';

/** A peer that connected for a topic, as the cache keeps it. */
export interface CachedPeer {
  readonly topic: string;
  /** The 64-byte public key in hex. */
  readonly id: string;
  readonly enr: Enr;
  /** When it last connected (ms since the epoch, on the pool's clock). */
  readonly lastConnectedAt: number;
}

/**
 * Peers that worked, per topic, kept across restarts (PP-05): the pool dials up to 5 of them before asking
 * any source, adds every peer that connects and removes a peer whose dial fails. A cache is also a
 * `PeerSource` (`find` yields the cached records of a topic, most recent first). Implementations: memory,
 * a JSON file, SQLite (`@status-ts/peerpool/sqlite`); all pass one compliance suite.
 */
export interface PeerCache extends PeerSource {
  /** Stores (or refreshes) `enr` for `topic`; keeps at most the cache's limit per topic, newest first. */
  add(topic: string, enr: Enr, at: number): Promise<void>;
  remove(topic: string, id: string): Promise<void>;
  /** Most recently connected first; at most `limit`. */
  list(topic: string, limit?: number): Promise<CachedPeer[]>;
  /** Flushes and releases the file or database. */
  close(): Promise<void>;
}

/** `find` of every cache: the listed records, stopping when `signal` aborts. */
export async function* cachedRecords(
  cache: Pick<PeerCache, 'list'>,
  topic: string,
  signal?: AbortSignal,
): AsyncGenerator<Enr> {
  if (signal?.aborted) return;
  for (const peer of await cache.list(topic)) {
    if (signal?.aborted) return;
    yield peer.enr;
  }
}
