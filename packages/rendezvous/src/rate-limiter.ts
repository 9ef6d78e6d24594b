import type { Clock } from '@status-ts/core';

export interface RateLimitOptions {
  /** Requests a peer may make at once before it has to wait. Default 20. */
  burst?: number;
  /** Sustained requests per second per peer. Default 5. */
  perSecond?: number;
  /** Peers tracked at once; the least recently seen is forgotten beyond this. Default 10,000. */
  maxPeers?: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** A token bucket per peer. A legitimate client makes about one request a second per topic. */
export class PeerRateLimiter {
  readonly #burst: number;
  readonly #perMs: number;
  readonly #maxPeers: number;
  readonly #clock: Clock;
  readonly #buckets = new Map<string, Bucket>();

  constructor(clock: Clock, options: RateLimitOptions = {}) {
    this.#clock = clock;
    this.#burst = options.burst ?? 20;
    this.#perMs = (options.perSecond ?? 5) / 1000;
    this.#maxPeers = options.maxPeers ?? 10_000;
  }

  /** Takes one token for `peer`; false when it has none left. */
  take(peer: string): boolean {
    const now = this.#clock.now();
    const bucket = this.#buckets.get(peer) ?? { tokens: this.#burst, updatedAt: now };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + (now - bucket.updatedAt) * this.#perMs);
    bucket.updatedAt = now;
    // Re-insert so Map order is least recently seen first.
    this.#buckets.delete(peer);
    this.#buckets.set(peer, bucket);
    if (this.#buckets.size > this.#maxPeers) {
      this.#buckets.delete(this.#buckets.keys().next().value!);
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Forgets peers whose bucket has refilled: they are indistinguishable from new ones. */
  prune(): void {
    const now = this.#clock.now();
    for (const [peer, bucket] of this.#buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * this.#perMs >= this.#burst) this.#buckets.delete(peer);
    }
  }

  get trackedPeers(): number {
    return this.#buckets.size;
  }
}
