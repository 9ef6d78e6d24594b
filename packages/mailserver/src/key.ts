import { bytesToNumber, concatBytes, numberToBytes } from '@status-ts/core';
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

function time4(seconds: number): Uint8Array {
  return numberToBytes(seconds >>> 0, 4);
}

export function dbKeyOf(envelope: Envelope): Uint8Array {
  return concatBytes(time4(sentTime(envelope)), envelope.hash, envelope.topic);
}

export function cursorOf(key: Uint8Array): Uint8Array {
  return key.slice(0, CURSOR_LENGTH);
}

/** Smallest and largest keys of the inclusive sent-time range [lower, upper]. */
export function lowerKey(lower: number): Uint8Array {
  return concatBytes(time4(lower), new Uint8Array(DB_KEY_LENGTH - 4));
}
export function upperKey(upper: number): Uint8Array {
  return concatBytes(time4(upper), new Uint8Array(DB_KEY_LENGTH - 4).fill(0xff));
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
    );
  }
}

export function cursorTime(cursor: Uint8Array): number {
  assertCursor(cursor);
  return bytesToNumber(cursor.subarray(0, 4));
}
