import { bytesToUtf8 } from '@status-ts/core';
import { RlpError, RlpErrorCode } from '../errors.js';
import type { RlpItem } from './decode.js';

/**
 * Typed views of decoded items. Each throws an `RlpError` naming `what` when the item has the wrong shape,
 * so a decoder reads like a schema and never lets a malformed field through.
 */

/** The item as a byte string, optionally of exactly `exactLength` bytes. */
// Stryker disable next-line StringLiteral: the default `what` only names the value in error messages.
export function rlpToBytes(item: RlpItem, exactLength?: number, what = 'value'): Uint8Array {
  if (!(item instanceof Uint8Array)) {
    throw new RlpError(RlpErrorCode.ExpectedBytes, `${what} must be a byte string, got a list`);
  }
  if (exactLength !== undefined && item.length !== exactLength) {
    throw new RlpError(RlpErrorCode.WrongLength, `${what} must be ${exactLength} bytes, got ${item.length}`, {
      details: { expected: exactLength, actual: item.length },
    });
  }
  return item;
}

/** The item as a list with at least `minLength` elements (extra elements are allowed, as devp2p requires). */
// Stryker disable next-line StringLiteral: the default `what` only names the value in error messages.
export function rlpToList(item: RlpItem, minLength = 0, what = 'value'): RlpItem[] {
  if (item instanceof Uint8Array) {
    throw new RlpError(RlpErrorCode.ExpectedList, `${what} must be a list, got a byte string`);
  }
  if (item.length < minLength) {
    throw new RlpError(
      RlpErrorCode.WrongLength,
      `${what} must have at least ${minLength} elements, got ${item.length}`,
      { details: { expected: minLength, actual: item.length } },
    );
  }
  return item;
}

function integerBytes(item: RlpItem, maxBytes: number, what: string): Uint8Array {
  const bytes = rlpToBytes(item, undefined, what);
  if (bytes.length > maxBytes) {
    throw new RlpError(RlpErrorCode.IntegerOverflow, `${what} is wider than ${maxBytes} bytes`, {
      details: { maxBytes, actual: bytes.length },
    });
  }
  if (bytes[0] === 0) {
    throw new RlpError(RlpErrorCode.NonCanonicalInteger, `${what} has leading zero bytes`);
  }
  return bytes;
}

/**
 * A canonical unsigned integer (minimal big-endian, zero is empty) of at most `maxBytes` bytes, as a number.
 * The default of 6 bytes keeps every value a safe integer; 7 is allowed when the value itself is safe.
 */
// Stryker disable next-line StringLiteral: the default `what` only names the value in error messages.
export function rlpToUint(item: RlpItem, maxBytes = 6, what = 'integer'): number {
  const bytes = integerBytes(item, maxBytes, what);
  let value = 0;
  for (let i = 0; i < bytes.length; i++) value = value * 256 + bytes[i]!;
  if (!Number.isSafeInteger(value)) {
    throw new RlpError(RlpErrorCode.IntegerOverflow, `${what} exceeds Number.MAX_SAFE_INTEGER`);
  }
  return value;
}

/** A canonical unsigned integer of any width (or at most `maxBytes` bytes) as a bigint. */
// Stryker disable next-line StringLiteral: the default `what` only names the value in error messages.
export function rlpToBigInt(item: RlpItem, maxBytes = Number.POSITIVE_INFINITY, what = 'integer'): bigint {
  const bytes = integerBytes(item, maxBytes, what);
  let value = 0n;
  for (let i = 0; i < bytes.length; i++) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}

/** A boolean as go-ethereum encodes it: empty is false, `0x01` is true, anything else is rejected. */
// Stryker disable next-line StringLiteral: the default `what` only names the value in error messages.
export function rlpToBool(item: RlpItem, what = 'boolean'): boolean {
  const value = rlpToUint(item, 1, what);
  if (value > 1) throw new RlpError(RlpErrorCode.IntegerOverflow, `${what} must be 0 or 1, got ${value}`);
  return value === 1;
}

/** The item as strict UTF-8 text (invalid sequences throw instead of becoming U+FFFD). */
// Stryker disable next-line StringLiteral: the default `what` only names the value in error messages.
export function rlpToUtf8(item: RlpItem, what = 'text'): string {
  const bytes = rlpToBytes(item, undefined, what);
  try {
    return bytesToUtf8(bytes);
  } catch (cause) {
    throw new RlpError(RlpErrorCode.InvalidUtf8, `${what} is not valid UTF-8`, { cause });
  }
}
