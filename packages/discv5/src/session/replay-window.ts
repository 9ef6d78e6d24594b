/**
 * The last `size` AES-GCM nonces accepted under one key. A sender never reuses a nonce under a key
 * (discv5-wire), so a nonce seen again is a copy of an earlier packet: answering it again would let anyone
 * on the path make us send the same answers over and over.
 */
export class ReplayWindow {
  readonly #size: number;
  readonly #seen = new Set<string>();

  constructor(size: number) {
    this.#size = size;
  }

  /** Records `nonce`; false when it is already recorded (a replay). */
  accept(nonce: Uint8Array): boolean {
    const key = String.fromCharCode(...nonce);
    if (this.#seen.has(key)) return false;
    this.#seen.add(key);
    if (this.#seen.size > this.#size) this.#seen.delete(this.#seen.values().next().value as string);
    return true;
  }
}
