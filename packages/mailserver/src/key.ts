import { bytesToNumber, concatBytes } from '@status-ts/core';
import type { Envelope } from '@status-ts/waku';
import { MailserverError, MailserverErrorCode } from './errors.js';

/** Archive key: sent time (4 bytes BE) || envelope hash (32) || topic (4), as status-go's DB key. */
export const DB_KEY_LENGTH = 40;
/** Cursor: the first 36 bytes of the key (sent time || hash). */
export const CURSOR_LENGTH = 36;

/** `expiry - ttl`, clamped at 0 (status-go keys by the sender's clock). */
export function sentTime(envelope: Envelope): number {
  return Math.max(0, envelope.expiry - envelope.ttl);
}

/** Writes uint32 seconds big-endian at the start of `out` (keys are built once per envelope: no BigInt). */
function writeTime4(out: Uint8Array, seconds: number): Uint8Array {
  const s = seconds >>> 0;
  out[0] = s >>> 24;
  out[1] = (s >>> 16) & 0xff;
  out[2] = (s >>> 8) & 0xff;
  out[3] = s & 0xff;
  return out;
}

export function dbKeyOf(envelope: Envelope): Uint8Array {
  const key = new Uint8Array(DB_KEY_LENGTH);
  writeTime4(key, sentTime(envelope));
  key.set(envelope.hash, 4);
  key.set(envelope.topic, CURSOR_LENGTH);
  return key;
}

export function cursorOf(key: Uint8Array): Uint8Array {
  return key.slice(0, CURSOR_LENGTH);
}

/** Smallest and largest keys of the inclusive sent-time range [lower, upper]. */
export function lowerKey(lower: number): Uint8Array {
  return writeTime4(new Uint8Array(DB_KEY_LENGTH), lower);
}
export function upperKey(upper: number): Uint8Array {
  return writeTime4(new Uint8Array(DB_KEY_LENGTH).fill(0xff), upper);
}
/** Largest key sharing the cursor's prefix: pages resume strictly after it. */
export function afterCursorKey(cursor: Uint8Array): Uint8Array {
  assertCursor(cursor);
  return concatBytes(cursor, new Uint8Array(DB_KEY_LENGTH - CURSOR_LENGTH).fill(0xff));
}

export function assertCursor(cursor: Uint8Array): void {
  if (cursor.length !== CURSOR_LENGTH) {
    throw new MailserverError(
      MailserverErrorCode.InvalidRequest,
      `cursor must be ${CURSOR_LENGTH} bytes, got ${cursor.length}`,
      { details: { expected: CURSOR_LENGTH, actual: cursor.length } },
    );
  }
}

export function cursorTime(cursor: Uint8Array): number {
  assertCursor(cursor);
  return bytesToNumber(cursor.subarray(0, 4));
}
