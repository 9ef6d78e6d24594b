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

/** Encrypt-then-MAC for our direction: frame = len(4, BE) || AES-CTR(plaintext) || HMAC(ciphertext). */
export class FrameSealer {
  readonly #ctr: AesCtrStream;
  readonly #macKey: Uint8Array;
  readonly #hmac: HmacFunction;
  readonly #macLength: number;

  constructor(suite: Suite, keys: DirectionKeys) {
    this.#ctr = createAesCtr(keys.cipherKey, keys.iv);
    this.#macKey = keys.macKey;
    this.#hmac = HMAC[suite.hash];
    this.#macLength = HASH_LENGTH[suite.hash];
  }

  /** The complete frame, length prefix included. */
  seal(plaintext: Uint8Array): Uint8Array {
    const bodyLength = plaintext.length + this.#macLength;
    const frame = new Uint8Array(LENGTH_PREFIX_BYTES + bodyLength);
    new DataView(frame.buffer).setUint32(0, bodyLength);
    const ciphertext = this.#ctr.update(plaintext);
    frame.set(ciphertext, LENGTH_PREFIX_BYTES);
    const mac = this.#hmac(this.#macKey, ciphertext);
    frame.set(mac, LENGTH_PREFIX_BYTES + ciphertext.length);
    return frame;
  }
}

/** The peer's direction: checks the MAC in constant time before the keystream advances, then decrypts. */
export class FrameOpener {
  readonly #ctr: AesCtrStream;
  readonly #macKey: Uint8Array;
  readonly #hmac: HmacFunction;
  readonly #macLength: number;

  constructor(suite: Suite, keys: DirectionKeys) {
    this.#ctr = createAesCtr(keys.cipherKey, keys.iv);
    this.#macKey = keys.macKey;
    this.#hmac = HMAC[suite.hash];
    this.#macLength = HASH_LENGTH[suite.hash];
  }

  /** True when `body` (ciphertext || MAC) carries a valid MAC under these keys; advances nothing. */
  authenticates(body: Uint8Array): boolean {
    if (body.length < this.#macLength) return false;
    const split = body.length - this.#macLength;
    const expected = this.#hmac(this.#macKey, body.subarray(0, split));
    return constantTimeEqual(expected, body.subarray(split));
  }

  /** The plaintext of one frame body (the bytes after the length prefix). */
  open(body: Uint8Array): Uint8Array {
    if (body.length < this.#macLength) {
      throw new SecioError(
        SecioErrorCode.Truncated,
        `frame of ${body.length} bytes is shorter than its ${this.#macLength}-byte MAC`,
      );
    }
    if (!this.authenticates(body)) throw new SecioError(SecioErrorCode.BadMac, 'frame MAC does not match');
    return this.#ctr.update(body.subarray(0, body.length - this.#macLength));
  }
}
