import type { Cancel, Clock } from '@status-ts/core';
import type { Envelope } from '../envelope/envelope.js';
import { type Interest, interestMatches, sameInterest } from './interest.js';

/**
 * What this node demands of incoming envelopes: a minimum PoW and an interest. After a change the previous
 * value is still tolerated for the sync allowance, while peers learn the new one (status-go MinPowTolerance
 * and BloomFilterTolerance).
 */
export class OwnRequirements {
  #minPow: number;
  #minPowTolerance: number;
  #interest: Interest;
  #interestTolerance: Interest | undefined;
  readonly #timers = new Set<Cancel>();

  constructor(
    private readonly clock: Clock,
    private readonly syncAllowanceMs: number,
    minPow: number,
    interest: Interest,
  ) {
    this.#minPow = minPow;
    this.#minPowTolerance = minPow;
    this.#interest = interest;
  }

  get minPow(): number {
    return this.#minPow;
  }

  get interest(): Interest {
    return this.#interest;
  }

  /** True when `pow` meets the requirement or the tolerated previous one (the tolerance is never above it). */
  powAccepted(pow: number): boolean {
    return pow >= this.#minPowTolerance;
  }

  /** True when the envelope is in our interest or the tolerated previous one. */
  interestAccepts(envelope: Envelope): boolean {
    return (
      interestMatches(this.#interest, envelope) ||
      (this.#interestTolerance !== undefined && interestMatches(this.#interestTolerance, envelope))
    );
  }

  setMinPow(pow: number): void {
    const previous = this.#minPow;
    this.#minPow = pow;
    this.#minPowTolerance = Math.min(previous, pow);
    this.#later(() => {
      if (this.#minPow === pow) this.#minPowTolerance = pow;
    });
  }

  /** Replaces the interest; false when it did not change. */
  setInterest(next: Interest): boolean {
    if (sameInterest(next, this.#interest)) return false;
    this.#interestTolerance = this.#interest;
    this.#interest = next;
    this.#later(() => {
      if (this.#interest === next) this.#interestTolerance = undefined;
    });
    return true;
  }

  /** Cancels the pending tolerance timers (the tolerances stay as they are). */
  stop(): void {
    for (const cancel of this.#timers) cancel();
    this.#timers.clear();
  }

  #later(fn: () => void): void {
    const cancel = this.clock.setTimeout(() => {
      this.#timers.delete(cancel);
      fn();
    }, this.syncAllowanceMs);
    this.#timers.add(cancel);
  }
}
