import { unsafe as aesInternals } from '@noble/ciphers/aes.js';
import { fastNode } from './backend.js';
import { assertByteLength } from './errors.js';
import { fromBuffer, type NodeCrypto } from './node-crypto.js';

export const AES_BLOCK_SIZE = 16;
export const AES_KEY_LENGTHS: readonly number[] = [16, 24, 32];
/** The noble stream produces at most this much keystream per step (a multiple of the block size). */
const KEYSTREAM_CHUNK = 64 * 1024;

/** AES-CTR with one continuous keystream across calls of any length (RLPx frames, per direction). */
export interface AesCtrStream {
  /** Encrypts or decrypts `data` (the same operation) and advances the keystream by `data.length`. */
  update(data: Uint8Array): Uint8Array;
}

/** Starts an AES-CTR stream: 16/24/32-byte key, 16-byte initial counter block (128-bit big-endian counter). */
export function createAesCtr(key: Uint8Array, iv: Uint8Array): AesCtrStream {
  assertByteLength(key, AES_KEY_LENGTHS, 'AES key');
  assertByteLength(iv, [AES_BLOCK_SIZE], 'AES-CTR IV');
  const node = fastNode();
  return node ? new NodeAesCtr(node, key, iv) : new NobleAesCtr(key, iv);
}

/** One-shot AES-CTR (encrypt = decrypt). */
export function aesCtr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  return createAesCtr(key, iv).update(data);
}

export function createAesCtrNoble(key: Uint8Array, iv: Uint8Array): AesCtrStream {
  assertByteLength(key, AES_KEY_LENGTHS, 'AES key');
  assertByteLength(iv, [AES_BLOCK_SIZE], 'AES-CTR IV');
  return new NobleAesCtr(key, iv);
}

export function createAesCtrNode(node: NodeCrypto, key: Uint8Array, iv: Uint8Array): AesCtrStream {
  assertByteLength(key, AES_KEY_LENGTHS, 'AES key');
  assertByteLength(iv, [AES_BLOCK_SIZE], 'AES-CTR IV');
  return new NodeAesCtr(node, key, iv);
}

/** node:crypto's CTR cipher already streams: it keeps the counter and the partial block between updates. */
class NodeAesCtr implements AesCtrStream {
  readonly #cipher: ReturnType<NodeCrypto['createCipheriv']>;

  constructor(node: NodeCrypto, key: Uint8Array, iv: Uint8Array) {
    this.#cipher = node.createCipheriv(`aes-${key.length * 8}-ctr`, key, iv);
  }

  update(data: Uint8Array): Uint8Array {
    return fromBuffer(this.#cipher.update(data));
  }
}

/**
 * noble's CTR objects are single-use, so this keeps the expanded key, the live counter block and the
 * unused tail of the last keystream block itself. Keystream is produced a whole block at a time by
 * noble's counter routine (which advances the counter in place), then XORed into the data.
 */
class NobleAesCtr implements AesCtrStream {
  readonly #xk: Uint32Array;
  readonly #counter: Uint8Array;
  /** Keystream of the current block; bytes before #used are spent. */
  readonly #block = new Uint8Array(AES_BLOCK_SIZE);
  #used = AES_BLOCK_SIZE;
  #zeros = new Uint8Array(0);
  #keystream = new Uint8Array(0);

  constructor(key: Uint8Array, iv: Uint8Array) {
    this.#xk = aesInternals.expandKeyLE(key);
    this.#counter = new Uint8Array(iv); // aligned private copy: noble advances it in place
  }

  update(data: Uint8Array): Uint8Array {
    const out = new Uint8Array(data.length);
    let i = 0;
    // 1. Spend what is left of the previous block's keystream.
    while (this.#used < AES_BLOCK_SIZE && i < data.length) out[i] = data[i++]! ^ this.#block[this.#used++]!;
    // 2. Fresh keystream, a whole number of blocks at a time (bounded scratch memory); the last block may
    //    be only partly used, and its unused tail is kept for the next call.
    while (i < data.length) {
      const n = Math.min(data.length - i, KEYSTREAM_CHUNK);
      const ks = this.#keystreamFor(Math.ceil(n / AES_BLOCK_SIZE) * AES_BLOCK_SIZE);
      // Stryker disable next-line EqualityOperator: j === n writes past the end of out or a byte the next step overwrites
      for (let j = 0; j < n; j++) out[i + j] = data[i + j]! ^ ks[j]!;
      i += n;
      const tail = n % AES_BLOCK_SIZE;
      if (tail !== 0) {
        this.#block.set(ks.subarray(ks.length - AES_BLOCK_SIZE));
        this.#used = tail;
      }
    }
    return out;
  }

  #keystreamFor(length: number): Uint8Array {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: reallocating more often only costs time
    if (this.#zeros.length < length) {
      // Stryker disable next-line MethodExpression,ArithmeticOperator: the scratch size is a performance choice; it is always >= length
      const size = Math.min(KEYSTREAM_CHUNK, Math.max(length, 2 * this.#zeros.length));
      this.#zeros = new Uint8Array(size);
      this.#keystream = new Uint8Array(size);
    }
    const ks = this.#keystream.subarray(0, length);
    aesInternals.ctrCounter(this.#xk, this.#counter, this.#zeros.subarray(0, length), ks);
    return ks;
  }
}
