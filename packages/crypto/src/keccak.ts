import { keccak_256 } from '@noble/hashes/sha3.js';
import { fastKeccak } from './backend.js';
import { KECCAK256_RATE, type KeccakWasm } from './keccak-wasm.js';

/**
 * A running Keccak-256 state (original Keccak padding, not FIPS SHA3). `digest()` does not change the
 * state, like Go's `hash.Sum`, so RLPx can keep absorbing after reading the MAC; `clone()` forks it.
 */
export interface Keccak256Hasher {
  update(data: Uint8Array): Keccak256Hasher;
  /** The hash of everything absorbed so far; the state is left untouched. */
  digest(): Uint8Array;
  /** An independent copy of the running state. */
  clone(): Keccak256Hasher;
}

/** Keccak-256 of the concatenation of `parts`: "sha3" in every Ethereum/Status spec (checklist CRY-03). */
export function keccak256(...parts: Uint8Array[]): Uint8Array {
  const wasm = fastKeccak();
  return wasm ? keccak256Wasm(wasm, parts) : keccak256Noble(parts);
}

export function keccak256Noble(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return keccak_256(parts[0]!);
  const h = keccak_256.create();
  for (const p of parts) h.update(p);
  return h.digest();
}

export function keccak256Wasm(wasm: KeccakWasm, parts: Uint8Array[]): Uint8Array {
  const h = new SpongeKeccakHasher(wasm, new Uint8Array(STATE_BYTES), 0);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** A new Keccak-256 hasher on the fastest backend (WebAssembly where available, else noble). */
export function createKeccak256(): Keccak256Hasher {
  const wasm = fastKeccak();
  return wasm ? createKeccak256Wasm(wasm) : createKeccak256Noble();
}

export function createKeccak256Noble(): Keccak256Hasher {
  return new NobleKeccakHasher(keccak_256.create());
}

type NobleKeccakState = ReturnType<typeof keccak_256.create>;

class NobleKeccakHasher implements Keccak256Hasher {
  readonly #state: NobleKeccakState;

  constructor(state: NobleKeccakState) {
    this.#state = state;
  }

  update(data: Uint8Array): Keccak256Hasher {
    this.#state.update(data);
    return this;
  }

  digest(): Uint8Array {
    return this.#state.clone().digest();
  }

  clone(): Keccak256Hasher {
    return new NobleKeccakHasher(this.#state.clone());
  }
}

const STATE_BYTES = 200;

export function createKeccak256Wasm(wasm: KeccakWasm): Keccak256Hasher {
  return new SpongeKeccakHasher(wasm, new Uint8Array(STATE_BYTES), 0);
}

/**
 * The sponge in JavaScript, the permutation in WebAssembly. The 200-byte state and the count of bytes
 * pending in the current block live here, so a small update (the RLPx MAC's 16-byte seeds) is a few
 * XORs with no call into WASM, a digest is one permutation of a padded copy, and clone() copies 200 bytes.
 */
class SpongeKeccakHasher implements Keccak256Hasher {
  readonly #wasm: KeccakWasm;
  readonly #state: Uint8Array;
  #pos: number;

  constructor(wasm: KeccakWasm, state: Uint8Array, pos: number) {
    this.#wasm = wasm;
    this.#state = state;
    this.#pos = pos;
  }

  update(data: Uint8Array): Keccak256Hasher {
    const state = this.#state;
    const n = data.length;
    let pos = this.#pos;
    let i = 0;
    if (pos + n >= KECCAK256_RATE) {
      if (pos > 0) {
        // Complete the pending block.
        for (; pos < KECCAK256_RATE; pos++, i++) state[pos]! ^= data[i]!;
        this.#wasm.permute(state);
        pos = 0;
      }
      const blocks = Math.floor((n - i) / KECCAK256_RATE);
      if (blocks > 0) {
        this.#wasm.absorbBlocks(state, data, i, blocks);
        i += blocks * KECCAK256_RATE;
      }
    }
    for (; i < n; i++, pos++) state[pos]! ^= data[i]!;
    this.#pos = pos;
    return this;
  }

  digest(): Uint8Array {
    return this.#wasm.squeeze256(this.#state, this.#pos);
  }

  clone(): Keccak256Hasher {
    return new SpongeKeccakHasher(this.#wasm, this.#state.slice(), this.#pos);
  }
}
