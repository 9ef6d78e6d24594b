import { keccak_256 } from '@noble/hashes/sha3.js';
import { fastKeccak } from './backend.js';
import { CryptoError, CryptoErrorCode } from './errors.js';
import { KECCAK256_RATE, type KeccakWasm } from './keccak-wasm.js';

const STATE_BYTES = 200;

/** Bytes of a Keccak-256 digest. */
export const KECCAK256_LENGTH = 32;

/**
 * A running Keccak-256 state (original Keccak padding, not FIPS SHA3). `digest()` does not change the
 * state, like Go's `hash.Sum`, so RLPx can keep absorbing after reading the MAC; `clone()` forks it.
 * `cloneInto` and `digestInto` are the allocation-free forms for hot loops (a PoW nonce search clones a
 * fixed prefix and digests once per attempt).
 */
export interface Keccak256Hasher {
  update(data: Uint8Array): Keccak256Hasher;
  /** The hash of everything absorbed so far; the state is left untouched. */
  digest(): Uint8Array;
  /** An independent copy of the running state. */
  clone(): Keccak256Hasher;
  /**
   * Overwrites `target`'s running state with this one's, without allocating, and returns `target`; afterwards
   * the two are independent, as after `clone()`. `target` must come from the same backend (a hasher made
   * while the other backend was active): ERR_CRYPTO_INVALID_ARGUMENT otherwise.
   */
  cloneInto(target: Keccak256Hasher): Keccak256Hasher;
  /**
   * Writes the 32-byte hash of everything absorbed so far to `out[offset .. offset + 32)` and returns `out`;
   * the state is left untouched and nothing is allocated on the WebAssembly backend. ERR_CRYPTO_INVALID_LENGTH
   * when the 32 bytes do not fit.
   */
  digestInto(out: Uint8Array, offset?: number): Uint8Array;
}

/**
 * Keccak-256 of `prefix || suffix` for many suffixes of one fixed length after one prefix (a proof-of-work
 * nonce search). See `createKeccak256SuffixHasher`.
 */
export interface Keccak256SuffixHasher {
  readonly suffixLength: number;
  /**
   * Writes keccak256(prefix || suffix) to `out[offset .. offset + 32)` and returns `out`, allocating nothing
   * on the WebAssembly backend. ERR_CRYPTO_INVALID_LENGTH when `suffix` is not `suffixLength` bytes or the
   * digest does not fit.
   */
  digestInto(suffix: Uint8Array, out: Uint8Array, offset?: number): Uint8Array;
  /**
   * Snapshots another prefix into this hasher and returns it, reusing its buffers (no allocation when the
   * prefix comes from the backend of the previous one), so a caller can keep one suffix hasher for many
   * searches.
   */
  setPrefix(prefix: Keccak256Hasher): Keccak256SuffixHasher;
}

/**
 * Snapshots `prefix` (later updates to it do not matter) for hashing it followed by `suffixLength`-byte
 * suffixes. On the WebAssembly backend, when the suffix ends inside the prefix's pending block, the Keccak
 * padding is applied to the snapshot once, so each digest is one 200-byte copy, the suffix XOR and one
 * permutation; otherwise each digest clones the snapshot into a reused hasher. Results always equal
 * `prefix.clone().update(suffix).digest()`. ERR_CRYPTO_INVALID_ARGUMENT for a negative or fractional length.
 */
export function createKeccak256SuffixHasher(
  prefix: Keccak256Hasher,
  suffixLength: number,
): Keccak256SuffixHasher {
  if (!Number.isInteger(suffixLength) || suffixLength < 0) {
    throw new CryptoError(
      CryptoErrorCode.InvalidArgument,
      `suffix length must be a non-negative integer, got ${suffixLength}`,
    );
  }
  return new SuffixHasher(suffixLength).setPrefix(prefix);
}

function assertSuffixLength(suffix: Uint8Array, length: number): void {
  if (!(suffix instanceof Uint8Array) || suffix.length !== length) {
    throw new CryptoError(
      CryptoErrorCode.InvalidLength,
      `suffix must be ${length} bytes, got ${suffix instanceof Uint8Array ? suffix.length : typeof suffix}`,
    );
  }
}

class SuffixHasher implements Keccak256SuffixHasher {
  readonly suffixLength: number;
  /** Padded mode (WebAssembly, suffix inside the pending block): the engine, the padded state, where the suffix goes. */
  #wasm: KeccakWasm | undefined;
  #padded: Uint8Array | undefined;
  #pos = 0;
  /** Cloned mode: the snapshot and the hasher each digest clones it into. */
  #base: Keccak256Hasher | undefined;
  #scratch: Keccak256Hasher | undefined;

  constructor(suffixLength: number) {
    this.suffixLength = suffixLength;
  }

