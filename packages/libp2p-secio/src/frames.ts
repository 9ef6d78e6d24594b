import { constantTimeEqual } from '@status-ts/core';
import { type AesCtrStream, createAesCtr } from '@status-ts/crypto';
import type { CipherName, HashName } from './constants.js';
import { LENGTH_PREFIX_BYTES } from './constants.js';
import { SecioError, SecioErrorCode } from './errors.js';
import { type DirectionKeys, HASH_LENGTH, HMAC, type HmacFunction } from './key-stretch.js';

/** The negotiated suite of one connection. */
export interface Suite {
  readonly cipher: CipherName;
  readonly hash: HashName;
}

/** One direction's keystream and MAC key, as the key stretch gave them. */
class DirectionCipher {
  readonly ctr: AesCtrStream;
  readonly macLength: number;
  readonly #macKey: Uint8Array;
  readonly #hmac: HmacFunction;

  constructor(suite: Suite, keys: DirectionKeys) {
    this.ctr = createAesCtr(keys.cipherKey, keys.iv);
    this.#macKey = keys.macKey;
    this.#hmac = HMAC[suite.hash];
    this.macLength = HASH_LENGTH[suite.hash];
  }

  mac(ciphertext: Uint8Array): Uint8Array {
    return this.#hmac(this.#macKey, ciphertext);
  }
}

/** Encrypt-then-MAC for our direction: frame = len(4, BE) || AES-CTR(plaintext) || HMAC(ciphertext). */
export class FrameSealer {
  readonly #cipher: DirectionCipher;

  constructor(suite: Suite, keys: DirectionKeys) {
    this.#cipher = new DirectionCipher(suite, keys);
  }

  /** The complete frame, length prefix included. */
  seal(plaintext: Uint8Array): Uint8Array {
    const bodyLength = plaintext.length + this.#cipher.macLength;
    const frame = new Uint8Array(LENGTH_PREFIX_BYTES + bodyLength);
    new DataView(frame.buffer).setUint32(0, bodyLength);
    const ciphertext = this.#cipher.ctr.update(plaintext);
    frame.set(ciphertext, LENGTH_PREFIX_BYTES);
    frame.set(this.#cipher.mac(ciphertext), LENGTH_PREFIX_BYTES + ciphertext.length);
    return frame;
  }
}

/** The peer's direction: checks the MAC in constant time before the keystream advances, then decrypts. */
export class FrameOpener {
  readonly #cipher: DirectionCipher;

  constructor(suite: Suite, keys: DirectionKeys) {
    this.#cipher = new DirectionCipher(suite, keys);
  }

  /** True when `body` (ciphertext || MAC) carries a valid MAC under these keys; advances nothing. */
  authenticates(body: Uint8Array): boolean {
    const macLength = this.#cipher.macLength;
    if (body.length < macLength) return false;
    const split = body.length - macLength;
    return constantTimeEqual(this.#cipher.mac(body.subarray(0, split)), body.subarray(split));
  }

  /** The plaintext of one frame body (the bytes after the length prefix). */
  open(body: Uint8Array): Uint8Array {
    const macLength = this.#cipher.macLength;
    if (body.length < macLength) {
      throw new SecioError(
        SecioErrorCode.Truncated,
        `frame of ${body.length} bytes is shorter than its ${macLength}-byte MAC`,
      );
    }
    if (!this.authenticates(body)) throw new SecioError(SecioErrorCode.BadMac, 'frame MAC does not match');
    return this.#cipher.ctr.update(body.subarray(0, body.length - macLength));
  }
}
