import { bytesToHex } from '@status-ts/core';
import { keccak256 } from '@status-ts/crypto';
import { type RlpHeader, rlpDecodeHeader, rlpEncode, rlpListHeader } from '@status-ts/enr';
import { ENVELOPE_HEADER_LENGTH, TOPIC_LENGTH } from '../constants.js';
import { WakuError, WakuErrorCode } from '../errors.js';
import { assertTopic, type Topic } from '../topics.js';
import { type Bloom, topicToBloom } from './bloom.js';
import { allocateEnvelopeBytes } from './byte-slab.js';

const UINT32_MAX = 0xffffffff;
const UINT64_MAX = (1n << 64n) - 1n;

/** The five envelope fields (WAKU-07). Integers are unsigned: expiry and TTL 32 bits, nonce 64 bits. */
export interface EnvelopeFields {
  /** Unix seconds after which the envelope is dropped. */
  expiry: number;
  /** Time to live in seconds; `expiry - ttl` is the sent time. */
  ttl: number;
  topic: Topic;
  /** The encrypted payload. */
  data: Uint8Array;
  nonce?: bigint | number;
}

/** Where the items sit in the encoded envelope, for hashing the nonce-less form without re-encoding. */
interface Layout {
  /** Offset of the first item (expiry). */
  itemsStart: number;
  /** Offset of the nonce item. */
  nonceStart: number;
}

/** An envelope item, named in `details.field` of the errors about it. */
export type EnvelopeField = 'expiry' | 'ttl' | 'topic' | 'data' | 'nonce';

function badEnvelope(message: string, field?: EnvelopeField, cause?: unknown): WakuError {
  // WakuError leaves out an undefined cause; errors about the envelope as a whole name no field.
  return new WakuError(WakuErrorCode.BadEnvelope, message, {
    cause,
    ...(field === undefined ? {} : { details: { field } }),
  });
}

function assertUint32(value: unknown, what: 'expiry' | 'ttl'): asserts value is number {
  // Number.isInteger is false for every non-number.
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > UINT32_MAX) {
    throw badEnvelope(`${what} must be an unsigned 32-bit integer, got ${String(value)}`, what);
  }
}

function toNonce(value: bigint | number | undefined): bigint {
  const nonce = typeof value === 'number' ? BigInt(Number.isSafeInteger(value) ? value : -1) : (value ?? 0n);
  if (typeof nonce !== 'bigint' || nonce < 0n || nonce > UINT64_MAX) {
    throw badEnvelope(`nonce must be an unsigned 64-bit integer, got ${String(value)}`, 'nonce');
  }
  return nonce;
}

function assertFields(fields: EnvelopeFields): void {
  assertUint32(fields.expiry, 'expiry');
  assertUint32(fields.ttl, 'ttl');
  assertTopic(fields.topic);
  if (!(fields.data instanceof Uint8Array)) throw badEnvelope('data must be a Uint8Array', 'data');
}

/** Validates the fields and encodes `RLP([expiry, ttl, topic, data])`, the fixed part of the PoW input. */
export function encodeRlpWithoutNonce(fields: EnvelopeFields): Uint8Array {
  assertFields(fields);
  return rlpEncode([fields.expiry, fields.ttl, fields.topic, fields.data]);
}

/**
 * `RLP([expiry, ttl, topic, data])` up to the data bytes: list header, expiry, TTL, topic and the data's
 * string header. The PoW input is this prefix, the data, then the 8-byte nonce, so the sealer can absorb the
 * data straight from the caller's buffer. Validates the fields.
 */
export function powInputPrefix(fields: EnvelopeFields): Uint8Array {
  assertFields(fields);
  const length = fields.data.length;
  // A single byte below 0x80 is its own encoding; otherwise 0x80 + length, or 0xb7 + n then n length bytes.
  const dataHeader = length === 1 && fields.data[0]! < 0x80 ? 0 : rlpHeaderLength(length);
  const small = uintItemLength(fields.expiry) + uintItemLength(fields.ttl) + 1 + TOPIC_LENGTH + dataHeader;
  const payload = small + length;
  const listHeader = rlpHeaderLength(payload);
  const out = new Uint8Array(listHeader + small);
  writeListHeader(out, listHeader, payload);
  let at = writeUintItem(out, listHeader, fields.expiry);
  at = writeUintItem(out, at, fields.ttl);
  out[at++] = 0x80 + TOPIC_LENGTH;
  out.set(fields.topic, at);
  at += TOPIC_LENGTH;
  if (dataHeader === 1) out[at] = 0x80 + length;
  else if (dataHeader > 1) writeLength(out, at, dataHeader, length, 0xb7);
  return out;
}

