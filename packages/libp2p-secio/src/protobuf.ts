import { concatBytes, utf8ToBytes } from '@status-ts/core';
import { SecioError, SecioErrorCode } from './errors.js';

/**
 * The two secio handshake messages (proto2, every field optional on the wire):
 *   message Propose  { bytes rand = 1; bytes pubkey = 2; string exchanges = 3; string ciphers = 4; string hashes = 5; }
 *   message Exchange { bytes epubkey = 1; bytes signature = 2; }
 * Hand-written because the signature covers the exact bytes sent, and decoding must be strict and bounded.
 */
export interface Propose {
  readonly rand: Uint8Array;
  /** The identity key as a libp2p `PublicKey` protobuf. */
  readonly pubkey: Uint8Array;
  /** Comma-separated preference lists, best first. */
  readonly exchanges: string;
  readonly ciphers: string;
  readonly hashes: string;
}

export interface Exchange {
  /** Ephemeral ECDH public key, uncompressed SEC1 point (0x04 || X || Y). */
  readonly epubkey: Uint8Array;
  readonly signature: Uint8Array;
}

/** Upper bound on the nonce a peer may propose (every implementation sends 16 bytes). */
export const MAX_NONCE_LENGTH = 64;
/** Upper bound on each comma-separated algorithm list. */
export const MAX_ALGORITHM_LIST_LENGTH = 256;

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

export function encodePropose(p: Propose): Uint8Array {
  return concatBytes(
    lengthDelimitedField(1, p.rand),
    lengthDelimitedField(2, p.pubkey),
    lengthDelimitedField(3, utf8ToBytes(p.exchanges)),
    lengthDelimitedField(4, utf8ToBytes(p.ciphers)),
    lengthDelimitedField(5, utf8ToBytes(p.hashes)),
  );
}

export function encodeExchange(e: Exchange): Uint8Array {
  return concatBytes(lengthDelimitedField(1, e.epubkey), lengthDelimitedField(2, e.signature));
}

export function decodePropose(bytes: Uint8Array): Propose {
  const fields = readLengthDelimitedFields(bytes, 5, 'Propose');
  const rand = required(fields, 1, 'Propose.rand');
  if (rand.length > MAX_NONCE_LENGTH) {
    throw bad(`Propose.rand is ${rand.length} bytes, over ${MAX_NONCE_LENGTH}`);
  }
  return {
    rand,
    pubkey: required(fields, 2, 'Propose.pubkey'),
    exchanges: algorithmList(required(fields, 3, 'Propose.exchanges'), 'Propose.exchanges'),
    ciphers: algorithmList(required(fields, 4, 'Propose.ciphers'), 'Propose.ciphers'),
    hashes: algorithmList(required(fields, 5, 'Propose.hashes'), 'Propose.hashes'),
  };
}

export function decodeExchange(bytes: Uint8Array): Exchange {
  const fields = readLengthDelimitedFields(bytes, 2, 'Exchange');
  return {
    epubkey: required(fields, 1, 'Exchange.epubkey'),
    signature: required(fields, 2, 'Exchange.signature'),
  };
}

function lengthDelimitedField(fieldNumber: number, value: Uint8Array): Uint8Array {
  return concatBytes(
    encodeVarint((fieldNumber << 3) | WIRE_LENGTH_DELIMITED),
    encodeVarint(value.length),
    value,
  );
}

function encodeVarint(value: number): Uint8Array {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Uint8Array.from(out);
}

/**
 * Walks every field: known field numbers (1..maxKnown) must be length-delimited and the last occurrence
 * wins (proto2 semantics); unknown fields of any valid wire type are skipped, as protobuf parsers do.
 */
function readLengthDelimitedFields(
  bytes: Uint8Array,
  maxKnown: number,
  what: string,
): Map<number, Uint8Array> {
  const fields = new Map<number, Uint8Array>();
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= bytes.length) throw bad(`${what}: truncated varint`);
      const byte = bytes[pos++]!;
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) {
        if (result > Number.MAX_SAFE_INTEGER) throw bad(`${what}: varint too large`);
        return result;
      }
      scale *= 128;
    }
    throw bad(`${what}: varint longer than 10 bytes`);
  };
  const skip = (n: number): void => {
    if (n > bytes.length - pos) throw bad(`${what}: field runs past the end of the message`);
    pos += n;
  };
  while (pos < bytes.length) {
    const key = varint();
    const fieldNumber = Math.floor(key / 8);
    const wireType = key % 8;
    if (fieldNumber === 0) throw bad(`${what}: field number 0`);
    if (fieldNumber <= maxKnown && wireType !== WIRE_LENGTH_DELIMITED) {
      throw bad(`${what}: field ${fieldNumber} has wire type ${wireType}, expected 2`);
    }
    switch (wireType) {
      case WIRE_VARINT:
        varint();
        break;
      case WIRE_FIXED64:
        skip(8);
        break;
      case WIRE_FIXED32:
        skip(4);
        break;
      case WIRE_LENGTH_DELIMITED: {
        const length = varint();
        const start = pos;
        skip(length);
        if (fieldNumber <= maxKnown) fields.set(fieldNumber, bytes.slice(start, pos));
        break;
      }
      default:
        throw bad(`${what}: unsupported wire type ${wireType}`);
    }
  }
  return fields;
}

function required(fields: Map<number, Uint8Array>, fieldNumber: number, what: string): Uint8Array {
  const value = fields.get(fieldNumber);
  if (value === undefined || value.length === 0) throw bad(`${what} is missing or empty`);
  return value;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function algorithmList(bytes: Uint8Array, what: string): string {
  if (bytes.length > MAX_ALGORITHM_LIST_LENGTH) {
    throw bad(`${what} is ${bytes.length} bytes, over ${MAX_ALGORITHM_LIST_LENGTH}`);
  }
  try {
    return strictUtf8.decode(bytes);
  } catch (cause) {
    throw new SecioError(SecioErrorCode.BadMessage, `${what} is not UTF-8`, { cause });
  }
}

function bad(message: string): SecioError {
  return new SecioError(SecioErrorCode.BadMessage, message);
}
