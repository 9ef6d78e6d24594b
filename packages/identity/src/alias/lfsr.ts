const MASK_64 = (1n << 64n) - 1n;

/**
 * The 64-bit Fibonacci linear-feedback shift register of Status' name generator (status-go
 * `protocol/identity/alias`): the feedback bit is the XOR of the state bits selected by `poly`; the
 * state shifts left by one, dropping its top bit, and takes the feedback bit at the bottom.
 */
export class Lfsr {
  #state: bigint;
  readonly #taps: number[];

  constructor(poly: bigint, seed: bigint) {
    this.#state = seed & MASK_64;
    this.#taps = [];
    for (let i = 0; i < 64; i++) if ((poly >> BigInt(i)) & 1n) this.#taps.push(i);
  }

  /** Advances one step and returns the new 64-bit state. */
  next(): bigint {
    let bit = 0n;
    for (const tap of this.#taps) bit ^= this.#state >> BigInt(tap);
    this.#state = ((this.#state << 1n) | (bit & 1n)) & MASK_64;
    return this.#state;
  }
}