function uintItemLength(value: number): number {
  // 0 is the empty string 0x80: one byte, like the values below 0x80.
  return value < 0x80 ? 1 : 1 + uintByteLength(value);
}

function writeUintItem(out: Uint8Array, at: number, value: number): number {
  if (value > 0 && value < 0x80) {
    out[at] = value;
    return at + 1;
  }
  const n = uintByteLength(value);
  out[at] = 0x80 + n;
  for (let i = at + n, v = value; i > at; i--, v = Math.floor(v / 256)) out[i] = v % 256;
  return at + 1 + n;
}

/** A list header of `headerLength` bytes (from rlpHeaderLength) for `payloadLength` at offset 0. */
function writeListHeader(out: Uint8Array, headerLength: number, payloadLength: number): void {
  if (headerLength === 1) out[0] = 0xc0 + payloadLength;
  else writeLength(out, 0, headerLength, payloadLength, 0xf7);
}

/** A long header: `base + n` then the length in n big-endian bytes (n = headerLength - 1). */
function writeLength(out: Uint8Array, at: number, headerLength: number, length: number, base: number): void {
  out[at] = base + headerLength - 1;
  for (let i = at + headerLength - 1, v = length; i > at; i--, v = Math.floor(v / 256)) out[i] = v % 256;
}

/** Reads a canonical unsigned integer of at most `maxBytes` (the header reader already rejects wrapped bytes). */
function readUint(raw: Uint8Array, h: RlpHeader, maxBytes: number, what: 'expiry' | 'ttl'): number {
  if (h.isList) throw badEnvelope(`${what} must be a byte string`, what);
  if (h.payloadLength > maxBytes) throw badEnvelope(`${what} is wider than ${maxBytes} bytes`, what);
  let value = 0;
  for (let i = h.payloadOffset; i < h.end; i++) value = value * 256 + raw[i]!;
  // Canonical: as many bytes as the value needs (0 is the empty string), so no leading zero byte.
  if (uintByteLength(value) !== h.payloadLength) throw badEnvelope(`${what} has leading zero bytes`, what);
  return value;
}

function readNonce(raw: Uint8Array, h: RlpHeader): bigint {
  if (h.isList) throw badEnvelope('nonce must be a byte string', 'nonce');
  if (h.payloadLength > 8) throw badEnvelope('nonce is wider than 8 bytes', 'nonce');
  let value = 0n;
  for (let i = h.payloadOffset; i < h.end; i++) value = (value << 8n) | BigInt(raw[i]!);
  if (nonceByteLength(value) !== h.payloadLength) throw badEnvelope('nonce has leading zero bytes', 'nonce');
  return value;
}

/** The header of the next item. `decode` checked that the list ends where `raw` does, which no header passes. */
function nextItem(raw: Uint8Array, pos: number, listEnd: number, what: EnvelopeField): RlpHeader {
  if (pos >= listEnd) throw badEnvelope(`envelope has no ${what}`, what);
  return rlpDecodeHeader(raw, pos);
}

/**
 * A Waku / Whisper envelope: `RLP([expiry, ttl, topic, data, nonce])`. Decoded envelopes keep the bytes they
 * came in (views into the packet, never re-encoded), so the hash is always over the received bytes (WAKU-07).
 * Hash, PoW hash and bloom are computed on first use and cached.
 */
export class Envelope {
  readonly expiry: number;
  readonly ttl: number;
  readonly topic: Topic;
  readonly data: Uint8Array;
  readonly nonce: bigint;
  readonly #raw: Uint8Array;
  readonly #layout: Layout;
  #hash: Uint8Array | undefined;
  #hashHex: string | undefined;
  #powHash: Uint8Array | undefined;
  #leadingZeros: number | undefined;
  #bloom: Bloom | undefined;
  #topicHex: string | undefined;

