import type { Envelope } from '../envelope/envelope.js';

/** One envelope held for relay until it expires. */
export interface PoolEntry {
  /**
   * Pool key: hex of the PoW hash. The PoW input and the envelope encoding are both canonical, so the PoW
   * hash identifies an envelope exactly as its hash does, and validation hashes each envelope only once.
   */
  readonly key: string;
  readonly envelope: Envelope;
  /** PoW as computed at admission (with the future-sent adjustment), compared with peers' requirements. */
  readonly pow: number;
  /** Posted by this node. */
  readonly local: boolean;
  /** Set once the entry left the pool. */
  removed: boolean;
}

/** Envelopes by key, with an index by expiry second (status-go envelopes + expirations maps). */
export class EnvelopePool {
  readonly #entries = new Map<string, PoolEntry>();
  readonly #byExpiry = new Map<number, PoolEntry[]>();
  #bytes = 0;

  constructor(
    readonly maxSize: number,
    readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  /** Encoded bytes of the pooled envelopes. */
  get bytes(): number {
    return this.#bytes;
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  get(key: string): PoolEntry | undefined {
    return this.#entries.get(key);
  }

  values(): IterableIterator<PoolEntry> {
    return this.#entries.values();
  }

  /** Adds the entry unless the pool is full, by count or by bytes (false then). */
  add(entry: PoolEntry): boolean {
    const length = entry.envelope.raw.length;
    if (this.#entries.size >= this.maxSize || this.#bytes + length > this.maxBytes) return false;
    this.#bytes += length;
    this.#entries.set(entry.key, entry);
    const expiry = entry.envelope.expiry;
    const bucket = this.#byExpiry.get(expiry);
    if (bucket) bucket.push(entry);
    else this.#byExpiry.set(expiry, [entry]);
    return true;
  }

  /** Removes and returns every entry whose expiry is before `nowSeconds`. */
  expire(nowSeconds: number): PoolEntry[] {
    const removed: PoolEntry[] = [];
    for (const [expiry, bucket] of this.#byExpiry) {
      if (expiry >= nowSeconds) continue;
      this.#byExpiry.delete(expiry);
      for (const entry of bucket) {
        entry.removed = true;
        this.#entries.delete(entry.key);
        this.#bytes -= entry.envelope.raw.length;
        removed.push(entry);
      }
    }
    return removed;
  }

  clear(): void {
    for (const entry of this.#entries.values()) entry.removed = true;
    this.#entries.clear();
    this.#byExpiry.clear();
    this.#bytes = 0;
  }
}
