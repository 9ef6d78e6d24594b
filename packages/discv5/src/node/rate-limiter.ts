export interface RateLimitOptions {
  /** Sustained packets per second accepted from one IP address. */
  packetsPerSecond: number;
  /** Packets one IP may send in a burst above the sustained rate. */
  burst: number;
  /** IP addresses tracked at once (least recently active forgotten first), so a spoofed flood stays bounded. */
  maxTrackedIps: number;
  now: () => number;
}

interface TokenBucket {
  tokens: number;
  updated: number;
}

/** A token bucket per source IP for incoming packets. */
export class IpRateLimiter {
  readonly #options: RateLimitOptions;
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(options: RateLimitOptions) {
    this.#options = options;
  }

  get trackedIps(): number {
    return this.#buckets.size;
  }

  /** Takes one token for `ip`; false when its bucket is empty (the packet should be dropped). */
  allow(ip: string): boolean {
    const { packetsPerSecond, burst, maxTrackedIps } = this.#options;
    const now = this.#options.now();
    let bucket = this.#buckets.get(ip);
    if (bucket) {
      this.#buckets.delete(ip);
      bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updated) * packetsPerSecond) / 1000);
      bucket.updated = now;
    } else {
      bucket = { tokens: burst, updated: now };
      if (this.#buckets.size >= maxTrackedIps) {
        this.#buckets.delete(this.#buckets.keys().next().value as string);
      }
    }
    this.#buckets.set(ip, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  clear(): void {
    this.#buckets.clear();
  }
}