  private constructor(
    fields: { expiry: number; ttl: number; topic: Topic; data: Uint8Array; nonce: bigint },
    raw: Uint8Array,
    layout: Layout,
  ) {
    this.expiry = fields.expiry;
    this.ttl = fields.ttl;
    this.topic = fields.topic;
    this.data = fields.data;
    this.nonce = fields.nonce;
    this.#raw = raw;
    this.#layout = layout;
  }

  /** Builds and encodes an envelope from its fields (nonce 0 unless given). */
  static create(fields: EnvelopeFields): Envelope {
    assertFields(fields);
    const nonce = toNonce(fields.nonce);
    const raw = rlpEncode([fields.expiry, fields.ttl, fields.topic, fields.data, nonce]);
    const itemsStart = rlpDecodeHeader(raw, 0).payloadOffset;
    // 0 is the empty string 0x80: one byte, like the values below 0x80.
    const nonceItemLength = nonce < 0x80n ? 1 : 1 + nonceByteLength(nonce);
    const topic = fields.topic.slice();
    return new Envelope({ expiry: fields.expiry, ttl: fields.ttl, topic, data: fields.data, nonce }, raw, {
      itemsStart,
      nonceStart: raw.length - nonceItemLength,
    });
  }

  /**
   * The envelope a seal found, written straight from the PoW input prefix (see `powInputPrefix`) and the
   * data, with the winning PoW hash cached: one allocation, no re-encoding, no re-hashing later.
   * @internal for the sealer: `prefix` must be `powInputPrefix(fields)` and `powHash` its hash with `nonce`.
   */
  static fromSeal(fields: EnvelopeFields, prefix: Uint8Array, nonce: number, powHash: Uint8Array): Envelope {
    const prefixHeader = prefix[0]! < 0xf8 ? 1 : 1 + prefix[0]! - 0xf7;
    const data = fields.data;
    const items = prefix.length - prefixHeader + data.length;
    // The nonce item: one byte below 0x80, else 0x80 + n then n big-endian bytes (0 is the empty string).
    const nonceBytes = nonce > 0 && nonce < 0x80 ? -1 : uintByteLength(nonce);
    const payload = items + (nonceBytes === -1 ? 1 : 1 + nonceBytes);
    const header = rlpHeaderLength(payload);
    const raw = allocateEnvelopeBytes(header + payload);
    writeListHeader(raw, header, payload);
    raw.set(prefix.subarray(prefixHeader), header);
    const nonceStart = header + items;
    raw.set(data, nonceStart - data.length);
    // The topic follows the list header, the expiry and TTL items and its own one-byte string header.
    const topicStart = header + uintItemLength(fields.expiry) + uintItemLength(fields.ttl) + 1;
    if (nonceBytes === -1) raw[nonceStart] = nonce;
    else {
      raw[nonceStart] = 0x80 + nonceBytes;
      for (let i = raw.length - 1, v = nonce; i > nonceStart; i--, v = Math.floor(v / 256)) raw[i] = v % 256;
    }
    const envelope = new Envelope(
      {
        expiry: fields.expiry,
        ttl: fields.ttl,
        // A view into the bytes just written (as a decoded envelope's topic is): cheaper than a copy of its own.
        topic: raw.subarray(topicStart, topicStart + TOPIC_LENGTH),
        data: raw.subarray(nonceStart - data.length, nonceStart),
        nonce: BigInt(nonce),
      },
      raw,
      { itemsStart: header, nonceStart },
    );
    envelope.#powHash = powHash;
    return envelope;
  }