  setPrefix(prefix: Keccak256Hasher): Keccak256SuffixHasher {
    this.#padded ??= new Uint8Array(STATE_BYTES);
    const padded = SpongeKeccakHasher.padForSuffix(prefix, this.suffixLength, this.#padded);
    if (padded) {
      this.#wasm = padded.wasm;
      this.#pos = padded.pos;
      return this;
    }
    this.#wasm = undefined;
    if (this.#base && sameBackend(this.#base, prefix)) prefix.cloneInto(this.#base);
    else {
      this.#base = prefix.clone();
      this.#scratch = prefix.clone();
    }
    return this;
  }

  digestInto(suffix: Uint8Array, out: Uint8Array, offset = 0): Uint8Array {
    assertSuffixLength(suffix, this.suffixLength);
    if (this.#wasm) {
      assertDigestFits(out, offset);
      this.#wasm.squeezeSuffix256Into(this.#padded!, this.#pos, suffix, out, offset);
      return out;
    }
    return this.#base!.cloneInto(this.#scratch!).update(suffix).digestInto(out, offset);
  }
}

function sameBackend(a: Keccak256Hasher, b: Keccak256Hasher): boolean {
  return a instanceof SpongeKeccakHasher === b instanceof SpongeKeccakHasher;
}

function assertDigestFits(out: Uint8Array, offset: number): void {
  if (!(out instanceof Uint8Array)) {
    throw new CryptoError(CryptoErrorCode.InvalidLength, 'digest output must be a Uint8Array');
  }
  if (!Number.isInteger(offset) || offset < 0 || offset + KECCAK256_LENGTH > out.length) {
    throw new CryptoError(
      CryptoErrorCode.InvalidLength,
      `a ${KECCAK256_LENGTH}-byte digest does not fit at offset ${offset} of a ${out.length}-byte buffer`,
      { details: { offset, length: out.length } },
    );
  }
}

function otherBackend(): CryptoError {
  return new CryptoError(
    CryptoErrorCode.InvalidArgument,
    'cloneInto needs a target hasher of the same keccak backend (WebAssembly or noble)',
  );
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
  return wasm.hash256(parts);
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
  /** Finalised by digestInto; reused so repeated digests allocate only inside noble. */
  #scratch: NobleKeccakState | undefined;
  #scratchOut: Uint8Array | undefined;

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

  cloneInto(target: Keccak256Hasher): Keccak256Hasher {
    if (!(target instanceof NobleKeccakHasher)) throw otherBackend();
    if (target !== this) this.#state._cloneInto(target.#state);
    return target;
  }

  digestInto(out: Uint8Array, offset = 0): Uint8Array {
    assertDigestFits(out, offset);
    const scratch = this.#state._cloneInto(this.#scratch);
    this.#scratch = scratch;
    this.#scratchOut ??= new Uint8Array(KECCAK256_LENGTH);
    scratch.digestInto(this.#scratchOut);
    out.set(this.#scratchOut, offset);
    return out;
  }
}

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
    const pos = this.#pos;
    const n = data.length;
    if (pos + n < KECCAK256_RATE) {
      // Stays inside the pending block: a few XORs, no call into WASM (the RLPx MAC's 16-byte seeds).
      const state = this.#state;
      for (let i = 0; i < n; i++) state[pos + i]! ^= data[i]!;
      this.#pos = pos + n;
    } else {
      this.#pos = this.#wasm.absorb(this.#state, pos, data);
    }
    return this;
  }

  digest(): Uint8Array {
    return this.#wasm.squeeze256(this.#state, this.#pos);
  }

  clone(): Keccak256Hasher {
    return new SpongeKeccakHasher(this.#wasm, this.#state.slice(), this.#pos);
  }

  cloneInto(target: Keccak256Hasher): Keccak256Hasher {
    if (!(target instanceof SpongeKeccakHasher)) throw otherBackend();
    target.#state.set(this.#state);
    target.#pos = this.#pos;
    return target;
  }

  digestInto(out: Uint8Array, offset = 0): Uint8Array {
    assertDigestFits(out, offset);
    this.#wasm.squeeze256Into(this.#state, this.#pos, out, offset);
    return out;
  }

  /**
   * Copies `prefix`'s state into `padded` with the Keccak padding for a message ending `length` bytes after
   * the pending position, when `prefix` is a WebAssembly hasher and that end leaves room for the first
   * padding byte in the pending block; else undefined.
   */
  static padForSuffix(
    prefix: Keccak256Hasher,
    length: number,
    padded: Uint8Array,
  ): { wasm: KeccakWasm; pos: number } | undefined {
    if (!(prefix instanceof SpongeKeccakHasher) || prefix.#pos + length >= KECCAK256_RATE) return undefined;
    padded.set(prefix.#state);
    // Original Keccak padding: 0x01 right after the message, 0x80 in the last byte of the block.
    padded[prefix.#pos + length]! ^= 0x01;
    padded[KECCAK256_RATE - 1]! ^= 0x80;
    return { wasm: prefix.#wasm, pos: prefix.#pos };
  }
}
