import { utf8Length } from './go-text.js';

/**
 * A minimal protobuf writer for the two messages on the send path of every chat message
 * (ApplicationMetadataMessage and ChatMessage): writing them field by field is several times faster than
 * protobuf-es's reflective create() + toBinary(), which dominated wrapping after the signature itself.
 * It writes what Go's proto3 writes: fields in the order called (callers go by field number), zero
 * scalars and empty strings/bytes omitted, a oneof member always written. Tests check it against
 * toBinary for arbitrary messages.
 */
export class ProtoWriter {
  #buffer = new Uint8Array(256);
  #length = 0;

  /** A varint field (uint64, or a non-negative int32/enum), omitted when 0. `value` is a safe integer. */
  uint(field: number, value: number): this {
    if (value === 0) return this;
    this.#reserve(20);
    this.#tag(field, 0);
    this.#varint(value);
    return this;
  }

  /** An int32 field (negative values take 10 bytes, sign-extended to 64 bits as Go writes them). */
  int32(field: number, value: number): this {
    if (value >= 0) return this.uint(field, value);
    this.#reserve(20);
    this.#tag(field, 0);
    let rest = BigInt.asUintN(64, BigInt(value));
    while (rest > 0x7fn) {
      this.#buffer[this.#length++] = Number(rest & 0x7fn) | 0x80;
      rest >>= 7n;
    }
    this.#buffer[this.#length++] = Number(rest);
    return this;
  }

  /** A bytes field, omitted when empty. */
  bytes(field: number, value: Uint8Array): this {
    if (value.length === 0) return this;
    return this.#delimited(field, value);
  }

  /** A string field (UTF-8), omitted when empty. */
  string(field: number, value: string): this {
    if (value === '') return this;
    const size = utf8Length(value);
    this.#reserve(20 + size);
    this.#tag(field, 2);
    this.#varint(size);
    const { written } = textEncoder.encodeInto(
      value,
      this.#buffer.subarray(this.#length, this.#length + size),
    );
    this.#length += written;
    return this;
  }

  /** An embedded message field, written even when empty (a set oneof member). */
  message(field: number, value: ProtoWriter): this {
    return this.#delimited(field, value.finish());
  }

  /** The encoded message (a view of the writer's buffer: do not write more afterwards). */
  finish(): Uint8Array {
    return this.#buffer.subarray(0, this.#length);
  }

  #delimited(field: number, value: Uint8Array): this {
    this.#reserve(20 + value.length);
    this.#tag(field, 2);
    this.#varint(value.length);
    this.#buffer.set(value, this.#length);
    this.#length += value.length;
    return this;
  }

  #reserve(bytes: number): void {
    const needed = this.#length + bytes;
    if (needed <= this.#buffer.length) return;
    const grown = new Uint8Array(Math.max(needed, this.#buffer.length * 2));
    grown.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = grown;
  }

  #tag(field: number, wireType: number): void {
    this.#varint(field * 8 + wireType);
  }

  #varint(value: number): void {
    // Safe integers only (below 2^53): split with division, as bit operators stop at 32 bits.
    let rest = value;
    while (rest > 0x7f) {
      this.#buffer[this.#length++] = (rest % 128) | 0x80;
      rest = Math.floor(rest / 128);
    }
    this.#buffer[this.#length++] = rest;
  }
}

const textEncoder = new TextEncoder();