  /**
   * Strict decode of one encoded envelope: a list of exactly five items, minimal integers (expiry and TTL at
   * most 4 bytes, nonce at most 8), a 4-byte topic, no trailing bytes. Throws ERR_WAKU_BAD_ENVELOPE.
   * Fields are views into `raw`.
   */
  static decode(raw: Uint8Array): Envelope {
    if (!(raw instanceof Uint8Array)) throw badEnvelope('envelope must be a Uint8Array');
    try {
      const list = rlpDecodeHeader(raw, 0);
      if (!list.isList) throw badEnvelope('envelope must be an RLP list');
      if (list.end !== raw.length) throw badEnvelope(`${raw.length - list.end} bytes after the envelope`);
      const listEnd = list.end;
      const hExpiry = nextItem(raw, list.payloadOffset, listEnd, 'expiry');
      const hTtl = nextItem(raw, hExpiry.end, listEnd, 'ttl');
      const hTopic = nextItem(raw, hTtl.end, listEnd, 'topic');
      const hData = nextItem(raw, hTopic.end, listEnd, 'data');
      const hNonce = nextItem(raw, hData.end, listEnd, 'nonce');
      if (hNonce.end !== listEnd) throw badEnvelope('envelope has more than five items');
      const expiry = readUint(raw, hExpiry, 4, 'expiry');
      const ttl = readUint(raw, hTtl, 4, 'ttl');
      if (hTopic.isList || hTopic.payloadLength !== TOPIC_LENGTH) {
        throw badEnvelope(`topic must be ${TOPIC_LENGTH} bytes`, 'topic');
      }
      if (hData.isList) throw badEnvelope('data must be a byte string', 'data');
      const nonce = readNonce(raw, hNonce);
      return new Envelope(
        {
          expiry,
          ttl,
          topic: raw.subarray(hTopic.payloadOffset, hTopic.end),
          data: raw.subarray(hData.payloadOffset, hData.end),
          nonce,
        },
        raw,
        // Items are contiguous: the nonce item starts where data ends.
        { itemsStart: list.payloadOffset, nonceStart: hData.end },
      );
    } catch (err) {
      if (err instanceof WakuError) throw err;
      throw badEnvelope('malformed envelope RLP', undefined, err);
    }
  }

  /** The encoded envelope (the received bytes for decoded envelopes). */
  get raw(): Uint8Array {
    return this.#raw;
  }

  /** Keccak-256 of the encoded envelope: the envelope id status-go uses everywhere. */
  get hash(): Uint8Array {
    this.#hash ??= keccak256(this.#raw);
    return this.#hash;
  }

  get hashHex(): string {
    this.#hashHex ??= bytesToHex(this.hash);
    return this.#hashHex;
  }

  /** `20 + len(data)`: the size status-go compares with its message size limit. */
  get size(): number {
    return ENVELOPE_HEADER_LENGTH + this.data.length;
  }

  /** Sent time `expiry - ttl` in unsigned 32-bit arithmetic, as status-go computes it. */
  get sent(): number {
    return (this.expiry - this.ttl) >>> 0;
  }

  /** Length of `RLP([expiry, ttl, topic, data])`, the size the PoW check divides by. */
  get rlpWithoutNonceLength(): number {
    const items = this.#layout.nonceStart - this.#layout.itemsStart;
    return rlpHeaderLength(items) + items;
  }

  /** `RLP([expiry, ttl, topic, data])`: the fixed part of the PoW input. */
  rlpWithoutNonce(): Uint8Array {
    const { itemsStart, nonceStart } = this.#layout;
    const header = rlpListHeader(nonceStart - itemsStart);
    const out = new Uint8Array(header.length + nonceStart - itemsStart);
    out.set(header, 0);
    out.set(this.#raw.subarray(itemsStart, nonceStart), header.length);
    return out;
  }

  /** `keccak256(RLP([expiry, ttl, topic, data]) || nonce as 8 bytes big-endian)` (WAKU-09). */
  get powHash(): Uint8Array {
    if (!this.#powHash) {
      const length = this.#writePowInput(powScratch(this.rlpWithoutNonceLength + 8));
      this.#powHash = keccak256(scratch.subarray(0, length));
    }
    return this.#powHash;
  }

  /** The PoW input `RLP([expiry, ttl, topic, data]) || nonce(8, big-endian)`, as a new buffer. */
  powInput(): Uint8Array {
    const out = new Uint8Array(this.rlpWithoutNonceLength + 8);
    this.#writePowInput(out);
    return out;
  }

  /** Writes the PoW input into `out` from the received bytes (no re-encoding); returns its length. */
  #writePowInput(out: Uint8Array): number {
    const raw = this.#raw;
    const { itemsStart, nonceStart } = this.#layout;
    const items = nonceStart - itemsStart;
    const headerLength = rlpHeaderLength(items);
    const length = headerLength + items + 8;
    writeListHeader(out, headerLength, items);
    out.set(raw.subarray(itemsStart, nonceStart), headerLength);
    // The nonce item is one byte below 0x80, or 0x80 + n then n big-endian bytes: right-align its value.
    out.fill(0, length - 8, length);
    const first = raw[nonceStart]!;
    if (first < 0x80) out[length - 1] = first;
    else out.set(raw.subarray(nonceStart + 1), length - (first - 0x80));
    return length;
  }

