import type { Uint8ArrayList } from 'uint8arraylist';
import { LENGTH_PREFIX_BYTES } from './constants.js';
import { SecioErrorCode as Code, SecioError, type SecioErrorCode } from './errors.js';

/**
 * Pulls exact byte counts out of a libp2p source (chunks of any size). The handshake and then the
 * decrypting loop share one reader, so bytes that arrive together with the last handshake message are
 * never lost.
 */
export class ByteReader {
  readonly #iterator: AsyncIterator<Uint8Array | Uint8ArrayList>;
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #ended = false;

  constructor(source: AsyncIterable<Uint8Array | Uint8ArrayList>) {
    this.#iterator = source[Symbol.asyncIterator]();
  }

  /** True once the source has ended and every buffered byte was read. */
  async atEnd(): Promise<boolean> {
    if (this.#buffered > 0) return false;
    await this.#pull();
    return this.#buffered === 0;
  }

  /** Exactly `length` bytes; ERR_SECIO_TRUNCATED if the source ends first. */
  async read(length: number, what: string): Promise<Uint8Array> {
    while (this.#buffered < length) {
      if (!(await this.#pull())) {
        throw new SecioError(Code.Truncated, `stream ended inside ${what}`, {
          details: { expected: length, received: this.#buffered },
        });
      }
    }
    return this.#take(length);
  }

  /** A 4-byte big-endian length, checked against `max` before any body byte is buffered. */
  async readLengthPrefixed(max: number, tooLarge: SecioErrorCode, what: string): Promise<Uint8Array> {
    const prefix = await this.read(LENGTH_PREFIX_BYTES, `the length prefix of ${what}`);
    const length = new DataView(prefix.buffer, prefix.byteOffset, LENGTH_PREFIX_BYTES).getUint32(0);
    if (length > max) {
      throw new SecioError(tooLarge, `${what} of ${length} bytes is over the ${max}-byte limit`, {
        details: { length, max },
      });
    }
    return this.read(length, what);
  }

  /** Ends the underlying source early (the connection is being torn down). */
  async cancel(): Promise<void> {
    this.#ended = true;
    await this.#iterator.return?.();
  }

  async #pull(): Promise<boolean> {
    if (this.#ended) return false;
    const next = await this.#iterator.next();
    if (next.done === true) {
      this.#ended = true;
      return false;
    }
    const chunk = next.value instanceof Uint8Array ? next.value : next.value.subarray();
    if (chunk.length > 0) {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
    }
    return true;
  }

  #take(length: number): Uint8Array {
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const head = this.#chunks[0]!;
      const n = Math.min(head.length, length - filled);
      out.set(head.subarray(0, n), filled);
      filled += n;
      if (n === head.length) this.#chunks.shift();
      else this.#chunks[0] = head.subarray(n);
    }
    this.#buffered -= length;
    return out;
  }
}

/** 4-byte big-endian length prefix followed by `body`. */
export function lengthPrefixed(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(LENGTH_PREFIX_BYTES + body.length);
  new DataView(out.buffer).setUint32(0, body.length);
  out.set(body, LENGTH_PREFIX_BYTES);
  return out;
}
