import { keccak_256 } from '@noble/hashes/sha3.js';
import type { IHasher } from 'hash-wasm';
import { fastKeccak } from './backend.js';

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

export function keccak256Wasm(wasm: IHasher, parts: Uint8Array[]): Uint8Array {
  wasm.init();
  for (const p of parts) wasm.update(p);
  return wasm.digest('binary');
}

/** A new Keccak-256 hasher on the fastest ready backend (WASM after initFastCrypto(), noble before). */
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

export function createKeccak256Wasm(wasm: IHasher): Keccak256Hasher {
  wasm.init();
  return new WasmKeccakHasher(wasm, wasm.save());
}

/**
 * One WebAssembly instance serves every hasher: each hasher keeps its own saved state (~400 bytes) and
 * loads it around each operation. JS is single-threaded and every call is synchronous, so hashers never
 * interleave inside the instance. Saved states are never mutated, so `clone()` shares them (copy on write).
 */
class WasmKeccakHasher implements Keccak256Hasher {
  readonly #wasm: IHasher;
  #state: Uint8Array;

  constructor(wasm: IHasher, state: Uint8Array) {
    this.#wasm = wasm;
    this.#state = state;
  }

  update(data: Uint8Array): Keccak256Hasher {
    this.#wasm.load(this.#state);
    this.#wasm.update(data);
    this.#state = this.#wasm.save();
    return this;
  }

  digest(): Uint8Array {
    this.#wasm.load(this.#state);
    return this.#wasm.digest('binary');
  }

  clone(): Keccak256Hasher {
    return new WasmKeccakHasher(this.#wasm, this.#state);
  }
}
