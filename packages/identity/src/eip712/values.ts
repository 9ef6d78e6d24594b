import { bigIntToBytes, hexToBytes, isStatusTsError, utf8ToBytes } from '@status-ts/core';
import { keccak256 } from '@status-ts/crypto';
import { parseAddress } from '../address.js';
import { typedDataError } from './types.js';

/** Longest text read as an integer: 78 decimal digits hold 2^256, 64 hex digits too; a little slack. */
const MAX_INTEGER_TEXT = 80;

function toBigInt(value: unknown, type: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw typedDataError('number is not a safe integer', { type });
    return BigInt(value);
  }
  if (typeof value === 'string' && value.length <= MAX_INTEGER_TEXT) {
    const negative = value.startsWith('-');
    const body = negative ? value.slice(1) : value;
    if (/^(0|[1-9][0-9]*)$/.test(body) || /^0x[0-9a-fA-F]+$/.test(body)) {
      const magnitude = BigInt(body);
      return negative ? -magnitude : magnitude;
    }
  }
  throw typedDataError('integer must be a bigint, a safe integer or a decimal/0x string', { type });
}

/** `(u)intN`: range-checked, sign-extended to 256 bits, big endian. */
export function encodeInteger(value: unknown, type: string): Uint8Array {
  const bits = BigInt(Number(type.replace(/^u?int/, '')));
  const signed = !type.startsWith('u');
  const n = toBigInt(value, type);
  const min = signed ? -(1n << (bits - 1n)) : 0n;
  const max = signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
  if (n < min || n > max) throw typedDataError(`value out of range for ${type}`, { type });
  return bigIntToBytes(n < 0n ? (1n << 256n) + n : n, 32);
}

function toBytes(value: unknown, type: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string' && /^0x([0-9a-fA-F]{2})*$/.test(value)) return hexToBytes(value);
  throw typedDataError('bytes must be a Uint8Array or 0x-prefixed hex of whole bytes', { type });
}

/** `bytesN`: exactly N bytes, zero-padded on the right. */
export function encodeFixedBytes(value: unknown, type: string): Uint8Array {
  const size = Number(type.slice(5));
  const bytes = toBytes(value, type);
  if (bytes.length !== size) {
    throw typedDataError(`${type} needs exactly ${size} bytes`, { type, length: bytes.length });
  }
  const out = new Uint8Array(32);
  out.set(bytes);
  return out;
}

/** Encodes one atomic or dynamic value to its 32-byte word. */
export function encodePrimitive(type: string, value: unknown): Uint8Array {
  switch (type) {
    case 'string':
      if (typeof value !== 'string') throw typedDataError('string member needs a string', { type });
      return keccak256(utf8ToBytes(value));
    case 'bytes':
      return keccak256(toBytes(value, type));
    case 'bool': {
      if (typeof value !== 'boolean') throw typedDataError('bool member needs a boolean', { type });
      const out = new Uint8Array(32);
      out[31] = value ? 1 : 0;
      return out;
    }
    case 'address': {
      let address: Uint8Array;
      try {
        address = value instanceof Uint8Array ? toBytesOfLength(value) : parseAddress(value as string);
      } catch (cause) {
        if (isStatusTsError(cause)) throw typedDataError(`invalid address: ${cause.message}`, { type });
        throw cause;
      }
      const out = new Uint8Array(32);
      out.set(address, 12);
      return out;
    }
    default:
      return type.startsWith('bytes') ? encodeFixedBytes(value, type) : encodeInteger(value, type);
  }
}

function toBytesOfLength(value: Uint8Array): Uint8Array {
  if (value.length !== 20) throw typedDataError('address must be 20 bytes', { length: value.length });
  return value;
}
