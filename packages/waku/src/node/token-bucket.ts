/**
 * A token bucket refilled continuously at `ratePerSecond`, holding at most one second's worth. A rate of 0
 * means unlimited.
 */
export class TokenBucket {
  #tokens: number;
  #last: number;

  constructor(
    readonly ratePerSecond: number,
    nowMs: number,
  ) {
    this.#tokens = ratePerSecond;
    this.#last = nowMs;
  }

  get unlimited(): boolean {
    return this.ratePerSecond <= 0;
  }

  #refill(nowMs: number): void {
    // A clock read earlier than the last one adds nothing (and does not move the refill point back).
    const elapsed = Math.max(0, nowMs - this.#last);
    this.#tokens = Math.min(this.ratePerSecond, this.#tokens + (elapsed / 1000) * this.ratePerSecond);
    this.#last = Math.max(this.#last, nowMs);
  }

  /** Tokens available now. */
  available(nowMs: number): number {
    if (this.unlimited) return Number.POSITIVE_INFINITY;
    this.#refill(nowMs);
    return this.#tokens;
  }

  /** Takes `n` tokens if available; false (nothing taken) otherwise. */
  take(n: number, nowMs: number): boolean {
    if (this.unlimited) return true;
    this.#refill(nowMs);
    if (this.#tokens < n) return false;
    this.#tokens -= n;
    return true;
  }

  /** Takes `n` tokens even into debt (a packet that was sent anyway). */
  charge(n: number, nowMs: number): void {
    // No unlimited check: an unlimited bucket's tokens are never read (available and take return first).
    this.#refill(nowMs);
    this.#tokens -= n;
  }

  /** True when the bucket is full (an oversized item may go out then). */
  full(nowMs: number): boolean {
    return this.available(nowMs) >= this.ratePerSecond;
  }
}
