import type { Clock } from '@status-ts/core';

interface Failure {
  count: number;
  until: number;
}

/**
 * Exponential backoff per peer id: after the n-th failure in a row a peer waits `min * 2^(n-1)`, at most
 * `max`. A success forgets the peer. Entries past their wait are pruned lazily, so memory stays bounded by
 * the peers failing within the last `max` ms.
 */
export class Backoff {
  readonly #failures = new Map<string, Failure>();
  readonly #clock: Clock;
  readonly #minMs: number;
  readonly #maxMs: number;

  constructor(clock: Clock, minMs: number, maxMs: number) {
    this.#clock = clock;
    this.#minMs = minMs;
    this.#maxMs = maxMs;
  }

  /** Records a failure; returns the wait before the next attempt. */
  fail(id: string): number {
    const count = (this.#failures.get(id)?.count ?? 0) + 1;
    const wait = this.delay(count);
    this.#failures.set(id, { count, until: this.#clock.now() + wait });
    if (this.#failures.size > 1024) this.#prune();
    return wait;
  }

  /** The wait after `failures` failures in a row. */
  delay(failures: number): number {
    return Math.min(this.#maxMs, this.#minMs * 2 ** Math.min(30, Math.max(0, failures - 1)));
  }

  succeed(id: string): void {
    this.#failures.delete(id);
  }

  /** True while `id` must not be dialed. */
  blocked(id: string): boolean {
    const f = this.#failures.get(id);
    return f !== undefined && f.until > this.#clock.now();
  }

  failures(id: string): number {
    return this.#failures.get(id)?.count ?? 0;
  }

  #prune(): void {
    // A peer whose wait ended long ago starts over: keep only recent failures.
    const now = this.#clock.now();
    for (const [id, f] of this.#failures) if (f.until + this.#maxMs < now) this.#failures.delete(id);
  }
}
