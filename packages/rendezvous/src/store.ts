/** One stored registration: a node's record under a topic, live until `expiresAt`. */
export interface Registration {
  topic: string;
  /** Node id (keccak256 of the public key) in hex: with `topic`, the registration's key. */
  nodeId: string;
  /** The record's sequence number: an older record never replaces a newer one. */
  seq: bigint;
  /** The ENR's RLP encoding, returned as is by `random`. */
  record: Uint8Array;
  /** Milliseconds since the epoch after which the registration is gone. */
  expiresAt: number;
}

/**
 * Where a rendezvous server keeps registrations. Implementations: `MemoryRegistrationStore` here and
 * `SqliteRegistrationStore` in `@status-ts/rendezvous/sqlite`; both pass one contract suite.
 */
export interface RegistrationStore {
  /**
   * Adds or refreshes the registration for (topic, nodeId). A stored record with a higher `seq` stays
   * (with its own expiry): a replayed old record cannot roll a node back.
   */
  put(registration: Registration): Promise<void>;
  /** Up to `limit` distinct records for `topic` still live at `now` (expiresAt > now), in random order. */
  random(topic: string, limit: number, now: number): Promise<Uint8Array[]>;
  /** Deletes registrations with expiresAt <= now; returns how many. */
  removeExpired(now: number): Promise<number>;
  /** Registrations live at `now`, for one topic or all. */
  count(now: number, topic?: string): Promise<number>;
  close(): Promise<void>;
}

/** Picks `limit` distinct elements uniformly (partial Fisher-Yates on a copy). */
export function sample<T>(items: readonly T[], limit: number, random: () => number = Math.random): T[] {
  const pool = items.slice();
  const n = Math.min(limit, pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
}

/** Registrations in memory: the default store, and the one for browsers and tests. */
export class MemoryRegistrationStore implements RegistrationStore {
  readonly #topics = new Map<string, Map<string, Registration>>();
  readonly #random: () => number;

  constructor(options: { random?: () => number } = {}) {
    this.#random = options.random ?? Math.random;
  }

  async put(registration: Registration): Promise<void> {
    let byNode = this.#topics.get(registration.topic);
    if (!byNode) {
      byNode = new Map();
      this.#topics.set(registration.topic, byNode);
    }
    const current = byNode.get(registration.nodeId);
    if (current && current.seq > registration.seq) return;
    byNode.set(registration.nodeId, { ...registration, record: registration.record.slice() });
  }

  async random(topic: string, limit: number, now: number): Promise<Uint8Array[]> {
    const byNode = this.#topics.get(topic);
    if (!byNode || limit <= 0) return [];
    const live = [...byNode.values()].filter((r) => r.expiresAt > now);
    return sample(live, limit, this.#random).map((r) => r.record.slice());
  }

  async removeExpired(now: number): Promise<number> {
    let removed = 0;
    for (const [topic, byNode] of this.#topics) {
      for (const [nodeId, r] of byNode) {
        if (r.expiresAt <= now) {
          byNode.delete(nodeId);
          removed++;
        }
      }
      if (byNode.size === 0) this.#topics.delete(topic);
    }
    return removed;
  }

  async count(now: number, topic?: string): Promise<number> {
    const maps = topic === undefined ? [...this.#topics.values()] : [this.#topics.get(topic) ?? new Map()];
    let n = 0;
    for (const byNode of maps) for (const r of byNode.values()) if (r.expiresAt > now) n++;
    return n;
  }

  async close(): Promise<void> {
    this.#topics.clear();
  }
}
