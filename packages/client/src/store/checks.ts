import { ClientError, ClientErrorCode } from '../errors.js';

// Field checks shared by the record validators. Strings must be well-formed UTF-16: SQLite stores UTF-8,
// so a lone surrogate would come back as U+FFFD from the SQLite store and unchanged from the memory store.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MESSAGE_ID = /^0x[0-9a-f]{64}$/;
const PUBLIC_KEY = /^0x04[0-9a-f]{128}$/;

/** Throws ERR_CLIENT_INVALID_ARGUMENT naming the field. */
export function invalid(what: string, message: string, details: Record<string, unknown> = {}): never {
  throw new ClientError(ClientErrorCode.InvalidArgument, `${what}: ${message}`, {
    details: { field: what, ...details },
  });
}

/** Throws ERR_CLIENT_STORE_LIMIT unless `size` is at most `limit`. */
export function checkLimit(size: number, limit: number, what: string): void {
  if (size > limit) {
    throw new ClientError(ClientErrorCode.StoreLimit, `${what}: ${size} is over the limit of ${limit}`, {
      details: { field: what, size, limit },
    });
  }
}

/** A well-formed string of at most `maxLength` UTF-16 units (and at least one unless `allowEmpty`). */
export function checkString(value: unknown, what: string, maxLength: number, allowEmpty = true): string {
  if (typeof value !== 'string') invalid(what, 'must be a string');
  if (!allowEmpty && value.length === 0) invalid(what, 'must not be empty');
  checkLimit(value.length, maxLength, what);
  if (LONE_SURROGATE.test(value)) invalid(what, 'is not well-formed UTF-16 (lone surrogate)');
  return value;
}

/** A safe integer >= 0 (clocks, times, counts). */
export function checkCount(value: unknown, what: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    invalid(what, 'must be a safe integer >= 0', { value });
  }
  return value as number;
}

/** A boolean (not a truthy value: a stored flag must mean what the caller meant). */
export function checkFlag(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') invalid(what, 'must be a boolean');
  return value;
}

/** A Uint8Array of at most `maxBytes`. */
export function checkBytes(value: unknown, what: string, maxBytes: number): Uint8Array {
  if (!(value instanceof Uint8Array)) invalid(what, 'must be a Uint8Array');
  checkLimit(value.length, maxBytes, what);
  return value;
}

/**
 * `0x` + 64 lowercase hex digits (message and reaction ids). Lowercase only: one message must have one
 * spelling, or the duplicate check would let it in twice.
 */
export function checkMessageId(value: unknown, what: string): string {
  if (typeof value !== 'string' || !MESSAGE_ID.test(value)) {
    invalid(what, 'must be 0x + 64 lowercase hex digits');
  }
  return value;
}

/** `0x04` + 128 lowercase hex digits: an uncompressed public key as status-go writes it. */
export function checkPublicKey(value: unknown, what: string): string {
  if (typeof value !== 'string' || !PUBLIC_KEY.test(value)) {
    invalid(what, 'must be 0x04 + 128 lowercase hex digits (an uncompressed public key)');
  }
  return value;
}

/** An array of at most `limit` entries. */
export function checkArray<T>(value: readonly T[], what: string, limit: number): readonly T[] {
  if (!Array.isArray(value)) invalid(what, 'must be an array');
  checkLimit(value.length, limit, what);
  return value;
}

/** An object (records and options), so a missing argument is a typed error rather than a TypeError. */
export function checkObject(value: unknown, what: string): void {
  if (typeof value !== 'object' || value === null) invalid(what, 'must be an object');
}
