import { xorBytes } from '@status-ts/core';
import { createAesEcbEncryptor } from '@status-ts/crypto';
import type { MacHash } from './secrets.js';

/**
 * The RLPx MAC (checklist RLPX-06): a running keccak256 state re-seeded per header and per frame with
 * `AES-256-ECB(mac-secret, digest[:16]) ^ seed`; the MAC is the first 16 bytes of the digest that follows.
 */
export class RlpxMac {
  readonly #hash: MacHash;
  readonly #encrypt: (block: Uint8Array) => Uint8Array;

  constructor(hash: MacHash, macSecret: Uint8Array) {
    this.#hash = hash;
    this.#encrypt = createAesEcbEncryptor(macSecret);
  }

  /** Header MAC over the 16-byte header ciphertext; advances the state. */
  header(headerCiphertext: Uint8Array): Uint8Array {
    return this.#reseed(this.#hash.digest(), headerCiphertext);
  }

  /** Frame MAC over the (padded) frame ciphertext; advances the state. */
  frame(frameCiphertext: Uint8Array): Uint8Array {
    this.#hash.update(frameCiphertext);
    const seed = this.#hash.digest();
    return this.#reseed(seed, seed);
  }

  /** The current digest (for tests: the MAC states of the vectors). */
  digest(): Uint8Array {
    return this.#hash.digest();
  }

  #reseed(sum: Uint8Array, seed: Uint8Array): Uint8Array {
    this.#hash.update(xorBytes(this.#encrypt(sum.subarray(0, 16)), seed.subarray(0, 16)));
    return this.#hash.digest().subarray(0, 16);
  }
}