  /** Leading zero bits of the PoW hash. */
  get leadingZeroBits(): number {
    this.#leadingZeros ??= leadingZeroBits(this.powHash);
    return this.#leadingZeros;
  }

  /**
   * Proof of work: `2^leadingZeroBits / len(RLP without nonce) / (ttl + extraTtl)`, evaluated in that order
   * so the float equals status-go's. `extraTtl` is the future-sent allowance `sent - now + 1` (WAKU-09).
   * A zero divisor gives 0: an envelope without a lifetime carries no measurable work.
   */
  pow(extraTtl = 0): number {
    const divisor = (this.ttl + extraTtl) >>> 0;
    if (divisor === 0) return 0;
    return 2 ** this.leadingZeroBits / this.rlpWithoutNonceLength / divisor;
  }

  /** The topic as 8 hex digits (no prefix), the key filters and topic interest use. */
  get topicHex(): string {
    this.#topicHex ??= bytesToHex(this.topic);
    return this.#topicHex;
  }

  /** The topic's bloom (3 bits, assignment rule). */
  get bloom(): Bloom {
    this.#bloom ??= topicToBloom(this.topic);
    return this.#bloom;
  }

  /**
   * This envelope with its bytes in a buffer of their own. A decoded envelope is a view into its packet;
   * keeping it (in the pool) would keep the whole packet alive, so the node keeps a compact copy instead.
   * Cached hashes carry over.
   */
  compact(): Envelope {
    const raw = this.#raw;
    // A view as long as its buffer necessarily starts at offset 0.
    if (raw.byteLength === raw.buffer.byteLength) return this;
    const copy = Envelope.decode(raw.slice());
    copy.#hash = this.#hash;
    copy.#hashHex = this.#hashHex;
    copy.#powHash = this.#powHash;
    copy.#leadingZeros = this.#leadingZeros;
    copy.#bloom = this.#bloom;
    copy.#topicHex = this.#topicHex;
    return copy;
  }

  /** The same envelope with another nonce (re-encoded). */
  withNonce(nonce: bigint | number): Envelope {
    return Envelope.create({ expiry: this.expiry, ttl: this.ttl, topic: this.topic, data: this.data, nonce });
  }

  toJSON(): Record<string, unknown> {
    return {
      expiry: this.expiry,
      ttl: this.ttl,
      topic: `0x${bytesToHex(this.topic)}`,
      data: `0x${bytesToHex(this.data)}`,
      nonce: this.nonce.toString(),
      hash: `0x${this.hashHex}`,
    };
  }
}

/**
 * One reusable buffer for PoW inputs: allocating a Uint8Array costs more than hashing a small envelope, and
 * Keccak consumes its input synchronously, so validation can share it.
 */
let scratch = new Uint8Array(4096);

function powScratch(length: number): Uint8Array {
  // Stryker disable next-line ArithmeticOperator: the growth factor only changes how often the buffer is reallocated (Math.max keeps it >= length).
  if (scratch.length < length) scratch = new Uint8Array(Math.max(length, scratch.length * 2));
  return scratch;
}

function nonceByteLength(nonce: bigint): number {
  let n = 0;
  for (let v = nonce; v > 0n; v >>= 8n) n++;
  return n;
}

/** Bytes of a safe non-negative integer without leading zeros. */
function uintByteLength(value: number): number {
  let n = 0;
  for (let v = value; v > 0; v = Math.floor(v / 256)) n++;
  return n;
}

function rlpHeaderLength(payloadLength: number): number {
  if (payloadLength < 56) return 1;
  let n = 0;
  for (let v = payloadLength; v > 0; v = Math.floor(v / 256)) n++;
  return 1 + n;
}

/** The nonce as 8 big-endian bytes, the PoW input suffix. */
export function nonceBytes8(nonce: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, nonce);
  return out;
}

/** Number of leading zero bits of a hash (256 for all zeros). */
export function leadingZeroBits(hash: Uint8Array): number {
  let bits = 0;
  for (let i = 0; i < hash.length; i++) {
    const b = hash[i]!;
    if (b === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(b) - 24;
  }
  return bits;
}
