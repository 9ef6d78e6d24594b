import { raceSignal } from '@status-ts/core';
import { rlpDecode, rlpEncode, rlpToBigInt } from '@status-ts/enr';
import { DEFAULT_MAX_MESSAGE_SIZE, MessageType } from './constants.js';
import { RendezvousError, RendezvousErrorCode } from './errors.js';

/**
 * Stream framing (RDV-02): a message is RLP(uint type) followed by its RLP body, back to back, with no
 * length prefix. Items are cut from the byte stream by their RLP headers.
 */

const KNOWN_TYPES = new Set<number>(Object.values(MessageType));

/** One message as bytes: the type, then the body (omitted for REMOTEIP, which has none on the wire). */
export function encodeFrame(type: MessageType, body?: Uint8Array): Uint8Array {
  const head = rlpEncode(type);
  if (!body) return head;
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

function badFraming(message: string): RendezvousError {
  return new RendezvousError(RendezvousErrorCode.BadFraming, message);
}

/**
 * Total size of the RLP item at the start of `buffer`, or undefined while its header is incomplete.
 * Rejects non-canonical long-form lengths and items over `maxSize` from the header alone, so a hostile
 * length never makes us buffer.
 */
export function rlpItemSize(buffer: Uint8Array, maxSize: number): number | undefined {
  if (buffer.length === 0) return undefined;
  const prefix = buffer[0]!;
  let size: number;
  if (prefix <= 0x7f) size = 1;
  else if (prefix < 0xb8) size = 1 + prefix - 0x80;
  else if (prefix >= 0xc0 && prefix < 0xf8) size = 1 + prefix - 0xc0;
  else {
    const lengthOfLength = prefix <= 0xbf ? prefix - 0xb7 : prefix - 0xf7;
    if (buffer.length < 1 + lengthOfLength) return undefined;
    if (buffer[1] === 0) throw badFraming('RLP length prefix has leading zero bytes');
    let length = 0;
    for (let i = 1; i <= lengthOfLength; i++) length = length * 256 + buffer[i]!;
    if (length < 56) throw badFraming(`RLP long-form length ${length} where the short form is required`);
    size = 1 + lengthOfLength + length;
  }
  if (size > maxSize) {
    throw new RendezvousError(
      RendezvousErrorCode.MessageTooLarge,
      `RLP item of ${size} bytes exceeds the ${maxSize}-byte limit`,
      { details: { size, maxSize } },
    );
  }
  return size;
}

/**
 * The message type of a type item: a canonical RLP uint64. Returns the number for known types and throws
 * ERR_RENDEZVOUS_UNEXPECTED_TYPE for others (the server resets the stream on those).
 */
export function decodeMessageType(item: Uint8Array): MessageType {
  let value: bigint;
  try {
    value = rlpToBigInt(rlpDecode(item), 8);
  } catch (cause) {
    throw new RendezvousError(RendezvousErrorCode.BadFraming, 'message type is not an RLP uint64', { cause });
  }
  // Number() is exact up to 2^53 and rounds larger values far above every known type.
  if (!KNOWN_TYPES.has(Number(value))) {
    throw new RendezvousError(RendezvousErrorCode.UnexpectedType, `unknown message type ${value}`, {
      details: { type: value.toString() },
    });
  }
  return Number(value) as MessageType;
}

/** Cuts whole RLP items out of a byte stream, at most `maxSize` bytes each. */
export class FrameReader {
  readonly #iterator: AsyncIterator<Uint8Array>;
  readonly #maxSize: number;
  #buffer: Uint8Array = new Uint8Array(0);
  #done = false;

  constructor(source: AsyncIterable<Uint8Array>, maxSize = DEFAULT_MAX_MESSAGE_SIZE) {
    this.#iterator = source[Symbol.asyncIterator]();
    this.#maxSize = maxSize;
  }

  /** Bytes received but not yet returned as items. */
  get buffered(): number {
    return this.#buffer.length;
  }

  /**
   * The next whole item (a copy), or undefined at a clean end of stream. Throws on a malformed or oversized
   * header, and ERR_RENDEZVOUS_UNEXPECTED_EOF when the stream ends inside an item.
   */
  async next(signal?: AbortSignal): Promise<Uint8Array | undefined> {
    for (;;) {
      // An incomplete header needs more bytes, like an incomplete item.
      const size = rlpItemSize(this.#buffer, this.#maxSize) ?? Number.POSITIVE_INFINITY;
      if (this.#buffer.length >= size) {
        const item = this.#buffer.slice(0, size);
        this.#buffer = this.#buffer.subarray(size);
        return item;
      }
      if (!this.#done) {
        await this.#pull(signal);
        continue;
      }
      if (this.#buffer.length === 0) return undefined;
      throw new RendezvousError(RendezvousErrorCode.UnexpectedEof, 'stream ended inside a message', {
        details: { buffered: this.#buffer.length },
      });
    }
  }

  /** Appends the next chunk to the buffer, or marks the end of the stream. */
  async #pull(signal: AbortSignal | undefined): Promise<void> {
    const result = await raceSignal(this.#iterator.next(), signal);
    if (result.done) {
      this.#done = true;
      return;
    }
    const chunk = result.value;
    const joined = new Uint8Array(this.#buffer.length + chunk.length);
    joined.set(this.#buffer, 0);
    joined.set(chunk, this.#buffer.length);
    this.#buffer = joined;
  }
}
